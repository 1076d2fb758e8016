//! The JSON lines a peer prints on stdout, as types both the peers and the harness use.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// `{"event":"ready","endpoint":...}` or `{"event":"sent","seq":...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "lowercase")]
pub enum Event {
    /// The socket is bound or connected (and subscribed); `endpoint` is the resolved one.
    Ready {
        /// `ZMQ_LAST_ENDPOINT` when binding, the given endpoint when connecting.
        endpoint: String,
    },
    /// A publisher sent envelope `seq` (with `--report-sent`).
    Sent {
        /// Index of the envelope, from 0.
        seq: u64,
    },
    /// A benchmark's measurement (thr-pull, lat-req), the last line.
    Result(Measurement),
    /// A requester with `--pause-after` stopped and waits for a line on stdin.
    Paused,
    /// A server's ZAP handler answered a request: who asked (a PLAIN user name or a CURVE
    /// public key in Z85, never a password) and whether it was let in.
    Zap {
        /// `plain` or `curve`.
        mechanism: String,
        /// The PLAIN user name or the CURVE client public key.
        identity: String,
        /// Whether the handler answered 200.
        allowed: bool,
    },
}

/// Which benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BenchKind {
    /// Throughput: PUSH/PULL.
    Thr,
    /// Latency: REQ/REP round trips.
    Lat,
}

impl BenchKind {
    /// `thr` or `lat`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Thr => "thr",
            Self::Lat => "lat",
        }
    }
}

/// What a measuring benchmark role reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measurement {
    /// thr or lat.
    pub kind: BenchKind,
    /// Messages (thr) or round trips (lat).
    pub count: u64,
    /// Message size in bytes.
    pub size: u64,
    /// thr: from the first message received to the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_ns: Option<u64>,
    /// lat: every round trip, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rtt_ns: Option<Vec<u64>>,
}

/// A subscriber's decoded envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Packet {
    /// Index among the received envelopes, from 0.
    pub seq: u64,
    /// The envelope's topic.
    pub topic: String,
    /// The int16 samples.
    pub samples: Vec<i16>,
}

/// A replier's verdict on one request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// Index of the request, from 0.
    pub seq: u64,
    /// `SUCCESS` or `FAILURE`.
    pub verdict: String,
    /// What was wrong, for a `FAILURE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The first differing value's index, for a value mismatch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u64>,
    /// The expected length in bytes, for a length mismatch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_bytes: Option<u64>,
    /// The received length in bytes, for a length mismatch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub got_bytes: Option<u64>,
}

impl Verdict {
    /// `{"seq":N,"verdict":"SUCCESS"}`.
    #[must_use]
    pub fn success(seq: u64) -> Self {
        Self {
            seq,
            verdict: "SUCCESS".into(),
            detail: None,
            index: None,
            expected_bytes: None,
            got_bytes: None,
        }
    }

    /// `{"seq":N,"verdict":"FAILURE","detail":...}`.
    #[must_use]
    pub fn failure(seq: u64, detail: &str) -> Self {
        Self { verdict: "FAILURE".into(), detail: Some(detail.to_owned()), ..Self::success(seq) }
    }
}

/// A requester's record of one reply: the text when it is printable ASCII, else its hex; in
/// case `large`, the reply's size and whether it matched the array sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// Index of the request, from 0.
    pub seq: u64,
    /// The reply, when printable ASCII.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    /// The reply's bytes in hex, otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_hex: Option<String>,
    /// Case `large`: the reply's size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_bytes: Option<u64>,
    /// Case `large`: whether the reply equals the array the requester sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matches: Option<bool>,
}

/// A received message, every frame in lowercase hex (cases `multipart` and `empty`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frames {
    /// Index among the received messages, from 0.
    pub seq: u64,
    /// Each frame's bytes in hex, in order; an empty frame is `""`.
    pub frames: Vec<String>,
}

impl Frames {
    /// The line for a message's frames.
    pub fn of<'a>(seq: u64, frames: impl IntoIterator<Item = &'a [u8]>) -> Self {
        Self { seq, frames: frames.into_iter().map(crate::hex::encode).collect() }
    }
}

impl Reply {
    /// Records a reply's bytes.
    #[must_use]
    pub fn of_bytes(seq: u64, bytes: &[u8]) -> Self {
        let text = bytes.iter().all(|b| b.is_ascii_graphic() || *b == b' ');
        Self {
            seq,
            reply: text.then(|| String::from_utf8_lossy(bytes).into_owned()),
            reply_hex: (!text).then(|| crate::hex::encode(bytes)),
            reply_bytes: None,
            matches: None,
        }
    }
}

/// The `--info` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Info {
    /// The peer's language: `rust`, `c`, `cpp`, `python`, `java`, `javascript`.
    pub lang: String,
    /// The binding: `rust-zmq`, `libzmq` (the C API itself), `cppzmq`, `pyzmq`, `zeromq.js`,
    /// `zmq.rs`.
    #[serde(rename = "impl")]
    pub binding: String,
    /// The binding's version.
    pub impl_version: String,
    /// The ZMTP implementation on the wire: `libzmq`, `zmq.rs`, `jeromq`.
    #[serde(default)]
    pub engine: String,
    /// The engine's version, read at run time where the engine can tell.
    #[serde(default)]
    pub engine_version: String,
    /// The libzmq version actually loaded (`zmq_version()`), `None` for another engine.
    pub libzmq: Option<String>,
    /// Transports the loaded libzmq supports.
    pub transports: Vec<String>,
    /// Roles this program plays.
    pub roles: Vec<String>,
    /// Why a transport is missing, when the peer knows.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unsupported: BTreeMap<String, String>,
    /// Where the peer does something its engine cannot do itself, one sentence each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workarounds: Vec<String>,
    /// The cases the peer plays (`fancyhw`, `array`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<String>,
    /// The security mechanisms the peer really has (`null`, `plain`, `curve`); one it lacks
    /// is explained in `unsupported`, keyed by its name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mechanisms: Vec<String>,
    /// Anything else the peer reports (its interpreter's version, say).
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Info {
    /// The engine in words: `libzmq 4.3.5`, `zmq.rs 0.7.0`.
    #[must_use]
    pub fn engine_summary(&self) -> String {
        match (self.engine.as_str(), &self.libzmq) {
            ("" | "libzmq", Some(libzmq)) => format!("libzmq {libzmq}"),
            (engine, _) => format!("{engine} {}", self.engine_version),
        }
    }

    /// The binding and its engine: `pyzmq 27.3.0, libzmq 4.3.5`; just `zmq.rs 0.7.0` when the
    /// binding is the engine.
    #[must_use]
    pub fn summary(&self) -> String {
        let engine = self.engine_summary();
        let binding = format!("{} {}", self.binding, self.impl_version);
        if engine == binding { engine } else { format!("{binding}, {engine}") }
    }
}

/// Writes one JSON line to stdout and flushes it, so the reader sees it at once.
///
/// # Errors
/// The write error (stdout closed, say).
pub fn emit(line: &impl Serialize) -> io::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, line)?;
    out.write_all(b"\n")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_have_the_contracts_shape() {
        let ready = Event::Ready { endpoint: "tcp://127.0.0.1:5".into() };
        assert_eq!(
            serde_json::to_string(&ready).unwrap(),
            r#"{"event":"ready","endpoint":"tcp://127.0.0.1:5"}"#
        );
        assert_eq!(
            serde_json::to_string(&Event::Sent { seq: 3 }).unwrap(),
            r#"{"event":"sent","seq":3}"#
        );
        let packet = Packet { seq: 0, topic: "t".into(), samples: vec![-1, 2] };
        assert_eq!(
            serde_json::to_string(&packet).unwrap(),
            r#"{"seq":0,"topic":"t","samples":[-1,2]}"#
        );
        let ok = Verdict {
            seq: 1,
            verdict: "SUCCESS".into(),
            detail: None,
            index: None,
            expected_bytes: None,
            got_bytes: None,
        };
        assert_eq!(serde_json::to_string(&ok).unwrap(), r#"{"seq":1,"verdict":"SUCCESS"}"#);
    }

    #[test]
    fn a_result_line_is_an_event() {
        let thr = Event::Result(Measurement {
            kind: BenchKind::Thr,
            count: 3,
            size: 16,
            elapsed_ns: Some(10),
            rtt_ns: None,
        });
        let text = r#"{"event":"result","kind":"thr","count":3,"size":16,"elapsed_ns":10}"#;
        assert_eq!(serde_json::to_string(&thr).unwrap(), text);
        assert_eq!(serde_json::from_str::<Event>(text).unwrap(), thr);
        let lat = r#"{"event":"result","kind":"lat","count":2,"size":8,"rtt_ns":[5,6]}"#;
        let Event::Result(parsed) = serde_json::from_str::<Event>(lat).unwrap() else {
            panic!("a result");
        };
        assert_eq!(parsed.rtt_ns, Some(vec![5, 6]));
    }

    #[test]
    fn frames_are_hex_and_paused_is_an_event() {
        let line = Frames::of(2, [&b"ab"[..], b"", &[0xff]]);
        assert_eq!(serde_json::to_string(&line).unwrap(), r#"{"seq":2,"frames":["6162","","ff"]}"#);
        assert_eq!(serde_json::to_string(&Event::Paused).unwrap(), r#"{"event":"paused"}"#);
        let zap = Event::Zap { mechanism: "curve".into(), identity: "k".into(), allowed: false };
        assert_eq!(
            serde_json::to_string(&zap).unwrap(),
            r#"{"event":"zap","mechanism":"curve","identity":"k","allowed":false}"#
        );
        let large = r#"{"seq":0,"reply_bytes":67108864,"matches":true}"#;
        let reply: Reply = serde_json::from_str(large).unwrap();
        assert_eq!((reply.reply_bytes, reply.matches), (Some(67_108_864), Some(true)));
    }

    #[test]
    fn replies_that_are_not_text_are_shown_in_hex() {
        assert_eq!(Reply::of_bytes(0, b"world").reply.as_deref(), Some("world"));
        let odd = Reply::of_bytes(1, &[0xff, 0]);
        assert_eq!((odd.reply, odd.reply_hex.as_deref()), (None, Some("ff00")));
    }

    #[test]
    fn info_keeps_extra_keys() {
        let text = r#"{"lang":"python","impl":"pyzmq","impl_version":"27.3.0","engine":"libzmq","engine_version":"4.3.5","libzmq":"4.3.5","transports":["tcp","ipc"],"roles":["pub"],"python":"3.11.7"}"#;
        let info: Info = serde_json::from_str(text).unwrap();
        assert_eq!(info.binding, "pyzmq");
        assert_eq!(info.extra["python"], "3.11.7");
        assert_eq!(serde_json::to_string(&info).unwrap(), text);
        let pure = r#"{"lang":"rust","impl":"zmq.rs","impl_version":"0.7.0","engine":"zmq.rs","engine_version":"0.7.0","libzmq":null,"transports":["tcp"],"roles":["pub"],"workarounds":["x"]}"#;
        let info: Info = serde_json::from_str(pure).unwrap();
        assert_eq!((info.libzmq, info.workarounds.len()), (None, 1));
    }
}
