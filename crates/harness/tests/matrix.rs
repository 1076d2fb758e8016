//! `cargo test` front end of the interop matrix: every cell, and every negative case, is a
//! test of its own (`pubsub::ipc::c_to_python`), so `cargo test c_to_python` runs just those.
//!
//! The peers are built once per process, on first use (listing the tests builds nothing).
//! A cell that cannot run here is reported as ignored with its reason; with
//! `INTEROP_REQUIRE_ALL=1` a missing toolchain fails instead.

mod matrix {
    pub(crate) mod cells;
    pub(crate) mod contract_checks;
    pub(crate) mod hostile;
    pub(crate) mod hosts;
    pub(crate) mod negative;
    pub(crate) mod releases;
    pub(crate) mod support;
    pub(crate) mod windows;
}

fn main() {
    let mut args = libtest_mimic::Arguments::from_args();
    // Cells mostly wait on sockets and timeouts: run as many at once as `interop matrix` does,
    // unless told otherwise.
    if args.test_threads.is_none() && std::env::var_os("RUST_TEST_THREADS").is_none() {
        args.test_threads = Some(harness::matrix::default_jobs());
    }
    let mut trials = matrix::cells::trials();
    trials.extend(matrix::negative::trials());
    trials.extend(matrix::contract_checks::trials());
    trials.extend(matrix::hostile::trials());
    trials.extend(matrix::releases::trials());
    trials.extend(matrix::hosts::trials());
    trials.extend(matrix::windows::trials());
    trials.push(matrix::support::peer_list_trial());
    trials.push(matrix::contract_checks::html_grid_trial());
    let conclusion = libtest_mimic::run(&args, trials);
    // The wineserver the `c-windows` trials ran on, if any ran: nothing outlives the tests.
    harness::bootstrap::wine::stop();
    conclusion.exit();
}
