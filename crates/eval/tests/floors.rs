//! Search quality must not fall below what we measured (`cargo run -p eval --release`), and
//! shirube must stay ahead of the character-bigram baseline on every kind of query. The
//! floors sit a little under the measured figures so that a change which helps overall but
//! costs one query still passes; a real regression does not.

use eval::{BigramBaseline, Shirube, evaluate, load_queries};
use shirube::search::Engine;
use std::path::Path;

#[test]
fn search_quality_stays_above_its_floors_and_ahead_of_the_baseline() {
    let queries =
        load_queries(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/queries")).unwrap();
    let shirube = Shirube {
        engine: Engine::embedded().unwrap(),
    };
    let baseline = BigramBaseline::build(shirube.engine.knowledge_base()).unwrap();
    let ours = evaluate(&shirube, &queries).unwrap();
    let theirs = evaluate(&baseline, &queries).unwrap();

    let floors = [
        ("log", None, 0.95, 0.96),
        ("paraphrase", Some("ja"), 0.92, 0.94),
        ("paraphrase", Some("en"), 0.95, 0.96),
        ("keyword", None, 0.98, 0.98),
        ("version", None, 0.96, 0.96),
    ];
    for (kind, lang, recall_floor, mrr_floor) in floors {
        let group = ours.group(kind, lang);
        assert!(group.queries > 0, "no {kind} queries");
        assert!(
            group.recall_at_1() >= recall_floor && group.mrr() >= mrr_floor,
            "{kind} {lang:?}: R@1 {:.3} (floor {recall_floor}), MRR {:.3} (floor {mrr_floor})",
            group.recall_at_1(),
            group.mrr()
        );
    }
    for kind in ["log", "paraphrase", "keyword", "version"] {
        let (a, b) = (ours.group(kind, None), theirs.group(kind, None));
        assert!(
            a.mrr() > b.mrr(),
            "{kind}: shirube MRR {:.3} is not above the baseline's {:.3}",
            a.mrr(),
            b.mrr()
        );
    }
    assert!(
        ours.abstention_rate() >= 0.8,
        "negatives abstained: {:.3}",
        ours.abstention_rate()
    );
    assert!(
        ours.pushed_out_rate() <= 0.03,
        "answers pushed out by abstention: {:.3}",
        ours.pushed_out_rate()
    );
}
