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
    /// What the model learns from: right answers against unanswerable questions, both from
    /// the full text. A known-error match decides by its coverage, and a wrong best
    /// candidate teaches nothing about abstaining.
    fn label(&self) -> Option<bool> {
        match (self.verdict, self.known_error) {
            (_, Some(_)) | (Verdict::Wrong, _) => None,
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

/// What a threshold gives on a set of questions: the share of right first answers it
/// withholds and the share of unanswerable questions it abstains on.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rates {
    /// Share of right first answers the threshold withholds.
    pub withheld: f64,
    /// Share of unanswerable questions the threshold abstains on.
    pub abstained: f64,
}

/// What the threshold must keep, out of fold.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    /// At most this share of right first answers withheld on real text…
    pub real_withheld: f64,
    /// …and on our own questions…
    pub own_withheld: f64,
    /// …while abstaining on at least this share of our own unanswerable questions.
    pub own_abstained: f64,
}

/// A model fitted by cross-validation, with what the folds measured at its threshold.
pub struct Fit {
    /// The fitted weights and the threshold chosen for them.
    pub model: Model,
    /// Out of fold, on real text (the tuning half).
    pub real: Rates,
    /// Out of fold, on our own questions.
    pub own: Rates,
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
/// step that abstains on the most real unanswerable questions within `bounds` (then on the
/// most of ours); `None` when no step keeps them.
pub fn cross_validated(samples: &[Sample], folds: usize, bounds: Bounds) -> Option<Fit> {
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
        let share_below = |verdict: Verdict| {
            let (mut below, mut of_kind) = (0usize, 0usize);
            for confidences in &out_of_fold {
                for (sample, confidence) in samples.iter().zip(confidences) {
                    if sample.verdict == verdict && sample.real == real {
                        of_kind += 1;
                        below += usize::from(*confidence < threshold);
                    }
                }
            }
            below as f64 / of_kind.max(1) as f64
        };
        Rates {
            withheld: share_below(Verdict::Right),
            abstained: share_below(Verdict::Negative),
        }
    };
    let all: Vec<&Sample> = samples.iter().collect();
    let weights = fit_logistic(&all);
    let mut best: Option<(f32, Rates, Rates)> = None;
    for step in 0..=100 {
        let threshold = step as f32 / 100.0;
        let (real, own) = (rates_at(threshold, true), rates_at(threshold, false));
        let within = real.withheld <= bounds.real_withheld
            && own.withheld <= bounds.own_withheld
            && own.abstained >= bounds.own_abstained;
        // The most real unanswerable questions abstained on; among steps equal on those,
        // the most of ours.
        let better = best
            .is_none_or(|(_, b, o)| (real.abstained, own.abstained) > (b.abstained, o.abstained));
        if within && better {
            best = Some((threshold, real, own));
        }
    }
    let (threshold, real, own) = best?;
    Some(Fit {
        model: Model { weights, threshold },
        real,
        own,
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
