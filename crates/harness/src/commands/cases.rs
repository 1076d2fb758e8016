//! `interop cases`: the case catalog — each case, its pattern, what passes, and the faults its
//! negative tests inject.

use clap::Args;
use harness::cases::{CASES, Flow, Needs, Outage};

#[derive(Debug, Args)]
pub(crate) struct CasesArgs {
    /// Print the names only, comma-separated (for `--case`).
    #[arg(long)]
    pub(crate) names: bool,
}

pub(crate) fn run(args: &CasesArgs) -> anyhow::Result<bool> {
    if args.names {
        let mut names: Vec<&str> = Vec::new();
        for case in CASES {
            if !names.contains(&case.name) {
                names.push(case.name);
            }
        }
        println!("{}", names.join(","));
        return Ok(true);
    }
    for case in CASES {
        let (sender, receiver) = case.roles;
        let flow = match case.flow {
            Flow::Pair => String::new(),
            Flow::Restart { first, then_case } => {
                format!("; restarts the binder after {first}, then {then_case}")
            }
            Flow::Outage { after, ms, what } => {
                let what = match what {
                    Outage::LinkDown => "takes the link between the hosts down",
                    Outage::TunnelDeath => "kills the SSH tunnel",
                };
                format!("; {what} for {ms} ms after {after}")
            }
        };
        let needs = match case.needs {
            Needs::Any => "",
            Needs::Hosts => "; transports hosts, hosts1g, ssh only",
            Needs::Tunnel => "; transport ssh only",
        };
        let flow = format!("{flow}{needs}");
        println!("{} ({}: {sender} -> {receiver}{flow})", case.name, case.pattern);
        println!("    {}", case.about);
        for fault in case.faults {
            println!("    fault {}: must fail with \"{}\"", fault.name, fault.reason);
        }
    }
    Ok(true)
}
