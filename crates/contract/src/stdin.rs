//! The contract's stdin rules ("Stdin" in `docs/peer-contract.md`): `--exit-with-stdin`
//! watches stdin and ends the peer when it closes; `--pause-after` reads one line at the pause.

use crate::{ExitCode, PeerError};
use std::io::{BufRead, Read};

/// The line a peer prints when stdin closes under `--exit-with-stdin`.
pub const CLOSED: &str = "stdin closed: the harness is gone";

/// Starts a thread that reads stdin to its end, then ends the process with exit 6: a harness
/// that was killed closes the pipe, and its peers go with it, on every platform.
pub fn exit_when_closed() {
    std::thread::spawn(|| {
        let mut sink = [0u8; 256];
        let mut stdin = std::io::stdin().lock();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        eprintln!("error: {CLOSED}");
        std::process::exit(i32::from(ExitCode::Error.code()));
    });
}

/// Waits for one line on stdin (`--pause-after`).
///
/// # Errors
/// Exit 6 when stdin ends first: the harness is gone.
pub fn wait_for_line() -> Result<(), PeerError> {
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(n) if n > 0 => Ok(()),
        Ok(_) => Err(PeerError::new(ExitCode::Error, CLOSED)),
        Err(e) => Err(PeerError::call("reading stdin", e)),
    }
}
