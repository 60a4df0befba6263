//! HTML pages of `shirube serve`: the reports the terminal printers render, as
//! server-rendered pages that work without script. Markup is written with [`maud`], which
//! escapes every value spliced into it; the one value let through as markup is an entry
//! body, rendered from its Markdown with the raw HTML it contains shown as text. Control
//! characters, which HTML escaping leaves alone, are made visible once for the whole page
//! (`page`). One stylesheet and one optional script (copy buttons on code blocks) are
//! served from the binary.

use super::wording::{Web, wording};
use super::{phrases, terminal, versions};
use crate::report::{
    CheckReport, ComponentRef, ContextReport, EntryDetail, EntrySummary, SearchReport,
    SearchResult, TriageReport,
};
use maud::{Markup, PreEscaped, html};
use pulldown_cmark::{Event, Parser};
use shirube_kb::Lang;
use std::fmt::Write;
use std::ops::Range;

/// The stylesheet, `/style.css`.
pub const STYLESHEET: &str = include_str!("../../assets/web/style.css");
/// The script, `/copy.js`: copy buttons on code blocks; pages work without it.
pub const SCRIPT: &str = include_str!("../../assets/web/copy.js");

/// Which page of the navigation a page is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// The search page (`/`, `/search`).
    Search,
    /// The entry list, `/list`.
    List,
    /// The check page, `/check`.
    Check,
    /// The triage page, `/triage`.
    Triage,
    /// An entry, or a message.
    None,
}

/// A query-string value: everything but unreserved characters percent-encoded.
pub fn url_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// A whole page: the navigation, `title` and `main`.
fn page(lang: Lang, section: Section, title: &str, main: Markup) -> String {
    let web = wording(lang).web;
    let links = [
        (Section::Search, "/", web.search),
        (Section::List, "/list", web.list),
        (Section::Check, "/check", web.check),
        (Section::Triage, "/triage", web.triage),
    ];
    let markup = html! {
        (PreEscaped("<!doctype html>\n"))
        html lang=(lang.code()) {
            "\n"
            head {
                "\n"
                meta charset="utf-8"; "\n"
                meta name="viewport" content="width=device-width, initial-scale=1"; "\n"
                title { (title) " · shirube" } "\n"
                link rel="stylesheet" href="/style.css"; "\n"
                script src="/copy.js" defer {} "\n"
            }
            "\n"
            body {
                "\n"
                header {
                    span class="brand" { "道標 shirube" }
                    nav {
                        @for (target, href, label) in links {
                            a href={ (href) "?lang=" (lang.code()) }
                                aria-current=[(target == section).then_some("page")] { (label) }
                        }
                    }
                }
                "\n"
                main { "\n" (main) }
                "\n"
            }
            "\n"
        }
        "\n"
    };
    visible_controls(markup.into_string())
}

/// `page` with its control characters shown as the terminal shows them (`\x1b`): HTML
/// escaping leaves them alone, and the page's own markup has none but line breaks. A
/// carriage return of a pasted log stays, so a form sent back keeps the user's text.
fn visible_controls(page: String) -> String {
    let shown = |c: char| c != '\r' && terminal::is_control(c);
    if !page.chars().any(shown) {
        return page;
    }
    let mut out = String::with_capacity(page.len() + 16);
    for c in page.chars() {
        if shown(c) {
            out.push_str(&terminal::escape(c.encode_utf8(&mut [0; 4])));
        } else {
            out.push(c);
        }
    }
    out
}

/// A page that says one thing: not found, too large, busy.
pub fn message_page(lang: Lang, title: &str, message: &str) -> String {
    let main = html! { h1 { (title) } "\n" p { (message) } "\n" };
    page(lang, Section::None, title, main)
}

/// What the forms show: the values the user sent, each page's form using those it has.
#[derive(Clone, Debug, Default)]
pub struct Filled<'a> {
    /// The question, shown back in the search box; empty when none was sent.
    pub query: &'a str,
    /// The value of the version field.
    pub version: &'a str,
    /// The value of the upgrade target field of the check page.
    pub upgrade_to: &'a str,
    /// The id of the component chosen in the search and list pages; empty for any.
    pub component: &'a str,
}

/// The search page: the form, and the results when there was a question.
pub fn search_page(
    lang: Lang,
    form: &Filled,
    components: &[ComponentRef],
    report: Option<&SearchReport>,
) -> String {
    let web = wording(lang).web;
    let main = html! {
        form class="search" action="/search" method="get" {
            "\n"
            textarea name="q" rows="4" placeholder=(web.ask) required { (form.query) }
            "\n"
            div class="filters" {
                (version_input("version", web.version, form.version))
                (component_select(web, components, form.component))
                (language_select(web, lang))
                button type="submit" { (web.find) }
            }
            "\n"
        }
        "\n"
        @if let Some(report) = report { (results(report)) }
    };
    let title = if form.query.is_empty() {
        web.search.to_string()
    } else {
        form.query.chars().take(60).collect()
    };
    page(lang, Section::Search, &title, main)
}

fn version_input(name: &str, label: &str, value: &str) -> Markup {
    html! {
        label { (label) " " input name=(name) value=(value) size="8" placeholder="1.8.1"; }
    }
}

fn component_select(web: &Web, components: &[ComponentRef], chosen: &str) -> Markup {
    html! {
        label {
            (web.component) " "
            select name="component" {
                option value="" { (web.any) }
                @for component in components {
                    option value=(component.id) selected[component.id == chosen] {
                        (component.label)
                    }
                }
            }
        }
    }
}

fn language_select(web: &Web, lang: Lang) -> Markup {
    html! {
        label {
            (web.language) " "
            select name="lang" {
                @for (code, label) in [(Lang::Ja, "日本語"), (Lang::En, "English")] {
                    option value=(code.code()) selected[code == lang] { (label) }
                }
            }
        }
    }
}

/// The results of a search, as the terminal shows them: an entry the version filter
/// excluded, the hits (weak ones marked), or "no known issue matches".
fn results(report: &SearchReport) -> Markup {
    let w = wording(report.lang);
    html! {
        @for excluded in &report.excluded {
            p class="excluded" {
                (phrases::excluded(excluded, report.version.as_deref(), report.lang)) " "
                a href=(entry_href(excluded.entry.id, report.lang)) { (excluded.entry.title) }
            }
            "\n"
        }
        @if !report.confident {
            p class="no-match" {
                (if report.results.is_empty() { w.no_match } else { w.web.weak_heading })
            }
            "\n"
        }
        @for result in &report.results { (hit(result, report.lang)) }
    }
}

fn entry_href(id: &str, lang: Lang) -> String {
    format!("/entries/{}?lang={}", url_value(id), lang.code())
}

/// Whether a result applies here, in one line, when the facts known decide; else nothing.
fn context(context: Option<&ContextReport>, lang: Lang) -> Markup {
    html! {
        @if let Some(line) = context.and_then(|c| phrases::context_line(c, lang)) {
            p class="context" { (line) } "\n"
        }
    }
}

/// One search result.
fn hit(result: &SearchResult, lang: Lang) -> Markup {
    let entry = &result.entry;
    let weak = result.weak == Some(true);
    html! {
        article class=(if weak { "hit weak" } else { "hit" }) {
            "\n"
            (heading(entry, lang, weak))
            (context(result.context.as_ref(), lang))
            @if let Some(snippet) = result.snippet {
                p class="snippet" { (highlighted(snippet, result.highlights)) }
                "\n"
            }
            (first_step(entry.first_step, wording(lang).workaround))
        }
        "\n"
    }
}

/// `snippet` with its `highlights` (byte ranges, in order) marked.
fn highlighted(snippet: &str, highlights: &[Range<usize>]) -> Markup {
    let mut pieces = Vec::with_capacity(2 * highlights.len() + 1);
    let mut at = 0;
    for range in highlights {
        pieces.push((&snippet[at..range.start], false));
        pieces.push((&snippet[range.clone()], true));
        at = range.end;
    }
    pieces.push((&snippet[at..], false));
    html! {
        @for (text, marked) in pieces {
            @if marked { mark { (text) } } @else { (text) }
        }
    }
}

/// How a listed entry opens: its id (a link to it) and title, then its component and
/// versions; a weak candidate says so.
fn heading(entry: &EntrySummary, lang: Lang, weak: bool) -> Markup {
    html! {
        h2 { a href=(entry_href(entry.id, lang)) { (entry.id) } " " (entry.title) }
        "\n"
        p class="meta" {
            (entry.component) " · " (versions::line(entry, lang)) (phrases::origin(entry, lang))
            @if weak { (wording(lang).weak) }
        }
        "\n"
    }
}

fn first_step(step: &str, label: &str) -> Markup {
    html! {
        @if !step.is_empty() {
            p class="step" { strong { (label) ":" } " " (step) }
            "\n"
        }
    }
}

/// An entry in full: its fields, its body rendered from Markdown, the errors seen in public
/// reports, and a link to the other language.
pub fn entry_page(detail: &EntryDetail, other: Option<Lang>) -> String {
    let entry = &detail.summary;
    let lang = entry.lang;
    let w = wording(lang);
    let main = html! {
        h1 { span class="id" { (entry.id) } " " (entry.title) }
        "\n"
        @if let Some(other) = other {
            p class="other-language" {
                a href=(entry_href(entry.id, other)) lang=(other.code()) { (w.web.other_language) }
            }
            "\n"
        }
        dl class="fields" {
            "\n"
            @for (name, value) in phrases::entry_fields(detail, true) {
                dt { (name) } dd { (value) } "\n"
            }
        }
        "\n"
        div class="body" { "\n" (markdown(detail.body)) }
        "\n"
        @if !detail.upstream.errors.is_empty() {
            h2 { (w.seen_in_the_wild) }
            "\n"
            ul class="seen" {
                "\n"
                @for seen in &detail.upstream.errors {
                    li {
                        code { (seen.error) } " "
                        a href=(safe_link(&seen.source)) rel="noreferrer" { (seen.source) }
                    }
                    "\n"
                }
            }
            "\n"
        }
    };
    page(
        lang,
        Section::None,
        &format!("{} {}", entry.id, entry.title),
        main,
    )
}

/// `address` when it is an http(s) address, else nothing a browser would follow.
fn safe_link(address: &str) -> &str {
    if address.starts_with("https://") || address.starts_with("http://") {
        address
    } else {
        "#"
    }
}

/// Markdown as HTML, with the HTML it contains shown as text: an entry is data, not markup.
/// pulldown-cmark escapes the text it writes, so its output is let through as markup.
fn markdown(body: &str) -> Markup {
    let events = Parser::new(body).map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    PreEscaped(html)
}

/// A form of filter fields that asks `action` again by GET, on one line.
fn filters_form(action: &str, fields: &[Markup], button: &str) -> Markup {
    html! {
        form class="filters" action=(action) method="get" {
            @for field in fields { (field) }
            button type="submit" { (button) }
        }
        "\n"
    }
}

/// The entries, one row each, with the filters.
pub fn list_page(
    lang: Lang,
    form: &Filled,
    components: &[ComponentRef],
    report: &SearchReport,
) -> String {
    let web = wording(lang).web;
    let filters = [
        version_input("version", web.version, form.version),
        component_select(web, components, form.component),
        language_select(web, lang),
    ];
    let main = html! {
        (filters_form("/list", &filters, web.list))
        table class="list" {
            "\n"
            @for result in &report.results {
                @let entry = &result.entry;
                tr {
                    td { a href=(entry_href(entry.id, lang)) { (entry.id) } }
                    td { (entry.component) }
                    td { (versions::affected(entry.affected, lang)) }
                    td { (entry.title) }
                }
                "\n"
            }
        }
        "\n"
    };
    page(lang, Section::List, web.list, main)
}

/// The check form, and what applies when a version was given.
pub fn check_page(lang: Lang, form: &Filled, report: Option<&CheckReport>) -> String {
    let web = wording(lang).web;
    let filters = [
        version_input("version", web.version, form.version),
        version_input("upgrade_to", web.upgrade_to, form.upgrade_to),
        language_select(web, lang),
    ];
    let main = html! {
        (filters_form("/check", &filters, web.check))
        @if let Some(report) = report { (check_findings(report)) }
    };
    page(lang, Section::Check, web.check, main)
}

fn check_findings(report: &CheckReport) -> Markup {
    let lang = report.lang;
    let w = wording(lang);
    html! {
        @for component in &report.components {
            @let group: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.entry.component == component.id)
                .collect();
            @if !group.is_empty() {
                h2 { (component.label) " (" (component.id) ")" }
                "\n"
                @for finding in group {
                    (check_article(
                        finding.entry.id,
                        finding.entry.title,
                        &phrases::check_meta(finding, lang),
                        lang,
                        first_step(finding.entry.first_step, w.workaround),
                    ))
                }
            }
        }
        // Those the sources say nothing of for this version: folded, as they can be a hundred.
        @if !report.not_stated.is_empty() {
            details {
                summary {
                    ((w.check_not_stated)(&report.version)) " (" (report.not_stated.len()) ")"
                }
                "\n"
                @for entry in &report.not_stated {
                    (check_article(
                        entry.id,
                        entry.title,
                        &phrases::not_stated_meta(entry, lang),
                        lang,
                        html! {},
                    ))
                }
            }
            "\n"
        }
        p class="summary" { (phrases::check_summary(report)) }
        "\n"
    }
}

/// One entry of a check report: its id linked to its page, its title, `meta` (versions and
/// fixes) and `tail` (the first workaround step, or nothing).
fn check_article(id: &str, title: &str, meta: &str, lang: Lang, tail: Markup) -> Markup {
    html! {
        article class="hit" {
            h3 { a href=(entry_href(id, lang)) { (id) } " " (title) }
            p class="meta" { (meta) }
            (tail)
        }
        "\n"
    }
}

/// The triage form, and the findings of a log that was sent.
pub fn triage_page(lang: Lang, report: Option<&TriageReport>) -> String {
    let w = wording(lang);
    let web = w.web;
    let main = html! {
        form class="triage" action={ "/triage?lang=" (lang.code()) } method="post"
            enctype="multipart/form-data" {
            "\n"
            label { (web.paste_log) textarea name="log" rows="8" {} }
            "\n"
            label { (web.upload_log) " " input type="file" name="file"; }
            "\n"
            button type="submit" { (web.triage) }
            "\n"
        }
        "\n"
        @if let Some(report) = report {
            @for finding in &report.findings {
                article class="hit" {
                    "\n"
                    (heading(&finding.entry, lang, finding.weak))
                    (context(Some(&finding.context), lang))
                    p { (phrases::triage_seen(finding, lang)) }
                    pre { code { (finding.example) } }
                    (first_step(finding.entry.first_step, w.workaround))
                }
                "\n"
            }
            p class="summary" { (phrases::triage_summary(report)) }
            "\n"
        }
    };
    page(lang, Section::Triage, web.triage, main)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_comes_out_inert() {
        let page = message_page(
            Lang::En,
            "<script>alert('x')</script>",
            "a & \"q\" \x1b[2J\r",
        );
        assert!(page.contains(
            "<h1>&lt;script&gt;alert('x')&lt;/script&gt;</h1>\n<p>a &amp; &quot;q&quot; \\x1b[2J\r</p>"
        ));
        assert_eq!(
            markdown("a <b>bold</b>\n\n<script>x</script>\n").into_string(),
            "<p>a &lt;b&gt;bold&lt;/b&gt;</p>\n&lt;script&gt;x&lt;/script&gt;\n"
        );
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(url_value("ABM-0007"), "ABM-0007");
        assert_eq!(url_value("a b&c=証"), "a%20b%26c%3D%E8%A8%BC");
        assert_eq!(safe_link("javascript:alert(1)"), "#");
    }
}
