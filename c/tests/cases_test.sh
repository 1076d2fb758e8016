#!/usr/bin/env bash
# cases_test.sh: two-process checks of c-peer against itself for the contract's case catalog
# (docs/peer-contract.md, "Cases" and "Stdin"): real processes over real sockets, as the harness
# runs them, each binder's endpoint read from its ready line.
#
#   c/tests/cases_test.sh [PATH/TO/c-peer]
#
# Any executable with c-peer's command line passes or fails these checks alike: CI also runs
# them against the C++ peer (cpp-peer). Without a path it builds c-peer from c/*.c against
# pkg-config's libzmq into a temporary directory (CFLAGS adds flags:
# CFLAGS='-O1 -g -fsanitize=address,undefined' for the sanitizers).
# Every peer but the paused requester runs with --exit-with-stdin and a stdin held open, as
# under the harness. Prints one line per check; exit 0 when all pass, 1 otherwise. POSIX only
# (bash, mkfifo, kill).
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/c-cases.XXXXXX")
declare -A PID HOLD FD DRAIN READY
FAILED=0
PASSED=0

cleanup() {
    for pid in "${PID[@]}" "${HOLD[@]}" "${DRAIN[@]}"; do kill -9 "$pid" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

if [ $# -ge 1 ]; then
    PEER=$1
else
    PEER=$T/c-peer
    # shellcheck disable=SC2086 # CFLAGS and pkg-config's output are word lists
    cc -std=c11 -Wall -Wextra -Werror -pedantic ${CFLAGS:-} -o "$PEER" "$HERE"/../*.c \
        $(pkg-config --cflags --libs libzmq) || exit 2
fi

pass() { PASSED=$((PASSED + 1)); echo "ok    $1"; }
fail() {
    FAILED=$((FAILED + 1))
    echo "FAIL  $1"
    shift
    for name in "$@"; do
        echo "      $name stdout:"; head -c 2000 "$T/$name.out" | sed 's/^/        /'
        echo "      $name stderr:"; head -c 2000 "$T/$name.err" | sed 's/^/        /'
    done
}

# start NAME [--no-watch] ARGS...: runs c-peer ARGS in the background (with --exit-with-stdin
# unless --no-watch), its stdin a fifo held open by a `sleep` (close_stdin NAME ends it, say
# NAME LINE writes a line), and reads its ready line into READY[NAME] (its stdout also goes to
# $T/NAME.out). Returns 1 when no ready line comes.
start() {
    local name=$1 watch=--exit-with-stdin
    shift
    if [ "${1:-}" = --no-watch ]; then watch=; shift; fi
    rm -f "$T/$name".*
    mkfifo "$T/$name.in" "$T/$name.fifo"
    sleep 600 >"$T/$name.in" &
    HOLD[$name]=$!
    # shellcheck disable=SC2086 # $watch is empty or one word
    "$PEER" "$@" $watch <"$T/$name.in" >"$T/$name.fifo" 2>"$T/$name.err" &
    PID[$name]=$!
    local fd
    exec {fd}<"$T/$name.fifo"
    FD[$name]=$fd
    : >"$T/$name.out"
    READY[$name]=
    local line
    if IFS= read -r -t 20 line <&"$fd"; then
        echo "$line" >>"$T/$name.out"
        case $line in '{"event":"ready"'*) READY[$name]=$line; return 0 ;; esac
    fi
    return 1
}

# The endpoint of NAME's ready line.
endpoint() { sed 's/.*"endpoint":"\([^"]*\)".*/\1/' <<<"${READY[$1]}"; }

# read_until NAME COUNT PATTERN: reads NAME's stdout until COUNT lines matching PATTERN (grep
# -E) have come; 1 on end-of-file or after 20 s without a line.
read_until() {
    local name=$1 want=$2 pattern=$3 seen=0 line
    while [ "$seen" -lt "$want" ]; do
        IFS= read -r -t 20 line <&"${FD[$name]}" || return 1
        echo "$line" >>"$T/$name.out"
        if grep -qE "$pattern" <<<"$line"; then seen=$((seen + 1)); fi
    done
}

# drain NAME: the rest of NAME's stdout goes to $T/NAME.out in the background (so that a peer
# writing long lines never blocks on a full pipe).
drain() {
    local name=$1
    cat <&"${FD[$name]}" >>"$T/$name.out" &
    DRAIN[$name]=$!
    exec {FD[$name]}<&-
}

# finish NAME: waits for NAME to end; its exit status is the return value.
finish() {
    local name=$1 rc
    [ -n "${DRAIN[$name]:-}" ] || drain "$name"
    { wait "${PID[$name]}"; } 2>/dev/null # quiet: no "Killed" line for the peers killed on purpose
    rc=$?
    wait "${DRAIN[$name]}" 2>/dev/null
    kill "${HOLD[$name]}" 2>/dev/null
    wait "${HOLD[$name]}" 2>/dev/null
    unset "PID[$name]" "HOLD[$name]" "DRAIN[$name]"
    return $rc
}

close_stdin() { kill "${HOLD[$1]}"; wait "${HOLD[$1]}" 2>/dev/null; }
say() { echo "$2" >"$T/$1.in"; }

# The data lines of NAME (every stdout line but events).
data() { grep -v '"event"' "$T/$1.out"; }

# pair BINDER_ARGS -- CONNECTOR_ARGS: binder "b", connector "c" (given the binder's endpoint);
# sets RC_B and RC_C.
pair() {
    local binder=() connector=()
    while [ "$1" != -- ]; do binder+=("$1"); shift; done
    shift
    connector=("$@")
    RC_B=99 RC_C=99
    start b "${binder[@]}" || { finish b; RC_B=$?; return 1; }
    drain b
    start c "${connector[@]}" --endpoint "$(endpoint b)"
    finish c
    RC_C=$?
    finish b
    RC_B=$?
}

# Lowercase hex of a samples line's int16 values, little-endian: what an envelope carries.
samples_hex() {
    local samples value
    samples=$(sed 's/.*"samples":\[\([^]]*\)\].*/\1/' <<<"$1")
    IFS=, read -r -a values <<<"$samples"
    for value in "${values[@]}"; do
        value=$((value & 0xffff))
        printf '%02x%02x' $((value & 0xff)) $((value >> 8))
    done
}

TOPIC_HEX=66616e637968775f64617461 # fancyhw_data
TCP='tcp://127.0.0.1:*'

# ---- PUB/SUB ----

for ep in "$TCP" "ipc://$T/multipart.ipc"; do
    what="pubsub multipart ($ep)"
    pair pub --endpoint "$ep" --case fancyhw --sync --count 5 --packet-size 3 -- sub --count 5 --packet-size 3
    cp "$T/c.out" "$T/fancyhw.out"
    pair pub --endpoint "$ep" --case multipart --sync --count 5 --packet-size 3 -- \
        sub --case multipart --count 5 --packet-size 3
    ok=$([ $RC_B = 0 ] && [ $RC_C = 0 ] && [ "$(data c | wc -l)" = 5 ] && echo yes)
    i=0
    while [ -n "$ok" ] && IFS= read -r line; do
        want="{\"seq\":$i,\"frames\":[\"$TOPIC_HEX\",\"\",\"${TOPIC_HEX}20$(samples_hex "$line")\"]}"
        [ "$(data c | sed -n "$((i + 1))p")" = "$want" ] || ok=
        i=$((i + 1))
    done < <(grep '"samples"' "$T/fancyhw.out")
    if [ -n "$ok" ] && [ "$i" = 5 ]; then pass "$what"; else fail "$what" b c; fi
done

what="pubsub empty"
pair pub --endpoint "$TCP" --case empty --sync --count 4 -- sub --case empty --count 4 --subscribe ""
want=$(printf '%s\n' '{"seq":0,"frames":[""]}' "{\"seq\":1,\"frames\":[\"${TOPIC_HEX}20\"]}" \
    '{"seq":2,"frames":[""]}' "{\"seq\":3,\"frames\":[\"${TOPIC_HEX}20\"]}")
if [ $RC_B = 0 ] && [ $RC_C = 0 ] && [ "$(data c)" = "$want" ]; then pass "$what"; else fail "$what" b c; fi

what="pubsub topics"
pair pub --endpoint "$TCP" --case fancyhw --sync --count 20 --packet-size 2 -- sub --count 20 --packet-size 2
cp "$T/c.out" "$T/fancyhw.out"
pair pub --endpoint "$TCP" --case topics --count 10 --packet-size 2 -- \
    sub --case topics --count 10 --packet-size 2 --subscribe nothing
# First half: i < 10, i mod 3 != 2; second half: 10 <= i < 20, i mod 3 == 0.
want=
seq=0
for i in 0 1 3 4 6 7 9 12 15 18; do
    case $((i % 3)) in 0) topic=fancyhw_data ;; 1) topic=fancyhw_status ;; 2) topic=other_data ;; esac
    samples=$(grep "^{\"seq\":$i," "$T/fancyhw.out" | sed 's/.*"samples":\(\[[^]]*\]\).*/\1/')
    want+="{\"seq\":$seq,\"topic\":\"$topic\",\"samples\":$samples}"$'\n'
    seq=$((seq + 1))
done
if [ $RC_B = 0 ] && [ $RC_C = 0 ] && [ "$(data c)" = "${want%$'\n'}" ]; then pass "$what"; else fail "$what" b c; fi

what="pubsub topics, --count 1 (no second half: the unsubscription still leaves)"
pair pub --endpoint "$TCP" --case topics --count 1 --timeout-ms 5000 -- sub --case topics --count 1
if [ $RC_B = 0 ] && [ $RC_C = 0 ] && [ "$(data c | wc -l)" = 1 ]; then pass "$what"; else fail "$what" b c; fi

what="pubsub burst (default high-water marks, 20000 envelopes)"
pair pub --endpoint "$TCP" --case burst --sync --count 20000 --packet-size 4 -- \
    sub --case burst --count 20000 --packet-size 4 --timeout-ms 2000
# libzmq's policy decides what arrives: only the shape is checked (every line an envelope).
if [ $RC_B = 0 ] && { [ $RC_C = 0 ] || [ $RC_C = 3 ]; } && ! data c | grep -qv '"samples"'; then
    pass "$what: subscriber exit $RC_C, $(data c | wc -l) envelopes"
else
    fail "$what" b c
fi

for ep in "$TCP" "ipc://$T/pubsub-reconnect.ipc"; do
    what="pubsub reconnect ($ep)"
    ok=
    if start p1 pub --endpoint "$ep" --case reconnect --sync --count 3 --timeout-ms 30000; then
        drain p1
        endpoint=$(endpoint p1)
        if start s sub --endpoint "$endpoint" --case reconnect --count 6 && read_until s 3 '"samples"'; then
            kill -9 "${PID[p1]}"
            finish p1
            if start p2 pub --endpoint "$endpoint" --case fancyhw --sync --count 3 --seed 777; then
                drain p2
                finish s && finish p2 && [ "$(data s | wc -l)" = 6 ] && ok=yes
            fi
        fi
    fi
    # The second publisher's packets are seed 777's: compare with a fresh run of it.
    if [ -n "$ok" ]; then
        cp "$T/s.out" "$T/reconnect.out"
        pair pub --endpoint "$TCP" --sync --count 3 --seed 777 -- sub --count 3
        [ "$(data c | sed 's/"seq":[0-9]*//')" = "$(data reconnect | tail -3 | sed 's/"seq":[0-9]*//')" ] || ok=
    fi
    if [ -n "$ok" ]; then pass "$what"; else fail "$what" p1 s p2; fi
    for n in p1 s p2; do [ -z "${PID[$n]:-}" ] || { kill -9 "${PID[$n]}" 2>/dev/null; finish "$n"; }; done
done

what="pub reconnect holds its socket until --timeout-ms, then exits 0"
started=$(date +%s%N)
pair pub --endpoint "$TCP" --case reconnect --count 2 --timeout-ms 1500 -- sub --count 2
held=$((($(date +%s%N) - started) / 1000000))
if [ $RC_B = 0 ] && [ $RC_C = 0 ] && [ $held -ge 1400 ]; then pass "$what ($held ms)"; else fail "$what ($held ms)" b c; fi

# ---- REQ/REP ----

for ep in "$TCP" "ipc://$T/reqrep-multipart.ipc"; do
    what="reqrep multipart ($ep)"
    pair rep --endpoint "$ep" --case multipart --count 3 --len 4 -- req --case multipart --count 3 --len 4
    # seed 12345's first value, 383100999 / 2^31, little-endian: 00000047a8d5c63f.
    pattern='^\{"seq":[0-2],"frames":\["6d756c746970617274","","00000047a8d5c63f[0-9a-f]{48}"\]\}$'
    if [ $RC_B = 0 ] && [ $RC_C = 0 ] && [ "$(data b | grep -cE "$pattern")" = 3 ] &&
        [ "$(data b)" = "$(data c)" ]; then
        pass "$what"
    else
        fail "$what" b c
    fi
done

what="reqrep empty"
pair rep --endpoint "$TCP" --case empty --count 3 -- req --case empty --count 3
want=$(printf '{"seq":%d,"frames":[""]}\n' 0 1 2)
if [ $RC_B = 0 ] && [ $RC_C = 0 ] && [ "$(data b)" = "$want" ] && [ "$(data c)" = "$want" ]; then
    pass "$what"
else
    fail "$what" b c
fi

what="reqrep large (64 MiB each way, twice)"
pair rep --endpoint "$TCP" --case large --len 8388608 --count 2 --timeout-ms 30000 -- \
    req --case large --len 8388608 --count 2 --timeout-ms 30000
want=$(printf '{"seq":%d,"reply_bytes":67108864,"matches":true}\n' 0 1)
if [ $RC_B = 0 ] && [ $RC_C = 0 ] && [ "$(data c)" = "$want" ] &&
    [ "$(data b)" = "$(printf '{"seq":%d,"verdict":"SUCCESS"}\n' 0 1)" ]; then
    pass "$what"
else
    fail "$what" b c
fi

what="reqrep large, a corrupted request: FAILURE back, matches false, both exit 1"
pair rep --endpoint "$TCP" --case large --len 1000 --count 1 -- req --case large --len 1000 --count 1 --corrupt-index 9
if [ $RC_B = 1 ] && [ $RC_C = 1 ] && [ "$(data c)" = '{"seq":0,"reply_bytes":7,"matches":false}' ] &&
    grep -q '^error: reply to request 0 (7 bytes) is not the 8000 bytes sent' "$T/c.err"; then
    pass "$what"
else
    fail "$what" b c
fi

what="reqrep heartbeat (--silence-ms 1000, heartbeats every 100 ms)"
# The replier holds its socket open after its last reply (case reconnect plays hello, then
# holds), killed once the requester is done: with ZMQ_RECONNECT_IVL -1, libzmq drops a reply
# that is still unread when the replier's close ends the connection (the I/O thread makes the
# socket disconnect the endpoint, discarding its pipe; zeromq/libzmq#2756), which a replier
# that exits at once triggers in about one run in ten on a busy machine.
ok=
started=$(date +%s%N)
if start b rep --endpoint "$TCP" --case reconnect --count 3 --timeout-ms 30000; then
    drain b
    start c req --endpoint "$(endpoint b)" --case heartbeat --count 3 --silence-ms 1000 && finish c && ok=yes
fi
took=$((($(date +%s%N) - started) / 1000000))
[ -z "${PID[b]:-}" ] || { kill -9 "${PID[b]}" 2>/dev/null; finish b; }
[ -z "${PID[c]:-}" ] || finish c
want=$(printf '{"seq":%d,"reply":"world"}\n' 0 1 2)
if [ -n "$ok" ] && [ "$(data c)" = "$want" ] && [ "$(data b)" = "$(printf '{"seq":%d,"verdict":"SUCCESS"}\n' 0 1 2)" ] &&
    [ $took -ge 2000 ]; then
    pass "$what ($took ms)"
else
    fail "$what ($took ms)" b c
fi

# Whether heartbeats are really on: a minimal ZMTP 3.0 REP in Python (no libzmq) answers one
# hello, then answers PINGs with PONGs (the requester must get its second world) or not at all
# (the requester's libzmq must drop the link during the silence: exit 3).
cat >"$T/zmtp_rep.py" <<'PY'
import socket, struct, sys
pong = sys.argv[1] == "pong"
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(1)
print("tcp://127.0.0.1:%d" % server.getsockname()[1], flush=True)
conn, _ = server.accept()
def recv(n):
    data = b""
    while len(data) < n:
        more = conn.recv(n - len(data))
        if not more:
            raise EOFError
        data += more
    return data
def frame():
    flags = recv(1)[0]
    size = int.from_bytes(recv(8 if flags & 2 else 1), "big")
    return flags, recv(size)
conn.sendall(b"\xff" + bytes(8) + b"\x7f\x03\x00" + b"NULL".ljust(20, b"\0") + bytes(32))
recv(64)
ready = b"\x05READY\x0bSocket-Type" + struct.pack(">I", 3) + b"REP"
conn.sendall(bytes([4, len(ready)]) + ready)
frame()
replies = 0
try:
    while True:
        flags, body = frame()
        if flags & 4:
            if pong and body[:5] == b"\x04PING":
                answer = b"\x04PONG" + body[7:]
                conn.sendall(bytes([4, len(answer)]) + answer)
        elif not flags & 1 and (replies == 0 or pong):
            conn.sendall(b"\x01\x00\x00\x05world")
            replies += 1
except EOFError:
    pass
PY
if command -v python3 >/dev/null; then
    for mode in pong deaf; do
        what="reqrep heartbeat against a ZMTP replier that is $mode"
        [ $mode = pong ] && expect=0 || expect=3
        rm -f "$T/zmtp.fifo"
        mkfifo "$T/zmtp.fifo"
        python3 "$T/zmtp_rep.py" $mode >"$T/zmtp.fifo" 2>"$T/z.err" &
        zmtp=$!
        endpoint=
        exec {zfd}<"$T/zmtp.fifo"
        IFS= read -r -t 20 endpoint <&"$zfd" # its only line: the endpoint
        exec {zfd}<&-
        "$PEER" req --endpoint "$endpoint" --case heartbeat --count 2 --silence-ms 1000 --timeout-ms 2000 \
            >"$T/z.out" 2>>"$T/z.err" </dev/null
        rc=$?
        kill $zmtp 2>/dev/null
        wait $zmtp 2>/dev/null
        if [ $rc = $expect ] && [ "$(grep -c '"reply":"world"' "$T/z.out")" = $((2 - expect / 3)) ]; then
            pass "$what: exit $rc"
        else
            fail "$what: exit $rc, expected $expect" z
        fi
    done
else
    echo "skip  reqrep heartbeat against a minimal ZMTP replier: no python3"
fi

for ep in "$TCP" "ipc://$T/reqrep-reconnect.ipc"; do
    what="reqrep reconnect ($ep)"
    ok=
    if start r1 rep --endpoint "$ep" --case reconnect --count 2 --timeout-ms 30000; then
        drain r1
        endpoint=$(endpoint r1)
        if start q --no-watch req --endpoint "$endpoint" --case reconnect --count 4 --pause-after 2 &&
            read_until q 1 '^\{"event":"paused"\}$'; then
            kill -9 "${PID[r1]}"
            finish r1
            if start r2 rep --endpoint "$endpoint" --case hello --count 2; then
                drain r2
                say q go
                finish q && finish r2 && ok=yes
            fi
        fi
    fi
    want=$(printf '{"seq":%d,"reply":"world"}\n' 0 1 | sed '$a{"event":"paused"}'; printf '{"seq":%d,"reply":"world"}\n' 2 3)
    if [ -n "$ok" ] && [ "$(grep -v ready "$T/q.out")" = "$want" ] &&
        [ "$(cat "$T/r2.out" | grep -c SUCCESS)" = 2 ]; then
        pass "$what"
    else
        fail "$what" r1 q r2
    fi
    for n in r1 q r2; do [ -z "${PID[$n]:-}" ] || { kill -9 "${PID[$n]}" 2>/dev/null; finish "$n"; }; done
done

# ---- stdin ----

# exit_with_stdin NAME ARGS...: closes the stdin of a peer that is waiting, expects exit 6
# with the contract's line within a second.
exit_with_stdin() {
    local name=$1
    shift
    local what="--exit-with-stdin: $*"
    if start "$name" "$@"; then
        local started took rc
        started=$(date +%s%N)
        close_stdin "$name"
        finish "$name"
        rc=$?
        took=$((($(date +%s%N) - started) / 1000000))
        if [ $rc = 6 ] && [ $took -lt 1000 ] && [ "$(grep -c '^error: ' "$T/$name.err")" = 1 ] &&
            [ "$(grep '^error: ' "$T/$name.err")" = "error: stdin closed: the harness is gone" ]; then
            pass "$what (exit 6 after $took ms)"
            return
        fi
    fi
    fail "$what" "$name"
}
exit_with_stdin w1 rep --endpoint "$TCP" --timeout-ms 60000
exit_with_stdin w2 sub --endpoint "$TCP" --bind --timeout-ms 60000
exit_with_stdin w3 thr-pull --endpoint "$TCP" --timeout-ms 60000
exit_with_stdin w4 pub --endpoint "$TCP" --case reconnect --timeout-ms 60000

what="--pause-after: end-of-file at the pause is exit 6"
if start r rep --endpoint "$TCP" --case hello --count 1 && drain r &&
    start q --no-watch req --endpoint "$(endpoint r)" --case hello --count 2 --pause-after 1 &&
    read_until q 1 paused; then
    close_stdin q
    finish q
    rc=$?
    if [ $rc = 6 ] && [ "$(cat "$T/q.err")" = "error: stdin closed: the harness is gone" ] &&
        [ "$(grep -v ready "$T/q.out")" = "$(printf '%s\n' '{"seq":0,"reply":"world"}' '{"event":"paused"}')" ]; then
        pass "$what"
    else
        fail "$what" q
    fi
else
    fail "$what" r q
fi
for n in r q; do [ -z "${PID[$n]:-}" ] || { kill -9 "${PID[$n]}" 2>/dev/null; finish "$n"; }; done

# ---- refusals: exit 2 (usage) and 4 (case not played), before any socket ----

refuse() {
    local code=$1 reason=$2
    shift 2
    "$PEER" "$@" --endpoint 'tcp://127.0.0.1:1' >"$T/refuse.out" 2>"$T/refuse.err" </dev/null
    local rc=$?
    if [ $rc = "$code" ] && [ ! -s "$T/refuse.out" ] && [ "$(wc -l <"$T/refuse.err")" = 1 ] &&
        grep -qF "error: $reason" "$T/refuse.err"; then
        pass "$* -> exit $code"
    else
        echo "exit $rc" >>"$T/refuse.err"
        fail "$* -> exit $code ($reason)" refuse
    fi
}
refuse 2 "" req --pause-after 2 --exit-with-stdin
refuse 2 "" req --pause-after 0
refuse 2 "" req --heartbeat-ivl-ms 60001
refuse 2 "" req --silence-ms 3600001
for args in "sub --case array" "pub --case hello" "req --case topics" "rep --case burst" \
    "rep --case fancyhw" "req --case mismatch" "sub --case no-such-case"; do
    # shellcheck disable=SC2086 # two words
    refuse 4 "case \"${args##* }\" is not implemented by this peer" $args
done

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
