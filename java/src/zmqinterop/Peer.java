// Peer.java: the Java peer's entry point: `java -cp <jeromq.jar>:<classes> zmqinterop.Peer <role> [options]`
// or `... zmqinterop.Peer --info` (docs/peer-contract.md).
package zmqinterop;

/**
 * Parses, dispatches the role, and turns every way of ending into the contract's exit code
 * with at most one `error:` line, never a stack trace. The exit is System.exit, after the
 * role has closed its socket and terminated its context: JeroMQ's reaper and I/O threads
 * must not keep the JVM alive, nor delay its end. Under --exit-with-stdin a closed stdin ends
 * the JVM from the watcher thread instead (Stdin: Runtime.halt, exit 6).
 */
public final class Peer {
    private Peer() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Plays the command line; returns the exit code. */
    static int run(String[] args) {
        try {
            play(args);
            return Contract.OK;
        } catch (PeerError e) {
            Out.error(e.reason);
            return e.code;
        } catch (InterruptedException e) {
            Out.error("interrupted");
            return Contract.ERROR;
        } catch (OutOfMemoryError e) {
            Out.error("out of memory (" + e.getMessage() + "); a larger -Xmx may help");
            return Contract.ERROR;
        } catch (Throwable e) { // a JeroMQ RuntimeException escaped the roles' own handling, or a bug
            Out.error("internal error: " + e);
            return Contract.ERROR;
        }
    }

    private static void play(String[] args) throws PeerError, InterruptedException {
        Run run = Contract.parse(args); // usage errors (exit 2) come before anything else
        if (run == null) {
            Out.emit(Info.line());
            return;
        }
        if (run.exitWithStdin()) {
            Stdin.exitWhenClosed(); // from here on, a closed stdin ends the peer (exit 6)
        }
        // The benchmark roles have no cases: they ignore --case, as any option not theirs.
        boolean hasCases = !run.role().contains("-");
        Case played = hasCases ? Case.of(run) : null; // exit 4 before any socket exists
        if (run.ipc()) {
            throw PeerError.unsupported(Engine.ipcReason()); // before any socket exists
        }
        run.security().require(); // a mechanism this JeroMQ lacks: exit 4, before any socket
        StderrGuard.install();
        switch (run.role()) {
            case "pub" -> PubSub.publish(run, played);
            case "sub" -> PubSub.subscribe(run, played);
            case "rep" -> ReqRep.reply(run, played);
            case "req" -> ReqRep.request(run, played);
            case "thr-push" -> Perf.thrPush(run);
            case "thr-pull" -> Perf.thrPull(run);
            case "lat-req" -> Perf.latReq(run);
            default -> Perf.latRep(run); // lat-rep, the last of Contract.ROLES
        }
    }
}
