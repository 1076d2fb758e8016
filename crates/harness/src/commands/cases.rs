//! `interop cases`: the case catalog — each case, its pattern, what passes, and the faults its
//! negative tests inject.

use clap::Args;
use harness::cases::{CASES, Flow};

#[derive(Debug, Args)]
pub(crate) struct CasesArgs {
    /// Print the names only, comma-separated (for `--case`).
    #[arg(long)]
    pub(crate) names: bool,
}

pub(crate) fn run(args: &CasesArgs) -> anyhow::Result<bool> {
    if args.names {
        println!("{}", CASES.iter().map(|c| c.name).collect::<Vec<_>>().join(","));
        return Ok(true);
    }
    for case in CASES {
        let (sender, receiver) = case.roles;
        let flow = match case.flow {
            Flow::Pair => String::new(),
            Flow::Restart { first, then_case } => {
                format!("; restarts the binder after {first}, then {then_case}")
            }
        };
        println!("{} ({}: {sender} -> {receiver}{flow})", case.name, case.pattern);
        println!("    {}", case.about);
        for fault in case.faults {
            println!("    fault {}: must fail with \"{}\"", fault.name, fault.reason);
        }
    }
    Ok(true)
}
