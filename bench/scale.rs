//! Query latency at scale: every query of a file against a knowledge base built into a
//! directory (`shirube --kb DIR`) and against the embedded one, each query ranked and its
//! shown hits given snippets, as `shirube search` does. Prints p50/p90/p99 per knowledge
//! base and per kind of query, and the same percentiles for a baseline in the same process: a case-insensitive
//! substring scan of the whole entries file for the query's longest word (what grepping the
//! knowledge base would cost).
//!
//! `bench/scale.sh` generates a 100,000-entry knowledge base, builds it and runs this:
//! `cargo bench --bench scale -- DIR QUERIES.tsv` (lines of `kind<TAB>query`).

use memchr::memmem;
use shirube::search::{Engine, Request};
use shirube::store::{Access, DirectoryKind, KbSource};
use shirube_kb::Lang;
use shirube_kb::built::BuiltDir;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let [dir, queries] = args.as_slice() else {
        eprintln!("usage: cargo bench --bench scale -- DIR QUERIES.tsv (see bench/scale.sh)");
        return;
    };
    let lines = std::fs::read_to_string(queries).expect("the queries file is readable");
    let queries: Vec<(&str, &str)> = lines
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .collect();

    let started = Instant::now();
    // Mapped, as every command but `serve` opens it.
    let source = KbSource::directory(PathBuf::from(dir), Access::Map, DirectoryKind::Given)
        .expect("DIR was built by index-build");
    let engine = source.engine().expect("the knowledge base in DIR opens");
    let entries = source.knowledge_base().map_or(0, |kb| kb.entries.len());
    println!(
        "{dir}: {entries} entries, engine opened in {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    report_by_kind("--kb DIR", &queries, &time_queries(&engine, &queries));

    let embedded = Engine::embedded().expect("the embedded index opens");
    report_by_kind("embedded", &queries, &time_queries(&embedded, &queries));

    let text = std::fs::read(BuiltDir::new(dir).entries())
        .expect("kb.json is readable")
        .to_ascii_lowercase();
    let baseline: Vec<Duration> = queries
        .iter()
        .map(|(_, query)| {
            let word = query
                .split_whitespace()
                .max_by_key(|w| w.len())
                .unwrap_or(query)
                .to_lowercase();
            let started = Instant::now();
            std::hint::black_box(memmem::find_iter(&text, word.as_bytes()).count());
            started.elapsed()
        })
        .collect();
    report("baseline: substring scan, all", &baseline);
}

/// Each query's wall time, as `shirube search` asks it (snippets for the hits it shows).
fn time_queries(engine: &Engine, queries: &[(&str, &str)]) -> Vec<Duration> {
    queries
        .iter()
        .map(|(_, query)| {
            let request = Request {
                lang: Some(Lang::En),
                ..Request::new(query)
            };
            let started = Instant::now();
            let ranking = engine.search(&request).expect("search runs");
            std::hint::black_box(&ranking.shown);
            started.elapsed()
        })
        .collect()
}

/// The percentiles of all queries, then of each kind of query.
fn report_by_kind(knowledge_base: &str, queries: &[(&str, &str)], times: &[Duration]) {
    report(&format!("{knowledge_base}, all"), times);
    let mut kinds: Vec<&str> = queries.iter().map(|(kind, _)| *kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for kind in kinds {
        let of_kind: Vec<Duration> = queries
            .iter()
            .zip(times)
            .filter(|((k, _), _)| *k == kind)
            .map(|(_, t)| *t)
            .collect();
        report(&format!("{knowledge_base}, {kind}"), &of_kind);
    }
}

fn report(what: &str, times: &[Duration]) {
    let mut ms: Vec<f64> = times.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() - 1) as f64 * p).round() as usize];
    println!(
        "{what:<30} {n:>4} queries  p50 {:7.2} ms  p90 {:7.2} ms  p99 {:7.2} ms  max {:7.2} ms",
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0),
        n = ms.len()
    );
}
