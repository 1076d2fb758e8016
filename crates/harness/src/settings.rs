//! The harness's knobs from the environment: timeout scaling, the CI strictness switch and the
//! default peers.

use std::time::Duration;

/// `INTEROP_REQUIRE_ALL=1`: a peer missing for want of a toolchain fails instead of skipping,
/// so a green CI run cannot hide an untested language.
#[must_use]
pub fn require_all() -> bool {
    std::env::var("INTEROP_REQUIRE_ALL").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// The largest `INTEROP_TIMEOUT_SCALE`: a hundred times every timeout is already hours.
pub const MAX_TIMEOUT_SCALE: f64 = 100.0;

/// Checks the environment's settings before any work starts.
///
/// # Errors
/// One line naming the variable, its value and what it must be.
pub fn check() -> Result<(), String> {
    if let Some(value) = std::env::var_os("INTEROP_TIMEOUT_SCALE") {
        let text = value.to_string_lossy();
        parse_scale(&text).ok_or_else(|| {
            format!(
                "INTEROP_TIMEOUT_SCALE={text:?} is not a number in (0, {MAX_TIMEOUT_SCALE}] (a multiplier for every timeout, 1 by default)"
            )
        })?;
    }
    Ok(())
}

/// A scale in (0, 100].
fn parse_scale(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|v| v.is_finite() && *v > 0.0 && *v <= MAX_TIMEOUT_SCALE)
}

/// `INTEROP_TIMEOUT_SCALE` (a number in (0, 100], default 1): one multiplier for every
/// timeout, for slow or loaded machines. [`check`] refuses a bad value before any work; here a
/// bad one counts as 1.
#[must_use]
pub fn timeout_scale() -> f64 {
    std::env::var("INTEROP_TIMEOUT_SCALE").ok().and_then(|v| parse_scale(&v)).unwrap_or(1.0)
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

/// The peers a selection uses when `--peers` is not given: `INTEROP_PEERS` (comma-separated
/// ids), else the registry's default ones. For a machine that cannot have every default peer:
/// a CI job on macOS or Windows gets JeroMQ from `INTEROP_JEROMQ_JAR` (peer `java`), not from
/// Debian's archive (`java-0.6`, `java-0.3`). The ids are checked where they are used.
#[must_use]
pub fn default_peers() -> Vec<String> {
    match std::env::var("INTEROP_PEERS") {
        Ok(list) if !list.trim().is_empty() => {
            list.split(',').map(str::trim).filter(|id| !id.is_empty()).map(str::to_owned).collect()
        }
        _ => crate::registry::default_ids(crate::registry::Selected::ByDefault),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_scale_is_a_finite_number_above_0_and_at_most_100() {
        for good in ["1", "0.5", "3", " 2 ", "100", "1e1"] {
            assert!(super::parse_scale(good).is_some(), "{good:?}");
        }
        for bad in ["0", "-1", "abc", "NaN", "inf", "1e308", "100.5", ""] {
            assert!(super::parse_scale(bad).is_none(), "{bad:?}");
        }
    }
}
