//! How the 100,000-document clusters-only run scales from one thread to
//! all, beside how far this machine lets work scale at all: the two thread
//! counts run in turn, round after round, on the same corpus in one
//! process.
//!
//! `cargo bench --bench scaling` (`-- --rounds N` for more rounds than 10).
//! Run as a test (`cargo test --benches`, no `--bench`), it makes 2,000
//! documents, one round, and checks the two reports agree.
//!
//! Criterion's `pipeline_100k` group measures one thread count after the
//! other, a minute apart; on a shared machine whose speed drifts by a
//! quarter within a minute, the ratio of the two is mostly the drift. Here
//! each round times one run on each, so a drift slows both alike, and the
//! median of the rounds' ratios is the figure.
//!
//! Each round also times the ceiling: xxh3 of every character 5-gram of
//! every document, in parallel over documents with nothing shared, the
//! most that work of this kind can scale on this machine at this moment.
//! Two cores of a VM may not give two threads twice one's speed (a shared
//! host, memory, or clock); the ceiling's ratio says how much they give.

#[path = "../tests/support/generate.rs"]
mod generate;

use std::time::{Duration, Instant};

use chachong::{Config, Deduplicator, Document};
use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64_with_seed;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let benching = args.iter().any(|a| a == "--bench");
    let (documents, rounds) = if benching {
        (100_000, rounds(&args))
    } else {
        (2_000, 1)
    };
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    if all < 2 {
        println!("scaling: one CPU here, nothing to compare");
        return;
    }
    let pool = |n: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .expect("a thread pool")
    };
    let pools = [pool(1), pool(all)];
    let corpus = generate::scale_corpus(42, documents, 0.2);
    let docs = &corpus.docs[..];
    let dedup = Deduplicator::new(Config::clusters_only()).expect("the default config");
    let planted: usize = corpus.truth.iter().map(|c| c.len() - 1).sum();
    let pipeline = |pool: &rayon::ThreadPool| {
        timed(|| {
            let report = pool.install(|| dedup.run(docs)).expect("a run");
            assert!(report.pairs.len() >= planted / 4, "{}", report.pairs.len());
            report
        })
    };
    let ceiling = |pool: &rayon::ThreadPool| timed(|| pool.install(|| hash_windows(docs)));
    // One of each first, untimed: the corpus's pages and the pools'
    // threads are warm before the first round. The thread count must not
    // change what is found.
    let found = pools.each_ref().map(|pool| {
        let report = pool.install(|| dedup.run(docs)).expect("a run");
        ceiling(pool);
        (report.clusters, report.pairs)
    });
    assert!(
        found[0] == found[1],
        "1 and {all} threads found different clusters or pairs"
    );
    let (mut runs, mut ceilings) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        // Alternate which goes first, so neither always follows the other.
        let order: [usize; 2] = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        let mut run = [None, None];
        let mut ceil = [None, None];
        for &k in &order {
            run[k] = Some(pipeline(&pools[k]));
            ceil[k] = Some(ceiling(&pools[k]));
        }
        let [Some(one), Some(many)] = run else {
            unreachable!("both thread counts ran")
        };
        let [Some(ceil_one), Some(ceil_many)] = ceil else {
            unreachable!("both thread counts ran")
        };
        let busy = many
            .busy
            .map(|cpus| format!(" (CPUs busy {cpus:.2})"))
            .unwrap_or_default();
        println!(
            "round {:>2}: chachong 1 thread {:.3} s, {all} threads {:.3} s{busy}: {:.3}x; \
             ceiling {:.3} s, {:.3} s: {:.3}x",
            round + 1,
            secs(one.took),
            secs(many.took),
            ratio(one.took, many.took),
            secs(ceil_one.took),
            secs(ceil_many.took),
            ratio(ceil_one.took, ceil_many.took),
        );
        runs.push((one.took, many.took));
        ceilings.push((ceil_one.took, ceil_many.took));
    }
    let (run, run_low, run_high) = median_ratio(&runs);
    let (ceil, ceil_low, ceil_high) = median_ratio(&ceilings);
    println!(
        "scaling 1 -> {all} threads, median of {rounds} rounds: chachong {run:.3}x \
         (rounds {run_low:.3}x to {run_high:.3}x); ceiling {ceil:.3}x \
         ({ceil_low:.3}x to {ceil_high:.3}x); chachong at {:.2} of the ceiling",
        run / ceil
    );
}

/// xxh3 of every character 5-gram of every document, in parallel over
/// documents: the ceiling's work (as `sketch_char5/xxh3_hashes_only` in
/// the stages bench, for a whole corpus).
fn hash_windows(docs: &[Document]) -> u64 {
    docs.par_iter()
        .map(|doc| {
            let text = doc.text();
            let starts = text.char_indices().map(|(at, _)| at);
            let ends = starts.clone().chain([text.len()]).skip(5);
            starts
                .zip(ends)
                .map(|(start, end)| xxh3_64_with_seed(&text.as_bytes()[start..end], 1))
                .fold(0u64, u64::wrapping_add)
        })
        .reduce(|| 0, u64::wrapping_add)
}

/// One timed run: its wall time, and how many CPUs it kept busy on
/// average (where the system says, from `/proc/self/stat`): below the
/// thread count, threads waited (a serial step, a lock, the end of a
/// stage); at it, any shortfall is each thread running slower.
struct Timed {
    took: Duration,
    busy: Option<f64>,
}

/// Times `work`; what it returns is dropped after the clock stops.
fn timed<T>(work: impl FnOnce() -> T) -> Timed {
    let (started, cpu_before) = (Instant::now(), cpu_seconds());
    let out = std::hint::black_box(work());
    let took = started.elapsed();
    let busy = cpu_before
        .zip(cpu_seconds())
        .map(|(before, after)| (after - before) / secs(took));
    drop(out);
    Timed { took, busy }
}

/// User and system CPU time of this process so far, on Linux.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which may hold spaces): utime and
    // stime are the 12th and 13th, in clock ticks of 1/100 s.
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let ticks = |k: usize| fields.get(k)?.parse::<f64>().ok();
    Some((ticks(11)? + ticks(12)?) / 100.0)
}

/// The median, lowest and highest of the rounds' ratios.
fn median_ratio(times: &[(Duration, Duration)]) -> (f64, f64, f64) {
    let mut ratios: Vec<f64> = times.iter().map(|&(one, many)| ratio(one, many)).collect();
    ratios.sort_by(f64::total_cmp);
    (
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1],
    )
}

fn ratio(one: Duration, many: Duration) -> f64 {
    secs(one) / secs(many)
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// `--rounds N` from the command line (cargo passes `--bench` too), 10 by
/// default.
fn rounds(args: &[String]) -> usize {
    match args.iter().position(|a| a == "--rounds") {
        Some(at) => match args.get(at + 1).and_then(|n| n.parse().ok()) {
            Some(n) if n > 0 => n,
            _ => {
                eprintln!("scaling: --rounds takes a positive number");
                std::process::exit(2);
            }
        },
        None => 10,
    }
}
