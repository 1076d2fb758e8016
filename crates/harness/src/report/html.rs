//! The results grid: one self-contained HTML page (no scripts, no fetches) with, per case and
//! transport, a grid of senders (rows) by receivers (columns), each cell coloured by outcome,
//! its reason and reproduce commands on hover and, a click away, in full; then a summary row
//! per peer. A person reads a run at a glance; a browser test reads the same page.
//!
//! Every grid cell carries `data-cell` (the cell's name) and `data-status`, so a test can check
//! that the page shows every cell of the run with its outcome.

use crate::cell::{Outcome, Pattern, Status};
use std::collections::BTreeMap;
use std::fmt::Write;

/// One group of outcomes on the page: the whole run, or one release of `interop versions`.
#[derive(Debug, Clone, Copy)]
pub struct Section<'a> {
    /// Its heading (empty for a single section).
    pub title: &'a str,
    /// Its outcomes, in matrix order.
    pub outcomes: &'a [Outcome],
}

/// The page.
#[must_use]
pub fn to_html(title: &str, subtitle: &str, sections: &[Section<'_>]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n{}",
        escape(title),
        escape(title),
        escape(subtitle),
        legend()
    );
    let mut details = String::new();
    let mut index = 0;
    for section in sections {
        if !section.title.is_empty() {
            let _ = writeln!(out, "<h2 class=\"section\">{}</h2>", escape(section.title));
        }
        out.push_str(&counts(section.outcomes));
        grids(&mut out, &mut details, &mut index, section.outcomes);
        out.push_str(&per_peer(section.outcomes));
    }
    let _ = write!(out, "<h2>Cells not passed, in full</h2>\n{details}</body>\n</html>\n");
    out
}

const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24}\
h1{margin:0 0 4px}h2{margin:28px 0 8px;font-size:18px}h3{margin:18px 0 6px;font-size:15px}\
.sub{color:#57606a;margin:0 0 12px}.grids{display:flex;flex-wrap:wrap;gap:18px}\
.grid{border-collapse:collapse}.grid th{font-weight:600;font-size:12px;padding:2px 6px;\
white-space:nowrap}.grid th.row{text-align:right}.grid td{padding:0}\
.grid a{display:block;width:30px;height:24px;line-height:24px;text-align:center;\
text-decoration:none;color:#fff;font-weight:700;border:1px solid #fff}\
.pass{background:#2da44e}.fail{background:#cf222e}.xfail{background:#bf8700}\
.xpass{background:#8250df}\
.skip{background:#8c959f}.unsupported{background:#d0d7de;color:#57606a!important}\
.legend span,.count span{display:inline-block;padding:1px 8px;margin-right:6px;border-radius:3px;\
color:#fff}.legend .unsupported,.count .unsupported{color:#57606a}\
table.peers{border-collapse:collapse;margin-top:10px}table.peers td,table.peers th{border:1px \
solid #d0d7de;padding:2px 8px;text-align:right}table.peers td:first-child{text-align:left}\
.detail{border-left:4px solid #d0d7de;padding:4px 12px;margin:10px 0}.detail:target{\
border-color:#0969da;background:#ddf4ff}.detail pre{white-space:pre-wrap;margin:4px 0;\
font-size:12px}.case{color:#57606a;font-size:12px;max-width:420px}";

/// Every outcome, in the order the page counts them.
const STATUSES: [Status; 6] =
    [Status::Pass, Status::Fail, Status::Xfail, Status::Xpass, Status::Unsupported, Status::Skip];

fn legend() -> String {
    let mut out = String::from("<p class=\"legend\">");
    for (status, text) in [
        (Status::Pass, "✓ pass"),
        (Status::Fail, "✗ fail"),
        (Status::Xfail, "! known issue (xfail)"),
        (Status::Xpass, "+ listed but passed (xpass)"),
        (Status::Unsupported, "– unsupported by a peer"),
        (Status::Skip, "? skipped here"),
    ] {
        let _ = write!(out, "<span class=\"{}\">{text}</span>", status.name());
    }
    out.push_str(
        " Rows send (publisher, requester); columns receive. Hover a cell for its reason, \
                  click it for the commands that reproduce it.</p>\n",
    );
    out
}

fn mark(status: Status) -> &'static str {
    match status {
        Status::Pass => "✓",
        Status::Fail => "✗",
        Status::Xfail => "!",
        Status::Xpass => "+",
        Status::Unsupported => "–",
        Status::Skip => "?",
    }
}

fn counts(outcomes: &[Outcome]) -> String {
    let mut out = format!("<p class=\"count\">{} cells: ", outcomes.len());
    for status in STATUSES {
        let n = outcomes.iter().filter(|o| o.status == status).count();
        let _ = write!(out, "<span class=\"{}\">{n} {}</span>", status.name(), status.name());
    }
    out.push_str("</p>\n");
    out
}

/// A grid's pattern and case.
type GridKey = (Pattern, Option<String>);

/// One grid per pattern, case and transport, in run order.
fn grids(out: &mut String, details: &mut String, index: &mut usize, outcomes: &[Outcome]) {
    let mut groups: Vec<(GridKey, Vec<&Outcome>)> = Vec::new();
    for outcome in outcomes {
        let key = (outcome.cell.pattern, outcome.cell.case.clone());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, group)) => group.push(outcome),
            None => groups.push((key, vec![outcome])),
        }
    }
    for ((pattern, case), group) in groups {
        let name = case.as_deref().unwrap_or("benchmark roles");
        let _ = writeln!(out, "<h3>{pattern} · {}</h3>", escape(name));
        if let Some(def) = case.as_deref().and_then(|c| crate::cases::find(pattern, c).ok()) {
            let _ = writeln!(out, "<p class=\"case\">{}</p>", escape(def.about));
        }
        out.push_str("<div class=\"grids\">\n");
        let mut transports: Vec<_> = group.iter().map(|o| o.cell.transport).collect();
        transports.dedup();
        transports.sort();
        transports.dedup();
        for transport in transports {
            let cells: Vec<&&Outcome> =
                group.iter().filter(|o| o.cell.transport == transport).collect();
            let senders = ordered(cells.iter().map(|o| o.cell.sender.as_str()));
            let receivers = ordered(cells.iter().map(|o| o.cell.receiver.as_str()));
            let _ =
                write!(out, "<table class=\"grid\"><caption>{transport}</caption><tr><th></th>");
            for receiver in &receivers {
                let _ = write!(out, "<th>{}</th>", escape(receiver));
            }
            out.push_str("</tr>\n");
            for sender in &senders {
                let _ = write!(out, "<tr><th class=\"row\">{}</th>", escape(sender));
                for receiver in &receivers {
                    let found = cells
                        .iter()
                        .find(|o| o.cell.sender == *sender && o.cell.receiver == *receiver);
                    match found {
                        Some(outcome) => {
                            *index += 1;
                            grid_cell(out, details, *index, outcome);
                        }
                        None => out.push_str("<td></td>"),
                    }
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</table>\n");
        }
        out.push_str("</div>\n");
    }
}

fn grid_cell(out: &mut String, details: &mut String, index: usize, outcome: &Outcome) {
    let name = outcome.cell.name();
    let status = outcome.status.name();
    let mut hover = format!("{name}: {status}");
    if !outcome.reason.is_empty() {
        let _ = write!(hover, "\n{}", outcome.reason);
    }
    for command in &outcome.commands {
        let _ = write!(hover, "\n$ {command}");
    }
    let _ = write!(
        out,
        "<td><a class=\"{status}\" href=\"#c{index}\" title=\"{}\" data-cell=\"{}\" \
         data-status=\"{status}\">{}</a></td>",
        escape(&hover),
        escape(&name),
        mark(outcome.status)
    );
    let _ = write!(
        details,
        "<div class=\"detail\" id=\"c{index}\"><b>{}</b> — {status}{}",
        escape(&name),
        if outcome.reason.is_empty() {
            String::new()
        } else {
            format!(": {}", escape(&outcome.reason))
        }
    );
    if !outcome.commands.is_empty() {
        details.push_str("<pre>");
        for command in &outcome.commands {
            let _ = writeln!(details, "{}", escape(command));
        }
        details.push_str("</pre>");
    }
    for run in &outcome.runs {
        let _ = write!(details, "<pre>{}: {}", escape(&run.label), escape(&run.exit));
        for line in run.stderr_tail.lines().rev().take(5).collect::<Vec<_>>().into_iter().rev() {
            let _ = write!(details, "\n  | {}", escape(line));
        }
        details.push_str("</pre>");
    }
    details.push_str("</div>\n");
}

/// Values in the order first seen.
fn ordered<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = Vec::new();
    for value in values {
        if !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen
}

/// Per peer, its cells' outcomes (as sender or receiver), so an engine's standing reads at once.
fn per_peer(outcomes: &[Outcome]) -> String {
    let statuses = STATUSES;
    let mut table: BTreeMap<&str, [usize; 6]> = BTreeMap::new();
    let mut order = Vec::new();
    for outcome in outcomes {
        let at = statuses.iter().position(|s| *s == outcome.status).unwrap_or(0);
        let mut peers = vec![outcome.cell.sender.as_str()];
        if outcome.cell.receiver != outcome.cell.sender {
            peers.push(outcome.cell.receiver.as_str());
        }
        for peer in peers {
            if !order.contains(&peer) {
                order.push(peer);
            }
            table.entry(peer).or_default()[at] += 1;
        }
    }
    let mut out = String::from("<table class=\"peers\"><tr><th>peer (cells it is in)</th>");
    for status in statuses {
        let _ = write!(out, "<th>{}</th>", status.name());
    }
    out.push_str("</tr>\n");
    for peer in order {
        let _ = write!(out, "<tr data-peer=\"{}\"><td>{}</td>", escape(peer), escape(peer));
        for n in table.get(peer).copied().unwrap_or_default() {
            let _ = write!(out, "<td>{n}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}

/// Text for HTML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cell::Cell;
    use crate::transport::Transport;

    fn outcome(case: &str, sender: &str, receiver: &str, status: Status) -> Outcome {
        let cell = Cell {
            pattern: Pattern::Reqrep,
            transport: Transport::Tcp,
            sender: sender.into(),
            receiver: receiver.into(),
            case: Some(case.into()),
        };
        Outcome::early(&cell, status, if status == Status::Pass { "" } else { "a <reason>" })
    }

    #[test]
    fn every_cell_is_on_the_page_with_its_status_and_escaped_reason() {
        let outcomes = vec![
            outcome("hello", "c", "c", Status::Pass),
            outcome("hello", "c", "rust", Status::Fail),
            outcome("hello", "rust", "c", Status::Unsupported),
            outcome("array", "rust", "rust", Status::Xfail),
        ];
        let page = to_html("t", "s", &[Section { title: "", outcomes: &outcomes }]);
        for o in &outcomes {
            let cell =
                format!("data-cell=\"{}\" data-status=\"{}\"", o.cell.name(), o.status.name());
            assert!(page.contains(&cell), "{cell}");
        }
        assert!(page.contains("a &lt;reason&gt;") && !page.contains("a <reason>"));
        assert!(page.contains("<tr data-peer=\"c\"><td>c</td><td>1</td><td>1</td>"));
        assert!(!page.contains("<script"), "self-contained and static");
    }
}
