//! What `shirube kb` reports: the knowledge bases a command answers from, and a pack's
//! manifest once it is verified.

use serde::Serialize;
use shirube_kb::pack::Manifest;

/// `kb list`: the built-in knowledge base, then every installed pack by name.
#[derive(Debug, Serialize)]
pub struct PackListReport {
    /// The data directory the packs are installed in.
    pub data_dir: String,
    /// The built-in knowledge base first.
    pub knowledge_bases: Vec<KnowledgeBaseRow>,
}

/// One knowledge base of `kb list`.
#[derive(Debug, Serialize)]
pub struct KnowledgeBaseRow {
    /// `built-in`, or the pack's name: what each search result's `kb` field says.
    pub name: String,
    /// What it holds.
    pub title: String,
    /// How many entries it holds.
    pub entries: usize,
    /// When it was built (a day for the built-in one, an instant for a pack).
    pub built: String,
    /// The id of the key that signed it; `null` for the built-in one and an unsigned pack.
    pub key_id: Option<String>,
}

/// `kb verify` and `kb add`: the pack's manifest and the key that signed it.
#[derive(Debug, Serialize)]
pub struct PackReport<'a> {
    /// The pack's file.
    pub file: String,
    /// Its manifest, checked against its contents.
    pub manifest: &'a Manifest,
    /// The id of the key whose signature checked; `null` for a pack taken unsigned.
    pub key_id: Option<&'a str>,
    /// `kb add`: the manifest of the pack of the same name it replaced, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced: Option<&'a Manifest>,
}
