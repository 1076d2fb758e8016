// StderrGuardProbe.java: a process for ProcessTests that prints stack traces the way JeroMQ's own
// threads can, behind StderrGuard, so the test can check that none reaches stderr.
package zmqinterop;

final class StderrGuardProbe {
    private StderrGuardProbe() {}

    public static void main(String[] args) throws InterruptedException {
        StderrGuard.install();
        new IllegalStateException("printed by the engine", new RuntimeException("its cause")).printStackTrace();
        Thread thread = new Thread(() -> {
            throw new IllegalArgumentException("an engine thread dies");
        }, "iothread-9");
        thread.start();
        thread.join();
        System.err.println("a plain line survives");
        // System.out is stderr now (the engine's chatter goes there): stdout is the descriptor.
        new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true)
                .println(StderrGuard.threadFailure());
        System.exit(0);
    }
}
