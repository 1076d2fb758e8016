//! The case catalog: every named case as one row — what it proves, which roles play it with
//! which `--case` and options, how the run goes and how its data is judged.
//!
//! A row refers to a [`Flow`] (how the processes run) and a [`Check`] (how the outcome is
//! judged), each a small closed set implemented once (`flow.rs`, `judge.rs`): a new case that
//! runs and is judged like an existing one is a new row, not new code. What each role does in
//! each case is the peer contract's ("Cases" in `docs/peer-contract.md`); a peer that does not
//! play a case exits 4 and the cell reads unsupported. Each row also lists its faults: the
//! negative tests that make it fail on purpose, run by `cargo test`.

pub mod flow;
pub mod judge;

use crate::cell::Pattern;
use crate::security::{Setup, Twist};
use crate::transport::Transport;
use contract::{Mechanism, Role};

/// One case of the catalog.
#[derive(Debug, Clone, Copy)]
pub struct CaseDef {
    /// The name in cell names (`pubsub::tcp::topics::c_to_python`) and on the command line.
    pub name: &'static str,
    /// The pattern whose table it belongs to.
    pub pattern: Pattern,
    /// What passes, in one sentence (reports and `interop cases`).
    pub about: &'static str,
    /// The (sender, receiver) roles; the pattern's unless the case says otherwise.
    pub roles: (Role, Role),
    /// Whether the sender binds (the publisher does; the replier, a receiver, otherwise).
    pub sender_binds: bool,
    /// The `--case` each side plays: (sender's, receiver's).
    pub peer_cases: (&'static str, &'static str),
    /// Extra flags for the sender and for the receiver.
    pub flags: (&'static [&'static str], &'static [&'static str]),
    /// Sizes that differ from the pattern's defaults.
    pub size: Size,
    /// How the processes run.
    pub flow: Flow,
    /// The transports it has cells on.
    pub needs: Needs,
    /// A rough weight of a cell's wall time (1 for a quick exchange): the matrix starts the
    /// costly cells first, so that they do not end a run alone.
    pub cost: u8,
    /// The binder is asked for one message more than comes, and stopped once the connector is
    /// done: it never closes while the connector still reads its last reply (with reconnection
    /// off, libzmq drops a pipe, unread reply and all, when the peer goes).
    pub binder_outlives: bool,
    /// Security between the binder (server, with a ZAP handler) and the connector (client);
    /// `None` is NULL on both sides with no material.
    pub security: Option<Setup>,
    /// How the outcome is judged.
    pub check: Check,
    /// The negative tests: ways to make this case fail, each with the failure it must report.
    pub faults: &'static [Fault],
}

/// Sizes a case sets; `None` keeps the pattern's default (`--count 10`, 16 samples, 131072
/// values).
#[derive(Debug, Clone, Copy, Default)]
pub struct Size {
    /// Messages or requests (for a restart flow: in all, both binders together).
    pub count: Option<u64>,
    /// int16 samples per envelope.
    pub packet_size: Option<u32>,
    /// float64 values per array.
    pub len: Option<u32>,
    /// Each peer's `--timeout-ms`, before `INTEROP_TIMEOUT_SCALE`.
    pub timeout_ms: Option<u64>,
    /// The sender's own `--timeout-ms` (also its linger), when it differs.
    pub sender_timeout_ms: Option<u64>,
}

/// How a case's processes run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// The binder, then the connector with the endpoint it resolved.
    Pair,
    /// The binder serves `first` messages (or replies) and holds; once the connector has them
    /// (a subscriber printed them, a requester printed its `paused` line) the harness kills the
    /// binder and starts a second one on the same endpoint, playing `then_case` with another
    /// seed for the rest; the connector must reconnect by itself.
    Restart {
        /// Messages or replies from the first binder.
        first: u64,
        /// The second binder's `--case`.
        then_case: &'static str,
    },
    /// Once the connector has `after` messages (a requester: `after` replies, then it pauses
    /// until told to go on), the harness acts on what lies between the hosts for `ms`: the
    /// link is taken down and brought back, or the SSH tunnel is killed and opened anew. Every
    /// socket stays open; the engines must carry on by themselves.
    Outage {
        /// Messages or replies before the outage.
        after: u64,
        /// How long it lasts.
        ms: u64,
        /// What fails.
        what: Outage,
    },
}

/// What an [`Flow::Outage`] takes away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// The link between the hosts goes down (`ip link set down`) and comes back: packets are
    /// dropped meanwhile, TCP connections survive.
    LinkDown,
    /// The `ssh -L` process is killed (every connection through it is reset) and a new one
    /// started after the pause: the engines must reconnect through it.
    TunnelDeath,
}

/// The transports a case has cells on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Every transport.
    Any,
    /// The transports across two hosts (`hosts`, `hosts1g`, `ssh`): the case acts on the link.
    Hosts,
    /// The `ssh` transport: the case acts on the tunnel.
    Tunnel,
}

impl Needs {
    /// Whether `transport` has cells of a case that needs this.
    #[must_use]
    pub fn met_by(self, transport: Transport) -> bool {
        match self {
            Self::Any => true,
            Self::Hosts => transport.across_hosts(),
            Self::Tunnel => transport == Transport::Ssh,
        }
    }
}

/// How a case's outcome is judged (`judge.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// The subscriber printed every envelope of the fakehw sequence, in order.
    Packets,
    /// The subscriber printed exactly the envelopes its subscriptions cover, in order: the
    /// first half's `fancyhw_data` and `fancyhw_status`, the second half's `fancyhw_data`.
    TopicSubset,
    /// Every message received (and for REQ/REP, every reply) has exactly the frames the sender
    /// sent: the multipart three frames, or the empty case's messages.
    Frames,
    /// Every reply is `text` and every verdict `SUCCESS`.
    Replies {
        /// The expected reply.
        text: &'static str,
    },
    /// Every reply was the requester's own array back (`matches: true`), every verdict
    /// `SUCCESS`.
    EchoedArrays,
    /// The subscriber printed the first binder's envelopes, then the second's (another seed);
    /// for REQ/REP, every reply `world` across the restart.
    Restarted,
    /// Socket types that must not talk: both sides time out (exit 3) and print no data line.
    Refused,
    /// The subscriber's envelopes are envelopes of the publisher's sequence, in order, none
    /// twice, some after the outage: those lost in it are counted, not failed.
    Resumed,
    /// A connection security must refuse: as `Refused` (both sides time out, no data line), no
    /// ZAP line of the binder says it let anyone in, and with `zap` the binder's ZAP handler
    /// printed at least one refusal (the handshake reached ZAP and was denied there).
    Denied {
        /// Whether the refusal is ZAP's (a wrong password, an unlisted key) rather than the
        /// handshake's own (a wrong server key, mismatched mechanisms).
        zap: bool,
    },
}

/// A negative test: the case run with one thing changed, which must then fail with a reason
/// containing `reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    /// The test's name (`dropped-frames`).
    pub name: &'static str,
    /// Which side changes: the sender (true) or the receiver.
    pub sender: bool,
    /// That side's role instead of the case's (a compatible socket type, say).
    pub role: Option<Role>,
    /// That side's `--case` instead of the case's own.
    pub peer_case: Option<&'static str>,
    /// Flags added to that side.
    pub flags: &'static [&'static str],
    /// Something done to the processes while they run.
    pub effect: Effect,
    /// Security instead of the case's own.
    pub security: Option<Setup>,
    /// The (sender, receiver) peers the negative test runs with: a pair whose plain run
    /// passes (`c`, `c` unless the case's finding is that pair's).
    pub pair: (&'static str, &'static str),
    /// Text the failure reason must contain.
    pub reason: &'static str,
}

/// What a fault does to running processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Nothing.
    None,
    /// The second binder of a restart flow is never started: the reconnection finds nobody.
    NoRestart,
    /// Once the connector has printed `after` data lines, the binder is frozen (SIGSTOP) for
    /// `ms`, its engine answering nothing, then thawed: what a hung peer looks like on the
    /// wire. Unix only.
    FreezeBinder {
        /// Data lines the connector prints first.
        after: u64,
        /// How long the binder stays frozen.
        ms: u64,
    },
}

impl Fault {
    const NONE: Self = Self {
        name: "",
        sender: true,
        role: None,
        peer_case: None,
        flags: &[],
        effect: Effect::None,
        security: None,
        pair: ("c", "c"),
        reason: "",
    };
}

const PUBSUB: (Role, Role) = (Role::Pub, Role::Sub);
const REQREP: (Role, Role) = (Role::Req, Role::Rep);
const SYNC: &[&str] = &["--sync"];
const NONE: &[&str] = &[];
const DEFAULT: Size =
    Size { count: None, packet_size: None, len: None, timeout_ms: None, sender_timeout_ms: None };

/// A PUB/SUB case with the pattern's roles.
const fn pubsub(name: &'static str, about: &'static str) -> CaseDef {
    CaseDef {
        name,
        pattern: Pattern::Pubsub,
        about,
        roles: PUBSUB,
        sender_binds: true,
        peer_cases: (name, name),
        flags: (SYNC, NONE),
        size: DEFAULT,
        flow: Flow::Pair,
        needs: Needs::Any,
        cost: 1,
        binder_outlives: false,
        security: None,
        check: Check::Packets,
        faults: &[],
    }
}

/// A REQ/REP case with the pattern's roles.
const fn reqrep(name: &'static str, about: &'static str, check: Check) -> CaseDef {
    CaseDef {
        name,
        pattern: Pattern::Reqrep,
        about,
        roles: REQREP,
        sender_binds: false,
        peer_cases: (name, name),
        flags: (NONE, NONE),
        size: DEFAULT,
        flow: Flow::Pair,
        needs: Needs::Any,
        cost: 1,
        binder_outlives: false,
        security: None,
        check,
        faults: &[],
    }
}

/// Every case, in report order.
pub const CASES: &[CaseDef] = &[
    CaseDef {
        faults: &[Fault {
            name: "wrong-sample",
            flags: &["--seed", "54321"],
            reason: "data mismatch: packet 0 sample 0",
            ..Fault::NONE
        }],
        ..pubsub(
            "fancyhw",
            "the classic hardware envelopes after --sync: every sample of every envelope, in order",
        )
    },
    CaseDef {
        // A subscriber that falls behind loses envelopes by the publisher's policy: 3 s of
        // silence is enough to call the rest lost. The publisher lingers longer, so that what it
        // has queued reaches even a slow subscriber.
        size: Size {
            count: Some(100_000),
            packet_size: Some(4),
            timeout_ms: Some(3000),
            sender_timeout_ms: Some(10_000),
            ..DEFAULT
        },
        cost: 5,
        faults: &[Fault {
            name: "lost-message",
            flags: &["--count", "99999"],
            // libzmq's publishers drop at the high-water mark; zmq.rs's waits, so its burst
            // passes and one message short shows.
            pair: ("zmqrs", "c"),
            reason: "subscriber (",
            ..Fault::NONE
        }],
        ..pubsub(
            "burst",
            "100,000 envelopes back to back with both engines' default high-water marks: every \
             one arrives, in order, none twice",
        )
    },
    CaseDef {
        check: Check::Frames,
        faults: &[Fault {
            name: "dropped-frames",
            peer_case: Some("fancyhw"),
            reason: "message 0 has 1 frames, expected 3",
            ..Fault::NONE
        }],
        ..pubsub(
            "multipart",
            "three-frame messages (topic, empty, envelope) arrive as exactly those frames, in order",
        )
    },
    CaseDef {
        check: Check::Frames,
        flags: (SYNC, &["--subscribe", ""]),
        faults: &[Fault {
            name: "not-empty",
            peer_case: Some("fancyhw"),
            reason: "message 0 frame 0 is",
            ..Fault::NONE
        }],
        ..pubsub(
            "empty",
            "zero-length messages and zero-sample envelopes arrive as sent, to a subscriber of \
             everything",
        )
    },
    CaseDef {
        size: Size { count: Some(30), ..DEFAULT },
        check: Check::TopicSubset,
        faults: &[Fault {
            name: "publisher-ignores-topics",
            peer_case: Some("fancyhw"),
            reason: "data mismatch: packet 1 has topic \"fancyhw_data\"",
            ..Fault::NONE
        }],
        ..pubsub(
            "topics",
            "subscriptions to fancyhw_data and fancy (a prefix of two topics), fancy dropped half \
             way: exactly the covered envelopes arrive, nothing else",
        )
    },
    CaseDef {
        size: Size { count: Some(10), ..DEFAULT },
        flow: Flow::Restart { first: 5, then_case: "fancyhw" },
        cost: 2,
        check: Check::Restarted,
        faults: &[Fault {
            name: "nobody-restarts",
            effect: Effect::NoRestart,
            reason: "subscriber (",
            ..Fault::NONE
        }],
        ..pubsub(
            "reconnect",
            "the publisher is killed after 5 envelopes and another starts on the same endpoint: \
             the subscriber reconnects, resubscribes and gets all 5 of the new one's",
        )
    },
    CaseDef {
        faults: &[Fault {
            name: "corrupt-index",
            flags: &["--corrupt-index", "7"],
            reason: "exit 1 (data mismatch)",
            ..Fault::NONE
        }],
        ..reqrep(
            "array",
            "a 1 MiB float64 array checked bit for bit by the replier, answered SUCCESS",
            Check::Replies { text: "SUCCESS" },
        )
    },
    CaseDef {
        faults: &[Fault {
            name: "wrong-reply",
            sender: false,
            flags: &["--raw-reply-hex", "fffe00"],
            reason: "requester (",
            ..Fault::NONE
        }],
        ..reqrep("hello", "hello answered world", Check::Replies { text: "world" })
    },
    CaseDef {
        size: Size { count: Some(2), len: Some(8_388_608), ..DEFAULT },
        cost: 3,
        faults: &[Fault {
            name: "corrupt-index",
            flags: &["--corrupt-index", "8000000"],
            reason: "exit 1 (data mismatch)",
            ..Fault::NONE
        }],
        ..reqrep(
            "large",
            "a 64 MiB array each way (long-frame encoding), byte for byte",
            Check::EchoedArrays,
        )
    },
    CaseDef {
        size: Size { len: Some(4), ..DEFAULT },
        faults: &[Fault {
            name: "replier-takes-one-frame",
            sender: false,
            peer_case: Some("array"),
            reason: "exit 5 (malformed message received)",
            ..Fault::NONE
        }],
        ..reqrep(
            "multipart",
            "three-frame requests (text, empty, array) reach the replier and come back as exactly \
             those frames",
            Check::Frames,
        )
    },
    CaseDef {
        faults: &[Fault {
            name: "not-empty",
            sender: false,
            peer_case: Some("hello"),
            reason: "replier (",
            ..Fault::NONE
        }],
        ..reqrep(
            "empty",
            "zero-length requests and replies arrive as zero-length messages",
            Check::Frames,
        )
    },
    CaseDef {
        size: Size { count: Some(10), ..DEFAULT },
        flow: Flow::Restart { first: 5, then_case: "hello" },
        cost: 2,
        faults: &[Fault {
            name: "nobody-restarts",
            effect: Effect::NoRestart,
            reason: "requester (",
            ..Fault::NONE
        }],
        ..reqrep(
            "reconnect",
            "the replier is killed while the requester waits between two requests and another \
             starts on the same endpoint: the next request reaches it",
            Check::Restarted,
        )
    },
    CaseDef {
        size: Size { count: Some(2), ..DEFAULT },
        flags: (&["--heartbeat-ivl-ms", "100", "--silence-ms", "1500"], NONE),
        binder_outlives: true,
        cost: 3,
        faults: &[Fault {
            name: "frozen-replier",
            effect: Effect::FreezeBinder { after: 1, ms: 1000 },
            reason: "exit 3 (timed out)",
            ..Fault::NONE
        }],
        ..reqrep(
            "heartbeat",
            "the requester sends ZMTP PINGs (100 ms, timeout 300 ms, no reconnection); the link \
             survives 1.5 s of silence and the next round trip works",
            Check::Replies { text: "world" },
        )
    },
    CaseDef {
        // 300 envelopes 10 ms apart: the outage (2 s after the 50th) falls mid-run, and the
        // subscriber's 10 s timeout outlasts it.
        size: Size { count: Some(300), ..DEFAULT },
        flags: (&["--sync", "--interval-ms", "10"], NONE),
        peer_cases: ("fancyhw", "fancyhw"),
        flow: Flow::Outage { after: 50, ms: 2000, what: Outage::LinkDown },
        needs: Needs::Hosts,
        cost: 4,
        faults: &[Fault {
            name: "lost-message",
            flags: &["--count", "299"],
            reason: "subscriber (",
            ..Fault::NONE
        }],
        ..pubsub(
            "link-down",
            "the link between the hosts goes down for 2 s mid-run and comes back: TCP holds, \
             every envelope arrives, in order, none lost",
        )
    },
    CaseDef {
        // The subscriber gives up 3 s after the stream stops: what it lacks then is lost.
        size: Size {
            count: Some(300),
            timeout_ms: Some(3000),
            sender_timeout_ms: Some(10_000),
            ..DEFAULT
        },
        flags: (&["--sync", "--interval-ms", "10"], NONE),
        peer_cases: ("fancyhw", "fancyhw"),
        flow: Flow::Outage { after: 50, ms: 1000, what: Outage::TunnelDeath },
        needs: Needs::Tunnel,
        cost: 4,
        check: Check::Resumed,
        faults: &[Fault {
            name: "other-sequence",
            flags: &["--seed", "54321"],
            reason: "matches no envelope",
            ..Fault::NONE
        }],
        ..pubsub(
            "tunnel-death",
            "the ssh process of the tunnel is killed after 50 envelopes and a new tunnel opened \
             1 s later: the subscriber reconnects through it and delivery resumes; envelopes \
             published meanwhile are lost (counted), none arrives twice or out of order",
        )
    },
    CaseDef {
        peer_cases: ("hello", "hello"),
        flow: Flow::Outage { after: 5, ms: 2000, what: Outage::LinkDown },
        needs: Needs::Hosts,
        binder_outlives: true,
        cost: 4,
        faults: &[Fault {
            name: "wrong-reply",
            sender: false,
            flags: &["--raw-reply-hex", "fffe00"],
            reason: "requester (",
            ..Fault::NONE
        }],
        ..reqrep(
            "link-down",
            "the link goes down for 2 s while the requester sends its 6th request, then comes \
             back: TCP retransmits it and every reply is world",
            Check::Replies { text: "world" },
        )
    },
    CaseDef {
        peer_cases: ("hello", "hello"),
        flow: Flow::Outage { after: 5, ms: 1000, what: Outage::TunnelDeath },
        needs: Needs::Tunnel,
        binder_outlives: true,
        cost: 4,
        faults: &[Fault {
            name: "wrong-reply",
            sender: false,
            flags: &["--raw-reply-hex", "fffe00"],
            reason: "requester (",
            ..Fault::NONE
        }],
        ..reqrep(
            "tunnel-death",
            "the tunnel is killed between the 5th and 6th request and reopened 1 s later: the \
             requester reconnects through the new tunnel and every reply is world",
            Check::Replies { text: "world" },
        )
    },
    CaseDef {
        roles: (Role::Sub, Role::Rep),
        peer_cases: ("fancyhw", "hello"),
        size: Size { count: Some(1), timeout_ms: Some(1500), ..DEFAULT },
        cost: 3,
        faults: &[Fault {
            name: "compatible-types",
            sender: false,
            role: Some(Role::Pub),
            peer_case: Some("fancyhw"),
            flags: &["--sync"],
            reason: "data crossed",
            ..Fault::NONE
        }],
        ..reqrep(
            "mismatch",
            "a SUB connected to a REP, socket types ZMTP forbids to talk: refused at the \
             handshake, both sides time out, no data crosses, neither crashes",
            Check::Refused,
        )
    },
    CaseDef {
        peer_cases: ("fancyhw", "fancyhw"),
        security: Some(Setup::ok(Mechanism::Plain)),
        faults: &[Fault {
            name: "wrong-password",
            security: Some(Setup { twist: Twist::WrongPassword, ..Setup::ok(Mechanism::Plain) }),
            reason: "the subscriber got 0 of 10 envelopes",
            ..Fault::NONE
        }],
        ..pubsub(
            "plain-ok",
            "PLAIN (RFC 24) with a listed user and password, admitted by the binder's ZAP \
             handler: every fancyhw envelope arrives as with NULL",
        )
    },
    CaseDef {
        peer_cases: ("fancyhw", "fancyhw"),
        security: Some(Setup::ok(Mechanism::Curve)),
        faults: &[Fault {
            name: "unlisted-client",
            security: Some(Setup { twist: Twist::UnlistedClient, ..Setup::ok(Mechanism::Curve) }),
            reason: "the subscriber got 0 of 10 envelopes",
            ..Fault::NONE
        }],
        ..pubsub(
            "curve-ok",
            "CURVE (RFC 25/26) with this run's keys, the client's public key admitted by the \
             binder's ZAP handler: every fancyhw envelope arrives as with NULL",
        )
    },
    CaseDef {
        peer_cases: ("array", "array"),
        security: Some(Setup::ok(Mechanism::Plain)),
        faults: &[Fault {
            name: "wrong-password",
            security: Some(Setup { twist: Twist::WrongPassword, ..Setup::ok(Mechanism::Plain) }),
            reason: "exit 3 (timed out)",
            ..Fault::NONE
        }],
        ..reqrep(
            "plain-ok",
            "PLAIN with a listed user and password, admitted by the replier's ZAP handler: the \
             1 MiB arrays are answered SUCCESS as with NULL",
            Check::Replies { text: "SUCCESS" },
        )
    },
    CaseDef {
        peer_cases: ("array", "array"),
        security: Some(Setup::ok(Mechanism::Curve)),
        faults: &[Fault {
            name: "wrong-server-key",
            security: Some(Setup { twist: Twist::WrongServerKey, ..Setup::ok(Mechanism::Curve) }),
            reason: "exit 3 (timed out)",
            ..Fault::NONE
        }],
        ..reqrep(
            "curve-ok",
            "CURVE with this run's keys, the client admitted by the replier's ZAP handler: the \
             1 MiB arrays, encrypted, are answered SUCCESS as with NULL",
            Check::Replies { text: "SUCCESS" },
        )
    },
    CaseDef {
        security: Some(Setup { twist: Twist::WrongPassword, ..Setup::ok(Mechanism::Plain) }),
        faults: &[Fault {
            name: "password-allowed",
            sender: false,
            security: Some(Setup {
                twist: Twist::WrongPassword,
                allow_twisted: true,
                ..Setup::ok(Mechanism::Plain)
            }),
            reason: "data crossed",
            ..Fault::NONE
        }],
        ..denied(
            "plain-bad-password",
            "PLAIN with a password not on the list: the replier's ZAP handler refuses it, \
             nothing is delivered either way, both sides time out",
            true,
        )
    },
    CaseDef {
        security: Some(Setup { twist: Twist::UnlistedClient, ..Setup::ok(Mechanism::Curve) }),
        faults: &[Fault {
            name: "key-allowed",
            sender: false,
            security: Some(Setup {
                twist: Twist::UnlistedClient,
                allow_twisted: true,
                ..Setup::ok(Mechanism::Curve)
            }),
            reason: "data crossed",
            ..Fault::NONE
        }],
        ..denied(
            "curve-client-not-allowed",
            "CURVE from a valid key pair whose public key is not on the list: the replier's ZAP \
             handler refuses it, nothing is delivered, both sides time out",
            true,
        )
    },
    CaseDef {
        security: Some(Setup { twist: Twist::WrongServerKey, ..Setup::ok(Mechanism::Curve) }),
        faults: &[Fault {
            name: "right-server-key",
            security: Some(Setup::ok(Mechanism::Curve)),
            reason: "data crossed",
            ..Fault::NONE
        }],
        ..denied(
            "curve-wrong-server-key",
            "CURVE with another server's public key: the handshake fails before ZAP, nothing is \
             delivered, neither side hangs",
            false,
        )
    },
    CaseDef {
        security: Some(Setup { connector: Mechanism::Null, ..Setup::ok(Mechanism::Curve) }),
        faults: &[Fault {
            name: "both-curve",
            security: Some(Setup::ok(Mechanism::Curve)),
            reason: "data crossed",
            ..Fault::NONE
        }],
        ..denied(
            "mechanism-mismatch",
            "a NULL requester against a CURVE replier: the greeting's mechanisms differ, the \
             connection is refused, nothing is delivered",
            false,
        )
    },
];

/// A REQ/REP case security must refuse: one `hello` that must not get through, short timeouts
/// both sides must reach. The binder (replier) waits 1.5 s longer than the connector
/// (requester, the sender), so that a connector slow to start (a JVM or an interpreter under
/// load, JeroMQ 0.6's first handshake retried after its 1 s `ZMQ_HANDSHAKE_IVL`) still meets
/// a live binder, whose ZAP handler answers it.
const fn denied(name: &'static str, about: &'static str, zap: bool) -> CaseDef {
    CaseDef {
        peer_cases: ("hello", "hello"),
        size: Size {
            count: Some(1),
            timeout_ms: Some(3000),
            sender_timeout_ms: Some(1500),
            ..DEFAULT
        },
        cost: 3,
        ..reqrep(name, about, Check::Denied { zap })
    }
}

/// The case named `name` in `pattern` (`multipart`, `empty` and `reconnect` exist in both).
///
/// # Errors
/// A one-line message naming the pattern's cases.
pub fn find(pattern: Pattern, name: &str) -> Result<&'static CaseDef, String> {
    of(pattern).find(|case| case.name == name).ok_or_else(|| {
        let names: Vec<&str> = of(pattern).map(|c| c.name).collect();
        format!("{pattern} has no case {name:?} (its cases: {})", names.join(", "))
    })
}

/// Checks a case name given on the command line: a case of some pattern.
///
/// # Errors
/// A one-line usage message naming every case.
pub fn check_name(name: &str) -> Result<(), String> {
    if CASES.iter().any(|case| case.name == name) {
        return Ok(());
    }
    let mut names: Vec<&str> = CASES.iter().map(|c| c.name).collect();
    names.dedup();
    names.sort_unstable();
    names.dedup();
    Err(format!("unknown case {name:?} (known: {})", names.join(", ")))
}

/// The cases of `pattern`, in report order.
pub fn of(pattern: Pattern) -> impl Iterator<Item = &'static CaseDef> {
    CASES.iter().filter(move |case| case.pattern == pattern)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_per_pattern_and_peers_know_every_case_they_are_given() {
        for (i, case) in CASES.iter().enumerate() {
            assert!(
                CASES[..i].iter().all(|c| (c.pattern, c.name) != (case.pattern, case.name)),
                "{} {} twice",
                case.pattern,
                case.name
            );
            for peer_case in [case.peer_cases.0, case.peer_cases.1] {
                assert!(contract::Case::from_name(peer_case).is_ok(), "{}: {peer_case}", case.name);
            }
            if let Flow::Restart { then_case, .. } = case.flow {
                assert!(contract::Case::from_name(then_case).is_ok());
            }
            for fault in case.faults {
                assert!(!fault.name.is_empty(), "{}: a fault needs a name", case.name);
            }
        }
    }

    #[test]
    fn every_peer_case_has_a_catalog_row() {
        for case in contract::Case::ALL {
            assert!(CASES.iter().any(|row| row.name == case.name()), "{}", case.name());
        }
        let pubsub = find(Pattern::Pubsub, "reconnect").unwrap();
        let reqrep = find(Pattern::Reqrep, "reconnect").unwrap();
        assert_eq!((pubsub.roles.0, reqrep.roles.0), (Role::Pub, Role::Req));
    }

    #[test]
    fn an_unknown_case_is_refused_naming_the_known_ones() {
        let err = check_name("nope").unwrap_err();
        assert!(
            err.starts_with(
                "unknown case \"nope\" (known: array, burst, curve-client-not-allowed, "
            ),
            "{err}"
        );
        assert!(find(Pattern::Pubsub, "array").unwrap_err().contains("pubsub has no case"));
    }
}
