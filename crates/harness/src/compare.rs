//! Comparing what a receiver printed with the one truth: the Rust `fakehw` for the seed.
//!
//! A mismatch names the first differing packet and sample, so a failure report points at the
//! exact value that went wrong.

use contract::output::{Event, Packet};

/// The packets a publisher sends for `seed`: `count` packets of `packet_size` consecutive
/// samples of one fakehw sequence.
#[must_use]
pub fn expected_packets(seed: u32, count: usize, packet_size: usize) -> Vec<Vec<i16>> {
    let mut hw = fakehw::Glibc::new(seed);
    (0..count)
        .map(|_| {
            let mut packet = vec![0; packet_size];
            hw.fill_samples(&mut packet);
            packet
        })
        .collect()
}

/// The packet lines among a subscriber's stdout (its `ready` line and other events set aside).
///
/// # Errors
/// A line that is neither an event nor a packet.
pub fn packets(stdout: &[String]) -> Result<Vec<Packet>, String> {
    stdout
        .iter()
        .enumerate()
        .filter(|(_, line)| serde_json::from_str::<Event>(line).is_err())
        .map(|(i, line)| {
            serde_json::from_str::<Packet>(line)
                .map_err(|e| format!("stdout line {} is not a packet ({e}): {line}", i + 1))
        })
        .collect()
}

/// A receiver's data lines: its stdout without the event lines (`ready`, `sent`).
#[must_use]
pub fn data_lines(stdout: &[String]) -> Vec<String> {
    stdout.iter().filter(|line| serde_json::from_str::<Event>(line).is_err()).cloned().collect()
}

/// Checks received packets against the expected ones, all of them, in order.
///
/// # Errors
/// The first difference: a count, a sequence number, a topic, or a sample.
pub fn check_packets(
    received: &[Packet],
    expected: &[Vec<i16>],
    topic: &str,
) -> Result<(), String> {
    for (i, (got, want)) in received.iter().zip(expected).enumerate() {
        if got.seq != i as u64 {
            return Err(format!("packet {i} carries seq {}", got.seq));
        }
        if got.topic != topic {
            return Err(format!("packet {i}: topic {:?}, expected {topic:?}", got.topic));
        }
        if let Some(difference) = first_difference(&got.samples, want) {
            return Err(format!("packet {i} {difference}"));
        }
    }
    if received.len() != expected.len() {
        return Err(format!("received {} packets, expected {}", received.len(), expected.len()));
    }
    Ok(())
}

/// `sample 5: expected -123, got 456`, or a length difference.
fn first_difference(got: &[i16], want: &[i16]) -> Option<String> {
    if let Some(j) = got.iter().zip(want).position(|(g, w)| g != w) {
        return Some(format!("sample {j}: expected {}, got {}", want[j], got[j]));
    }
    (got.len() != want.len()).then(|| format!("has {} samples, expected {}", got.len(), want.len()))
}

/// Where a run of received packets sits in the expected sequence: the index of the expected
/// packet the first received one equals, with every later one following contiguously.
///
/// # Errors
/// When the first packet appears nowhere, or the run breaks (a gap or a reordering).
pub fn locate_run(received: &[Packet], expected: &[Vec<i16>]) -> Result<usize, String> {
    let first = received.first().ok_or("no packets received")?;
    let start = expected
        .iter()
        .position(|packet| *packet == first.samples)
        .ok_or("the first received packet is not in the expected sequence")?;
    for (offset, got) in received.iter().enumerate() {
        let index = start + offset;
        let want = expected
            .get(index)
            .ok_or_else(|| format!("received packet {offset} lies past the expected sequence"))?;
        if let Some(difference) = first_difference(&got.samples, want) {
            return Err(format!(
                "received packet {offset} should be expected packet {index} (a contiguous run from \
                 {start}) but {difference}"
            ));
        }
    }
    Ok(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(seq: u64, samples: &[i16]) -> Packet {
        Packet { seq, topic: "t".into(), samples: samples.to_vec() }
    }

    #[test]
    fn expected_packets_continue_one_sequence() {
        let packets = expected_packets(12345, 2, 3);
        let flat = expected_packets(12345, 1, 6);
        assert_eq!([packets[0].clone(), packets[1].clone()].concat(), flat[0]);
        // glibc: the low 16 bits of rand() after srand(12345) start 0xa847.
        assert_eq!(packets[0][0], 0xa847_u16.cast_signed());
    }

    #[test]
    fn the_first_differing_sample_is_named() {
        let want = vec![vec![1, 2], vec![3, 4]];
        assert_eq!(check_packets(&[packet(0, &[1, 2]), packet(1, &[3, 4])], &want, "t"), Ok(()));
        assert_eq!(
            check_packets(&[packet(0, &[1, 2]), packet(1, &[3, 5])], &want, "t").unwrap_err(),
            "packet 1 sample 1: expected 4, got 5"
        );
        assert_eq!(
            check_packets(&[packet(0, &[1, 2])], &want, "t").unwrap_err(),
            "received 1 packets, expected 2"
        );
        assert!(
            check_packets(&[packet(0, &[1])], &want, "t").unwrap_err().contains("has 1 samples")
        );
        assert!(check_packets(&[packet(3, &[1, 2])], &want, "t").unwrap_err().contains("seq 3"));
    }

    #[test]
    fn packets_skip_events_and_refuse_garbage() {
        let lines = vec![
            r#"{"event":"ready","endpoint":"tcp://127.0.0.1:1"}"#.to_owned(),
            r#"{"seq":0,"topic":"t","samples":[1]}"#.to_owned(),
        ];
        assert_eq!(packets(&lines).unwrap(), vec![packet(0, &[1])]);
        let err = packets(&["nonsense".to_owned()]).unwrap_err();
        assert!(err.starts_with("stdout line 1 is not a packet"), "{err}");
    }

    #[test]
    fn a_late_subscribers_run_is_located_and_gaps_are_refused() {
        let expected = expected_packets(1, 10, 4);
        let run: Vec<Packet> = (3..7).map(|i| packet(i - 3, &expected[i as usize])).collect();
        assert_eq!(locate_run(&run, &expected), Ok(3));
        let mut gap = run;
        gap.remove(1);
        assert!(locate_run(&gap, &expected).unwrap_err().contains("contiguous run from 3"));
        assert!(locate_run(&[packet(0, &[9, 9, 9, 9])], &expected).is_err());
    }
}
