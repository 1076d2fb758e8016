//! The wire codec shared by every Rust peer and the harness.
//!
//! Two formats travel between the peers (see `docs/peer-contract.md`):
//!
//! - the **fancyhw envelope** of the PUB/SUB story: `topic ++ b" " ++ int16 samples (LE)`,
//!   in [`fancyhw`];
//! - the **float64 array** of the REQ/REP story: `len * 8` bytes of little-endian IEEE-754,
//!   in [`array`].
//!
//! Decoding borrows from the received bytes: nothing is copied until a caller asks for it.
//!
//! Architecture invariant: this crate does no IO and knows nothing of zmq; it turns bytes into
//! values and back, and names exactly what is wrong with bytes it refuses.

pub mod array;
pub mod fancyhw;

pub use array::{ArrayVerdict, ExpectedArray, encode_f64};
pub use fancyhw::{
    Envelope, EnvelopeError, Expect, Samples, TopicError, decode, encode, validate_topic,
};
