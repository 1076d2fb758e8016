//! The exit-code table every peer shares, and what the harness makes of each code.

use std::fmt;

/// A peer's exit status, as the contract defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ExitCode {
    /// Done, data as expected.
    Ok = 0,
    /// Data mismatch: a replier saw a wrong array, a requester an unexpected reply.
    Mismatch = 1,
    /// Usage error.
    Usage = 2,
    /// Timed out waiting.
    Timeout = 3,
    /// Unsupported here (transport or feature missing from this binding): a skip, not a failure.
    Unsupported = 4,
    /// Malformed message received.
    Malformed = 5,
    /// A library or system call failed (a bind refused, say).
    Error = 6,
}

impl ExitCode {
    /// Every code, in table order.
    pub const ALL: [Self; 7] = [
        Self::Ok,
        Self::Mismatch,
        Self::Usage,
        Self::Timeout,
        Self::Unsupported,
        Self::Malformed,
        Self::Error,
    ];

    /// The code for a process exit status, if it is one of the contract's.
    #[must_use]
    pub fn from_status(code: i32) -> Option<Self> {
        Self::ALL.into_iter().find(|c| i32::from(*c as u8) == code)
    }

    /// The numeric status.
    #[must_use]
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The table's one-line meaning.
    #[must_use]
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Ok => "done, data as expected",
            Self::Mismatch => "data mismatch",
            Self::Usage => "usage error",
            Self::Timeout => "timed out",
            Self::Unsupported => "unsupported here",
            Self::Malformed => "malformed message received",
            Self::Error => "a library or system call failed",
        }
    }
}

impl fmt::Display for ExitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "exit {} ({})", self.code(), self.meaning())
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        Self::from(code.code())
    }
}

#[cfg(test)]
mod tests {
    use super::ExitCode;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_none() {
        for code in ExitCode::ALL {
            assert_eq!(ExitCode::from_status(i32::from(code.code())), Some(code));
        }
        assert_eq!(ExitCode::from_status(7), None);
        assert_eq!(ExitCode::from_status(-1), None);
        assert_eq!(ExitCode::Timeout.to_string(), "exit 3 (timed out)");
    }
}
