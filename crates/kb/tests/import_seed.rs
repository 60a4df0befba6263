//! Importing the committed page dump reproduces the knowledge base's entries: the same
//! ids in page order, with the exact titles and categories of the page.

use shirube_kb::import::{draft_entries, read_page};
use shirube_kb::load_kb;
use std::collections::HashMap;
use std::path::Path;

fn kb_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../kb"))
}

#[test]
fn importing_the_seed_page_reproduces_every_entry_title_and_category() {
    let kb = load_kb(kb_dir()).unwrap_or_else(|problems| panic!("kb/ has problems: {problems:#?}"));
    let source = &kb.sources[0];
    let page = std::fs::read_to_string(kb_dir().join("anthos-bm/page.ja.txt")).unwrap();

    let drafts = draft_entries(
        &read_page(&page, &source.categories),
        source,
        &HashMap::new(),
    );

    let drafted: Vec<(String, String, String)> = drafts
        .iter()
        .map(|d| {
            (
                d.id.clone(),
                d.issue.category.clone(),
                d.issue.title.clone(),
            )
        })
        .collect();
    let seed = &kb.sources[0].title;
    let committed: Vec<(String, String, String)> = kb
        .entries
        .iter()
        .filter(|e| e.source.document == *seed)
        .map(|e| {
            (
                e.id.clone(),
                e.source.category.clone(),
                e.source.title.clone(),
            )
        })
        .collect();
    assert!(!committed.is_empty());
    assert_eq!(drafted.len(), committed.len());
    assert_eq!(drafted, committed);
}

#[test]
fn the_security_introduction_is_context_and_the_vm_runtime_item_is_an_entry() {
    let kb = load_kb(kb_dir()).unwrap();
    let page = std::fs::read_to_string(kb_dir().join("anthos-bm/page.ja.txt")).unwrap();
    let read = read_page(&page, &kb.sources[0].categories);
    let context: Vec<&str> = read.context.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(context, ["セキュリティ"]);
    let vm = read
        .issues
        .iter()
        .find(|i| i.category == "Anthos VM ランタイム")
        .unwrap();
    assert_eq!(vm.title, "Anthos VM ランタイム");
}

#[test]
fn drafts_of_known_titles_keep_their_ids_and_new_titles_get_new_ones() {
    let kb = load_kb(kb_dir()).unwrap();
    let source = &kb.sources[0];
    let page = std::fs::read_to_string(kb_dir().join("anthos-bm/page.ja.txt")).unwrap();
    let extra = "\n\nOS\n\n新しい問題のタイトル\n\n新しい問題の説明です。\n";
    let known: HashMap<String, String> = kb
        .entries
        .iter()
        .filter(|e| e.source.document == source.title)
        .map(|e| (e.source.title.clone(), e.id.clone()))
        .collect();

    let drafts = draft_entries(
        &read_page(&format!("{page}{extra}"), &source.categories),
        source,
        &known,
    );

    assert_eq!(drafts.len(), 43);
    let new = drafts.last().unwrap();
    assert_eq!(
        (new.id.as_str(), new.issue.title.as_str()),
        ("ABM-0043", "新しい問題のタイトル")
    );
}
