//! The command line every peer accepts: `<program> --info` or `<program> <role> [options]`.
//!
//! The options are the contract's table; a role ignores the options that do not apply to it.
//! Parsing and validation end in either an [`Invocation`] or a usage [`PeerError`] (exit 2,
//! one line), before any socket exists.

use crate::PeerError;
use crate::security::{self, Mechanism, Security};
use clap::{Parser, ValueEnum};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a peer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// PUB/SUB publisher.
    Pub,
    /// PUB/SUB subscriber.
    Sub,
    /// REQ/REP replier.
    Rep,
    /// REQ/REP requester.
    Req,
    /// Throughput sender (PUSH).
    ThrPush,
    /// Throughput receiver (PULL), which measures.
    ThrPull,
    /// Latency client (REQ), which measures.
    LatReq,
    /// Latency echo server (REP).
    LatRep,
}

impl Role {
    /// Every role.
    pub const ALL: [Self; 8] = [
        Self::Pub,
        Self::Sub,
        Self::Rep,
        Self::Req,
        Self::ThrPush,
        Self::ThrPull,
        Self::LatReq,
        Self::LatRep,
    ];

    /// The contract's name for the role.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Pub => "pub",
            Self::Sub => "sub",
            Self::Rep => "rep",
            Self::Req => "req",
            Self::ThrPush => "thr-push",
            Self::ThrPull => "thr-pull",
            Self::LatReq => "lat-req",
            Self::LatRep => "lat-rep",
        }
    }

    /// Whether the role binds unless told otherwise.
    #[must_use]
    pub fn binds_by_default(self) -> bool {
        matches!(self, Self::Pub | Self::Rep | Self::ThrPull | Self::LatRep)
    }

    /// Whether the role's last act is sending, so that closing must wait for it to leave
    /// (`ZMQ_LINGER` = the timeout); the others close with linger 0.
    #[must_use]
    pub fn sends_last(self) -> bool {
        matches!(self, Self::Pub | Self::Rep | Self::ThrPush | Self::LatRep)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A case: what the two sides of a pattern send and print (`docs/peer-contract.md`, "Cases").
/// These are the cases a peer can play; the harness's case registry says how each is judged.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    ValueEnum,
    Default,
    Serialize,
    Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Case {
    /// PUB/SUB: fancyhw envelopes (the default of pub and sub).
    Fancyhw,
    /// PUB/SUB: 100,000 envelopes back to back with the engines' default high-water marks.
    Burst,
    /// PUB/SUB and REQ/REP: three-frame messages with an empty middle frame.
    Multipart,
    /// PUB/SUB and REQ/REP: zero-length messages (and zero-sample envelopes).
    Empty,
    /// PUB/SUB: two subscriptions, one a prefix of another topic, and one unsubscribe half-way.
    Topics,
    /// PUB/SUB and REQ/REP: the binder is killed and restarted on the same endpoint.
    Reconnect,
    /// REQ/REP: a 1 MiB float64 array answered `SUCCESS` or `FAILURE` (the default of req, rep).
    #[default]
    Array,
    /// REQ/REP: `hello` answered `world`.
    Hello,
    /// REQ/REP: a 64 MiB array each way.
    Large,
    /// REQ/REP: ZMTP heartbeats across a silence longer than their timeout.
    Heartbeat,
}

impl Case {
    /// Every case a peer can play, in report order.
    pub const ALL: [Self; 10] = [
        Self::Fancyhw,
        Self::Burst,
        Self::Multipart,
        Self::Empty,
        Self::Topics,
        Self::Reconnect,
        Self::Array,
        Self::Hello,
        Self::Large,
        Self::Heartbeat,
    ];

    /// The contract's name for the case.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Fancyhw => "fancyhw",
            Self::Burst => "burst",
            Self::Multipart => "multipart",
            Self::Empty => "empty",
            Self::Topics => "topics",
            Self::Reconnect => "reconnect",
            Self::Array => "array",
            Self::Hello => "hello",
            Self::Large => "large",
            Self::Heartbeat => "heartbeat",
        }
    }

    /// The case a role plays without `--case`: `fancyhw` for pub and sub, `array` otherwise.
    #[must_use]
    pub fn default_for(role: Role) -> Self {
        match role {
            Role::Pub | Role::Sub => Self::Fancyhw,
            _ => Self::Array,
        }
    }

    /// Whether the case prints **frames** lines (and so takes multipart messages as data).
    #[must_use]
    pub fn prints_frames(self) -> bool {
        matches!(self, Self::Multipart | Self::Empty)
    }

    /// The case named `name`.
    ///
    /// # Errors
    /// Exit 4 for a name this peer does not implement: a case is an answer a peer may not
    /// have yet, not a usage error.
    pub fn from_name(name: &str) -> Result<Self, PeerError> {
        Self::ALL.into_iter().find(|case| case.name() == name).ok_or_else(|| unsupported(name))
    }

    /// Exit 4 for a case this role does not play.
    #[must_use]
    pub fn unsupported_here(self) -> PeerError {
        unsupported(self.name())
    }
}

fn unsupported(name: &str) -> PeerError {
    PeerError::unsupported(format!("case {name:?} is not implemented by this peer"))
}

/// The contract's integer ranges (`docs/peer-contract.md`, the `range` column), one place.
pub mod ranges {
    /// `--count`.
    pub const COUNT: std::ops::RangeInclusive<u64> = 1..=2_147_483_647;
    /// `--packet-size`.
    pub const PACKET_SIZE: std::ops::RangeInclusive<u32> = 1..=1_048_576;
    /// `--len`.
    pub const LEN: std::ops::RangeInclusive<u32> = 1..=33_554_432;
    /// `--interval-ms`.
    pub const INTERVAL_MS: std::ops::RangeInclusive<u64> = 0..=3_600_000;
    /// `--timeout-ms`.
    pub const TIMEOUT_MS: std::ops::RangeInclusive<u64> = 1..=3_600_000;
    /// `--size`.
    pub const SIZE: std::ops::RangeInclusive<u32> = 1..=268_435_456;
    /// `--hwm`.
    pub const HWM: std::ops::RangeInclusive<i32> = 0..=i32::MAX;
    /// `--pause-after`.
    pub const PAUSE_AFTER: std::ops::RangeInclusive<u64> = 1..=2_147_483_647;
    /// `--heartbeat-ivl-ms`.
    pub const HEARTBEAT_IVL_MS: std::ops::RangeInclusive<u32> = 1..=60_000;
    /// `--silence-ms`.
    pub const SILENCE_MS: std::ops::RangeInclusive<u64> = 0..=3_600_000;
    /// `--topic` and `--subscribe`, in bytes (the topic must also be non-empty).
    pub const TOPIC_BYTES: usize = 255;
}

/// The transports a cell can use.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ValueEnum, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// TCP on loopback.
    Tcp,
    /// Unix domain sockets (AF_UNIX, Windows included).
    Ipc,
}

impl Transport {
    /// Every transport, in report order.
    pub const ALL: [Self; 2] = [Self::Tcp, Self::Ipc];

    /// The endpoint scheme and the name `zmq_has` knows.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Tcp => "tcp",
            Self::Ipc => "ipc",
        }
    }

    /// The transport of an endpoint, from its scheme.
    ///
    /// # Errors
    /// A usage error for any other scheme.
    pub fn of_endpoint(endpoint: &str) -> Result<Self, PeerError> {
        if endpoint.starts_with("tcp://") {
            Ok(Self::Tcp)
        } else if endpoint.starts_with("ipc://") && endpoint.len() > "ipc://".len() {
            Ok(Self::Ipc)
        } else {
            Err(PeerError::usage(format!(
                "endpoint {endpoint:?} is neither tcp://HOST:PORT nor ipc://PATH"
            )))
        }
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The command line as clap sees it.
#[derive(Debug, Parser)]
#[command(
    about = "A zmq-interop peer (see docs/peer-contract.md)",
    disable_version_flag = true,
    args_override_self = true
)]
pub struct Cli {
    /// Print one JSON object describing this peer, then exit 0.
    #[arg(long)]
    pub info: bool,
    /// The role to play.
    #[arg(value_enum)]
    pub role: Option<Role>,
    #[command(flatten)]
    pub options: PeerOptions,
}

/// The contract's options.
#[derive(Debug, Clone, clap::Args)]
pub struct PeerOptions {
    /// `tcp://127.0.0.1:*` or `ipc://PATH`; the binder resolves a wildcard port.
    #[arg(long, value_name = "EP")]
    pub endpoint: Option<String>,
    /// Bind, whatever the role's default.
    #[arg(long, conflicts_with = "connect")]
    pub bind: bool,
    /// Connect, whatever the role's default.
    #[arg(long)]
    pub connect: bool,
    /// PUB/SUB topic: printable ASCII, non-empty, no space.
    #[arg(long, value_name = "T", default_value = "fancyhw_data")]
    pub topic: String,
    /// Subscription prefix (may be empty); defaults to the topic.
    #[arg(long, value_name = "P")]
    pub subscribe: Option<String>,
    /// fakehw seed.
    #[arg(long, value_name = "S", default_value_t = 12345, value_parser = in_range(0..=u32::MAX))]
    pub seed: u32,
    /// Messages (pub/sub) or requests (req/rep).
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = in_range(ranges::COUNT))]
    pub count: u64,
    /// int16 samples per envelope.
    #[arg(long, value_name = "K", default_value_t = 16, value_parser = in_range(ranges::PACKET_SIZE))]
    pub packet_size: u32,
    /// float64 values per array.
    #[arg(long, value_name = "L", default_value_t = 131_072, value_parser = in_range(ranges::LEN))]
    pub len: u32,
    /// The case (one the peer does not implement is exit 4, not a usage error); by default
    /// `fancyhw` for pub and sub, `array` for req and rep.
    #[arg(long = "case", value_name = "C")]
    pub case: Option<String>,
    /// Publisher: use XPUB and wait for a subscription before the first send.
    #[arg(long)]
    pub sync: bool,
    /// Publisher: pause between publications.
    #[arg(long, value_name = "M", default_value_t = 0, value_parser = in_range(ranges::INTERVAL_MS))]
    pub interval_ms: u64,
    /// Give up waiting after this long (exit 3).
    #[arg(long, value_name = "T", default_value_t = 10_000, value_parser = in_range(ranges::TIMEOUT_MS))]
    pub timeout_ms: u64,
    /// Publisher: print `{"event":"sent","seq":i}` after each publication.
    #[arg(long)]
    pub report_sent: bool,
    /// Publisher: publish these exact bytes (hex) instead of envelopes.
    #[arg(long, value_name = "HEX")]
    pub raw_hex: Option<String>,
    /// Requester: change value I of the array before sending.
    #[arg(long, value_name = "I")]
    pub corrupt_index: Option<u32>,
    /// Replier: answer every request with these exact bytes (hex).
    #[arg(long, value_name = "HEX")]
    pub raw_reply_hex: Option<String>,
    /// Benchmark roles: message size in bytes.
    #[arg(long, value_name = "S", default_value_t = 16, value_parser = in_range(ranges::SIZE))]
    pub size: u32,
    /// Throughput roles: the high-water mark (0: unlimited).
    #[arg(long, value_name = "H", default_value_t = 0, value_parser = in_range(ranges::HWM))]
    pub hwm: i32,
    /// Requester: after the K-th reply, print `{"event":"paused"}` and read a line from stdin.
    #[arg(long, value_name = "K", value_parser = in_range(ranges::PAUSE_AFTER))]
    pub pause_after: Option<u64>,
    /// Requester, case heartbeat: ZMQ_HEARTBEAT_IVL (the timeout is three times it).
    #[arg(long, value_name = "H", default_value_t = 100, value_parser = in_range(ranges::HEARTBEAT_IVL_MS))]
    pub heartbeat_ivl_ms: u32,
    /// Requester, case heartbeat: silence between two requests.
    #[arg(long, value_name = "S", default_value_t = 1500, value_parser = in_range(ranges::SILENCE_MS))]
    pub silence_ms: u64,
    /// Exit 6 within a second of stdin reaching end-of-file (the harness is gone).
    #[arg(long, conflicts_with = "pause_after")]
    pub exit_with_stdin: bool,
    /// The security mechanism; the binder is the server, the connector the client.
    #[arg(long, value_enum, value_name = "MECH", default_value_t = Mechanism::Null)]
    pub security: Mechanism,
    /// PLAIN client: the user name.
    #[arg(long, value_name = "U")]
    pub plain_user: Option<String>,
    /// PLAIN client: a file whose one line is the password.
    #[arg(long, value_name = "PATH")]
    pub plain_password_file: Option<std::path::PathBuf>,
    /// CURVE: a file of two lines, this side's public key then its secret key (Z85).
    #[arg(long, value_name = "PATH")]
    pub curve_keys_file: Option<std::path::PathBuf>,
    /// CURVE client: the server's public key (Z85, 40 characters).
    #[arg(long, value_name = "Z85")]
    pub curve_server_key: Option<String>,
    /// Server: the ZAP allow list, one line per client (`USER PASSWORD` for PLAIN, a Z85
    /// public key for CURVE).
    #[arg(long, value_name = "PATH")]
    pub zap_allow_file: Option<std::path::PathBuf>,
}

/// A parser for a decimal integer inside `range`, worded the same for every option (the
/// harness's own flags for the same quantities use it too).
pub fn in_range<T>(
    range: std::ops::RangeInclusive<T>,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: std::str::FromStr + PartialOrd + fmt::Display + Copy + Send + Sync + 'static,
{
    move |text: &str| {
        let value: T = parse_integer(text).and_then(|v| v.parse().ok()).ok_or_else(|| {
            format!("{text:?} is not an integer in {}..={}", range.start(), range.end())
        })?;
        if range.contains(&value) {
            Ok(value)
        } else {
            Err(format!("{value} is out of range {}..={}", range.start(), range.end()))
        }
    }
}

/// The contract's integers: optional sign, then ASCII digits only (no spaces, no `_`). `-0`
/// (any run of zeros after `-`) is 0, as in C and Python, where Rust's unsigned parsers would
/// refuse the sign.
fn parse_integer(text: &str) -> Option<&str> {
    let unsigned = text.strip_prefix('+').unwrap_or(text);
    let digits = unsigned.strip_prefix('-').unwrap_or(unsigned);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(if digits.bytes().all(|b| b == b'0') { digits } else { unsigned })
}

/// What the command line asks for.
#[derive(Debug, Clone)]
pub enum Invocation {
    /// `--info`.
    Info,
    /// A role with its validated options.
    Run(Box<Run>),
}

/// A role to play, validated.
#[derive(Debug, Clone)]
pub struct Run {
    /// The role.
    pub role: Role,
    /// The endpoint, present.
    pub endpoint: String,
    /// Its transport.
    pub transport: Transport,
    /// Whether this side binds.
    pub bind: bool,
    /// Decoded `--raw-hex`.
    pub raw_message: Option<Vec<u8>>,
    /// Decoded `--raw-reply-hex`.
    pub raw_reply: Option<Vec<u8>>,
    /// The security options with their files read.
    pub security: Security,
    /// Everything else, as given.
    pub options: PeerOptions,
}

impl Run {
    /// The case this run plays: `--case`, else the role's default.
    ///
    /// # Errors
    /// Exit 4 when this peer does not implement the case named.
    pub fn case(&self) -> Result<Case, PeerError> {
        self.options.case.as_deref().map_or(Ok(Case::default_for(self.role)), Case::from_name)
    }

    /// The subscription prefix: `--subscribe`, else the topic.
    #[must_use]
    pub fn subscription(&self) -> &str {
        self.options.subscribe.as_deref().unwrap_or(&self.options.topic)
    }
}

/// What parsing ends in when it does not end in an [`Invocation`].
#[derive(Debug)]
pub enum Stop {
    /// `--help`: print this on stdout and exit 0.
    Help(String),
    /// A usage error (exit 2).
    Usage(PeerError),
}

/// Parses and validates a peer's command line. `roles` are the roles this program plays.
///
/// # Errors
/// [`Stop::Help`] for `--help`, [`Stop::Usage`] for anything the contract refuses.
pub fn parse<I, T>(args: I, roles: &[Role]) -> Result<Invocation, Stop>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = Cli::try_parse_from(args).map_err(|err| match err.kind() {
        clap::error::ErrorKind::DisplayHelp => Stop::Help(err.to_string()),
        _ => Stop::Usage(PeerError::usage(first_line_of(&err.to_string()))),
    })?;
    validate(cli, roles).map_err(Stop::Usage)
}

/// clap's first line, without its own `error: ` prefix (the peer adds it back).
fn first_line_of(rendered: &str) -> String {
    let line = rendered.lines().find(|l| !l.trim().is_empty()).unwrap_or("invalid arguments");
    line.strip_prefix("error: ").unwrap_or(line).to_owned()
}

fn validate(cli: Cli, roles: &[Role]) -> Result<Invocation, PeerError> {
    if cli.info {
        return Ok(Invocation::Info);
    }
    let names: Vec<&str> = roles.iter().map(|r| r.name()).collect();
    let role = cli.role.ok_or_else(|| {
        PeerError::usage(format!("a role is required ({}), or --info", names.join(", ")))
    })?;
    if !roles.contains(&role) {
        return Err(PeerError::usage(format!(
            "role {role} is not played by this program (it plays {})",
            names.join(", ")
        )));
    }
    let options = cli.options;
    let endpoint =
        options.endpoint.clone().ok_or_else(|| PeerError::usage("--endpoint is required"))?;
    let transport = Transport::of_endpoint(&endpoint)?;
    envelope::validate_topic(&options.topic)
        .map_err(|e| PeerError::usage(format!("--topic: {e}")))?;
    for (name, value) in
        [("--topic", Some(&options.topic)), ("--subscribe", options.subscribe.as_ref())]
    {
        if let Some(value) = value
            && value.len() > ranges::TOPIC_BYTES
        {
            return Err(PeerError::usage(format!(
                "{name}: {} bytes is longer than {}",
                value.len(),
                ranges::TOPIC_BYTES
            )));
        }
    }
    if let Some(index) = options.corrupt_index
        && index >= options.len
    {
        return Err(PeerError::usage(format!(
            "--corrupt-index {index} is past the end of an array of {} values",
            options.len
        )));
    }
    let hex_option = |name: &str, value: Option<&str>| {
        value
            .map(|text| {
                crate::hex::decode(text).map_err(|e| PeerError::usage(format!("{name}: {e}")))
            })
            .transpose()
    };
    let raw_message = hex_option("--raw-hex", options.raw_hex.as_deref())?;
    let raw_reply = hex_option("--raw-reply-hex", options.raw_reply_hex.as_deref())?;
    let bind = if options.bind {
        true
    } else if options.connect {
        false
    } else {
        role.binds_by_default()
    };
    let security = security::read(
        &security::SecurityOptions {
            mechanism: options.security,
            plain_user: options.plain_user.as_deref(),
            plain_password_file: options.plain_password_file.as_deref(),
            curve_keys_file: options.curve_keys_file.as_deref(),
            curve_server_key: options.curve_server_key.as_deref(),
            zap_allow_file: options.zap_allow_file.as_deref(),
        },
        bind,
    )?;
    Ok(Invocation::Run(Box::new(Run {
        role,
        endpoint,
        transport,
        bind,
        raw_message,
        raw_reply,
        security,
        options,
    })))
}

#[cfg(test)]
#[path = "options_tests.rs"]
mod tests;
