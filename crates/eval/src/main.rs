//! `cargo run -p eval --release`: scores shirube and the bigram baseline on the query sets
//! in `tests/queries/` and prints the table. `--misses` also lists every query that was not
//! answered first, to read rather than to tune on; `--calibrate` sweeps the confidence
//! threshold and prints, for each, the negatives abstained and the answers pushed out;
//! `--fit` fits the weights of the confidence model (`Model::FITTED` in
//! `src/search/confidence/`, the model the binary decides with); `--inputs` prints each
//! query's best candidate with the model's inputs, to read before fitting;
//! `--threshold T` evaluates with another threshold (`0` shows the ranking before abstention).

use eval::{
    BigramBaseline, Shirube, confidence_inputs, confidence_samples, evaluate, fit_logistic,
    load_queries, table,
};
use shirube::Error;
use shirube::search::Engine;
use shirube::search::confidence::Model;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let flag = |name: &str| std::env::args().any(|a| a == name);
    match run(flag("--misses"), flag("--calibrate")) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("eval: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(show_misses: bool, calibrate: bool) -> Result<(), Error> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/queries");
    let queries = load_queries(&dir)?;
    let threshold = std::env::args()
        .skip_while(|a| a != "--threshold")
        .nth(1)
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
    let ours = evaluate(&shirube, &queries)?;
    let theirs = evaluate(&baseline, &queries)?;
    println!("{} queries from {}\n", queries.len(), dir.display());
    print!("{}", table(&ours, &theirs));
    if calibrate {
        println!("\n| threshold | negatives abstained | answers pushed out |\n|---:|---:|---:|");
        for step in 0..=20 {
            let threshold = step as f32 * 0.05;
            shirube.engine.set_model(Model {
                threshold,
                ..Model::FITTED
            });
            let report = evaluate(&shirube, &queries)?;
            println!(
                "| {:.2} | {:.3} | {:.3} |",
                threshold,
                report.abstention_rate(),
                report.pushed_out_rate()
            );
        }
    }
    if std::env::args().any(|a| a == "--fit") {
        let samples = confidence_samples(&shirube, &queries)?;
        let weights = fit_logistic(&samples);
        println!(
            "\nfitted on {} questions: WEIGHTS = {weights:?}",
            samples.len()
        );
    }
    if std::env::args().any(|a| a == "--inputs") {
        println!("\n{}", confidence_inputs(&shirube, &queries)?);
    }
    if show_misses {
        println!("\nshirube misses:");
        for miss in &ours.misses {
            println!("  {miss}");
        }
    }
    Ok(())
}
