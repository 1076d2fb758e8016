// Run.java: one role to play, with every option parsed and checked against the contract.
package zmqinterop;

/**
 * The validated command line of a role (Contract.parse builds it). Integers are held in the
 * types their contract ranges fit: the seed, up to 2^32 - 1, in a long; the others in ints.
 *
 * @param role          one of Contract.ROLES
 * @param endpoint      as given: tcp://HOST:PORT (PORT may be *) or ipc://PATH
 * @param ipc           whether the endpoint is ipc://
 * @param bind          whether this side binds (--bind, --connect, or the role's default)
 * @param topic         --topic, checked printable ASCII without a space
 * @param subscription  --subscribe, else the topic
 * @param seed          --seed, 0..=4294967295
 * @param count         --count
 * @param packetSize    --packet-size
 * @param len           --len
 * @param caseName      --case as given, else the role's default (fancyhw for pub and sub, array
 *                      otherwise); Case.of refuses one the role does not play (exit 4)
 * @param sync          --sync
 * @param intervalMs    --interval-ms
 * @param timeoutMs     --timeout-ms
 * @param reportSent    --report-sent
 * @param rawMessage    --raw-hex decoded, or null
 * @param corruptIndex  --corrupt-index, or -1 when absent
 * @param rawReply      --raw-reply-hex decoded, or null
 * @param size          --size
 * @param hwm           --hwm
 * @param pauseAfter    --pause-after, or 0 when absent
 * @param heartbeatIvlMs --heartbeat-ivl-ms
 * @param silenceMs     --silence-ms
 * @param exitWithStdin --exit-with-stdin
 * @param security      --security and its material, files read
 */
record Run(
        String role,
        String endpoint,
        boolean ipc,
        boolean bind,
        String topic,
        String subscription,
        long seed,
        int count,
        int packetSize,
        int len,
        String caseName,
        boolean sync,
        int intervalMs,
        int timeoutMs,
        boolean reportSent,
        byte[] rawMessage,
        int corruptIndex,
        byte[] rawReply,
        int size,
        int hwm,
        int pauseAfter,
        int heartbeatIvlMs,
        int silenceMs,
        boolean exitWithStdin,
        Security security) {

    /** Whether the role's last act is sending: it lingers (up to the timeout) for it to leave. */
    boolean sendsLast() {
        return switch (role) {
            case "pub", "rep", "thr-push", "lat-rep" -> true;
            default -> false;
        };
    }
}
