//! Search-quality evaluation: shirube and a character-bigram BM25 baseline (what Groonga's
//! TokenBigram would give), run on the same queries in the same process.
//!
//! Queries live in `tests/queries/*.toml` (see that folder's files for the format). Each has a
//! kind (`log`, `paraphrase`, `keyword`, `version`, `negative`), the language it is written
//! in, and the entry it must find (none for negatives).

use serde::Deserialize;
use shirube::confidence::INPUTS;
use shirube::engine::Engine;
use shirube::filter::Filters;
use shirube_analysis::bigram::bigram_analyzer;
use shirube_kb::{KnowledgeBase, VersionQuery};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query as TantivyQuery, TermQuery};
use tantivy::schema::{
    IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{Index, IndexReader, TantivyDocument, Term};

/// Results are judged within the first this many.
pub const DEPTH: usize = 10;

#[derive(Clone, Debug, Deserialize)]
pub struct Query {
    pub kind: String,
    pub lang: String,
    pub text: String,
    pub expect: Option<String>,
    pub version: Option<String>,
}

#[derive(Deserialize)]
struct QueryFile {
    query: Vec<Query>,
}

/// Every query of every `.toml` file in `dir`.
pub fn load_queries(dir: &Path) -> Result<Vec<Query>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut queries = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let parsed: QueryFile =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        queries.extend(parsed.query);
    }
    Ok(queries)
}

/// What a system returned for a query: the ids it shows, and the ids it ranked before
/// deciding what to show (the same for a system that never abstains).
pub struct Ranked {
    pub shown: Vec<String>,
    pub ranked: Vec<String>,
}

pub trait System {
    fn name(&self) -> &str;
    fn rank(&self, query: &Query) -> Result<Ranked, String>;
}

fn filters(query: &Query) -> Result<Filters, String> {
    let version = query
        .version
        .as_deref()
        .map(|v| v.parse::<VersionQuery>().map_err(|e| e.to_string()))
        .transpose()?;
    Ok(Filters {
        version,
        component: None,
    })
}

/// shirube as the binary runs it, or with another confidence threshold (for calibration).
pub struct Shirube {
    pub engine: Engine,
    pub threshold: f32,
}

impl System for Shirube {
    fn name(&self) -> &str {
        "shirube"
    }

    fn rank(&self, query: &Query) -> Result<Ranked, String> {
        let hits = self
            .engine
            .search(&query.text, &filters(query)?, DEPTH)?
            .hits;
        Ok(Ranked {
            // Like the binary: the best candidate's confidence decides for the whole list.
            shown: if hits.first().is_some_and(|h| h.confidence >= self.threshold) {
                hits.iter().map(|h| h.entry.id.clone()).collect()
            } else {
                Vec::new()
            },
            ranked: hits.iter().map(|h| h.entry.id.clone()).collect(),
        })
    }
}

/// Character-bigram BM25 over all text of each entry, every query bigram an optional clause.
pub struct BigramBaseline {
    kb: &'static KnowledgeBase,
    reader: IndexReader,
    index: Index,
    id: tantivy::schema::Field,
    text: tantivy::schema::Field,
}

impl BigramBaseline {
    pub fn build(kb: &'static KnowledgeBase) -> tantivy::Result<Self> {
        let mut builder = Schema::builder();
        let id = builder.add_text_field("id", STRING | STORED);
        let indexing = TextFieldIndexing::default()
            .set_tokenizer("bigram")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let text = builder.add_text_field(
            "text",
            TextOptions::default().set_indexing_options(indexing),
        );
        let index = Index::create_in_ram(builder.build());
        index.tokenizers().register("bigram", bigram_analyzer());
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, 32 * 1024 * 1024)?;
        for entry in &kb.entries {
            let mut all = String::new();
            for doc in &entry.docs {
                let _ = writeln!(
                    all,
                    "{}\n{}",
                    doc.title,
                    shirube_kb::markdown::plain_text(&doc.body)
                );
            }
            all.push_str(&entry.errors.join("\n"));
            let mut document = TantivyDocument::default();
            document.add_text(id, &entry.id);
            document.add_text(text, &all);
            writer.add_document(document)?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        Ok(BigramBaseline {
            kb,
            reader,
            index,
            id,
            text,
        })
    }
}

impl System for BigramBaseline {
    fn name(&self) -> &str {
        "bigram BM25"
    }

    fn rank(&self, query: &Query) -> Result<Ranked, String> {
        let mut analyzer = self
            .index
            .tokenizers()
            .get("bigram")
            .ok_or("no bigram analyzer")?;
        let mut stream = analyzer.token_stream(&query.text);
        let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
        while let Some(token) = stream.next() {
            let term = Term::from_field_text(self.text, &token.text);
            clauses.push((
                Occur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
            ));
        }
        let searcher = self.reader.searcher();
        let top = searcher
            .search(
                &BooleanQuery::new(clauses),
                &TopDocs::with_limit(self.kb.entries.len()).order_by_score(),
            )
            .map_err(|e| e.to_string())?;
        let filters = filters(query)?;
        let mut ids = Vec::new();
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| e.to_string())?;
            let Some(id) = doc.get_first(self.id).and_then(|v| v.as_str()) else {
                continue;
            };
            if self
                .kb
                .entries
                .iter()
                .any(|e| e.id == id && filters.matches(e))
            {
                ids.push(id.to_string());
            }
            if ids.len() == DEPTH {
                break;
            }
        }
        Ok(Ranked {
            shown: ids.clone(),
            ranked: ids,
        })
    }
}

/// Scores of one group of answerable queries.
#[derive(Clone, Debug, Default)]
pub struct Group {
    pub queries: usize,
    pub at1: usize,
    pub at3: usize,
    pub reciprocal_ranks: f64,
}

impl Group {
    pub fn recall_at_1(&self) -> f64 {
        ratio(self.at1 as f64, self.queries)
    }
    pub fn recall_at_3(&self) -> f64 {
        ratio(self.at3 as f64, self.queries)
    }
    pub fn mrr(&self) -> f64 {
        ratio(self.reciprocal_ranks, self.queries)
    }
}

fn ratio(x: f64, n: usize) -> f64 {
    if n == 0 { 0.0 } else { x / n as f64 }
}

/// A system's scores over a query set.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// By (kind, lang).
    pub groups: BTreeMap<(String, String), Group>,
    pub negatives: usize,
    pub abstained: usize,
    /// Answerable queries whose answer was ranked but then withheld by abstention.
    pub pushed_out: usize,
    pub answerable: usize,
    /// Misses, for reading: `kind lang expected: query -> shown`.
    pub misses: Vec<String>,
}

impl Report {
    pub fn abstention_rate(&self) -> f64 {
        ratio(self.abstained as f64, self.negatives)
    }

    pub fn pushed_out_rate(&self) -> f64 {
        ratio(self.pushed_out as f64, self.answerable)
    }

    /// Scores of all queries of `kind`, in every language (`lang = None`) or one.
    pub fn group(&self, kind: &str, lang: Option<&str>) -> Group {
        let mut total = Group::default();
        for ((k, l), g) in &self.groups {
            if k == kind && lang.is_none_or(|wanted| wanted == l) {
                total.queries += g.queries;
                total.at1 += g.at1;
                total.at3 += g.at3;
                total.reciprocal_ranks += g.reciprocal_ranks;
            }
        }
        total
    }
}

pub fn evaluate(system: &dyn System, queries: &[Query]) -> Result<Report, String> {
    let mut report = Report::default();
    for query in queries {
        let ranked = system.rank(query)?;
        let Some(expected) = &query.expect else {
            report.negatives += 1;
            if ranked.shown.is_empty() {
                report.abstained += 1;
            } else {
                report.misses.push(format!(
                    "negative {} (not abstained): {:?} -> {:?}",
                    query.lang, query.text, ranked.shown
                ));
            }
            continue;
        };
        report.answerable += 1;
        let position = ranked.shown.iter().position(|id| id == expected);
        if position.is_none() && ranked.ranked.iter().any(|id| id == expected) {
            report.pushed_out += 1;
        }
        let group = report
            .groups
            .entry((query.kind.clone(), query.lang.clone()))
            .or_default();
        group.queries += 1;
        if let Some(p) = position {
            group.at1 += usize::from(p == 0);
            group.at3 += usize::from(p < 3);
            group.reciprocal_ranks += 1.0 / (p as f64 + 1.0);
        }
        if position != Some(0) {
            report.misses.push(format!(
                "{} {} {expected} at {}: {:?} -> {:?}",
                query.kind,
                query.lang,
                position.map_or("-".to_string(), |p| (p + 1).to_string()),
                query.text,
                ranked.shown
            ));
        }
    }
    Ok(report)
}

/// The table the harness prints: per kind and language, shirube next to the baseline.
pub fn table(ours: &Report, baseline: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| kind | lang | n | R@1 | R@3 | MRR@10 | baseline R@1 | baseline R@3 | baseline MRR@10 |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut rows: Vec<(String, Option<String>)> = Vec::new();
    for (kind, lang) in ours.groups.keys() {
        rows.push((kind.clone(), Some(lang.clone())));
    }
    let kinds: std::collections::BTreeSet<String> =
        ours.groups.keys().map(|(k, _)| k.clone()).collect();
    for kind in kinds {
        rows.push((kind, None));
    }
    for (kind, lang) in rows {
        let a = ours.group(&kind, lang.as_deref());
        let b = baseline.group(&kind, lang.as_deref());
        let _ = writeln!(
            out,
            "| {kind} | {} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
            lang.as_deref().unwrap_or("all"),
            a.queries,
            a.recall_at_1(),
            a.recall_at_3(),
            a.mrr(),
            b.recall_at_1(),
            b.recall_at_3(),
            b.mrr()
        );
    }
    let _ = writeln!(
        out,
        "\nnegatives abstained: shirube {}/{} = {:.3}, baseline {}/{} = {:.3}",
        ours.abstained,
        ours.negatives,
        ours.abstention_rate(),
        baseline.abstained,
        baseline.negatives,
        baseline.abstention_rate()
    );
    let _ = writeln!(
        out,
        "answers pushed out by abstention: {}/{} = {:.3}",
        ours.pushed_out,
        ours.answerable,
        ours.pushed_out_rate()
    );
    out
}

/// The confidence features of the best candidate of each question whose answer comes from
/// the full text (not a known-error match), labelled true when the question is answerable
/// and that candidate is its answer, false when the question is unanswerable. Answerable
/// questions ranked wrong are left out: they teach nothing about abstaining.
pub fn confidence_samples(
    shirube: &Shirube,
    queries: &[Query],
) -> Result<Vec<(bool, [f32; INPUTS])>, String> {
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
pub fn confidence_inputs(shirube: &Shirube, queries: &[Query]) -> Result<String, String> {
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

fn best_candidate(
    shirube: &Shirube,
    query: &Query,
) -> Result<Option<shirube::engine::Hit<'static>>, String> {
    let hits = shirube
        .engine
        .search(&query.text, &filters(query)?, DEPTH)?
        .hits;
    Ok(hits.into_iter().next())
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
