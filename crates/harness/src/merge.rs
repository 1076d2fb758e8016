//! Merging shards: the JSON reports of one plan's `--partition` runs (CI jobs, say) back into
//! one report of the whole selection. Shards of different plans are refused; a cell no shard
//! reported fails as missing; the known issues are applied afresh, each shard's cells with its
//! own machine's platform and pyzmq, so the merged verdict is what one run would have given.
//! The order shards come in does not matter.

use crate::cell::{Outcome, Pattern, Status};
use crate::known_issues::KnownIssues;
use crate::matrix::Selection;
use crate::report::model::{MatrixJson, RunPlan};
use crate::transport::Transport;
use std::collections::BTreeMap;

/// What a merge gives: the plan (without its partition) and one outcome per cell of it.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The shards' common plan, as a whole run.
    pub plan: RunPlan,
    /// Every cell of the plan, in matrix order.
    pub outcomes: Vec<Outcome>,
    /// The peers' records, the first shard to describe each.
    pub peers: serde_json::Value,
    /// The cells no shard reported.
    pub missing: usize,
}

/// Merges `shards` (each with the name it is reported by, a file's path).
///
/// # Errors
/// One line: no shard, shards of different plans, or a cell reported by two shards.
pub fn merge(shards: &[(String, MatrixJson)], known: &KnownIssues) -> Result<Merged, String> {
    let (first_name, first) = shards.first().ok_or("no shard to merge")?;
    for (name, shard) in &shards[1..] {
        if shard.plan.digest != first.plan.digest {
            let difference = first.plan.difference(&shard.plan).unwrap_or_else(|| {
                format!("digest {} vs {}", first.plan.digest, shard.plan.digest)
            });
            return Err(format!("{name} is of another plan than {first_name}: {difference}"));
        }
    }
    let selection = selection_of(&first.plan)?;
    let mut found: BTreeMap<String, (usize, &Outcome)> = BTreeMap::new();
    for (at, (name, shard)) in shards.iter().enumerate() {
        for outcome in &shard.cells {
            if let Some((other, _)) = found.insert(outcome.cell.name(), (at, outcome)) {
                return Err(format!(
                    "cell {} is in {} and in {name}: shards must not overlap",
                    outcome.cell.name(),
                    shards[other].0
                ));
            }
        }
    }
    let partitions: Vec<&str> =
        shards.iter().filter_map(|(_, s)| s.plan.partition.as_deref()).collect();
    let mut missing = 0;
    let outcomes = selection
        .cells()
        .iter()
        .map(|cell| match found.get(&cell.name()) {
            Some((at, outcome)) => {
                let shard = &shards[*at].1;
                let mut outcome = (*outcome).clone();
                let platform = shard.machine["os"].as_str().unwrap_or(std::env::consts::OS);
                let pyzmq = python_of(&outcome, &shard.peers);
                known.apply_as(&mut outcome, platform, pyzmq.as_deref());
                outcome
            }
            None => {
                missing += 1;
                let why = format!(
                    "missing: no shard reported this cell (shards given: {})",
                    if partitions.is_empty() {
                        "unpartitioned".to_owned()
                    } else {
                        partitions.join(", ")
                    }
                );
                Outcome::early(cell, Status::Fail, why)
            }
        })
        .collect();
    let mut peers = serde_json::Map::new();
    for (_, shard) in shards {
        for (id, record) in shard.peers.as_object().into_iter().flatten() {
            peers.entry(id.clone()).or_insert_with(|| record.clone());
        }
    }
    let mut plan = first.plan.clone();
    plan.partition = None;
    Ok(Merged { plan, outcomes, peers: peers.into(), missing })
}

/// The selection a plan ran (without its partition).
fn selection_of(plan: &RunPlan) -> Result<Selection, String> {
    let patterns = plan
        .patterns
        .iter()
        .map(|p| match p.as_str() {
            "pubsub" => Ok(Pattern::Pubsub),
            "reqrep" => Ok(Pattern::Reqrep),
            "thr" => Ok(Pattern::Thr),
            "lat" => Ok(Pattern::Lat),
            other => Err(format!("the plan names an unknown pattern {other:?}")),
        })
        .collect::<Result<_, _>>()?;
    let transports = plan
        .transports
        .iter()
        .map(|t| Transport::from_name(t).map_err(|why| format!("the plan names an {why}")))
        .collect::<Result<_, _>>()?;
    Ok(Selection {
        patterns,
        transports,
        peers: plan.peers.clone(),
        cases: plan.cases.clone(),
        partition: None,
    })
}

/// The pyzmq release of the cell's Python peer, from a report's peer records.
fn python_of(outcome: &Outcome, peers: &serde_json::Value) -> Option<String> {
    [&outcome.cell.sender, &outcome.cell.receiver].into_iter().find_map(|id| {
        let info = &peers[id.as_str()]["info"];
        (info["lang"] == "python").then(|| info["impl_version"].as_str().map(str::to_owned))?
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cell::Cell;
    use crate::matrix::Partition;
    use crate::report::model::{FORMAT_VERSION, ReportKind};

    fn selection(partition: Option<Partition>) -> Selection {
        Selection {
            patterns: vec![Pattern::Reqrep],
            transports: Transport::LOCAL.to_vec(),
            peers: vec!["c".into(), "rust".into()],
            cases: vec!["hello".into(), "array".into()],
            partition,
        }
    }

    /// A shard's report, every cell passing but `failing`.
    fn shard(partition: Option<Partition>, failing: &str) -> MatrixJson {
        let selection = selection(partition);
        let cells = selection
            .cells()
            .iter()
            .map(|cell: &Cell| {
                let status = if cell.name() == failing { Status::Fail } else { Status::Pass };
                Outcome::early(cell, status, if status == Status::Fail { "broke" } else { "" })
            })
            .collect();
        MatrixJson {
            kind: ReportKind::Matrix,
            format_version: FORMAT_VERSION,
            plan: RunPlan::of(&selection, &[]),
            cells,
            summary: crate::report::Summary::default(),
            peers: serde_json::json!({}),
            machine: serde_json::json!({"os": "linux"}),
        }
    }

    fn shards(of: u32, skip: Option<u32>) -> Vec<(String, MatrixJson)> {
        (1..=of)
            .filter(|k| Some(*k) != skip)
            .map(|k| {
                let part = Partition { by_hash: true, shard: k, of };
                (format!("shard{k}.json"), shard(Some(part), "reqrep::ipc::hello::c_to_rust"))
            })
            .collect()
    }

    fn statuses(merged: &Merged) -> Vec<(String, Status)> {
        merged.outcomes.iter().map(|o| (o.cell.name(), o.status)).collect()
    }

    #[test]
    fn three_shards_merge_into_the_unsharded_run_in_any_order() {
        let known = KnownIssues::default();
        let whole = shard(None, "reqrep::ipc::hello::c_to_rust");
        let unsharded = merge(&[("all.json".into(), whole)], &known).unwrap();
        let mut parts = shards(3, None);
        let merged = merge(&parts, &known).unwrap();
        assert_eq!(statuses(&merged), statuses(&unsharded));
        assert_eq!((merged.missing, merged.plan.partition), (0, None));
        parts.reverse();
        assert_eq!(statuses(&merge(&parts, &known).unwrap()), statuses(&unsharded));
    }

    #[test]
    fn a_missing_shard_is_reported_cell_by_cell_and_fails() {
        let merged = merge(&shards(3, Some(2)), &KnownIssues::default()).unwrap();
        assert!(merged.missing > 0);
        let missing = merged.outcomes.iter().filter(|o| o.reason.starts_with("missing: ")).count();
        assert_eq!(missing, merged.missing);
        assert!(merged.outcomes.iter().all(|o| o.status != Status::Skip));
    }

    #[test]
    fn shards_of_different_plans_or_overlapping_are_refused_in_one_line() {
        let mut other = shards(2, None);
        other[1].1.plan = RunPlan::of(
            &Selection { peers: vec!["c".into(), "python".into()], ..selection(None) },
            &[],
        );
        let err = merge(&other, &KnownIssues::default()).unwrap_err();
        assert_eq!(
            err,
            r#"shard2.json is of another plan than shard1.json: peers "c,rust" vs "c,python""#
        );
        let twice = vec![("a.json".into(), shard(None, "")), ("b.json".into(), shard(None, ""))];
        assert!(
            merge(&twice, &KnownIssues::default()).unwrap_err().contains("shards must not overlap")
        );
    }

    #[test]
    fn known_issues_are_applied_after_merging() {
        let known = KnownIssues::parse(
            "[[issue]]\ncells = \"reqrep::ipc::hello::c_to_rust\"\nexpect = \"fail\"\nreason = \"r\"\nreference = \"u\"\n",
        )
        .unwrap();
        let merged = merge(&shards(2, None), &known).unwrap();
        let cell =
            merged.outcomes.iter().find(|o| o.cell.name() == "reqrep::ipc::hello::c_to_rust");
        assert_eq!(cell.map(|o| o.status), Some(Status::Xfail));
    }
}
