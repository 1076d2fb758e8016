// Info.java: the --info line: what this peer is, on which JeroMQ, and what it cannot do.
package zmqinterop;

import java.util.ArrayList;
import java.util.List;

/** Builds the one --info object. */
final class Info {
    private Info() {}

    static String line() {
        String version = Engine.version();
        StringBuilder line = new StringBuilder(1024);
        line.append("{\"lang\":\"java\",\"impl\":\"jeromq\",\"impl_version\":");
        Json.string(line, version);
        line.append(",\"engine\":\"").append(Engine.NAME).append("\",\"engine_version\":");
        Json.string(line, version);
        // JeroMQ is not libzmq: it loads none, whatever libzmq release its API mirrors.
        line.append(",\"libzmq\":null,\"transports\":[\"tcp\"],\"roles\":[");
        for (int i = 0; i < Contract.ROLES.length; i++) {
            Json.string(line.append(i > 0 ? "," : ""), Contract.ROLES[i]);
        }
        line.append("],\"cases\":[");
        // Every case some role of this peer plays on this JeroMQ (the union over the roles); a
        // role's part the engine cannot play is named, with the reason, under "case_limits"
        // ({"heartbeat":"req: JeroMQ 0.3.6 ... has no ZMQ_HEARTBEAT_IVL ..."}).
        List<String> limits = new ArrayList<>();
        boolean first = true;
        for (Case c : Case.values()) {
            boolean played = false;
            for (String role : Contract.ROLES) {
                if (c.playedBy(role)) {
                    String limit = Engine.caseLimit(c, role);
                    if (limit == null) {
                        played = true;
                    } else {
                        limits.add(c.id);
                        limits.add(role + ": " + limit);
                    }
                }
            }
            if (played) {
                Json.string(line.append(first ? "" : ","), c.id);
                first = false;
            }
        }
        line.append("],\"mechanisms\":[");
        StringBuilder lacking = new StringBuilder();
        boolean firstMechanism = true;
        for (String mechanism : new String[] {"null", "plain", "curve"}) {
            String why = Security.missing(mechanism);
            if (why == null) {
                Json.string(line.append(firstMechanism ? "" : ","), mechanism);
                firstMechanism = false;
            } else {
                Json.string(lacking.append(','), mechanism).append(':');
                Json.string(lacking, why);
            }
        }
        line.append("],\"unsupported\":{\"ipc\":");
        Json.string(line, Engine.ipcReason()).append(lacking).append("},\"workarounds\":[");
        List<String> workarounds = new ArrayList<>();
        if (!Engine.resolvesWildcardPort()) {
            workarounds.add("JeroMQ " + version + " reports port 0 in ZMQ_LAST_ENDPOINT after binding tcp://HOST:*"
                    + " (fixed in 0.5.0, zeromq/jeromq PR #564), so the peer resolves the wildcard itself: it binds"
                    + " the dynamic ports 49152-65535 one by one from a random start until one is free");
        }
        if (Engine.shortensHandshake()) {
            workarounds.add("JeroMQ " + version + " sometimes never starts the handshake on a freshly connected"
                    + " socket (its poller's hand-off race, zeromq/jeromq PR #1022) until ZMQ_HANDSHAKE_IVL (30 s)"
                    + " drops and retries the connection, so connecting sockets get ZMQ_HANDSHAKE_IVL = "
                    + Engine.HANDSHAKE_IVL_MS + " ms");
        }
        if (Security.missing("plain") == null) {
            workarounds.add("JeroMQ " + version + " prints mechanism diagnostics on System.out (its PLAIN client,"
                    + " refused by a libzmq server's ERROR command: \"PLAIN Client I: invalid handshake command\"),"
                    + " so the peer points System.out at stderr: stdout carries the contract's lines only");
        }
        for (int i = 0; i < workarounds.size(); i++) {
            Json.string(line.append(i > 0 ? "," : ""), workarounds.get(i));
        }
        line.append("]");
        if (!limits.isEmpty()) {
            line.append(",\"case_limits\":{");
            for (int i = 0; i < limits.size(); i += 2) {
                Json.string(line.append(i > 0 ? "," : ""), limits.get(i)).append(':');
                Json.string(line, limits.get(i + 1));
            }
            line.append("}");
        }
        line.append(",\"libzmq_api\":");
        // The libzmq release JeroMQ implements (org.zeromq.ZMQ.getVersionString()); the ZMTP
        // revision it speaks is not exposed by its API, so there is no "zmtp" key.
        Json.string(line, Engine.libzmqApi());
        line.append(",\"java\":");
        Json.string(line, System.getProperty("java.version"));
        return line.append('}').toString();
    }
}
