//! Judging a case's run: the exits first (exit 4 is unsupported, a flow's deliberate kill is
//! no failure, a refusal case wants both sides timed out), then the data, against what the
//! sender was asked to send, computed here from the one truth (`fakehw`).

use super::flow::{Plan, SECOND_SEED};
use super::{CaseDef, Check, Flow};
use crate::cell::{self, PairRun, Status};
use crate::compare;
use crate::process::{Exit, Finished};
use contract::ExitCode;
use contract::output::{Event, Frames, Packet, Reply};

/// The verdict on a run of `def` made with `plan`.
#[must_use]
pub fn judge(def: &CaseDef, plan: &Plan, run: &PairRun) -> (Status, String) {
    if def.check == Check::Refused {
        return refused(run);
    }
    if def.check == Check::Resumed {
        return resumed(plan, run);
    }
    if let Check::Denied { zap } = def.check {
        return denied(run, zap && plan.security.is_some_and(|s| !s.allow_twisted));
    }
    // A restart flow kills its first binder on purpose, and a binder that outlives the
    // connector is stopped once it is done: that is no failure.
    let deliberate = (matches!(plan.flow, Flow::Restart { .. }) || def.binder_outlives)
        && run.binder.exit == Exit::Killed;
    let exits = if deliberate {
        let mut others = run.clone();
        others.binder.exit = Exit::Code(0);
        cell::judge_exits(&others)
    } else {
        cell::judge_exits(run)
    };
    if let Some((status, reason)) = exits {
        // A subscriber that timed out waiting for the rest: say what did arrive, and what not.
        if def.check == Check::Packets
            && status == Status::Fail
            && let Some(lost) = losses(def, plan, run)
        {
            return (status, format!("{lost}; {reason}"));
        }
        return (status, reason);
    }
    match data(def, plan, run) {
        Ok(()) => admitted(plan, run),
        Err(difference) => (Status::Fail, format!("data mismatch: {difference}")),
    }
}

/// The ZAP lines a binder printed: (allowed, the line).
fn zap_lines(binder: &Finished) -> Vec<(bool, &str)> {
    binder
        .stdout
        .iter()
        .filter_map(|line| match serde_json::from_str::<Event>(line) {
            Ok(Event::Zap { allowed, .. }) => Some((allowed, line.as_str())),
            _ => None,
        })
        .collect()
}

/// A secured case whose data passed: the binder's ZAP handler must have let the connector in
/// (a binder that printed no ZAP line never asked ZAP, so the mechanism was not in force).
fn admitted(plan: &Plan, run: &PairRun) -> (Status, String) {
    let Some(setup) = plan.security else { return (Status::Pass, String::new()) };
    if setup.binder == contract::Mechanism::Null {
        return (Status::Pass, String::new());
    }
    if zap_lines(&run.binder).iter().any(|(allowed, _)| *allowed) {
        (Status::Pass, String::new())
    } else {
        (
            Status::Fail,
            format!(
                "{} delivered the data but its ZAP handler never admitted anyone: {} was not in \
                 force",
                run.binder.label, setup.binder
            ),
        )
    }
}

/// A connection security must refuse: what `refused` demands, no ZAP admission, and with
/// `zap` a ZAP refusal from the binder.
fn denied(run: &PairRun, zap: bool) -> (Status, String) {
    let (status, reason) = refused(run);
    if status != Status::Pass {
        return (status, reason);
    }
    let lines = zap_lines(&run.binder);
    if let Some((_, line)) = lines.iter().find(|(allowed, _)| *allowed) {
        return (
            Status::Fail,
            format!("{}'s ZAP handler let the connector in: {line}", run.binder.label),
        );
    }
    if zap && lines.is_empty() {
        return (
            Status::Fail,
            format!(
                "{} printed no ZAP refusal: the connection failed before ZAP, not because ZAP \
                 refused it",
                run.binder.label
            ),
        );
    }
    let how = lines.first().map_or_else(String::new, |(_, line)| format!("ZAP refused: {line}"));
    (Status::Pass, if reason.is_empty() { how } else { format!("{reason}; {how}") })
}

/// The data lines reports show: the connector's (a subscriber's packets or frames, a
/// requester's replies), what the case's check reads first.
#[must_use]
pub fn receiver_data(run: &PairRun) -> Vec<String> {
    run.connector.as_ref().map(|c| compare::data_lines(&c.stdout)).unwrap_or_default()
}

/// `mismatch`: both sides must time out (exit 3) without a data line; a peer that prints data
/// let a forbidden pair talk.
fn refused(run: &PairRun) -> (Status, String) {
    if let Some(error) = &run.harness_error {
        return (Status::Fail, error.clone());
    }
    let unsupported = Exit::Code(ExitCode::Unsupported.code().into());
    if let Some(done) = run.all().find(|d| d.exit == unsupported) {
        let why = format!("{}: {}", done.label, done.reason().unwrap_or("unsupported"));
        return (Status::Unsupported, why);
    }
    for done in run.all() {
        let data = compare::data_lines(&done.stdout);
        if let Some(first) = data.first() {
            return (
                Status::Fail,
                format!(
                    "data crossed: {} printed {} data lines (first: {first}) although its partner's \
                     socket type must refuse it",
                    done.label,
                    data.len()
                ),
            );
        }
    }
    let timed_out = Exit::Code(ExitCode::Timeout.code().into());
    let failed_call = Exit::Code(ExitCode::Error.code().into());
    // An engine whose connect waits for the handshake (zmq.rs) reports the refusal itself.
    let refused_at_connect =
        run.connector.as_ref().filter(|c| c.exit == failed_call).map(|c| {
            format!("{} reported the refusal: {}", c.label, c.reason().unwrap_or("exit 6"))
        });
    for done in run.all() {
        let is_connector = run.connector.as_ref().is_some_and(|c| std::ptr::eq(c, done));
        let reported = is_connector && done.exit == failed_call;
        if done.exit != timed_out && !reported {
            return (
                Status::Fail,
                format!(
                    "{} {} where a refused connection leaves it to time out (exit 3){}",
                    done.label,
                    done.exit.describe_peer(),
                    done.reason().map(|r| format!(": {r}")).unwrap_or_default()
                ),
            );
        }
    }
    (Status::Pass, refused_at_connect.unwrap_or_default())
}

/// The data check of every case but `mismatch`.
fn data(def: &CaseDef, plan: &Plan, run: &PairRun) -> Result<(), String> {
    let connector = run.connector.as_ref().ok_or("the connector never started")?;
    let (sender, receiver): (&Finished, Vec<&Finished>) = if def.sender_binds {
        (&run.binder, vec![connector])
    } else {
        (connector, std::iter::once(&run.binder).chain(run.restarted.as_ref()).collect())
    };
    match def.check {
        Check::Packets => {
            let got = compare::packets(&receiver[0].stdout)?;
            let want = compare::expected_packets(plan.seed, count(plan), size(plan));
            compare::check_packets(&got, &want, &plan.topic)
        }
        Check::TopicSubset => topics(&compare::packets(&receiver[0].stdout)?, plan),
        Check::Frames => {
            let expected = expected_frames(def, plan);
            for side in &receiver {
                frames(&side.stdout, &expected)
                    .map_err(|e| format!("{} received: {e}", side.label))?;
            }
            if def.pattern == crate::cell::Pattern::Reqrep {
                frames(&sender.stdout, &expected)
                    .map_err(|e| format!("{} got back: {e}", sender.label))?;
            }
            Ok(())
        }
        Check::Replies { text } => {
            replies(
                &sender.stdout,
                plan.count,
                |reply| reply.reply.as_deref() == Some(text),
                text,
            )?;
            verdicts(&receiver)
        }
        Check::EchoedArrays => {
            let bytes = u64::from(plan.len) * 8;
            replies(
                &sender.stdout,
                plan.count,
                |reply| reply.matches == Some(true) && reply.reply_bytes == Some(bytes),
                &format!("its own {bytes}-byte array back"),
            )?;
            verdicts(&receiver)
        }
        Check::Restarted => {
            if def.pattern == crate::cell::Pattern::Pubsub {
                let first = match plan.flow {
                    Flow::Restart { first, .. } => first,
                    Flow::Pair | Flow::Outage { .. } => plan.count,
                };
                let got = compare::packets(&receiver[0].stdout)?;
                let mut want = compare::expected_packets(plan.seed, to_usize(first), size(plan));
                want.extend(compare::expected_packets(
                    SECOND_SEED,
                    to_usize(plan.count - first),
                    size(plan),
                ));
                compare::check_packets(&got, &want, &plan.topic)
            } else {
                replies(
                    &sender.stdout,
                    plan.count,
                    |r| r.reply.as_deref() == Some("world"),
                    "world",
                )?;
                verdicts(&receiver)
            }
        }
        Check::Refused | Check::Resumed | Check::Denied { .. } => Ok(()),
    }
}

/// `tunnel-death`: the publisher must finish; the subscriber ends by its timeout once the
/// stream stops (envelopes published while no tunnel stood are lost by PUB's design) or by
/// its count. What it printed must be envelopes of the sequence, in order, none twice, with
/// some after the outage; the pass says how many were lost and where.
fn resumed(plan: &Plan, run: &PairRun) -> (Status, String) {
    let timed_out = Exit::Code(ExitCode::Timeout.code().into());
    let mut ended = run.clone();
    if let Some(subscriber) = ended.connector.as_mut().filter(|c| c.exit == timed_out) {
        subscriber.exit = Exit::Code(0);
    }
    if let Some(verdict) = cell::judge_exits(&ended) {
        return verdict;
    }
    let Some(subscriber) = run.connector.as_ref() else {
        return (Status::Fail, "the subscriber never started".into());
    };
    let got = match compare::packets(&subscriber.stdout) {
        Ok(got) => got,
        Err(why) => return (Status::Fail, format!("data mismatch: {why}")),
    };
    let want = compare::expected_packets(plan.seed, count(plan), size(plan));
    let mut next = 0;
    let mut gaps = Vec::new();
    for (k, packet) in got.iter().enumerate() {
        if packet.topic != plan.topic {
            return (
                Status::Fail,
                format!("data mismatch: envelope {k} has topic {:?}", packet.topic),
            );
        }
        let Some(offset) = want[next..].iter().position(|w| *w == packet.samples) else {
            return (
                Status::Fail,
                format!(
                    "data mismatch: envelope {k} of {} received matches no envelope of the \
                     sequence after envelope {next}: out of order, repeated or corrupt",
                    got.len()
                ),
            );
        };
        if offset > 0 {
            gaps.push(format!("{}..{}", next, next + offset - 1));
        }
        next += offset + 1;
    }
    let outage_at = match plan.flow {
        Flow::Outage { after, .. } => to_usize(after),
        _ => 0,
    };
    if next <= outage_at + 1 {
        return (
            Status::Fail,
            format!(
                "delivery never resumed: the subscriber's last envelope was {} of {}, the outage \
                 came after {outage_at}",
                next.saturating_sub(1),
                want.len()
            ),
        );
    }
    let lost = want.len() - got.len();
    let tail =
        if next < want.len() { format!(", {}..{}", next, want.len() - 1) } else { String::new() };
    let note = if lost == 0 {
        "delivery resumed; none lost".to_owned()
    } else {
        format!(
            "delivery resumed; {lost} of {} lost (envelopes {}{tail})",
            want.len(),
            gaps.join(", ")
        )
    };
    (Status::Pass, note)
}

/// For a subscriber that timed out: how many envelopes arrived, whether in order and once each,
/// and which was the first lost. `None` when it printed nothing to judge.
fn losses(def: &CaseDef, plan: &Plan, run: &PairRun) -> Option<String> {
    let subscriber = if def.sender_binds { run.connector.as_ref()? } else { &run.binder };
    if subscriber.exit != Exit::Code(ExitCode::Timeout.code().into()) {
        return None;
    }
    let got = compare::packets(&subscriber.stdout).ok()?;
    let want = compare::expected_packets(plan.seed, count(plan), size(plan));
    let mut next = 0;
    let mut first_lost = None;
    for (k, packet) in got.iter().enumerate() {
        let Some(offset) = want[next..].iter().position(|w| *w == packet.samples) else {
            return Some(format!(
                "the subscriber got {} of {} envelopes; envelope {k} is out of order, repeated or \
                 unknown",
                got.len(),
                want.len()
            ));
        };
        if offset > 0 && first_lost.is_none() {
            first_lost = Some(next);
        }
        next += offset + 1;
    }
    let lost = want.len() - got.len();
    let first = first_lost.unwrap_or(next);
    Some(format!(
        "the subscriber got {} of {} envelopes, in order, none twice: {lost} lost, the first \
         being envelope {first}",
        got.len(),
        want.len()
    ))
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

fn count(plan: &Plan) -> usize {
    to_usize(plan.count)
}

fn size(plan: &Plan) -> usize {
    plan.packet_size as usize
}

/// The requester's reply lines: `count` of them, each accepted by `ok`.
fn replies(
    stdout: &[String],
    count: u64,
    ok: impl Fn(&Reply) -> bool,
    expected: &str,
) -> Result<(), String> {
    let lines = compare::data_lines(stdout);
    for (i, line) in lines.iter().enumerate() {
        let reply: Reply =
            serde_json::from_str(line).map_err(|e| format!("not a reply line ({e}): {line}"))?;
        if reply.seq != i as u64 {
            return Err(format!("reply {i} carries seq {}", reply.seq));
        }
        if !ok(&reply) {
            return Err(format!("reply {i} was {line}, expected {expected:?}"));
        }
    }
    if lines.len() as u64 != count {
        return Err(format!("received {} replies, expected {count}", lines.len()));
    }
    Ok(())
}

/// Every replier's verdict lines are `SUCCESS`.
fn verdicts(repliers: &[&Finished]) -> Result<(), String> {
    repliers.iter().try_for_each(|replier| crate::reqrep::check_verdicts(&replier.stdout))
}

/// What each message of a frames case consists of, message by message.
fn expected_frames(def: &CaseDef, plan: &Plan) -> Vec<Vec<Vec<u8>>> {
    let topic = plan.topic.as_bytes();
    match (def.pattern, def.name) {
        (crate::cell::Pattern::Pubsub, "multipart") => {
            compare::expected_packets(plan.seed, count(plan), size(plan))
                .iter()
                .map(|samples| {
                    vec![
                        topic.to_vec(),
                        Vec::new(),
                        envelope::fancyhw::encode(&plan.topic, samples),
                    ]
                })
                .collect()
        }
        (crate::cell::Pattern::Pubsub, _) => (0..plan.count)
            .map(|i| if i % 2 == 0 { vec![Vec::new()] } else { vec![[topic, b" "].concat()] })
            .collect(),
        (_, "multipart") => {
            let mut values = vec![0.0; plan.len as usize];
            fakehw::Glibc::new(plan.seed).fill_f64(&mut values);
            let array = envelope::encode_f64(&values);
            (0..plan.count)
                .map(|_| vec![b"multipart".to_vec(), Vec::new(), array.clone()])
                .collect()
        }
        _ => (0..plan.count).map(|_| vec![Vec::new()]).collect(),
    }
}

/// A side's frames lines against the expected messages: the first difference.
fn frames(stdout: &[String], expected: &[Vec<Vec<u8>>]) -> Result<(), String> {
    let lines = compare::data_lines(stdout);
    for (i, (line, want)) in lines.iter().zip(expected).enumerate() {
        let got: Frames =
            serde_json::from_str(line).map_err(|e| format!("not a frames line ({e}): {line}"))?;
        if got.seq != i as u64 {
            return Err(format!("message {i} carries seq {}", got.seq));
        }
        if got.frames.len() != want.len() {
            return Err(format!(
                "message {i} has {} frames, expected {}",
                got.frames.len(),
                want.len()
            ));
        }
        for (j, (hex, bytes)) in got.frames.iter().zip(want).enumerate() {
            let got_bytes = contract::hex::decode(hex)
                .map_err(|e| format!("message {i} frame {j} is not hex: {e}"))?;
            if got_bytes.len() != bytes.len() {
                return Err(format!(
                    "message {i} frame {j} is {} bytes, expected {}",
                    got_bytes.len(),
                    bytes.len()
                ));
            }
            if let Some(at) = got_bytes.iter().zip(bytes).position(|(g, w)| g != w) {
                return Err(format!("message {i} frame {j} differs at byte {at}"));
            }
        }
    }
    if lines.len() != expected.len() {
        return Err(format!("received {} messages, expected {}", lines.len(), expected.len()));
    }
    Ok(())
}

/// The topics a `topics` publisher cycles through.
pub const TOPICS: [&str; 3] = ["fancyhw_data", "fancyhw_status", "other_data"];

/// `topics`: exactly the covered messages, in order: of the first half those on
/// `fancyhw_data` and `fancyhw_status`, of the second half those on `fancyhw_data`.
fn topics(got: &[Packet], plan: &Plan) -> Result<(), String> {
    let n = to_usize(plan.count);
    let all = compare::expected_packets(plan.seed, 2 * n, size(plan));
    let expected: Vec<(usize, &str, &Vec<i16>)> = all
        .iter()
        .enumerate()
        .filter(|(i, _)| if *i < n { i % 3 != 2 } else { i % 3 == 0 })
        .map(|(i, samples)| (i, TOPICS[i % 3], samples))
        .collect();
    for (k, (packet, (i, topic, samples))) in got.iter().zip(&expected).enumerate() {
        if packet.topic != *topic {
            let when = if *i < n { "before" } else { "after" };
            return Err(format!(
                "packet {k} has topic {:?} where message {i} on {topic:?} was due ({when} \
                 unsubscribing from \"fancy\")",
                packet.topic
            ));
        }
        if packet.samples != **samples {
            return Err(format!("packet {k} (message {i}) does not carry that message's samples"));
        }
    }
    if got.len() != expected.len() {
        return Err(format!("received {} packets, expected {}", got.len(), expected.len()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(values: &[String]) -> Vec<String> {
        values.to_vec()
    }

    #[test]
    fn frames_name_the_first_difference() {
        let want = vec![vec![b"ab".to_vec(), Vec::new(), vec![1, 2]]];
        let line = |frames: &[&str]| {
            serde_json::to_string(&Frames {
                seq: 0,
                frames: frames.iter().map(|f| (*f).to_owned()).collect(),
            })
            .unwrap()
        };
        assert_eq!(frames(&lines(&[line(&["6162", "", "0102"])]), &want), Ok(()));
        assert_eq!(
            frames(&lines(&[line(&["61620102"])]), &want).unwrap_err(),
            "message 0 has 1 frames, expected 3"
        );
        assert_eq!(
            frames(&lines(&[line(&["6162", "00", "0102"])]), &want).unwrap_err(),
            "message 0 frame 1 is 1 bytes, expected 0"
        );
        assert_eq!(
            frames(&lines(&[line(&["6162", "", "0103"])]), &want).unwrap_err(),
            "message 0 frame 2 differs at byte 1"
        );
        assert_eq!(frames(&[], &want).unwrap_err(), "received 0 messages, expected 1");
    }

    #[test]
    fn topics_want_the_covered_subset_in_order() {
        let plan = Plan {
            count: 6,
            packet_size: 2,
            len: 1,
            seed: 1,
            topic: "fancyhw_data".into(),
            timeout: std::time::Duration::from_secs(1),
            sender_timeout: std::time::Duration::from_secs(1),
            peer_cases: ("topics".into(), "topics".into()),
            flags: (vec![], vec![]),
            flow: Flow::Pair,
            effect: super::super::Effect::None,
            security: None,
        };
        let all = compare::expected_packets(1, 12, 2);
        let packet = |seq: u64, i: usize| Packet {
            seq,
            topic: TOPICS[i % 3].into(),
            samples: all[i].clone(),
        };
        // First half: 0, 1, 3, 4 (not 2, 5: other_data); second half: 6, 9 (fancyhw_data only).
        let good: Vec<Packet> =
            [0, 1, 3, 4, 6, 9].iter().enumerate().map(|(k, i)| packet(k as u64, *i)).collect();
        assert_eq!(topics(&good, &plan), Ok(()));
        let leaked: Vec<Packet> =
            [0, 1, 3, 4, 7, 9].iter().enumerate().map(|(k, i)| packet(k as u64, *i)).collect();
        let err = topics(&leaked, &plan).unwrap_err();
        assert!(
            err.contains("\"fancyhw_status\" where message 6") && err.contains("after"),
            "{err}"
        );
    }
}
