//! `kb/glossary.toml`: how a question in one language reaches the other language's words,
//! read and checked. Finding its terms in a query is the search's business.

use crate::diagnostic::Diagnostic;
use crate::read::{label, line_where, read_text, toml_problem};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// The glossary file inside a knowledge-base folder.
pub const GLOSSARY_FILE: &str = "glossary.toml";

/// Synonym groups and loanwords.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Glossary {
    /// Groups of terms that mean the same: a query mentioning one also searches the others.
    pub synonyms: Vec<Vec<String>>,
    /// Japanese loanwords and the English word each spells, searched one way only: a
    /// Japanese question that writes ディスク also searches `disk`, while English text is not
    /// widened into Japanese (every entry has English text of its own, and a pasted English
    /// log would pull in the Japanese page's everyday words).
    #[serde(default)]
    pub loanwords: BTreeMap<String, String>,
}

/// Reads and checks `dir/glossary.toml`; an unreadable one is an empty glossary and a problem.
pub(crate) fn load_glossary(dir: &Path, problems: &mut Vec<Diagnostic>) -> Glossary {
    let path = dir.join(GLOSSARY_FILE);
    let Some(text) = read_text(&path, dir, problems) else {
        return Glossary::default();
    };
    let file = label(dir, &path);
    match toml::from_str(&text) {
        Ok(glossary) => {
            problems.extend(check(&glossary, &text, &file));
            glossary
        }
        Err(e) => {
            problems.push(toml_problem(file, &text, &e));
            Glossary::default()
        }
    }
}

/// Every problem of `glossary`, read from `text` (the file `file`).
fn check(glossary: &Glossary, text: &str, file: &str) -> Vec<Diagnostic> {
    let quoting = |term: &str| line_where(text, |l| l.contains(&format!("\"{term}\"")));
    let opening =
        |term: &str| line_where(text, |l| l.trim_start().starts_with(&format!("\"{term}\"")));
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for group in &glossary.synonyms {
        let line = group.first().map_or(1, |t| quoting(t));
        let at = |message: String| Diagnostic::new(file, line, message);
        problems.extend(synonym_group_too_small(group).map(at));
        for term in group {
            if !seen.insert(term.to_lowercase()) {
                problems.push(at(format!("`{term}` is already in another group")));
            }
        }
    }
    for (loanword, english) in &glossary.loanwords {
        let at = |message: String| Diagnostic::new(file, opening(loanword), message);
        problems.extend(empty_loanword(loanword, english).map(at));
        // Already searched both ways: a loanword entry would add its word a second time.
        if seen.contains(&loanword.to_lowercase()) {
            problems.push(at(format!(
                "loanword `{loanword}` is already in a synonym group"
            )));
        }
    }
    problems
}

/// A synonym group relates two or more terms, none of them empty.
fn synonym_group_too_small(group: &[String]) -> Option<String> {
    (group.len() < 2 || group.iter().any(|t| t.trim().is_empty()))
        .then(|| "a synonym group needs two or more non-empty terms".to_string())
}

/// A loanword and the English word it spells are both written.
fn empty_loanword(loanword: &str, english: &str) -> Option<String> {
    (loanword.trim().is_empty() || english.trim().is_empty())
        .then(|| "a loanword and its English word must not be empty".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        let glossary: Glossary = toml::from_str(text).unwrap();
        check(&glossary, text, "g.toml")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_good_glossary_has_no_problems() {
        let text = "synonyms = [[\"プロキシ\", \"proxy\"]]\n[loanwords]\n\"ディスク\" = \"disk\"\n";
        assert!(problems(text).is_empty());
    }

    #[test]
    fn a_group_needs_two_terms() {
        assert_eq!(
            problems("synonyms = [\n  [\"proxy\"],\n]\n"),
            ["g.toml:2: a synonym group needs two or more non-empty terms"]
        );
        assert!(synonym_group_too_small(&["a".into(), " ".into()]).is_some());
    }

    #[test]
    fn a_term_belongs_to_one_group() {
        let text = "synonyms = [\n  [\"proxy\", \"プロキシ\"],\n  [\"Proxy\", \"代理\"],\n]\n";
        assert_eq!(
            problems(text),
            ["g.toml:3: `Proxy` is already in another group"]
        );
    }

    #[test]
    fn a_loanword_is_not_also_a_synonym_and_is_not_empty() {
        let text = "synonyms = [[\"ディスク\", \"disk\"]]\n[loanwords]\n\"ディスク\" = \"disk\"\n";
        assert_eq!(
            problems(text),
            ["g.toml:3: loanword `ディスク` is already in a synonym group"]
        );
        assert!(empty_loanword("ノード", "").is_some());
        assert!(empty_loanword("ノード", "node").is_none());
    }
}
