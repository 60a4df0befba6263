//! The baseline: character-bigram BM25 over all text of each entry, as Groonga's
//! TokenBigram would search it.

use crate::{DEPTH, Query, Ranked, System, filters};
use shirube::Error;
use shirube_analysis::bigram::bigram_analyzer;
use shirube_kb::KnowledgeBase;
use std::fmt::Write;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query as TantivyQuery, TermQuery};
use tantivy::schema::{
    IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{Index, IndexReader, TantivyDocument, Term};

/// Character-bigram BM25 over all text of each entry, every query bigram an optional clause.
pub struct BigramBaseline {
    kb: &'static KnowledgeBase,
    reader: IndexReader,
    index: Index,
    id: tantivy::schema::Field,
    text: tantivy::schema::Field,
}

impl BigramBaseline {
    /// Indexes every entry of `kb` in memory, ready to search.
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
            // Everything the entry says, as shirube indexes it: its words upstream too.
            for line in entry.known_errors().chain(entry.upstream.words()) {
                let _ = writeln!(all, "{line}");
            }
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

    fn rank(&self, query: &Query) -> Result<Ranked, Error> {
        let mut analyzer = self
            .index
            .tokenizers()
            .get("bigram")
            .ok_or_else(|| Error::new("no bigram analyzer"))?;
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
            .map_err(|e| Error::new(e.to_string()))?;
        let filters = filters(query)?;
        let mut ids = Vec::new();
        for (_, address) in top {
            let doc: TantivyDocument = searcher
                .doc(address)
                .map_err(|e| Error::new(e.to_string()))?;
            let Some(id) = doc.get_first(self.id).and_then(|v| v.as_str()) else {
                continue;
            };
            let entry = self.kb.position(id).and_then(|i| self.kb.entries.get(i));
            if entry.is_some_and(|e| filters.matches(e)) {
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
