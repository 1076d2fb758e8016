//! A peer's failure: the exit code it ends with and the one-line reason it prints.

/// Ends a peer: `error: {reason}` on stderr, then `exit(code)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct PeerError {
    /// The contract's exit code.
    pub code: crate::ExitCode,
    /// One line a person understands.
    pub reason: String,
}

impl PeerError {
    /// A failure with this code and reason.
    pub fn new(code: crate::ExitCode, reason: impl Into<String>) -> Self {
        Self { code, reason: reason.into() }
    }

    /// Exit 2.
    pub fn usage(reason: impl Into<String>) -> Self {
        Self::new(crate::ExitCode::Usage, reason)
    }

    /// Exit 3.
    pub fn timeout(reason: impl Into<String>) -> Self {
        Self::new(crate::ExitCode::Timeout, reason)
    }

    /// Exit 4.
    pub fn unsupported(reason: impl Into<String>) -> Self {
        Self::new(crate::ExitCode::Unsupported, reason)
    }

    /// Exit 5.
    pub fn malformed(reason: impl Into<String>) -> Self {
        Self::new(crate::ExitCode::Malformed, reason)
    }

    /// Exit 5 for a multipart message where the contract expects one frame
    /// ("Unexpected messages" in the contract).
    pub fn multipart(frames: usize) -> Self {
        Self::malformed(format!("malformed message: {frames} frames, expected 1"))
    }

    /// Exit 1.
    pub fn mismatch(reason: impl Into<String>) -> Self {
        Self::new(crate::ExitCode::Mismatch, reason)
    }

    /// Exit 6: `call` failed with `error`.
    pub fn call(call: &str, error: impl std::fmt::Display) -> Self {
        Self::new(crate::ExitCode::Error, format!("{call} failed: {error}"))
    }

    /// Prints the `error:` line and turns the failure into the process's exit code.
    #[must_use]
    pub fn report(&self) -> std::process::ExitCode {
        eprintln!("error: {}", self.reason);
        self.code.into()
    }
}
