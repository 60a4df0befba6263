//! Drafting entries from a plain-text dump of a known-issues page, as a browser copies it.
//!
//! The dump has lost the page's markup: headings, lists, code and inline code are all plain
//! lines. What survives is enough to recover the structure:
//! - blocks are separated by blank lines; list items are indented `•` or `N.` lines;
//! - an issue title is a one-line, unindented block with Japanese text and no sentence end;
//! - category headings are those named in `source.toml` (the dump cannot tell them from
//!   titles by shape alone: "セキュリティ" opens with prose just like an issue does);
//! - prose before a category's first title is section context, not an entry; a category with
//!   content but no title is one untitled entry, titled by its heading;
//! - a block without any Japanese text is code (a command, YAML or a log excerpt).
//!
//! Versions are read from the prose ([`version_text`]) into the draft's `[versions]`, with
//! the sentences they came from. Drafts still need a human: components, versions and
//! inline code are for review.

use crate::model::SourceDocument;
use crate::version::{RawRange, VersionRange};
use crate::version_text;
use std::collections::HashMap;

/// One issue found on the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageIssue {
    /// The category heading the issue sits under; empty before the page's first heading.
    pub category: String,
    /// The issue's title line, trimmed; for a category with no titled issue, its heading.
    pub title: String,
    /// The issue's blocks, each a list of raw lines.
    pub blocks: Vec<Vec<String>>,
}

/// A drafted entry file.
#[derive(Clone, Debug)]
pub struct Draft {
    /// The entry id: that of an existing entry with the same title, else the next free number
    /// (`ABM-0042`).
    pub id: String,
    /// The page's issue it was drafted from.
    pub issue: PageIssue,
    /// The complete `<ID>.<lang>.md` text.
    pub markdown: String,
}

/// What the dump looked like as a page.
#[derive(Clone, Debug)]
pub struct Page {
    /// The page's title: the dump's first block, its lines joined with spaces.
    pub title: String,
    /// The issues in page order, each with the category it sits under.
    pub issues: Vec<PageIssue>,
    /// Section-context prose per category (not entries).
    pub context: Vec<(String, Vec<Vec<String>>)>,
}

fn has_japanese(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'))
}

fn is_title_line(line: &str) -> bool {
    let t = line.trim_end();
    !line.starts_with(char::is_whitespace)
        && has_japanese(t)
        && t.chars().count() <= 100
        && !t.ends_with(['。', '.', ':', '：', '、'])
}

fn split_blocks(text: &str) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line.to_string());
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// Reads the structure of a page dump. `categories` are the page's category headings.
pub fn read_page(text: &str, categories: &[String]) -> Page {
    let mut blocks = split_blocks(text).into_iter();
    let title = blocks.next().map(|b| b.join(" ")).unwrap_or_default();
    let mut page = Page {
        title,
        issues: Vec::new(),
        context: Vec::new(),
    };
    let mut category = String::new();
    let mut pending: Vec<Vec<String>> = Vec::new();
    let mut current: Option<PageIssue> = None;
    let mut titled_in_category = false;

    let close_category =
        |page: &mut Page, category: &str, pending: &mut Vec<Vec<String>>, titled: bool| {
            if pending.is_empty() {
                return;
            }
            let blocks = std::mem::take(pending);
            if titled {
                page.context.push((category.to_string(), blocks));
            } else {
                page.issues.push(PageIssue {
                    category: category.to_string(),
                    title: category.to_string(),
                    blocks,
                });
            }
        };

    for block in blocks {
        let single = block.len() == 1;
        if single && categories.iter().any(|c| c == block[0].trim()) {
            page.issues.extend(current.take());
            close_category(&mut page, &category, &mut pending, titled_in_category);
            category = block[0].trim().to_string();
            titled_in_category = false;
        } else if single && is_title_line(&block[0]) {
            page.issues.extend(current.take());
            if !pending.is_empty() {
                page.context
                    .push((category.clone(), std::mem::take(&mut pending)));
            }
            titled_in_category = true;
            current = Some(PageIssue {
                category: category.clone(),
                title: block[0].trim().to_string(),
                blocks: Vec::new(),
            });
        } else if let Some(issue) = current.as_mut() {
            issue.blocks.push(block);
        } else {
            pending.push(block);
        }
    }
    page.issues.extend(current.take());
    close_category(&mut page, &category, &mut pending, titled_in_category);
    page
}

/// Drafts one `.ja.md` file per issue. Issues whose title an existing entry already has keep
/// that entry's id; new ones get the next free numbers.
pub fn draft_entries(
    page: &Page,
    source: &SourceDocument,
    existing_ids_by_title: &HashMap<String, String>,
) -> Vec<Draft> {
    let mut next = existing_ids_by_title
        .values()
        .filter_map(|id| id.rsplit('-').next()?.parse::<u32>().ok())
        .max()
        .unwrap_or(0)
        + 1;
    page.issues
        .iter()
        .map(|issue| {
            let id = existing_ids_by_title
                .get(&issue.title)
                .cloned()
                .unwrap_or_else(|| {
                    let id = format!("{}-{next:04}", source.id_prefix);
                    next += 1;
                    id
                });
            let markdown = render_draft(&id, issue, source);
            Draft {
                id,
                issue: issue.clone(),
                markdown,
            }
        })
        .collect()
}

fn toml_string(s: &str) -> String {
    let escaped = s.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{escaped}\"")
}

/// Words that open the workaround part of an issue's text on this kind of page.
const WORKAROUND_CUES: [&str; 8] = [
    "回避",
    "解決するには",
    "解決できます",
    "修正するには",
    "修正できます",
    "ブロックを解除",
    "対処するには",
    "を防止するには",
];

fn render_draft(id: &str, issue: &PageIssue, source: &SourceDocument) -> String {
    let errors: Vec<String> = issue
        .blocks
        .iter()
        .filter(|b| is_code_block(b))
        .flat_map(|b| b.iter())
        .map(|l| l.trim().to_string())
        .filter(|l| looks_like_error(l))
        .collect();
    let mut out = String::new();
    out.push_str("```toml\n[entry]\n");
    out.push_str(&format!(
        "id = {}\nlang = {}\n",
        toml_string(id),
        toml_string(source.lang.code())
    ));
    out.push_str("component = \"TODO\"\n\n[source]\n");
    out.push_str(&format!(
        "document = {}\ncategory = {}\ntitle = {}\n",
        toml_string(&source.title),
        toml_string(&issue.category),
        toml_string(&issue.title)
    ));
    out.push_str(&versions_table(issue));
    if !errors.is_empty() {
        out.push_str("\n[symptoms]\nerrors = [\n");
        for e in &errors {
            out.push_str(&format!("  {},\n", toml_string(e)));
        }
        out.push_str("]\n");
    }
    out.push_str("```\n\n");
    out.push_str(&format!("# {}\n", issue.title));

    let workaround_at = issue
        .blocks
        .iter()
        .position(|b| !is_code_block(b) && WORKAROUND_CUES.iter().any(|c| b.join("").contains(c)));
    for (i, block) in issue.blocks.iter().enumerate() {
        if Some(i) == workaround_at {
            out.push_str(&format!("\n## {}\n", source.lang.workaround_heading()));
        }
        out.push('\n');
        out.push_str(&render_block(block));
    }
    if workaround_at.is_none() {
        out.push_str(&format!(
            "\n## {}\n\nTODO: the page names no workaround for this issue.\n",
            source.lang.workaround_heading()
        ));
    }
    out
}

/// The `[versions]` table the issue's prose states, or nothing when it names no version.
fn versions_table(issue: &PageIssue) -> String {
    let prose: Vec<String> = issue
        .blocks
        .iter()
        .filter(|b| !is_code_block(b))
        .map(|b| b.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" "))
        .collect();
    let found = version_text::extract(&prose.join("\n"));
    let Some(affected) = &found.affected else {
        return String::new();
    };
    let ranges = |ranges: &[VersionRange]| -> String {
        let items: Vec<String> = ranges
            .iter()
            .map(|r| {
                let raw = RawRange::from(r.clone());
                let mut item = format!("{{ introduced = {}", toml_string(&raw.introduced));
                if let Some(f) = &raw.fixed {
                    item.push_str(&format!(", fixed = {}", toml_string(f)));
                }
                if let Some(l) = &raw.last_affected {
                    item.push_str(&format!(", last_affected = {}", toml_string(l)));
                }
                item + " }"
            })
            .collect();
        format!("[{}]", items.join(", "))
    };
    let mut table = format!("\n[versions]\naffected = {}\n", ranges(affected));
    if !found.upgrade_to.is_empty() {
        table.push_str(&format!("upgrade_to = {}\n", ranges(&found.upgrade_to)));
    }
    if let Some(fixed) = &found.fixed_in {
        table.push_str(&format!("fixed_in = {}\n", toml_string(&fixed.to_string())));
    }
    table.push_str("statement = [\n");
    for sentence in &found.statement {
        table.push_str(&format!("  {},\n", toml_string(sentence)));
    }
    table.push_str("]\n");
    table
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_code_block(block: &[String]) -> bool {
    let first = block[0].trim_start();
    !block.iter().any(|l| has_japanese(l)) && !first.starts_with('•') && !starts_numbered(first)
}

fn starts_numbered(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && line[digits..].starts_with(". ")
}

fn looks_like_error(line: &str) -> bool {
    const CUES: [&str; 10] = [
        "error",
        "fail",
        "denied",
        "refused",
        "timeout",
        "not found",
        "invalid",
        "unable",
        "fatal",
        "not healthy",
    ];
    let lower = line.to_lowercase();
    CUES.iter().any(|c| lower.contains(c))
}

/// Renders one block as Markdown: bullets and numbered steps become lists, code is fenced,
/// prose stays as written. Indentation inside list items is kept relative to the item.
fn render_block(block: &[String]) -> String {
    let base = indent_of(&block[0]);
    let first = block[0].trim_start();
    let mut out = String::new();
    if let Some(rest) = first.strip_prefix('•') {
        out.push_str(&format!("- {}\n", rest.trim()));
        for l in &block[1..] {
            out.push_str(&format!("  {}\n", l.trim()));
        }
    } else if starts_numbered(first) {
        out.push_str(first);
        out.push('\n');
        for l in &block[1..] {
            out.push_str(&format!("   {}\n", l.trim()));
        }
    } else if is_code_block(block) {
        let pad = if base >= 4 { "   " } else { "" };
        out.push_str(&format!("{pad}```text\n"));
        for l in block {
            let rel = l.get(base.min(indent_of(l))..).unwrap_or(l);
            out.push_str(&format!("{pad}{rel}\n"));
        }
        out.push_str(&format!("{pad}```\n"));
    } else {
        let pad = if base >= 4 { "   " } else { "" };
        for l in block {
            out.push_str(&format!("{pad}{}\n", l.trim()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn source(categories: &[&str]) -> SourceDocument {
        SourceDocument {
            title: "既知の問題".into(),
            lang: Lang::Ja,
            id_prefix: "T".into(),
            categories: categories.iter().map(|c| c.to_string()).collect(),
            text: crate::model::SourceText::Verbatim,
            url: None,
            licence: None,
            folder: "t".into(),
        }
    }

    const PAGE: &str = "既知の問題\n\nインストール\n\nプロキシで失敗する\n\n説明です。\n\nkubectl get pods\nError: connection refused\n\nこの問題を回避するには、再起動します。\n\nセキュリティ\n\nこの節の前置きです。\n\n証明書の問題\n\n本文です。\n\nVM\n\n  • 箇条書きだけの項目です。\n";

    #[test]
    fn titles_categories_context_and_untitled_items_are_told_apart() {
        let page = read_page(
            PAGE,
            &source(&["インストール", "セキュリティ", "VM"]).categories,
        );
        let titles: Vec<(&str, &str)> = page
            .issues
            .iter()
            .map(|i| (i.category.as_str(), i.title.as_str()))
            .collect();
        assert_eq!(
            titles,
            [
                ("インストール", "プロキシで失敗する"),
                ("セキュリティ", "証明書の問題"),
                ("VM", "VM"),
            ]
        );
        assert_eq!(page.context.len(), 1);
        assert_eq!(page.context[0].0, "セキュリティ");
    }

    #[test]
    fn drafts_fence_code_collect_errors_and_open_a_workaround_section() {
        let src = source(&["インストール", "セキュリティ", "VM"]);
        let page = read_page(PAGE, &src.categories);
        let known = HashMap::from([("証明書の問題".to_string(), "T-0007".to_string())]);
        let drafts = draft_entries(&page, &src, &known);
        let ids: Vec<&str> = drafts.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["T-0008", "T-0007", "T-0009"]);
        let md = &drafts[0].markdown;
        assert!(
            md.contains("```text\nkubectl get pods\nError: connection refused\n```"),
            "{md}"
        );
        assert!(
            md.contains("errors = [\n  \"Error: connection refused\",\n]"),
            "{md}"
        );
        assert!(md.contains("## 回避策\n\nこの問題を回避するには"), "{md}");
    }
}
