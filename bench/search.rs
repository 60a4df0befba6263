//! Query latency per kind of query (ranking, the decision and snippets, as `search` pays),
//! in process, on the embedded knowledge base: `cargo bench --bench search`. Whole-process cold starts are measured by bench/search.sh.

use criterion::{Criterion, criterion_group, criterion_main};
use shirube::search::{Engine, Request};
use shirube_kb::Lang;
use std::hint::black_box;

const QUERIES: [(&str, Lang, &str); 4] = [
    (
        "pasted log line",
        Lang::En,
        "F1103 02:11:07.551020       1 server.go:495] open /proc/sys/net/netfilter/nf_conntrack_max: permission denied",
    ),
    (
        "Japanese symptom",
        Lang::Ja,
        "アップグレード中にノードがメンテナンス モードだったせいで失敗する",
    ),
    (
        "English symptom",
        Lang::En,
        "pods lose connectivity to other nodes after reloading firewalld",
    ),
    ("keyword", Lang::En, "rp_filter"),
];

fn search(c: &mut Criterion) {
    let engine = Engine::embedded().expect("the embedded index opens");
    let mut group = c.benchmark_group("search");
    for (kind, lang, query) in QUERIES {
        let request = Request {
            lang: Some(lang),
            ..Request::new(query)
        };
        group.bench_function(kind, |b| {
            b.iter(|| engine.search(black_box(&request)).unwrap())
        });
    }
    group.finish();
}

fn open(c: &mut Criterion) {
    c.bench_function("open embedded engine", |b| b.iter(Engine::embedded));
}

criterion_group!(benches, search, open);
criterion_main!(benches);
