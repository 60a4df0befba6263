//! Search quality must not fall below what we measured (`cargo run -p eval --release`) on
//! our own query sets and on the held-out half of the real-world one, and shirube must stay
//! ahead of the character-bigram baseline on our own sets. The floors sit a little under the
//! measured figures so that a change which helps overall but costs one query still passes;
//! a real regression does not.

use eval::{BigramBaseline, QuerySets, Report, Shirube, evaluate};
use shirube::search::Engine;

struct Measured {
    own: Report,
    own_baseline: Report,
    heldout: Report,
}

fn measure() -> Measured {
    let sets = QuerySets::load().unwrap();
    let shirube = Shirube {
        engine: Engine::embedded().unwrap(),
    };
    let baseline = BigramBaseline::build(shirube.engine.knowledge_base()).unwrap();
    Measured {
        own: evaluate(&shirube, &sets.own).unwrap(),
        own_baseline: evaluate(&baseline, &sets.own).unwrap(),
        heldout: evaluate(&shirube, &sets.real_heldout).unwrap(),
    }
}

#[test]
fn search_quality_stays_above_its_floors() {
    let Measured {
        own,
        own_baseline,
        heldout,
    } = measure();

    // Japanese paraphrases: 0.944 R@1 over the seed page's 42 entries. Once the 173
    // entries retold from the release notes compete, the seed page's 71 questions fall to
    // 0.803 (the right entry is second for most of the rest: R@3 0.944), while the real
    // held-out half's Japanese questions keep their ranking (8 of 11 first, before and
    // after); with the release notes' own 173 questions the group measures 0.922.
    let floors = [
        ("log", None, 0.95, 0.96),
        ("paraphrase", Some("ja"), 0.92, 0.94),
        ("paraphrase", Some("en"), 0.95, 0.96),
        // 48 of 49 since the release notes' entries: ABM-0026's Japanese keyword question
        // ranks it third, after two entries about namespaces that will not delete.
        ("keyword", None, 0.97, 0.98),
        ("version", None, 0.96, 0.96),
    ];
    for (kind, lang, recall_floor, mrr_floor) in floors {
        let group = own.group(kind, lang);
        assert!(group.queries > 0, "no {kind} queries");
        assert!(
            group.recall_at_1() >= recall_floor && group.mrr() >= mrr_floor,
            "{kind} {lang:?}: R@1 {:.3} (floor {recall_floor}), MRR {:.3} (floor {mrr_floor})",
            group.recall_at_1(),
            group.mrr()
        );
    }
    for kind in ["log", "paraphrase", "keyword", "version"] {
        let (a, b) = (own.group(kind, None), own_baseline.group(kind, None));
        assert!(
            a.mrr() > b.mrr(),
            "{kind}: shirube MRR {:.3} is not above the baseline's {:.3}",
            a.mrr(),
            b.mrr()
        );
    }
    // Measured 0.750 and 0.007 once the model read whether a question names the entry's
    // upstream (0.700 and 0.004 before; 0.850 and 0.011 when the model was fitted on these
    // questions alone). With the release notes' entries, the threshold was lowered from 0.20
    // to 0.15 so that the real tuning half withholds what it did before (4/50 = 0.080, from
    // 4/51): 0.525 and 0.008. With search in context (issue 27): 0.550 and 0.003. With the
    // threshold chosen by cost (issue 27: a confident wrong answer costs three right ones
    // shown as weak, and at most 3 % of our right first answers may be withheld): 0.875 and
    // 0.026. With 12 bare questions among our negatives (`vague.toml`) and the model reading
    // how many other entries contain every word of a question: 0.885 (of 52) and 0.030.
    // With 24 messages every log prints among them (`common.toml`), which are harder: 7 are
    // still answered, where an entry's title says the message: 0.842 (of 76) and 0.028; of
    // the 52 before, 47 are abstained on (46 before). The floor follows the harder set.
    // With Go's net, TLS and x509 messages among those every log prints, and a question on
    // another platform ruling out the product's own issues: 0.921 (70/76) and 0.030.
    assert!(
        own.abstention_rate() >= 0.92,
        "our negatives abstained: {:.3}",
        own.abstention_rate()
    );
    assert!(
        own.withheld_rate() <= 0.03,
        "our right first answers withheld: {:.3}",
        own.withheld_rate()
    );

    // The real held-out half (tests/queries/real/heldout.toml), measured once the model was
    // fitted: MRR 0.660, symptom R@1 0.632, right first answers withheld 3/36, negatives
    // abstained 13/29. With entries' second round of upstream errors: MRR 0.660, right
    // first answers 38 (from 36), of which 5 withheld, 12/29 abstained. With the model
    // reading whether a question names the entry's upstream: MRR 0.699, symptom R@1 0.684,
    // 3/38 withheld, 12/29 abstained. With the 173 entries of the release notes (and the
    // threshold at 0.15): MRR 0.681, symptom R@1 0.658, 3/37 withheld, 12/29 abstained.
    // With search in context (issue 27): 13/29 abstained. With the threshold chosen by cost
    // (issue 27), the ranking above is unchanged and abstention trades right answers for
    // wrong ones: 11/37 right first answers withheld (3/37 before), 18/29 abstained. The
    // withheld ones are still shown, as weak candidates. Refitted once a fact named with
    // several values changed one tuning question's best candidate: 17/29 abstained. (The
    // fit before that change did better here, 18/29; keeping it for that would be choosing
    // the model by the held-out half.)
    let overall = heldout.overall();
    let symptoms = heldout.group("symptom", None);
    assert!(overall.mrr() >= 0.77, "held-out MRR {:.3}", overall.mrr());
    assert!(
        symptoms.recall_at_1() >= 0.73,
        "held-out symptom R@1 {:.3}",
        symptoms.recall_at_1()
    );
    assert!(
        heldout.withheld_rate() <= 0.30,
        "held-out right first answers withheld {:.3}",
        heldout.withheld_rate()
    );
    // When the held-out half gained 7 negatives (5 about an entry's upstream with another
    // cause, 2 of them quoting the entry's error), 6 of them answered confidently with the
    // model shipped and with its refit alike: 19/36 abstained. When it gained 6 more (3 near
    // misses, on ABM-0010, ABM-0035 and ABM-0014) with 2 answerable questions, 4 of the 6
    // were answered confidently: 21/42 abstained. The set got harder; the search did not
    // change with it, so the floor follows the set.
    assert!(
        heldout.abstention_rate() >= 0.50,
        "held-out negatives abstained {:.3}",
        heldout.abstention_rate()
    );
    // What a user of the held-out half sees (issue 27), measured with search in context
    // (facts the question states) and fragments worth what they show: the right answer
    // among those shown 44/52, unrelated questions answered confidently 8/19, near misses
    // 8/10. With the threshold chosen by cost: 43/52 (a right answer ranked fourth is shown
    // among five answers, not among three weak candidates), 4/19 and 7/10; refitted as
    // above, 5/19 unrelated. With a known error that explains little of a long line giving
    // confidence in proportion: 6/10 near misses. The bars are 0.93, 0.20 and 0.45:
    // these floors keep what is reached. The 7 new negatives above: unrelated 9/24 (4 of the
    // 5 new answered) and near misses 8/12 (both new answered); a harder set, not a change
    // of the search, so the floors follow it. The 8 later ones (6 negatives): right among
    // those shown 45/54, unrelated 11/27 (2 of the 3 new answered), near misses 10/15 (2 of
    // the 3 new answered); the floors follow the set again.
    assert!(
        heldout.seen_right as f64 / heldout.answerable as f64 >= 0.82,
        "held-out right among those shown {}/{}",
        heldout.seen_right,
        heldout.answerable
    );
    // Answerable questions answered confidently with another entry first: 4/52 before the
    // threshold was chosen by cost, 2/52 after.
    assert!(
        heldout.wrong_first_answered <= 2,
        "held-out answered confidently with another entry first {}/{}",
        heldout.wrong_first_answered,
        heldout.answerable
    );
    assert!(
        heldout.unrelated_answered_rate() <= 0.41,
        "held-out unrelated answered confidently {:.3}",
        heldout.unrelated_answered_rate()
    );
    assert!(
        heldout.near_misses_answered_rate() <= 0.67,
        "held-out near misses answered confidently {:.3}",
        heldout.near_misses_answered_rate()
    );
}
