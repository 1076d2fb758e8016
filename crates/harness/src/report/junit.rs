//! The JUnit XML report: one test suite per pattern, one test case per cell.

use super::Report;
use crate::cell::{Pattern, Status};
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
use std::time::Duration;

/// The report as JUnit XML.
///
/// # Errors
/// quick-junit's serialisation error.
pub fn to_xml(report: &Report<'_>) -> anyhow::Result<String> {
    let mut junit = quick_junit::Report::new("zmq-interop");
    junit.set_time(report.duration);
    for pattern in Pattern::ALL {
        let outcomes: Vec<_> =
            report.outcomes.iter().filter(|o| o.cell.pattern == pattern).collect();
        if outcomes.is_empty() {
            continue;
        }
        let mut suite = TestSuite::new(pattern.name());
        for outcome in outcomes {
            let mut status = match outcome.status {
                Status::Pass => TestCaseStatus::success(),
                Status::Fail | Status::Xpass => {
                    TestCaseStatus::non_success(NonSuccessKind::Failure)
                }
                Status::Skip | Status::Unsupported | Status::Xfail => TestCaseStatus::skipped(),
            };
            if outcome.status != Status::Pass {
                status.set_message(outcome.reason.as_str());
            }
            if outcome.status == Status::Fail {
                status.set_description(super::table::failure_details(outcome));
            }
            let mut case = TestCase::new(outcome.cell.name(), status);
            case.set_classname(format!("zmq-interop.{}", pattern.name()));
            case.set_time(Duration::from_millis(
                u64::try_from(outcome.duration_ms).unwrap_or(u64::MAX),
            ));
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    // An interrupted run must not read as green: one failed case says so.
    if let Some(signal) = report.summary().interrupted {
        let not_run = report.outcomes.iter().filter(|o| o.status == Status::Skip).count();
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status.set_message(format!(
            "the run was interrupted by {signal}: {not_run} cells were cut short or not run"
        ));
        let mut suite = TestSuite::new("run");
        let mut case = TestCase::new("interrupted", status);
        case.set_classname("zmq-interop.run");
        suite.add_test_case(case);
        junit.add_test_suite(suite);
    }
    Ok(junit.to_string()?)
}
