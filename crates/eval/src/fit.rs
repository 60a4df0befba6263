//! What the confidence model is fitted on, and the fit: the model itself is
//! `shirube::search::confidence::Model`, fitted here and nowhere copied.

use crate::{Query, Shirube};
use shirube::Error;
use shirube::search::Hit;
use shirube::search::confidence::INPUTS;
use std::fmt::Write;

/// The confidence features of the best candidate of each question whose answer comes from
/// the full text (not a known-error match), labelled true when the question is answerable
/// and that candidate is its answer, false when the question is unanswerable. Answerable
/// questions ranked wrong are left out: they teach nothing about abstaining.
pub fn confidence_samples(
    shirube: &Shirube,
    queries: &[Query],
) -> Result<Vec<(bool, [f32; INPUTS])>, Error> {
    let mut samples = Vec::new();
    for query in queries {
        let Some(top) = best_candidate(shirube, query)? else {
            continue;
        };
        if top.known_error.is_some() {
            continue;
        }
        match &query.expect {
            None => samples.push((false, top.features.inputs())),
            Some(expected) if *expected == top.entry.id => {
                samples.push((true, top.features.inputs()))
            }
            Some(_) => {}
        }
    }
    Ok(samples)
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

/// Fits a logistic regression (intercept first) by gradient descent with a little L2
/// regularisation; few features and a small sample, so this needs no library.
pub fn fit_logistic(samples: &[(bool, [f32; INPUTS])]) -> [f32; INPUTS + 1] {
    let mut w = [0.0f64; INPUTS + 1];
    let n = samples.len().max(1) as f64;
    for _ in 0..5000 {
        let mut gradient = [0.0f64; INPUTS + 1];
        for (label, x) in samples {
            let z = w[0]
                + x.iter()
                    .zip(&w[1..])
                    .map(|(x, w)| f64::from(*x) * w)
                    .sum::<f64>();
            let error = 1.0 / (1.0 + (-z).exp()) - if *label { 1.0 } else { 0.0 };
            gradient[0] += error;
            for (g, x) in gradient[1..].iter_mut().zip(x) {
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
