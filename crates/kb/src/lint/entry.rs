//! The rules of one entry's files taken together: its primary file's header against the
//! source document and the components, and its translations. A rule returns the messages of
//! what it found, each with the place in the header it is about.

use crate::condition::Clause;
use crate::diagnostic::Diagnostic;
use crate::markdown;
use crate::model::{Outside, SourceDocument, SourceText};
use crate::parse::EntryFile;
use crate::version::Version;
use std::collections::HashSet;

/// What the rules of a primary file compare it with.
pub(crate) struct Context<'a> {
    pub source: &'a SourceDocument,
    /// Component ids of `components.toml`.
    pub components: &'a HashSet<&'a str>,
}

/// A problem a rule found: the header key (or place) it is about, and what is wrong.
type Finding = (Place, String);

/// Where in a file a rule's finding belongs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// The first header line that contains this text.
    Header(&'static str),
    /// The first header line that contains this value.
    Value(String),
    /// The `# Title` line.
    Title,
}

/// A rule over an entry's primary file.
type PrimaryRule = fn(&EntryFile, &Context) -> Vec<Finding>;

/// Every rule a primary file must keep.
const PRIMARY_RULES: [PrimaryRule; 15] = [
    written_in_the_source_language,
    names_its_source_document,
    category_is_on_the_page,
    title_is_the_source_title,
    notes_name_release_date_and_address,
    retold_entries_quote_nothing,
    component_is_known,
    fixed_in_is_a_version,
    affected_says_something,
    fixed_in_ends_the_affected_ranges,
    affected_reaches_the_fix,
    versions_quote_the_page,
    errors_are_single_lines,
    upstream_errors_have_sources,
    conditions_test_known_facts,
];

/// Every problem of an entry's primary file.
pub(crate) fn check_primary(primary: &EntryFile, context: &Context) -> Vec<Diagnostic> {
    PRIMARY_RULES
        .iter()
        .flat_map(|rule| rule(primary, context))
        .map(|(place, message)| at(primary, place, message))
        .collect()
}

fn at(file: &EntryFile, place: Place, message: String) -> Diagnostic {
    let line = match place {
        Place::Header(needle) => file.parsed.header_line_of(needle),
        Place::Value(value) => file.parsed.header_line_of(&value),
        Place::Title => file.parsed.title_line,
    };
    Diagnostic::new(&file.label, line, message)
}

/// One finding at `place` when `broken`.
fn when(broken: bool, place: Place, message: impl FnOnce() -> String) -> Vec<Finding> {
    if broken {
        vec![(place, message())]
    } else {
        Vec::new()
    }
}

fn written_in_the_source_language(primary: &EntryFile, context: &Context) -> Vec<Finding> {
    let wanted = context.source.lang;
    when(primary.lang != wanted, Place::Header("lang"), || {
        format!("the primary file must be in the source's language `{wanted}`")
    })
}

fn names_its_source_document(primary: &EntryFile, context: &Context) -> Vec<Finding> {
    let title = &context.source.title;
    let other = primary.source().is_some_and(|s| s.document != *title);
    when(other, Place::Header("document"), || {
        format!("source.document must be the page title `{title}`")
    })
}

fn category_is_on_the_page(primary: &EntryFile, context: &Context) -> Vec<Finding> {
    let Some(source) = primary.source() else {
        return Vec::new();
    };
    let unknown = !context.source.categories.contains(&source.category);
    when(unknown, Place::Header("category"), || {
        format!(
            "source.category `{}` is not one of the categories in source.toml",
            source.category
        )
    })
}

/// A quoted page's entry is titled as the page titles the issue; a retold one has a title
/// of its own, and no `source.title` to check it against.
fn title_is_the_source_title(primary: &EntryFile, context: &Context) -> Vec<Finding> {
    let Some(source) = primary.source() else {
        return Vec::new();
    };
    match (context.source.text, &source.title) {
        (SourceText::Verbatim, None) => vec![(
            Place::Header("[source]"),
            "source.title is missing: the issue's title exactly as on the page".to_string(),
        )],
        (SourceText::Verbatim, Some(title)) => when(
            markdown::inline_text(&primary.parsed.title) != *title,
            Place::Title,
            || format!("the title of the primary file must be source.title `{title}`"),
        ),
        (SourceText::Retold, Some(_)) => vec![(
            Place::Header("title"),
            "a retold source's entries have titles of their own: leave out source.title"
                .to_string(),
        )],
        (SourceText::Retold, None) => Vec::new(),
    }
}

/// Provenance: each release note names a release, a date and, unless it is the folder's
/// own document, its address; a retold entry names at least one note, or its own report
/// (an address and a date).
fn notes_name_release_date_and_address(primary: &EntryFile, context: &Context) -> Vec<Finding> {
    let Some(source) = primary.source() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for note in &source.notes {
        if let Err(e) = note.release.parse::<Version>() {
            found.push((Place::Value(note.release.clone()), format!("notes: {e}")));
        }
        if !is_date(&note.date) {
            found.push((
                Place::Value(note.date.clone()),
                format!("notes: `{}` is not a date: write it YYYY-MM-DD", note.date),
            ));
        }
        let address_needed = context.source.text == SourceText::Verbatim;
        match &note.url {
            Some(url) if !is_address(url) => found.push((
                Place::Value(url.clone()),
                format!("notes: `{url}` is not an address (https://…)"),
            )),
            None if address_needed => found.push((
                Place::Value(note.release.clone()),
                "notes: a later fact's note needs the `url` of the notes it comes from".to_string(),
            )),
            _ => {}
        }
    }
    if let Some(url) = source.url.as_ref().filter(|u| !is_address(u)) {
        found.push((
            Place::Value(url.clone()),
            format!("source.url `{url}` is not an address (https://…)"),
        ));
    }
    if let Some(date) = source.date.as_ref().filter(|d| !is_date(d)) {
        found.push((
            Place::Value(date.clone()),
            format!("source.date `{date}` is not a date: write it YYYY-MM-DD"),
        ));
    }
    let own_report = source.url.is_some() && source.date.is_some();
    let unsourced =
        context.source.text == SourceText::Retold && source.notes.is_empty() && !own_report;
    found.extend(when(unsourced, Place::Header("[source]"), || {
        "a retold entry names where it comes from: `notes` (release and date of each note), or its own `url` and `date`".to_string()
    }));
    found
}

/// A retold entry's words are its own: it quotes no sentence of its source (the notes and
/// the address say where its facts come from).
fn retold_entries_quote_nothing(primary: &EntryFile, context: &Context) -> Vec<Finding> {
    let quotes = primary.versions().is_some_and(|v| !v.statement.is_empty());
    when(
        context.source.text == SourceText::Retold && quotes,
        Place::Header("statement"),
        || {
            "a retold entry quotes nothing: leave out versions.statement (its notes say where the versions come from)".to_string()
        },
    )
}

/// `YYYY-MM-DD`.
fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    matches!(parts.as_slice(), [y, m, d]
        if y.len() == 4 && m.len() == 2 && d.len() == 2
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
            && (1..=12).contains(&m.parse::<u8>().unwrap_or(0))
            && (1..=31).contains(&d.parse::<u8>().unwrap_or(0)))
}

fn component_is_known(primary: &EntryFile, context: &Context) -> Vec<Finding> {
    match primary.parsed.header.entry.component.as_deref() {
        Some(c) => when(
            !context.components.contains(c),
            Place::Header("component"),
            || {
                format!(
                    "unknown component `{c}`: add it to kb/components.toml or use one listed there"
                )
            },
        ),
        None => vec![(
            Place::Header("[entry]"),
            "the primary file needs `component` in [entry]".to_string(),
        )],
    }
}

fn fixed_in_is_a_version(primary: &EntryFile, _: &Context) -> Vec<Finding> {
    let fixed_in = primary.versions().and_then(|v| v.fixed_in.as_deref());
    match fixed_in.map(str::parse::<Version>) {
        Some(Err(e)) => vec![(Place::Header("fixed_in"), e.to_string())],
        _ => Vec::new(),
    }
}

fn affected_says_something(primary: &EntryFile, _: &Context) -> Vec<Finding> {
    let Some(versions) = primary.versions() else {
        return Vec::new();
    };
    let empty = versions.affected.as_ref().is_some_and(Vec::is_empty);
    let mut found = when(empty, Place::Header("affected"), || {
        "`affected = []` says nothing: leave the key out when the text names no version".into()
    });
    // A fix in the first release of a line, and no range: the releases before it are ones
    // the source says nothing of.
    let bare_fix = versions.affected.is_none()
        && versions.upgrade_to.is_empty()
        && versions.fixed_in.is_some()
        && versions.older_lines != Some(Outside::NotStated);
    found.extend(when(bare_fix, Place::Header("fixed_in"), || {
        "a fix without `affected` ranges says nothing of the releases before it: add `older_lines = \"not stated\"`, or the ranges".into()
    }));
    // Releases newer than an open range are affected by it: nothing is left to not state.
    let open = versions
        .affected
        .as_ref()
        .is_none_or(|ranges| ranges.iter().any(|r| r.end.is_none()));
    let newer_unstated = versions.newer_lines == Some(Outside::NotStated);
    found.extend(when(newer_unstated && open, Place::Header("newer_lines"), || {
        "`newer_lines = \"not stated\"` needs ranges that end (last_affected: the last release the text names)".into()
    }));
    found
}

/// A fix lies past the versions it fixes; upgrade-path ranges are the versions upgraded
/// from, which the fix may lie among. Upgrade-path issues need the versions upgraded from.
fn fixed_in_ends_the_affected_ranges(primary: &EntryFile, _: &Context) -> Vec<Finding> {
    let Some(raw) = primary.versions() else {
        return Vec::new();
    };
    let fixed_in = raw
        .fixed_in
        .as_deref()
        .and_then(|t| t.parse::<Version>().ok());
    let mut found = Vec::new();
    if let (Some(fix), Some(ranges)) = (&fixed_in, &raw.affected) {
        let inside = raw.upgrade_to.is_empty() && ranges.iter().any(|r| r.contains(fix));
        found.extend(when(inside, Place::Header("fixed_in"), || {
            format!("fixed_in {fix} lies inside an affected range")
        }));
    }
    let from_nowhere = !raw.upgrade_to.is_empty() && raw.affected.is_none();
    found.extend(when(from_nowhere, Place::Header("upgrade_to"), || {
        "upgrade_to needs `affected`: the versions being upgraded from".into()
    }));
    found
}

/// Versions past every affected range but before the fix are neither affected nor fixed:
/// either the ranges stop too early (a cluster running them still has the issue, as
/// ABM-0021's once did) or a note says why they do (an upgrade-path entry's ranges are the
/// versions upgraded from).
fn affected_reaches_the_fix(primary: &EntryFile, _: &Context) -> Vec<Finding> {
    let Some(raw) = primary.versions() else {
        return Vec::new();
    };
    let fixed_in = raw
        .fixed_in
        .as_deref()
        .and_then(|t| t.parse::<Version>().ok());
    let (Some(fix), Some(ranges), None) = (&fixed_in, &raw.affected, &raw.note) else {
        return Vec::new();
    };
    let ends: Option<Vec<Version>> = ranges.iter().map(Version::past).collect();
    let last = ends.and_then(|ends| ends.into_iter().max());
    match last {
        Some(last) if last < *fix => vec![(
            Place::Header("affected"),
            format!(
                "the affected ranges end at {last}, before fixed_in {fix}: extend them to the fix, or add a `note` saying why versions in between are not affected"
            ),
        )],
        _ => Vec::new(),
    }
}

/// A quoted page's versions say where they were read from: the page's sentences, or the
/// release notes of later facts (`[source] notes`, with a `note` saying what they add).
fn versions_quote_the_page(primary: &EntryFile, context: &Context) -> Vec<Finding> {
    let Some(versions) = primary.versions() else {
        return Vec::new();
    };
    let later_facts = primary.source().is_some_and(|s| !s.notes.is_empty());
    let unquoted = context.source.text == SourceText::Verbatim
        && versions.affected.is_some()
        && versions.statement.is_empty()
        && !later_facts;
    let mut found = when(unquoted, Place::Header("affected"), || {
        "versions need a `statement`: the sentences of the page they were read from (or the `notes` of the release notes they come from)".into()
    });
    let unexplained = context.source.text == SourceText::Verbatim
        && versions.statement.is_empty()
        && later_facts
        && versions.note.is_none();
    found.extend(when(unexplained, Place::Header("[versions]"), || {
        "versions from later release notes need a `note` saying what the notes add to the page"
            .into()
    }));
    found
}

fn errors_are_single_lines(primary: &EntryFile, _: &Context) -> Vec<Finding> {
    let errors = primary
        .parsed
        .header
        .symptoms
        .iter()
        .flat_map(|s| &s.errors);
    errors
        .filter(|e| e.trim().is_empty() || e.contains('\n'))
        .map(|_| {
            (
                Place::Header("errors"),
                "symptoms.errors holds one non-empty line per string".to_string(),
            )
        })
        .collect()
}

/// Every error seen in the wild is one line and says where it was seen; every name is a
/// word.
fn upstream_errors_have_sources(primary: &EntryFile, _: &Context) -> Vec<Finding> {
    let Some(upstream) = &primary.parsed.header.upstream else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for seen in &upstream.errors {
        if seen.error.trim().is_empty() || seen.error.contains('\n') {
            found.push((
                Place::Value(seen.error.clone()),
                "upstream.errors: each `error` is one non-empty line".to_string(),
            ));
        }
        if !is_address(&seen.source) {
            found.push((
                Place::Value(seen.source.clone()),
                format!(
                    "upstream.errors: `{}` is not an address: say where the error was seen (https://…)",
                    seen.source
                ),
            ));
        }
    }
    if upstream.source.as_deref().is_some_and(|s| !is_address(s)) {
        found.push((
            Place::Header("[upstream]"),
            "upstream.source must be an address (https://…)".to_string(),
        ));
    }
    if upstream
        .component
        .iter()
        .chain(&upstream.names)
        .any(|n| n.trim().is_empty())
    {
        found.push((
            Place::Header("names"),
            "upstream names must not be empty".to_string(),
        ));
    }
    found
}

/// Every clause of `[conditions]` tests facts that exist with values of their kind, and the
/// page's sentences, quoted from the entry's text, say where the conditions come from.
fn conditions_test_known_facts(primary: &EntryFile, _: &Context) -> Vec<Finding> {
    let Some(conditions) = &primary.parsed.header.conditions else {
        return Vec::new();
    };
    let mut found: Vec<Finding> = conditions
        .when
        .iter()
        .filter_map(|text| {
            let message = Clause::parse(text).err()?;
            Some((Place::Value(text.clone()), format!("conditions: {message}")))
        })
        .collect();
    found.extend(when(
        conditions.when.is_empty(),
        Place::Header("[conditions]"),
        || "conditions need `when`: the clauses that must hold".to_string(),
    ));
    found.extend(when(
        conditions.statement.is_empty(),
        Place::Header("[conditions]"),
        || {
            "conditions need a `statement`: the sentences of the page they were read from"
                .to_string()
        },
    ));
    // Quoted from the body, as the reader sees it there (code spans without backquotes).
    let body = primary.parsed.body.replace('`', "");
    found.extend(
        conditions
            .statement
            .iter()
            .filter(|sentence| !body.contains(sentence.as_str()))
            .map(|sentence| {
                (
                    Place::Value(sentence.clone()),
                    "conditions: this statement is not in the entry's text: quote the sentence the conditions were read from".to_string(),
                )
            }),
    );
    found
}

fn is_address(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && !text.contains(char::is_whitespace)
}

/// A translation carries only `[entry] id` and `lang`: everything structured is the
/// primary file's.
pub(crate) fn check_translation(translation: &EntryFile) -> Vec<Diagnostic> {
    let h = &translation.parsed.header;
    let extra = [
        ("component", h.entry.component.is_some()),
        ("keywords", h.entry.keywords.is_some()),
        ("[versions]", h.versions.is_some()),
        ("[symptoms]", h.symptoms.is_some()),
        ("[upstream]", h.upstream.is_some()),
        ("[conditions]", h.conditions.is_some()),
    ];
    extra
        .into_iter()
        .filter(|(_, present)| *present)
        .map(|(key, _)| {
            Diagnostic::new(
                &translation.label,
                translation.parsed.header_line_of(key.trim_matches(['[', ']'])),
                format!("{key} belongs in the primary file only: a translation carries [entry] id and lang"),
            )
        })
        .collect()
}

/// An entry has one primary file (the one with a `[source]` table): without one, each of
/// its translations says so; a second one is refused.
pub(crate) fn check_primaries(
    primaries: &[EntryFile],
    translations: &[EntryFile],
) -> Vec<Diagnostic> {
    match primaries {
        [] => translations
            .iter()
            .map(|t| {
                Diagnostic::new(
                    &t.label,
                    t.parsed.header_first_line,
                    format!("entry {} has no primary file (the one with a [source] table)", t.id),
                )
            })
            .collect(),
        [_, extra @ ..] => extra
            .iter()
            .map(|e| {
                Diagnostic::new(
                    &e.label,
                    e.parsed.header_line_of("[source]"),
                    "a second primary file for this entry: translations carry only [entry] id and lang",
                )
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::model::SourceText;
    use crate::parse::parse_file;

    const PRIMARY: &str = "```toml
[entry]
id = \"ABM-0001\"
lang = \"ja\"
component = \"os\"

[source]
document = \"Page\"
category = \"Install\"
title = \"A title\"

[versions]
affected = [{ introduced = \"0\", fixed = \"1.8.2\" }]
fixed_in = \"1.8.2\"
statement = [\"1.8.2 で修正されました。\"]

[symptoms]
errors = [\"open /proc/sys/x: permission denied\"]
```

# A title

本文。

## 回避策

1. 直す。
";

    fn file(text: &str, lang: Lang) -> EntryFile {
        EntryFile {
            label: "kb/x/ABM-0001.ja.md".to_string(),
            rel: "x/ABM-0001.ja.md".to_string(),
            id: "ABM-0001".to_string(),
            lang,
            parsed: parse_file("kb/x/ABM-0001.ja.md", text).unwrap(),
        }
    }

    /// What the primary rules say about `PRIMARY` edited from `from` to `to`, as
    /// `line: message`.
    fn problems(from: &str, to: &str) -> Vec<String> {
        problems_in(SourceText::Verbatim, &PRIMARY.replacen(from, to, 1))
    }

    /// What the primary rules say about `text`, the primary file of a source whose entries
    /// are `kind`.
    fn problems_in(kind: SourceText, text: &str) -> Vec<String> {
        let source = SourceDocument {
            title: "Page".to_string(),
            lang: Lang::Ja,
            id_prefix: "ABM".to_string(),
            categories: vec!["Install".to_string()],
            text: kind,
            url: None,
            licence: None,
            folder: "x".to_string(),
        };
        let components = HashSet::from(["os"]);
        let context = Context {
            source: &source,
            components: &components,
        };
        check_primary(&file(text, Lang::Ja), &context)
            .iter()
            .map(|d| format!("{}: {}", d.line, d.message))
            .collect()
    }

    #[test]
    fn a_retold_entry_names_its_notes_quotes_nothing_and_has_a_title_of_its_own() {
        // As the seed page's primary file is written, it breaks three rules of a retold
        // source: a source title, a quoted statement, and no notes.
        assert_eq!(
            problems_in(SourceText::Retold, PRIMARY),
            [
                "10: a retold source's entries have titles of their own: leave out source.title",
                "7: a retold entry names where it comes from: `notes` (release and date of each note), or its own `url` and `date`",
                "15: a retold entry quotes nothing: leave out versions.statement (its notes say where the versions come from)",
            ]
        );
        let retold = PRIMARY
            .replace(
                "title = \"A title\"\n",
                "notes = [{ release = \"1.8.2\", date = \"2021-07-29\" }]\n",
            )
            .replace("statement = [\"1.8.2 で修正されました。\"]\n", "");
        assert_eq!(
            problems_in(SourceText::Retold, &retold),
            Vec::<String>::new()
        );
        let bad_note = retold.replace("date = \"2021-07-29\"", "date = \"July 29\"");
        assert_eq!(
            problems_in(SourceText::Retold, &bad_note),
            ["10: notes: `July 29` is not a date: write it YYYY-MM-DD"]
        );
        // Releases after an open range are affected by it: they cannot also be unstated.
        let open = retold
            .replace("fixed = \"1.8.2\" }]", "}]")
            .replace("fixed_in = \"1.8.2\"\n", "newer_lines = \"not stated\"\n");
        assert_eq!(
            problems_in(SourceText::Retold, &open),
            [
                "14: `newer_lines = \"not stated\"` needs ranges that end (last_affected: the last release the text names)"
            ]
        );
    }

    #[test]
    fn a_good_primary_file_keeps_every_rule() {
        assert_eq!(problems("", ""), Vec::<String>::new());
    }

    #[test]
    fn the_primary_file_is_in_the_source_language() {
        let source = SourceDocument {
            title: "Page".to_string(),
            lang: Lang::En,
            id_prefix: "ABM".to_string(),
            categories: Vec::new(),
            text: crate::model::SourceText::Verbatim,
            url: None,
            licence: None,
            folder: String::new(),
        };
        let components = HashSet::new();
        let context = Context {
            source: &source,
            components: &components,
        };
        assert_eq!(
            written_in_the_source_language(&file(PRIMARY, Lang::Ja), &context),
            [(
                Place::Header("lang"),
                "the primary file must be in the source's language `en`".to_string()
            )]
        );
    }

    #[test]
    fn the_source_table_names_the_page_its_category_and_the_title() {
        assert_eq!(
            problems("document = \"Page\"", "document = \"Other\""),
            ["8: source.document must be the page title `Page`"]
        );
        assert_eq!(
            problems("category = \"Install\"", "category = \"Upgrade\""),
            ["9: source.category `Upgrade` is not one of the categories in source.toml"]
        );
        assert_eq!(
            problems("# A title", "# Another title"),
            ["21: the title of the primary file must be source.title `A title`"]
        );
    }

    #[test]
    fn conditions_name_known_facts_and_quote_the_text() {
        let conditions = |when: &str, statement: &str| {
            problems(
                "[symptoms]",
                &format!("[conditions]\nwhen = [{when}]\nstatement = [{statement}]\n\n[symptoms]"),
            )
        };
        assert_eq!(
            conditions("\"config.proxy\"", "\"本文。\""),
            Vec::<String>::new()
        );
        assert_eq!(
            conditions("\"config.proxi\"", "\"本文。\""),
            ["18: conditions: unknown fact `config.proxi` (the facts are listed in kb/EXAMPLE.md)"]
        );
        assert_eq!(
            conditions("\"config.proxy\"", "\"別の文。\""),
            [
                "19: conditions: this statement is not in the entry's text: quote the sentence the conditions were read from"
            ]
        );
    }

    #[test]
    fn the_component_is_one_of_components_toml() {
        assert_eq!(
            problems("component = \"os\"", "component = \"kernel\""),
            ["5: unknown component `kernel`: add it to kb/components.toml or use one listed there"]
        );
        assert_eq!(
            problems("component = \"os\"\n", ""),
            ["2: the primary file needs `component` in [entry]"]
        );
    }

    #[test]
    fn versions_are_versions_that_end_where_the_fix_is_and_quote_the_page() {
        assert_eq!(
            problems("fixed_in = \"1.8.2\"", "fixed_in = \"1.8.x\""),
            [
                "14: `1.8.x` is not a version: expected dotted numbers such as 1.8.2 or 1.32.200-gke.104"
            ]
        );
        assert_eq!(
            problems("fixed_in = \"1.8.2\"", "fixed_in = \"1.8.1\""),
            ["14: fixed_in 1.8.1 lies inside an affected range"]
        );
        assert_eq!(
            problems(
                "affected = [{ introduced = \"0\", fixed = \"1.8.2\" }]",
                "affected = []"
            ),
            ["13: `affected = []` says nothing: leave the key out when the text names no version"]
        );
        assert_eq!(
            problems("statement = [\"1.8.2 で修正されました。\"]", ""),
            [
                "13: versions need a `statement`: the sentences of the page they were read from (or the `notes` of the release notes they come from)"
            ]
        );
        assert_eq!(
            problems(
                "affected = [{ introduced = \"0\", fixed = \"1.8.2\" }]",
                "upgrade_to = [{ introduced = \"1.8.0\" }]"
            ),
            ["13: upgrade_to needs `affected`: the versions being upgraded from"]
        );
    }

    #[test]
    fn affected_ranges_reach_the_fix_unless_a_note_says_why() {
        let stops_early = |extra: &str| {
            problems(
                "fixed_in = \"1.8.2\"",
                &format!("fixed_in = \"1.8.3\"{extra}"),
            )
        };
        assert_eq!(
            stops_early(""),
            [
                "13: the affected ranges end at 1.8.2, before fixed_in 1.8.3: extend them to the fix, or add a `note` saying why versions in between are not affected"
            ]
        );
        assert!(stops_early("\nnote = \"1.8.2 is not affected: ...\"").is_empty());
    }

    #[test]
    fn each_error_is_one_line() {
        assert_eq!(
            problems(
                "errors = [\"open /proc/sys/x: permission denied\"]",
                "errors = [\"\"]"
            ),
            ["18: symptoms.errors holds one non-empty line per string"]
        );
    }

    #[test]
    fn a_translation_carries_only_its_id_and_language() {
        let translation = file(PRIMARY, Lang::En);
        let lines: Vec<usize> = check_translation(&translation)
            .iter()
            .map(|d| d.line)
            .collect();
        assert_eq!(lines, [5, 12, 17]);
    }
}
