// Peer.java: the Java peer's entry point: `java -cp <jeromq.jar>:<classes> zmqinterop.Peer <role> [options]`
// or `... zmqinterop.Peer --info` (docs/peer-contract.md).
package zmqinterop;

/**
 * Parses, dispatches the role, and turns every way of ending into the contract's exit code
 * with at most one `error:` line, never a stack trace. The exit is System.exit, after the
 * role has closed its socket and terminated its context: JeroMQ's reaper and I/O threads
 * must not keep the JVM alive, nor delay its end.
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
        if (run.ipc()) {
            throw PeerError.unsupported(Engine.ipcReason()); // before any socket exists
        }
        StderrGuard.install();
        switch (run.role()) {
            case "pub" -> PubSub.publish(run);
            case "sub" -> PubSub.subscribe(run);
            case "rep" -> ReqRep.reply(run);
            case "req" -> ReqRep.request(run);
            case "thr-push" -> Perf.thrPush(run);
            case "thr-pull" -> Perf.thrPull(run);
            case "lat-req" -> Perf.latReq(run);
            default -> Perf.latRep(run); // lat-rep, the last of Contract.ROLES
        }
    }
}
