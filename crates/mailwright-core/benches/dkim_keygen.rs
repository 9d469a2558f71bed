//! DKIM key generation speed: RSA-2048 and RSA-4096 with the `rsa` crate (what Mailwright
//! ships), median of 7 runs each, printed beside `openssl genrsa` on the same machine when
//! openssl is installed, as a ratio. Run: `cargo bench -p mailwright-core --bench dkim_keygen`.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mailwright_core::dkim::{KeyAlgorithm, generate_key};

const RUNS: usize = 7;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut()) -> (Duration, Duration, Duration) {
    let samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    let min = *samples.iter().min().unwrap();
    let max = *samples.iter().max().unwrap();
    (median(samples), min, max)
}

fn openssl(bits: usize) -> bool {
    Command::new("openssl")
        .args(["genrsa", &bits.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn main() {
    let have_openssl = openssl(1024);
    println!("DKIM key generation, median of {RUNS} runs (min–max)");
    for (algorithm, bits) in [(KeyAlgorithm::Rsa2048, 2048), (KeyAlgorithm::Rsa4096, 4096)] {
        let (ours, min, max) = time(RUNS, || {
            generate_key(algorithm).expect("key generation works");
        });
        print!("  RSA-{bits}: mailwright {ours:.2?} ({min:.2?}–{max:.2?})");
        if have_openssl {
            let (theirs, _, _) = time(RUNS, || {
                assert!(openssl(bits));
            });
            let ratio = ours.as_secs_f64() / theirs.as_secs_f64();
            print!("; openssl genrsa {theirs:.2?}; ratio {ratio:.1}×");
        } else {
            print!("; openssl not installed, no comparison");
        }
        println!();
    }
    let (ed, _, _) = time(RUNS, || {
        generate_key(KeyAlgorithm::Ed25519).expect("key generation works");
    });
    println!("  Ed25519: mailwright {ed:.2?}");
}
