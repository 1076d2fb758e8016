//! What the commands share: choosing cells, building the peers, reading reports.

pub(crate) mod bench;
pub(crate) mod cases;
pub(crate) mod cell;
pub(crate) mod matrix;
pub(crate) mod peers;
pub(crate) mod report;
pub(crate) mod versions;

use anyhow::Context;
use clap::Args;
use harness::bootstrap::{self, PeerSet};
use harness::cell::Pattern;
use harness::matrix::Selection;
use harness::registry;
use harness::transport::Transport;
use harness::workspace::Workspace;
use std::path::PathBuf;

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
    /// Cases of the catalog (`interop cases` lists them); every case of the patterns by default.
    #[arg(long = "case", value_delimiter = ',', value_parser = parse_case)]
    pub(crate) cases: Vec<String>,
    /// Run one shard of the cells: count:K/N (every N-th cell) or hash:K/N (by cell name,
    /// stable as cells are added); `interop report merge` joins the shards' JSON reports.
    #[arg(long, value_name = "KIND:K/N", value_parser = harness::matrix::Partition::parse)]
    pub(crate) partition: Option<harness::matrix::Partition>,
}

impl SelectArgs {
    pub(crate) fn selection(&self) -> Selection {
        Selection {
            patterns: or_all(&self.pattern, &Pattern::ALL),
            transports: or_all(&self.transport, &Transport::LOCAL),
            peers: or_all(&self.peers, &harness::settings::default_peers()),
            cases: self.cases.clone(),
            partition: self.partition,
        }
    }
}

/// A case name of the catalog, else a usage error naming them all.
pub(crate) fn parse_case(name: &str) -> Result<String, String> {
    harness::cases::check_name(name).map(|()| name.to_owned())
}

pub(crate) fn check_peer_ids(ids: &[String]) -> anyhow::Result<()> {
    registry::check_ids(ids).map_err(anyhow::Error::msg)
}

pub(crate) fn bootstrap_peers(ids: &[String]) -> anyhow::Result<PeerSet> {
    check_peer_ids(ids)?;
    let swept = harness::endpoint::sweep_dead(&std::env::temp_dir());
    if swept > 0 {
        eprintln!("interop: removed {swept} temporary directories that killed runs left behind");
    }
    let hosts = harness::hosts::sweep_dead();
    if hosts > 0 {
        eprintln!("interop: removed {hosts} network hosts that killed runs left behind");
    }
    let workspace = Workspace::locate()?;
    let mut peers = bootstrap::bootstrap(&workspace, ids, &|step| eprintln!("interop: {step}"))?;
    // Every report names the ZMTP revision each peer greeted with: a few processes, at once.
    peers.measure_zmtp();
    Ok(peers)
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

/// The results grid a matrix-like command can write.
#[derive(Debug, Args)]
pub(crate) struct GridFile {
    /// Write the results grid here: one self-contained HTML page.
    #[arg(long, value_name = "FILE")]
    pub(crate) html: Option<PathBuf>,
}

impl ReportFiles {
    /// Creates every file asked for (with `html` and `junit`, if any) before any work starts,
    /// so a path that cannot be written fails the command at once, not after the whole run.
    pub(crate) fn open(
        &self,
        html: Option<&PathBuf>,
        junit: Option<&PathBuf>,
    ) -> anyhow::Result<OpenReports> {
        let open = |path: Option<&PathBuf>| -> anyhow::Result<Option<OpenFile>> {
            path.map(|path| {
                std::fs::File::create(path)
                    .map(|file| OpenFile { path: path.clone(), file })
                    .with_context(|| format!("cannot write {}", path.display()))
            })
            .transpose()
        };
        Ok(OpenReports {
            json: open(self.json.as_ref())?,
            markdown: open(self.markdown.as_ref())?,
            html: open(html)?,
            junit: open(junit)?,
        })
    }
}

/// A report file, created, waiting for its text.
#[derive(Debug)]
pub(crate) struct OpenFile {
    path: PathBuf,
    file: std::fs::File,
}

impl OpenFile {
    fn write(mut self, text: &str) -> anyhow::Result<()> {
        use std::io::Write;
        self.file
            .write_all(text.as_bytes())
            .and_then(|()| self.file.flush())
            .with_context(|| format!("cannot write {}", self.path.display()))
    }
}

/// The report files of a run, opened before it.
#[derive(Debug)]
pub(crate) struct OpenReports {
    pub(crate) json: Option<OpenFile>,
    pub(crate) markdown: Option<OpenFile>,
    pub(crate) html: Option<OpenFile>,
    pub(crate) junit: Option<OpenFile>,
}

impl OpenReports {
    /// Writes each file that was asked for; `html` and `junit` are made only when asked for.
    pub(crate) fn write(
        self,
        json: &impl serde::Serialize,
        markdown: &str,
        html: impl FnOnce() -> String,
        junit: impl FnOnce() -> anyhow::Result<String>,
    ) -> anyhow::Result<()> {
        if let Some(file) = self.json {
            file.write(&(serde_json::to_string_pretty(json)? + "\n"))?;
        }
        if let Some(file) = self.markdown {
            file.write(markdown)?;
        }
        if let Some(file) = self.html {
            file.write(&html())?;
        }
        if let Some(file) = self.junit {
            file.write(&junit()?)?;
        }
        Ok(())
    }
}
