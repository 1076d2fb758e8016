//! What the commands share: choosing cells, building the peers, reading reports.

pub(crate) mod bench;
pub(crate) mod cell;
pub(crate) mod matrix;
pub(crate) mod peers;
pub(crate) mod versions;

use anyhow::Context;
use clap::Args;
use contract::{Case, Transport};
use harness::bootstrap::{self, PeerSet};
use harness::cell::Pattern;
use harness::matrix::Selection;
use harness::registry;
use harness::workspace::Workspace;
use std::path::{Path, PathBuf};

/// Which cells: the matrix's and the versions report's selection flags.
#[derive(Debug, Args)]
pub(crate) struct SelectArgs {
    /// Patterns to run (repeat or comma-separate); all by default.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub(crate) pattern: Vec<Pattern>,
    /// Transports to run; all by default.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub(crate) transport: Vec<Transport>,
    /// Peers to pair with each other (every ordered pair, each with itself too); by default
    /// INTEROP_PEERS, else the registry's default peers.
    #[arg(long, value_delimiter = ',')]
    pub(crate) peers: Vec<String>,
    /// REQ/REP cases; all by default.
    #[arg(long = "case", value_enum, value_delimiter = ',')]
    pub(crate) cases: Vec<Case>,
}

impl SelectArgs {
    pub(crate) fn selection(&self) -> Selection {
        Selection {
            patterns: or_all(&self.pattern, &Pattern::ALL),
            transports: or_all(&self.transport, &Transport::ALL),
            peers: or_all(&self.peers, &harness::settings::default_peers()),
            cases: or_all(&self.cases, &Case::ALL),
        }
    }
}

pub(crate) fn check_peer_ids(ids: &[String]) -> anyhow::Result<()> {
    registry::check_ids(ids).map_err(anyhow::Error::msg)
}

pub(crate) fn bootstrap_peers(ids: &[String]) -> anyhow::Result<PeerSet> {
    check_peer_ids(ids)?;
    let workspace = Workspace::locate()?;
    bootstrap::bootstrap(&workspace, ids, &|step| eprintln!("interop: {step}"))
}

/// The given values, or all of them when none were given.
pub(crate) fn or_all<T: Clone>(given: &[T], all: &[T]) -> Vec<T> {
    if given.is_empty() { all.to_vec() } else { given.to_vec() }
}

/// The report files a command can write.
#[derive(Debug, Args)]
pub(crate) struct ReportFiles {
    /// Write the JSON report here.
    #[arg(long, value_name = "FILE")]
    pub(crate) json: Option<PathBuf>,
    /// Write the Markdown report here.
    #[arg(long, value_name = "FILE")]
    pub(crate) markdown: Option<PathBuf>,
}

impl ReportFiles {
    /// Writes the files that were asked for.
    pub(crate) fn write(&self, json: &impl serde::Serialize, markdown: &str) -> anyhow::Result<()> {
        if let Some(path) = &self.json {
            write_file(path, &(serde_json::to_string_pretty(json)? + "\n"))?;
        }
        if let Some(path) = &self.markdown {
            write_file(path, markdown)?;
        }
        Ok(())
    }
}

/// Writes `text` to `path`, naming the file in any error.
pub(crate) fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// A JSON file given on the command line (a baseline), parsed.
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    what: &str,
) -> anyhow::Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not {what}", path.display()))
}
