//! The harness's knobs from the environment: timeout scaling and the CI strictness switch.

use std::time::Duration;

/// `INTEROP_REQUIRE_ALL=1`: a peer missing for want of a toolchain fails instead of skipping,
/// so a green CI run cannot hide an untested language.
#[must_use]
pub fn require_all() -> bool {
    std::env::var("INTEROP_REQUIRE_ALL").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// `INTEROP_TIMEOUT_SCALE` (a positive number, default 1): one multiplier for every timeout,
/// for slow or loaded machines.
#[must_use]
pub fn timeout_scale() -> f64 {
    std::env::var("INTEROP_TIMEOUT_SCALE")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v > 0.0)
        .unwrap_or(1.0)
}

/// `base` scaled by [`timeout_scale`].
#[must_use]
pub fn scaled(base: Duration) -> Duration {
    base.mul_f64(timeout_scale())
}

/// How long a peer waits for its partner before exiting 3 (`--timeout-ms`).
#[must_use]
pub fn peer_timeout() -> Duration {
    scaled(Duration::from_secs(10))
}

/// How long the harness lets a peer process live: longer than [`peer_timeout`], so that a
/// peer's own timeout, with its clear message, fires first.
#[must_use]
pub fn process_timeout() -> Duration {
    scaled(Duration::from_secs(25))
}

/// How long a build step (cargo, a compiler, pip) may take.
#[must_use]
pub fn build_timeout() -> Duration {
    scaled(Duration::from_secs(900))
}
