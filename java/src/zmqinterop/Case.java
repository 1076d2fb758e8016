// Case.java: the contract's case catalog (docs/peer-contract.md, "Cases"): the names, which roles
// play each, the default of each role, and which cases print frames lines.
package zmqinterop;

/** The cases this peer knows, in the contract's report order (crates/contract's Case::ALL). */
enum Case {
    FANCYHW("fancyhw", true, false),
    BURST("burst", true, false),
    MULTIPART("multipart", true, true),
    EMPTY("empty", true, true),
    TOPICS("topics", true, false),
    RECONNECT("reconnect", true, true),
    ARRAY("array", false, true),
    HELLO("hello", false, true),
    LARGE("large", false, true),
    HEARTBEAT("heartbeat", false, true);

    /** The contract's name. */
    final String id;
    private final boolean pubSub;
    private final boolean reqRep;

    Case(String id, boolean pubSub, boolean reqRep) {
        this.id = id;
        this.pubSub = pubSub;
        this.reqRep = reqRep;
    }

    /** Whether {@code role} has a part in this case (the benchmark roles have none). */
    boolean playedBy(String role) {
        return switch (role) {
            case "pub", "sub" -> pubSub;
            case "req", "rep" -> reqRep;
            default -> false;
        };
    }

    /** Whether the case prints frames lines, and so takes multipart messages as data. */
    boolean printsFrames() {
        return this == MULTIPART || this == EMPTY;
    }

    /** The case a role plays without --case: fancyhw for pub and sub, array otherwise. */
    static String defaultFor(String role) {
        return role.equals("pub") || role.equals("sub") ? FANCYHW.id : ARRAY.id;
    }

    /**
     * The case the run plays. A name this peer does not know, or one the role has no part in, is
     * exit 4 with the contract's words; so is a case this JeroMQ cannot play (Engine.caseLimit),
     * with the reason. Called before any socket exists.
     */
    static Case of(Run run) throws PeerError {
        Case played = null;
        for (Case c : values()) {
            if (c.id.equals(run.caseName()) && c.playedBy(run.role())) {
                played = c;
            }
        }
        if (played == null) {
            throw notImplemented(run.caseName());
        }
        String limit = Engine.caseLimit(played, run.role());
        if (limit != null) {
            throw PeerError.unsupported("case " + Contract.rustDebug(played.id) + ": " + limit);
        }
        return played;
    }

    /** The contract's exit-4 answer for a case name, quoted as Rust's {:?} quotes it. */
    static PeerError notImplemented(String name) {
        return PeerError.unsupported("case " + Contract.rustDebug(name) + " is not implemented by this peer");
    }
}
