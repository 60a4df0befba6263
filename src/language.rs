//! Which language a query is written in, to answer in the same language.
//!
//! The script decides almost every case for free: kana means Japanese, no Japanese characters
//! at all means English. Only text with kanji but no kana (rare: `証明書 error`) is handed to
//! lingua, whose first detection in a process costs about 10 ms while it loads its models.

use lingua::{Language, LanguageDetectorBuilder};
use shirube_analysis::normalize::{is_han, is_hiragana, is_katakana};
use shirube_kb::Lang;

/// The language `text` is written in: Japanese when it has kana, English when it has no
/// Japanese character at all, else (kanji without kana) what lingua tells between the two.
pub fn query_language(text: &str) -> Lang {
    let has_kana = text
        .chars()
        .any(|c| is_hiragana(c) || is_katakana(c) || matches!(c, '\u{ff66}'..='\u{ff9f}'));
    if has_kana {
        return Lang::Ja;
    }
    if !text.chars().any(is_han) {
        return Lang::En;
    }
    let detector =
        LanguageDetectorBuilder::from_languages(&[Language::English, Language::Japanese]).build();
    match detector.detect_language_of(text) {
        Some(Language::English) => Lang::En,
        _ => Lang::Ja,
    }
}

/// The user's language from the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), for commands
/// without a query.
pub fn locale_language() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .map_or(Lang::En, |v| {
            if v.starts_with("ja") {
                Lang::Ja
            } else {
                Lang::En
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_decides_without_lingua() {
        assert_eq!(query_language("プロキシで失敗"), Lang::Ja);
        assert_eq!(query_language("Docker service is not active"), Lang::En);
        assert_eq!(query_language("ｺﾝﾃﾅ"), Lang::Ja);
    }

    #[test]
    fn kanji_without_kana_is_left_to_lingua() {
        assert_eq!(query_language("証明書更新失敗"), Lang::Ja);
    }
}
