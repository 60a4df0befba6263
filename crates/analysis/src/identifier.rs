//! Technical identifiers kept whole and also split into their parts.
//!
//! `nf_conntrack_max`, `/usr/local/bin`, `spec.proxy.url`, `kube-proxy`, `10.96.0.0/27`:
//! a user may paste the whole thing or type one part, and both must match. Word tokenizers
//! break these apart and lose the exact match; this analyzer indexes the whole identifier
//! at the position of its first part. Plain words (no `._/-:` inside) are left to the word
//! analyzers, so that a word is not counted twice.

use crate::normalize::normalize;
use crate::token_vec::{Analyze, push};
use tantivy::tokenizer::Token;

/// Identifiers whole and in their parts (see the module's documentation).
#[derive(Clone, Default)]
pub struct IdentifierAnalyzer;

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-' | ':' | '~' | '$' | '=')
}

fn is_separator(c: char) -> bool {
    is_ident_char(c) && !c.is_ascii_alphanumeric()
}

impl Analyze for IdentifierAnalyzer {
    fn analyze(&self, text: &str, out: &mut Vec<Token>) {
        let norm = normalize(text);
        let s = norm.text.as_str();
        let mut position = 0;
        let mut rest_start = 0;
        while rest_start < s.len() {
            let Some(offset) = s[rest_start..].find(is_ident_char) else {
                break;
            };
            let start = rest_start + offset;
            let len = s[start..]
                .find(|c| !is_ident_char(c))
                .unwrap_or(s.len() - start);
            rest_start = start + len;
            // Sentence punctuation around an identifier is not part of it.
            let raw = &s[start..start + len];
            let trimmed_front = raw.trim_start_matches([':', '=', '-', '.']);
            let whole = trimmed_front.trim_end_matches(['.', ':', '=', '-', '/']);
            if whole.is_empty() || !whole.chars().any(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            let from = start + (raw.len() - trimmed_front.len());
            let to = from + whole.len();
            // Plain words belong to the word analyzers; only identifiers are indexed here.
            let has_inner_separator = whole.trim_start_matches('/').chars().any(is_separator);
            if !has_inner_separator {
                continue;
            }
            push(
                out,
                whole.to_string(),
                norm.original_offset(from),
                norm.original_end(to),
                position,
            );
            let mut part_start = from;
            for part in whole.split(is_separator) {
                if !part.is_empty() {
                    let part_from = part_start;
                    push(
                        out,
                        part.to_string(),
                        norm.original_offset(part_from),
                        norm.original_end(part_from + part.len()),
                        position,
                    );
                    position += 1;
                }
                part_start += part.len() + 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        IdentifierAnalyzer.analyze(text, &mut out);
        out.into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn identifiers_stay_whole_and_split() {
        assert_eq!(
            terms("open /proc/sys/net: denied."),
            ["/proc/sys/net", "proc", "sys", "net"]
        );
        assert_eq!(
            terms("nf_conntrack_max を設定"),
            ["nf_conntrack_max", "nf", "conntrack", "max"]
        );
        assert_eq!(
            terms("spec.proxy.url."),
            ["spec.proxy.url", "spec", "proxy", "url"]
        );
    }

    #[test]
    fn part_offsets_point_at_the_part() {
        let text = "x ｎｆ_conntrack";
        let mut out = Vec::new();
        IdentifierAnalyzer.analyze(text, &mut out);
        let conntrack = out.iter().find(|t| t.text == "conntrack").unwrap();
        assert_eq!(
            &text[conntrack.offset_from..conntrack.offset_to],
            "conntrack"
        );
    }
}
