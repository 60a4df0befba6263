//! `cargo run -p eval --release`: scores shirube and the bigram baseline on each query set
//! apart — written by us (`tests/queries/*.toml`), and real public text, its tuning half and
//! its held-out half (`tests/queries/real/`) — and prints a summary line per set, then each
//! set's table.
//!
//! - `--set own|tuning|heldout`: only that set's table (and misses, inputs, calibration).
//! - `--misses`: every query not answered first, to read rather than to tune on.
//! - `--calibrate`: sweep the threshold; for each step, negatives abstained and right first
//!   answers withheld.
//! - `--inputs`: each query's best candidate with the model's inputs, to read before fitting.
//! - `--threshold T`: evaluate with another threshold (`0` shows the ranking before
//!   abstention).
//! - `--fit`: fit the model that ships (`Model::FITTED` in `src/search/confidence/`) on
//!   everything but the held-out half, the threshold cross-validated at the least cost, and
//!   print it with what each step of the threshold costs out of fold.

use eval::fit::{Costs, REPEATS, cross_validated, samples};
use eval::{
    BigramBaseline, Query, QuerySets, Shirube, confidence_inputs, evaluate, seen_by_user, summary,
    table,
};
use shirube::Error;
use shirube::search::Engine;
use shirube::search::confidence::Model;
use std::process::ExitCode;

/// Folds of the cross-validation that picks the threshold.
const FOLDS: usize = 5;
/// What the threshold is chosen for: a confident wrong answer costs as much as this many
/// right answers shown as weak (see `Costs`), and our own questions keep what they had.
const COSTS: Costs = Costs {
    confident_wrong: 3.0,
    own_withheld: 0.03,
};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("eval: {e}");
            if let Some(hint) = e.hint() {
                eprintln!("hint: {hint}");
            }
            ExitCode::from(2)
        }
    }
}

/// The value after `--name`, if given.
fn option(name: &str) -> Option<String> {
    std::env::args().skip_while(|a| a != name).nth(1)
}

fn flag(name: &str) -> bool {
    std::env::args().any(|a| a == name)
}

fn run() -> Result<(), Error> {
    let sets = QuerySets::load()?;
    let threshold = option("--threshold")
        .map(|t| {
            t.parse::<f32>()
                .map_err(|e| Error::new(format!("--threshold: {e}")))
        })
        .transpose()?
        .unwrap_or(Model::FITTED.threshold);
    let mut engine = Engine::embedded()?;
    engine.set_model(Model {
        threshold,
        ..Model::FITTED
    });
    let mut shirube = Shirube { engine };
    let baseline = BigramBaseline::build(shirube.engine.knowledge_base())
        .map_err(|e| Error::new(e.to_string()))?;

    let named: [(&str, &str, &[Query]); 3] = [
        ("own", "written by us", &sets.own),
        ("tuning", "real, tuning half", &sets.real_tuning),
        ("heldout", "real, held-out half", &sets.real_heldout),
    ];
    let chosen = option("--set");
    if let Some(set) = &chosen
        && !named.iter().any(|(key, ..)| key == set)
    {
        return Err(Error::new(format!("--set {set}: no such query set"))
            .with_hint("use own, tuning or heldout"));
    }
    let mut reports = Vec::new();
    for (key, name, queries) in named {
        if chosen.as_deref().is_some_and(|c| c != key) {
            continue;
        }
        reports.push((
            name,
            queries,
            evaluate(&shirube, queries)?,
            evaluate(&baseline, queries)?,
        ));
    }
    let lines: Vec<_> = reports.iter().map(|(n, _, a, b)| (*n, a, b)).collect();
    println!("{}", summary(&lines));
    println!("{}", seen_by_user(&lines));
    for (name, queries, ours, theirs) in &reports {
        println!("## {name} ({} queries)\n", queries.len());
        println!("{}", table(ours, theirs));
        if flag("--misses") {
            println!("shirube misses:");
            for miss in &ours.misses {
                println!("  {miss}");
            }
            println!();
        }
        if flag("--inputs") {
            println!("{}", confidence_inputs(&shirube, queries)?);
        }
    }
    if flag("--calibrate") {
        let queries: Vec<Query> = reports
            .iter()
            .flat_map(|(_, q, ..)| q.iter().cloned())
            .collect();
        println!("| threshold | negatives abstained | right first answers withheld |");
        println!("|---:|---:|---:|");
        for step in 0..=20 {
            let threshold = step as f32 * 0.05;
            shirube.engine.set_model(Model {
                threshold,
                ..Model::FITTED
            });
            let report = evaluate(&shirube, &queries)?;
            println!(
                "| {threshold:.2} | {:.3} | {:.3} |",
                report.abstention_rate(),
                report.withheld_rate()
            );
        }
    }
    if flag("--fit") {
        let training = sets.training();
        let samples = samples(&shirube, &training)?;
        match cross_validated(&samples, FOLDS, COSTS) {
            None => println!(
                "no threshold keeps {COSTS:?} out of fold on the {} training questions",
                samples.len()
            ),
            Some(fit) => {
                println!(
                    "fitted on {} questions (written by us and the real tuning half), threshold by {FOLDS}-fold cross-validation, {REPEATS} times over, at the least cost on real text ({COSTS:?}):\n  weights: {:?}\n  threshold: {:.2}\n  out of fold, real: {:.3} of right first answers withheld, {:.3} of negatives abstained, {:.3} of wrong first answers given\n  out of fold, ours: {:.3} withheld, {:.3} abstained",
                    samples.len(),
                    fit.model.weights,
                    fit.model.threshold,
                    fit.real.withheld,
                    fit.real.abstained,
                    fit.real.wrong_answered,
                    fit.own.withheld,
                    fit.own.abstained
                );
                println!(
                    "\n| threshold | real: right first withheld | negatives abstained | wrong first given | cost | ours: withheld | abstained | wrong given |"
                );
                println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
                for (threshold, real, own) in fit.sweep.iter().step_by(5) {
                    println!(
                        "| {threshold:.2} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
                        real.withheld,
                        real.abstained,
                        real.wrong_answered,
                        real.cost,
                        own.withheld,
                        own.abstained,
                        own.wrong_answered
                    );
                }
            }
        }
    }
    Ok(())
}
