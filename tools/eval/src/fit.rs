//! Fitting the confidence model that ships (`shirube::search::confidence::Model`): what it
//! is fitted on, the fit, and the threshold, chosen by cross-validation on the questions it
//! may learn from (never the held-out half).

use crate::{Query, Shirube};
use shirube::Error;
use shirube::search::Hit;
use shirube::search::confidence::{Features, INPUTS, Model};
use std::fmt::Write;

/// What the best candidate of a question is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum Verdict {
    /// The question's answer.
    Right,
    /// Not the question's answer.
    Wrong,
    /// The question has no answer in the knowledge base.
    Negative,
}

/// One question as the confidence model sees it: its best candidate.
#[derive(Clone, Debug)]
pub struct Sample {
    /// Whether the best candidate was right, wrong, or there was no answer to find.
    pub verdict: Verdict,
    /// The best candidate's features, as the confidence model reads them.
    pub features: Features,
    /// How much of one of the candidate's known errors a pasted line showed, if any: the
    /// confidence is at least that.
    pub known_error: Option<f32>,
    /// Questions of one group go to one fold: the source of a real query, else its text.
    pub group: String,
    /// A question from real public text, not one of ours.
    pub real: bool,
}

impl Sample {
    /// What the model learns from: whether the first candidate is the question's answer,
    /// from the full text. A wrong first candidate and an unanswerable question teach the
    /// same thing, since answering either confidently hands the engineer another issue's
    /// workaround. A known-error match decides by its coverage, and teaches nothing.
    fn label(&self) -> Option<bool> {
        match (self.verdict, self.known_error) {
            (_, Some(_)) => None,
            (Verdict::Wrong, None) => Some(false),
            (Verdict::Right, None) => Some(true),
            (Verdict::Negative, None) => Some(false),
        }
    }

    /// Its confidence under `weights`, as the engine computes it.
    fn confidence(&self, weights: &[f32; INPUTS + 1]) -> f32 {
        let model = Model {
            weights: *weights,
            threshold: 0.0,
        };
        model.confidence(&self.features, self.known_error)
    }
}

/// The best candidate of every question that has one.
pub fn samples(shirube: &Shirube, queries: &[Query]) -> Result<Vec<Sample>, Error> {
    let mut samples = Vec::new();
    for query in queries {
        let Some(top) = best_candidate(shirube, query)? else {
            continue;
        };
        let verdict = match &query.expect {
            None => Verdict::Negative,
            Some(expected) if *expected == top.entry.id => Verdict::Right,
            Some(_) => Verdict::Wrong,
        };
        samples.push(Sample {
            verdict,
            features: top.features,
            known_error: top.known_error.as_ref().map(|k| k.shown),
            group: query.source.clone().unwrap_or_else(|| query.text.clone()),
            real: query.source.is_some(),
        });
    }
    Ok(samples)
}

/// What a threshold gives on a set of questions, out of fold.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rates {
    /// Share of right first answers the threshold withholds.
    pub withheld: f64,
    /// Share of unanswerable questions the threshold abstains on.
    pub abstained: f64,
    /// Share of questions whose first candidate is another entry's that it answers anyway.
    pub wrong_answered: f64,
    /// What the threshold costs per question, in withheld right answers (see [`Costs`]).
    pub cost: f64,
}

/// What the threshold is chosen for. A withheld right answer is still shown, among the
/// weak candidates, and costs the engineer a look; a confident wrong answer, to a question
/// no entry answers or ahead of the right entry, gets its workaround applied.
#[derive(Clone, Copy, Debug)]
pub struct Costs {
    /// What a confident wrong answer costs, in withheld right answers.
    pub confident_wrong: f64,
    /// At most this share of our own right first answers may be withheld: our own sets
    /// must not fall.
    pub own_withheld: f64,
}

/// A model fitted by cross-validation, with what the folds measured at its threshold.
pub struct Fit {
    /// The fitted weights and the threshold chosen for them.
    pub model: Model,
    /// Out of fold, on real text (the tuning half).
    pub real: Rates,
    /// Out of fold, on our own questions.
    pub own: Rates,
    /// Out of fold, on real text and on ours, at every step of the threshold from 0 to 1 by
    /// 0.01.
    pub sweep: Vec<(f32, Rates, Rates)>,
}

/// How much a real question counts in the fit against one of ours: real text is what the
/// model must serve, and there is less of it.
const REAL_WEIGHT: f64 = 3.0;

/// How many times the cross-validation is run, each time with the groups dealt into other
/// folds. With about fifty real right answers, one withheld answer is 2 %: a single dealing
/// decides the threshold by which fold one question happened to land in.
pub const REPEATS: usize = 10;

/// Fits the model on `samples`: weights on all of them, and the threshold from out-of-fold
/// confidences (each question scored by weights fitted on the other `folds - 1` folds, in
/// each of [`REPEATS`] dealings of the groups into folds, the rates averaged over them): the
/// step that costs least on real text by `costs`, among those that withhold no more of our
/// own right answers than it allows; `None` when no step does.
pub fn cross_validated(samples: &[Sample], folds: usize, costs: Costs) -> Option<Fit> {
    let out_of_fold: Vec<Vec<f32>> = (0..REPEATS)
        .map(|repeat| {
            let fold_of =
                |sample: &Sample| fnv(&format!("{repeat}\0{}", sample.group)) as usize % folds;
            let mut confidences = vec![0.0f32; samples.len()];
            for fold in 0..folds {
                let training: Vec<&Sample> =
                    samples.iter().filter(|s| fold_of(s) != fold).collect();
                let weights = fit_logistic(&training);
                for (i, sample) in samples.iter().enumerate() {
                    if fold_of(sample) == fold {
                        confidences[i] = sample.confidence(&weights);
                    }
                }
            }
            confidences
        })
        .collect();
    let rates_at = |threshold: f32, real: bool| {
        // Per verdict: how many of its samples, and how many fall below the threshold.
        let mut counts = [(0usize, 0usize); 3];
        for confidences in &out_of_fold {
            for (sample, confidence) in samples.iter().zip(confidences) {
                if sample.real == real {
                    let count = &mut counts[sample.verdict as usize];
                    count.0 += 1;
                    count.1 += usize::from(*confidence < threshold);
                }
            }
        }
        let share = |(of_kind, below): (usize, usize)| below as f64 / of_kind.max(1) as f64;
        let [right, wrong, negative] = counts;
        let questions = (right.0 + wrong.0 + negative.0).max(1) as f64;
        let confident_wrong = (wrong.0 - wrong.1) + (negative.0 - negative.1);
        Rates {
            withheld: share(right),
            abstained: share(negative),
            wrong_answered: 1.0 - share(wrong),
            cost: (right.1 as f64 + costs.confident_wrong * confident_wrong as f64) / questions,
        }
    };
    let all: Vec<&Sample> = samples.iter().collect();
    let weights = fit_logistic(&all);
    let mut best: Option<(f32, Rates, Rates)> = None;
    let mut sweep = Vec::new();
    for step in 0..=100 {
        let threshold = step as f32 / 100.0;
        let (real, own) = (rates_at(threshold, true), rates_at(threshold, false));
        sweep.push((threshold, real, own));
        let better = best.is_none_or(|(_, b, _)| real.cost < b.cost);
        if own.withheld <= costs.own_withheld && better {
            best = Some((threshold, real, own));
        }
    }
    let (threshold, real, own) = best?;
    Some(Fit {
        model: Model { weights, threshold },
        real,
        own,
        sweep,
    })
}

/// FNV-1a: a fold assignment that depends on the group alone, the same on every run.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// One line per query, to read what the confidence model sees: the kind, the language,
/// whether the best candidate is the answer (`right`, `wrong`, or `negative` for an
/// unanswerable question), its id and confidence, whether a known error matched, the
/// model's inputs (in the order of `Features::inputs`) and the start of the query.
pub fn confidence_inputs(shirube: &Shirube, queries: &[Query]) -> Result<String, Error> {
    let mut out = String::new();
    for query in queries {
        let verdict = |id: &str| match &query.expect {
            None => "negative",
            Some(expected) if expected == id => "right",
            Some(_) => "wrong",
        };
        let line = match best_candidate(shirube, query)? {
            None => format!("{}\t{}\t{}\t-", query.kind, query.lang, verdict("")),
            Some(top) => format!(
                "{}\t{}\t{}\t{}\t{:.3}\t{}\t{:.2?}",
                query.kind,
                query.lang,
                verdict(&top.entry.id),
                top.entry.id,
                top.confidence,
                if top.known_error.is_some() {
                    "known-error"
                } else {
                    "text"
                },
                top.features.inputs(),
            ),
        };
        let start: String = query.text.replace('\n', " ").chars().take(80).collect();
        let _ = writeln!(out, "{line}\t{start}");
    }
    Ok(out)
}

/// The candidate whose confidence decides for `query`.
fn best_candidate(shirube: &Shirube, query: &Query) -> Result<Option<Hit<'static>>, Error> {
    Ok(shirube.ranking(query)?.best().cloned())
}

/// Fits a logistic regression (intercept first) to the labelled samples by gradient descent
/// with a little L2 regularisation; few features and a small sample, so this needs no
/// library. Weights are rounded to two decimals, as they are written into the source.
pub fn fit_logistic(samples: &[&Sample]) -> [f32; INPUTS + 1] {
    let labelled: Vec<(bool, [f32; INPUTS], f64)> = samples
        .iter()
        .filter_map(|s| {
            let weight = if s.real { REAL_WEIGHT } else { 1.0 };
            Some((s.label()?, s.features.inputs(), weight))
        })
        .collect();
    let mut w = [0.0f64; INPUTS + 1];
    let n: f64 = labelled
        .iter()
        .map(|(_, _, weight)| weight)
        .sum::<f64>()
        .max(1.0);
    for _ in 0..5000 {
        let mut gradient = [0.0f64; INPUTS + 1];
        for (label, x, weight) in &labelled {
            let z = w[0]
                + x.iter()
                    .zip(&w[1..])
                    .map(|(x, w)| f64::from(*x) * w)
                    .sum::<f64>();
            let error = weight * (1.0 / (1.0 + (-z).exp()) - if *label { 1.0 } else { 0.0 });
            gradient[0] += error;
            for (g, x) in gradient[1..].iter_mut().zip(x.iter()) {
                *g += error * f64::from(*x);
            }
        }
        for (i, (w, g)) in w.iter_mut().zip(&gradient).enumerate() {
            let l2 = if i == 0 { 0.0 } else { 0.001 * *w };
            *w -= 0.5 * (g / n + l2);
        }
    }
    w.map(|w| (w * 100.0).round() as f32 / 100.0)
}
