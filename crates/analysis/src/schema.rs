//! The index schema: which text goes into which field with which analyzer.
//!
//! The build step and the binary both call [`SearchSchema::register`], so an analyzer name
//! always resolves to the same code on both sides.

use crate::bigram::content_bigram_analyzer;
use crate::english::english_analyzer;
use crate::identifier::IdentifierAnalyzer;
use crate::japanese::JapaneseAnalyzer;
use crate::token_vec::AsTokenizer;
use lindera::dictionary::Dictionary;
use tantivy::schema::{IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};

/// A searchable field. Each field holds one part of an entry analysed for one purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// Titles of every language, Japanese morphology.
    TitleJa,
    /// Titles of every language, character bigrams.
    TitleBigram,
    /// Titles of every language, English words.
    TitleEn,
    /// Bodies and keywords, Japanese morphology.
    BodyJa,
    /// Bodies and keywords, character bigrams.
    BodyBigram,
    /// Bodies and keywords, English words.
    BodyEn,
    /// Code blocks of the bodies (commands, configuration, sample output), English words.
    Code,
    /// Identifiers anywhere in the entry.
    Ident,
    /// The error strings, English words.
    ErrorsEn,
    /// The error strings, identifiers.
    ErrorsIdent,
}

/// The analyzer of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Analyzer {
    /// Lindera morphology: base forms of Japanese words ([`crate::japanese`]).
    Japanese,
    /// Character bigrams of Japanese runs ([`crate::bigram`]).
    Bigram,
    /// Stemmed English words ([`crate::english`]).
    English,
    /// Identifiers whole and in parts ([`crate::identifier`]).
    Identifier,
}

impl Analyzer {
    /// Every analyzer, in the order their terms are counted.
    pub const ALL: [Analyzer; 4] = [
        Analyzer::Japanese,
        Analyzer::Bigram,
        Analyzer::English,
        Analyzer::Identifier,
    ];

    /// One letter for it, in stored text ([`crate::names`]).
    pub fn code(self) -> char {
        match self {
            Analyzer::Japanese => 'j',
            Analyzer::Bigram => 'b',
            Analyzer::English => 'e',
            Analyzer::Identifier => 'i',
        }
    }

    /// The analyzer of a [`Analyzer::code`].
    pub fn from_code(code: char) -> Option<Analyzer> {
        Analyzer::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The name it is registered under on an index.
    pub fn name(self) -> &'static str {
        match self {
            Analyzer::Japanese => "shirube_ja",
            Analyzer::Bigram => "shirube_bigram",
            Analyzer::English => "shirube_en",
            Analyzer::Identifier => "shirube_ident",
        }
    }
}

impl Field {
    /// Every field of the index.
    pub const ALL: [Field; 10] = [
        Field::TitleJa,
        Field::TitleBigram,
        Field::TitleEn,
        Field::BodyJa,
        Field::BodyBigram,
        Field::BodyEn,
        Field::Code,
        Field::Ident,
        Field::ErrorsEn,
        Field::ErrorsIdent,
    ];

    /// The field's name in the tantivy schema.
    pub fn name(self) -> &'static str {
        match self {
            Field::TitleJa => "title_ja",
            Field::TitleBigram => "title_bigram",
            Field::TitleEn => "title_en",
            Field::BodyJa => "body_ja",
            Field::BodyBigram => "body_bigram",
            Field::BodyEn => "body_en",
            Field::Code => "code",
            Field::Ident => "ident",
            Field::ErrorsEn => "errors_en",
            Field::ErrorsIdent => "errors_ident",
        }
    }

    /// The analyzer that makes the field's terms.
    pub fn analyzer(self) -> Analyzer {
        match self {
            Field::TitleJa | Field::BodyJa => Analyzer::Japanese,
            Field::TitleBigram | Field::BodyBigram => Analyzer::Bigram,
            Field::TitleEn | Field::BodyEn | Field::Code | Field::ErrorsEn => Analyzer::English,
            Field::Ident | Field::ErrorsIdent => Analyzer::Identifier,
        }
    }
}

/// The tantivy schema with handles to every field.
#[derive(Clone)]
pub struct SearchSchema {
    /// The schema itself.
    pub schema: Schema,
    /// The entry id, stored: the link from a hit back to the entry.
    pub id: tantivy::schema::Field,
    /// The component id, for filtering.
    pub component: tantivy::schema::Field,
    /// The analysed words of the entry's titles and upstream names, stored ([`crate::names`]).
    pub name_terms: tantivy::schema::Field,
    /// Handles of the text fields, in the order of [`Field::ALL`].
    text_fields: Vec<tantivy::schema::Field>,
}

impl SearchSchema {
    /// The schema the build step creates.
    pub fn build() -> Self {
        let mut builder = Schema::builder();
        let id = builder.add_text_field("id", STRING | STORED);
        let component = builder.add_text_field("component", STRING);
        let name_terms = builder.add_text_field("name_terms", STORED);
        let text_fields = Field::ALL
            .iter()
            .map(|&f| {
                let indexing = TextFieldIndexing::default()
                    .set_tokenizer(f.analyzer().name())
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions);
                let options = TextOptions::default().set_indexing_options(indexing);
                builder.add_text_field(f.name(), options)
            })
            .collect();
        SearchSchema {
            schema: builder.build(),
            id,
            component,
            name_terms,
            text_fields,
        }
    }

    /// The handles of an existing index's schema; `None` when a field is missing (an index
    /// built by another version of shirube).
    pub fn from_schema(schema: &Schema) -> Option<Self> {
        Some(SearchSchema {
            schema: schema.clone(),
            id: schema.get_field("id").ok()?,
            component: schema.get_field("component").ok()?,
            name_terms: schema.get_field("name_terms").ok()?,
            text_fields: Field::ALL
                .iter()
                .map(|f| schema.get_field(f.name()).ok())
                .collect::<Option<_>>()?,
        })
    }

    /// The handle of `field`.
    pub fn field(&self, field: Field) -> tantivy::schema::Field {
        // `text_fields` holds one handle per variant, in declaration order.
        self.text_fields[field as usize]
    }

    /// Registers shirube's analyzers on an index's tokenizer manager.
    pub fn register(tokenizers: &TokenizerManager, dictionary: Dictionary) {
        tokenizers.register(
            Analyzer::Japanese.name(),
            TextAnalyzer::from(AsTokenizer(JapaneseAnalyzer::new(dictionary))),
        );
        tokenizers.register(Analyzer::Bigram.name(), content_bigram_analyzer());
        tokenizers.register(Analyzer::English.name(), english_analyzer());
        tokenizers.register(
            Analyzer::Identifier.name(),
            TextAnalyzer::from(AsTokenizer(IdentifierAnalyzer)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_handles_follow_declaration_order() {
        let schema = SearchSchema::build();
        for (i, field) in Field::ALL.iter().enumerate() {
            assert_eq!(*field as usize, i);
            assert_eq!(
                schema.schema.get_field_name(schema.field(*field)),
                field.name()
            );
        }
    }
}
