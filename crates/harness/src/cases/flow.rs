//! Running a case: which options each side gets, and the flows — a plain pair (binder, then
//! connector), a restart (the binder killed and another started on the same endpoint while the
//! connector keeps going), and a fault's freeze (the binder stopped for a while mid-run).

use super::{CaseDef, Effect, Fault, Flow, Outage};
use crate::bootstrap::PeerSet;
use crate::cell::{self, Cell, Outcome, PairRun, Status, label};
use crate::endpoint::CellEndpoint;
use crate::matrix::Params;
use crate::peer::Peer;
use crate::process::{self, Child, Exit, Finished, Line, Spec};
use crate::security::{Material, Setup};
use crate::settings;
use contract::Role;
use contract::output::Event;
use std::time::{Duration, Instant};

/// The seed of a restart flow's second binder: another sequence, so its data cannot be taken
/// for the first binder's.
pub const SECOND_SEED: u32 = 777;

/// Runs `cell` (its case from the catalog), with `fault` applied for a negative test, and
/// judges it.
#[must_use]
pub fn run(cell: &Cell, peers: &PeerSet, params: &Params, fault: Option<&Fault>) -> Outcome {
    let Some(def) = cell.def() else {
        let why = format!("{} has no case of the catalog", cell.name());
        return Outcome::early(cell, Status::Fail, why);
    };
    let mut roles = def.roles;
    if let Some(role) = fault.and_then(|f| f.role) {
        if fault.is_some_and(|f| f.sender) {
            roles.0 = role;
        } else {
            roles.1 = role;
        }
    }
    let (sender, receiver) = match cell::resolve_roles(cell, peers, roles) {
        Ok(pair) => pair,
        Err(outcome) => return *outcome,
    };
    let plan = Plan::new(def, params, fault);
    let endpoint = match cell::endpoint_for(cell) {
        Ok(endpoint) => endpoint,
        Err(outcome) => return *outcome,
    };
    let sides = [Side { peer: sender, role: roles.0 }, Side { peer: receiver, role: roles.1 }];
    let run = plan.execute(def, &sides, &endpoint);
    let verdict = super::judge::judge(def, &plan, &run);
    let data = super::judge::receiver_data(&run);
    cell::outcome(cell, (sender, receiver), &run, verdict, data)
}

/// A side of the cell: its peer and the role it plays.
#[derive(Debug, Clone, Copy)]
struct Side<'p> {
    peer: &'p Peer,
    role: Role,
}

/// The options and flow of one run of a case.
#[derive(Debug, Clone)]
pub struct Plan {
    /// `--count` given to the connector (for a restart: both binders' together).
    pub count: u64,
    /// Samples per envelope.
    pub packet_size: u32,
    /// Values per array.
    pub len: u32,
    /// The seed of the (first) binder and the connector.
    pub seed: u32,
    /// The topic.
    pub topic: String,
    /// Each peer's `--timeout-ms`.
    pub timeout: Duration,
    /// The sender's, where it differs.
    pub sender_timeout: Duration,
    /// The sender's and the receiver's `--case`.
    pub peer_cases: (String, String),
    /// The sender's and the receiver's extra flags.
    pub flags: (Vec<String>, Vec<String>),
    /// How the processes run.
    pub flow: Flow,
    /// What a fault does while they run.
    pub effect: Effect,
    /// Security between binder and connector (the fault's, else the case's).
    pub security: Option<Setup>,
}

impl Plan {
    fn new(def: &CaseDef, params: &Params, fault: Option<&Fault>) -> Self {
        let strings = |flags: &[&str]| flags.iter().map(|f| (*f).to_owned()).collect::<Vec<_>>();
        let mut peer_cases = (def.peer_cases.0.to_owned(), def.peer_cases.1.to_owned());
        let mut flags = (strings(def.flags.0), strings(def.flags.1));
        if let Some(fault) = fault {
            let (case, extra) = if fault.sender {
                (&mut peer_cases.0, &mut flags.0)
            } else {
                (&mut peer_cases.1, &mut flags.1)
            };
            if let Some(other) = fault.peer_case {
                other.clone_into(case);
            }
            extra.extend(strings(fault.flags));
        }
        let (pubsub, reqrep) = (&params.pubsub, &params.reqrep);
        let pubsub_case = def.pattern == crate::cell::Pattern::Pubsub;
        let over = &params.overrides;
        let timeout = over
            .timeout_ms
            .or(def.size.timeout_ms)
            .map_or_else(settings::peer_timeout, |ms| settings::scaled(Duration::from_millis(ms)));
        let pattern_count = if pubsub_case { pubsub.count } else { reqrep.count };
        let sender_timeout = def
            .size
            .sender_timeout_ms
            .map_or(timeout, |ms| settings::scaled(Duration::from_millis(ms)));
        Self {
            count: over.count.or(def.size.count).unwrap_or(pattern_count),
            packet_size: over.packet_size.or(def.size.packet_size).unwrap_or(pubsub.packet_size),
            len: over.len.or(def.size.len).unwrap_or(reqrep.len),
            seed: if pubsub_case { pubsub.seed } else { reqrep.seed },
            topic: pubsub.topic.clone(),
            timeout,
            sender_timeout,
            peer_cases,
            flags,
            flow: def.flow,
            effect: fault.map_or(Effect::None, |f| f.effect),
            security: fault.and_then(|f| f.security).or(def.security),
        }
    }

    /// The options of a side playing `role` with `case`, `count` and `seed`.
    fn options(
        &self,
        at: usize,
        role: Role,
        case: &str,
        count: u64,
        seed: u32,
        endpoint: &str,
    ) -> Vec<String> {
        // Side 0 is the sender.
        let timeout = if at == 0 { self.sender_timeout } else { self.timeout };
        let mut options = vec![
            "--endpoint".to_owned(),
            endpoint.to_owned(),
            "--timeout-ms".to_owned(),
            timeout.as_millis().to_string(),
            "--case".to_owned(),
            case.to_owned(),
            "--seed".to_owned(),
            seed.to_string(),
            "--count".to_owned(),
            count.to_string(),
        ];
        if matches!(role, Role::Pub | Role::Sub) {
            options.extend(["--topic".to_owned(), self.topic.clone()]);
            options.extend(["--packet-size".to_owned(), self.packet_size.to_string()]);
        } else {
            options.extend(["--len".to_owned(), self.len.to_string()]);
        }
        options
    }

    /// The restart flow's first count, if it is one.
    fn first(&self) -> Option<u64> {
        match self.flow {
            Flow::Restart { first, .. } => Some(first),
            Flow::Pair | Flow::Outage { .. } => None,
        }
    }

    /// Runs the processes: the binder, its ready line, the connector, and whatever the flow
    /// and the fault do in between; every process ends by itself or by the deadline.
    fn execute(&self, def: &CaseDef, sides: &[Side<'_>; 2], endpoint: &CellEndpoint) -> PairRun {
        let started = Instant::now();
        let deadline = started + settings::process_timeout() + self.timeout;
        let (binder_at, connector_at) = if def.sender_binds { (0, 1) } else { (1, 0) };
        let (binder, connector) = (sides[binder_at], sides[connector_at]);
        let case_of = |at: usize| if at == 0 { &self.peer_cases.0 } else { &self.peer_cases.1 };
        let flags_of = |at: usize| if at == 0 { &self.flags.0 } else { &self.flags.1 };
        let first = self.first();
        let binder_count = first.unwrap_or(self.count) + u64::from(def.binder_outlives);
        // A requester pauses where the flow acts (after the first binder's replies, or before
        // an outage) and goes on when told.
        let pause_after = match self.flow {
            Flow::Restart { .. } => Some(binder_count),
            Flow::Outage { after, .. } => Some(after),
            Flow::Pair => None,
        }
        .filter(|_| connector.role == Role::Req);
        let mut session = Session { started, deadline };
        // The cell's security material lives (in its private directory) until the run ends.
        let material = match self.security.as_ref().map(Material::write).transpose() {
            Ok(material) => material,
            Err(why) => return session.failed_to_start(why),
        };
        let spec = |side: Side<'_>, at: usize, count: u64, seed: u32, case: &str, ep: &str| {
            let mut options = self.options(at, side.role, case, count, seed, ep);
            options.extend(flags_of(at).iter().cloned());
            if let Some(material) = &material {
                let own = if at == binder_at { &material.binder } else { &material.connector };
                options.extend(own.iter().cloned());
            }
            // The paused requester reads stdin itself; everyone else watches it, so no peer
            // outlives a harness that was killed.
            if let Some(after) = pause_after.filter(|_| side.role == Role::Req) {
                options.extend(["--pause-after".to_owned(), after.to_string()]);
            } else {
                options.push("--exit-with-stdin".to_owned());
            }
            side.peer
                .command(side.role, &label(side.role, side.peer), options)
                .map(Spec::stdin_pipe)
        };
        let binder_spec = match spec(
            binder,
            binder_at,
            binder_count,
            self.seed,
            case_of(binder_at),
            endpoint.bind(),
        ) {
            Ok(spec) => endpoint.binder(spec),
            Err(why) => return session.failed_to_start(why),
        };
        let (binder_child, resolved) = match session.start_binder(&binder_spec) {
            Ok(started) => started,
            Err(run) => return *run,
        };
        // The connector's way there: the reported endpoint, or a tunnel to it (kept open
        // until the connector is done).
        let mut route = match endpoint.route(&resolved) {
            Ok(route) => route,
            Err(why) => {
                return session.end(binder_child.stop(), None, None, Some(resolved), Some(why));
            }
        };
        let connector_spec = match spec(
            connector,
            connector_at,
            self.count,
            self.seed,
            case_of(connector_at),
            &route.endpoint,
        ) {
            Ok(spec) => endpoint.connector(spec),
            Err(why) => {
                return session.end(binder_child.stop(), None, None, Some(resolved), Some(why));
            }
        };
        let mut connector_child = match process::spawn(&connector_spec) {
            Ok(child) => child,
            Err(e) => {
                return session.end(
                    binder_child.stop(),
                    None,
                    None,
                    Some(resolved),
                    Some(e.to_string()),
                );
            }
        };
        let mut binder_child = Some(binder_child);
        let mut first_binder = None;
        let mut harness_error = None;
        match (first, self.effect) {
            (Some(first), effect) => {
                let awaited =
                    if pause_after.is_some() { Awaited::Paused } else { Awaited::DataLines(first) };
                match wait_for(&mut connector_child, awaited, deadline) {
                    Ok(()) => {
                        if let Some(tunnel) = route.tunnel.as_mut() {
                            tunnel.drain();
                        }
                        first_binder = binder_child.take().map(Child::stop);
                        // Through a tunnel, the connector learns of the death only once the
                        // news crossed it: going on earlier would test that race (a request
                        // sent into a dead connection is lost, REQ never resends), not the
                        // reconnection. Over tcp the kernel tells it at once.
                        if let Some(tunnel) = route.tunnel.as_mut()
                            && let Err(why) = tunnel.wait_for_close(
                                deadline
                                    .min(Instant::now() + settings::scaled(Duration::from_secs(5))),
                            )
                        {
                            harness_error = Some(why);
                        }
                        if effect != Effect::NoRestart {
                            let second = self.count.saturating_sub(first);
                            let then_case = match self.flow {
                                Flow::Restart { then_case, .. } => then_case,
                                Flow::Pair | Flow::Outage { .. } => "",
                            };
                            let second_binder =
                                spec(binder, binder_at, second, SECOND_SEED, then_case, &resolved)
                                    .and_then(|spec| session.start_again(&endpoint.binder(spec)));
                            match second_binder {
                                Ok(child) => binder_child = Some(child),
                                Err(why) => harness_error = Some(format!("restart: {why}")),
                            }
                        }
                        if pause_after.is_some() {
                            // Go on: the next request must reach the new replier (or nobody).
                            let _ = connector_child.write_line("go");
                        }
                    }
                    Err(why) => harness_error = Some(why),
                }
            }
            (None, Effect::FreezeBinder { after, ms }) => {
                match wait_for(&mut connector_child, Awaited::DataLines(after), deadline) {
                    Ok(()) => {
                        if let Some(child) = &binder_child
                            && let Err(why) = freeze(child.id(), Duration::from_millis(ms))
                        {
                            harness_error = Some(why);
                        }
                    }
                    Err(why) => harness_error = Some(why),
                }
            }
            (None, _) => {
                if let Flow::Outage { after, ms, what } = self.flow {
                    let awaited = if pause_after.is_some() {
                        Awaited::Paused
                    } else {
                        Awaited::DataLines(after)
                    };
                    let outage = wait_for(&mut connector_child, awaited, deadline).and_then(|()| {
                        outage(
                            what,
                            Duration::from_millis(ms),
                            endpoint,
                            &resolved,
                            &mut route,
                            || {
                                if pause_after.is_some() {
                                    let _ = connector_child.write_line("go");
                                }
                            },
                        )
                    });
                    if let Err(why) = outage {
                        harness_error = Some(why);
                        if pause_after.is_some() {
                            // Let a paused requester finish rather than wait for its timeout.
                            let _ = connector_child.write_line("go");
                        }
                    }
                }
            }
        }
        let connector_done = connector_child.wait(deadline);
        drop(route);
        let refusal = matches!(def.check, super::Check::Refused | super::Check::Denied { .. });
        let last_binder = binder_child.map(|child| {
            if def.binder_outlives {
                child.stop()
            } else if connector_done.succeeded() || refusal {
                // A refusal case's binder ends by its own (short) timeout, whatever the
                // connector did: how it ends is part of the verdict.
                child.wait(deadline)
            } else {
                child.finish_within(
                    deadline.min(Instant::now() + settings::scaled(Duration::from_secs(2))),
                )
            }
        });
        match first_binder {
            Some(first_binder) => session.end(
                first_binder,
                Some(connector_done),
                last_binder,
                Some(resolved),
                harness_error,
            ),
            None => match last_binder {
                Some(binder) => {
                    session.end(binder, Some(connector_done), None, Some(resolved), harness_error)
                }
                None => session.failed_to_start("the binder vanished".into()),
            },
        }
    }
}

/// What a flow waits for on the connector's stdout before it acts.
#[derive(Debug, Clone, Copy)]
enum Awaited {
    /// This many data lines (packets, replies, frames).
    DataLines(u64),
    /// The requester's `{"event":"paused"}`.
    Paused,
}

/// Reads the connector's lines until `awaited` (they stay in its stdout for the judge).
fn wait_for(child: &mut Child, awaited: Awaited, deadline: Instant) -> Result<(), String> {
    let mut data = 0;
    loop {
        match child.next_line(deadline) {
            Line::Text(line) => match (serde_json::from_str::<Event>(&line), awaited) {
                (Ok(Event::Paused), Awaited::Paused) => return Ok(()),
                (Ok(_), _) => {}
                (Err(_), Awaited::DataLines(n)) => {
                    data += 1;
                    if data >= n {
                        return Ok(());
                    }
                }
                (Err(_), Awaited::Paused) => {}
            },
            // It ended early: its own exit says why.
            Line::Closed => return Ok(()),
            Line::TimedOut => {
                return Err(format!(
                    "{} never printed what the flow waits for",
                    child.spec().label()
                ));
            }
            Line::Cancelled => return Err("cancelled".into()),
        }
    }
}

/// Takes away what lies between the hosts for `how_long` and gives it back: the link (`go` is
/// called while it is down: a paused requester sends into the outage, TCP must carry the
/// request over it), or the tunnel (`go` is called once a new one is open: the requester must
/// reconnect through it).
fn outage(
    what: Outage,
    how_long: Duration,
    endpoint: &CellEndpoint,
    resolved: &str,
    route: &mut crate::endpoint::Route,
    go: impl FnOnce(),
) -> Result<(), String> {
    let hosts = endpoint.hosts().ok_or("an outage needs the cell's two hosts")?;
    match what {
        Outage::LinkDown => {
            hosts.set_link(false)?;
            go();
            // The fault's length, not a readiness wait: how long the link stays down.
            std::thread::sleep(how_long);
            hosts.set_link(true)
        }
        Outage::TunnelDeath => {
            let tunnel = route.tunnel.as_mut().ok_or("the cell has no tunnel to kill")?;
            let _ = tunnel.kill();
            // The fault's length: how long there is no tunnel at all.
            std::thread::sleep(how_long);
            route.tunnel = endpoint.route(resolved)?.tunnel;
            go();
            Ok(())
        }
    }
}

/// Stops process `pid` (SIGSTOP) for `how_long`, then lets it go on (SIGCONT): its engine
/// answers nothing meanwhile, while its sockets stay open.
fn freeze(pid: u32, how_long: Duration) -> Result<(), String> {
    if !cfg!(unix) {
        return Err("freezing a process needs SIGSTOP (Unix only)".into());
    }
    let signal = |name: &str| {
        let spec = Spec::new("kill", "kill").args([format!("-{name}"), pid.to_string()]);
        match process::run(&spec, Duration::from_secs(10)) {
            Ok(done) if done.succeeded() => Ok(()),
            Ok(done) => Err(format!("kill -{name} {pid}: {}", done.exit)),
            Err(e) => Err(format!("kill -{name} {pid}: {e}")),
        }
    };
    signal("STOP")?;
    // The fault's length, not a readiness wait: how long the peer plays dead.
    std::thread::sleep(how_long);
    signal("CONT")
}

/// The processes of one run, as they are started.
struct Session {
    started: Instant,
    deadline: Instant,
}

impl Session {
    /// Starts the binder and reads its ready line.
    fn start_binder(&mut self, spec: &Spec) -> Result<(Child, String), Box<PairRun>> {
        let mut child = match process::spawn(spec) {
            Ok(child) => child,
            Err(e) => return Err(Box::new(self.failed_to_start(e.to_string()))),
        };
        match ready_line(&mut child, self.deadline) {
            Ok(endpoint) => Ok((child, endpoint)),
            Err(None) => Err(Box::new(self.end(child.wait(self.deadline), None, None, None, None))),
            Err(Some(why)) => Err(Box::new(self.end(child.stop(), None, None, None, Some(why)))),
        }
    }

    /// Starts a second binder on the endpoint the first resolved and reads its ready line.
    fn start_again(&mut self, spec: &Spec) -> Result<Child, String> {
        let mut child = process::spawn(spec).map_err(|e| e.to_string())?;
        match ready_line(&mut child, self.deadline) {
            Ok(_) => Ok(child),
            Err(why) => {
                let done = child.stop();
                Err(why.unwrap_or_else(|| {
                    format!(
                        "{} {}: {}",
                        done.label,
                        done.exit.describe_peer(),
                        done.reason().unwrap_or("")
                    )
                }))
            }
        }
    }

    fn failed_to_start(&mut self, why: String) -> PairRun {
        let placeholder = Finished {
            label: "binder".into(),
            command_line: String::new(),
            exit: Exit::Killed,
            stdout: Vec::new(),
            stderr: String::new(),
            duration: Duration::ZERO,
        };
        self.end(placeholder, None, None, None, Some(why))
    }

    fn end(
        &mut self,
        binder: Finished,
        connector: Option<Finished>,
        restarted: Option<Finished>,
        endpoint: Option<String>,
        harness_error: Option<String>,
    ) -> PairRun {
        PairRun {
            binder,
            connector,
            restarted,
            endpoint,
            harness_error,
            duration: self.started.elapsed(),
        }
    }
}

/// The binder's first line, which must be its ready line: `Ok(endpoint)`, `Err(None)` when it
/// exited first (its exit says why), `Err(Some(why))` otherwise.
fn ready_line(child: &mut Child, deadline: Instant) -> Result<String, Option<String>> {
    let label = child.spec().label().to_owned();
    match child.next_line(deadline) {
        Line::Text(line) => match serde_json::from_str::<Event>(&line) {
            Ok(Event::Ready { endpoint }) => Ok(endpoint),
            _ => Err(Some(format!("{label} printed {line:?} before its ready line"))),
        },
        Line::Closed => Err(None),
        Line::TimedOut => Err(Some(format!("{label} printed no ready line in time"))),
        Line::Cancelled => Err(Some("cancelled".into())),
    }
}
