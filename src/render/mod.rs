//! Printers. Each renders reports or entries into a writer; none searches or filters.
//! - [`text`]: for a terminal, coloured through `termcolor` (colour is decided by the caller).
//! - [`markdown`]: for `show --format md` and `export --format md`, never coloured.
//!
//! Words a printer adds around the entries' own text come from [`Labels`], one set per
//! language, so both languages read naturally.

pub mod markdown;
pub mod text;

use shirube_kb::{Entry, KnowledgeBase, Lang};

/// The printer's own words in one language.
pub struct Labels {
    pub component: &'static str,
    pub affected: &'static str,
    pub fixed_in: &'static str,
    pub upgrade_to: &'static str,
    pub unspecified: &'static str,
    pub not_stated: &'static str,
    pub source: &'static str,
    pub workaround: &'static str,
    pub statement: &'static str,
    pub note: &'static str,
    pub export_title: &'static str,
    pub entries: &'static str,
    /// Appended to a weak candidate's line.
    pub weak: &'static str,
    /// Appended to an issue that hits the upgrade itself.
    pub on_upgrade: &'static str,
    /// The first version past an issue whose fix the source does not name.
    pub first_unaffected: &'static str,
}

const JA: Labels = Labels {
    component: "コンポーネント",
    affected: "影響",
    fixed_in: "修正",
    upgrade_to: "アップグレード先",
    unspecified: "バージョン記載なし",
    not_stated: "記載なし",
    source: "出典",
    workaround: "回避策",
    statement: "出典の記述",
    note: "注記",
    export_title: "既知の問題",
    entries: "件",
    weak: " · 弱い一致",
    on_upgrade: " · アップグレード時に発生",
    first_unaffected: "影響外になる最初のバージョン",
};

const EN: Labels = Labels {
    component: "component",
    affected: "affected",
    fixed_in: "fixed in",
    upgrade_to: "upgrading to",
    unspecified: "versions unspecified",
    not_stated: "not stated",
    source: "source",
    workaround: "workaround",
    statement: "as stated",
    note: "note",
    export_title: "Known issues",
    entries: "entries",
    weak: " · weak match",
    on_upgrade: " · hits the upgrade itself",
    first_unaffected: "first unaffected",
};

pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

/// `< 1.8.2`, `>= 1.7.0, < 1.8.0`, or "versions unspecified" in the display language.
pub fn affected_text(entry: &Entry, lang: Lang) -> String {
    match &entry.versions.affected {
        None => labels(lang).unspecified.to_string(),
        Some(ranges) => ranges
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" | "),
    }
}

/// The versions being upgraded to, for upgrade-path issues.
pub fn upgrade_text(entry: &Entry) -> Option<String> {
    let to = &entry.versions.upgrade_to;
    (!to.is_empty()).then(|| {
        to.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" | ")
    })
}

/// The label of `entry`'s component in `lang`.
pub fn component_label<'kb>(kb: &'kb KnowledgeBase, id: &'kb str, lang: Lang) -> &'kb str {
    kb.components
        .iter()
        .find(|c| c.id == id)
        .map_or(id, |c| c.label(lang))
}
