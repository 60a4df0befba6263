//! HTML pages of `shirube serve`: the reports the terminal printers render, as
//! server-rendered pages that work without script. Every text that comes from a question, a
//! log or an entry is escaped on its way in ([`escape`]); entry bodies are rendered from
//! their Markdown with raw HTML shown as text. One stylesheet and one optional script
//! (copy buttons on code blocks) are served from the binary.

use super::wording::{Web, wording};
use super::{phrases, terminal, versions};
use crate::report::{
    CheckReport, ComponentRef, ContextReport, EntryDetail, EntrySummary, SearchReport,
    SearchResult, TriageReport,
};
use pulldown_cmark::{Event, Parser};
use shirube_kb::Lang;
use std::fmt::Write;

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

/// Text made safe inside HTML, in content and in quoted attribute values, its control
/// characters made visible.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Shown as the terminal shows it (`\x1b`); a carriage return of a pasted
            // log stays, so a form sent back keeps the user's text.
            c if c != '\r' && terminal::is_control(c) => {
                out.push_str(&terminal::escape(c.encode_utf8(&mut [0; 4])));
            }
            c => out.push(c),
        }
    }
    out
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
pub fn page(lang: Lang, section: Section, title: &str, main: &str) -> String {
    let web = wording(lang).web;
    let mut nav = String::new();
    for (target, href, label) in [
        (Section::Search, "/", web.search),
        (Section::List, "/list", web.list),
        (Section::Check, "/check", web.check),
        (Section::Triage, "/triage", web.triage),
    ] {
        let current = if target == section {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(
            nav,
            "<a href=\"{href}?lang={}\"{current}>{}</a>",
            lang.code(),
            escape(label)
        );
    }
    format!(
        "<!doctype html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title} · shirube</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n<script src=\"/copy.js\" defer></script>\n</head>\n<body>\n<header><span class=\"brand\">道標 shirube</span><nav>{nav}</nav></header>\n<main>\n{main}</main>\n</body>\n</html>\n",
        code = lang.code(),
        title = escape(title),
    )
}

/// A page that says one thing: not found, too large, busy.
pub fn message_page(lang: Lang, title: &str, message: &str) -> String {
    let main = format!("<h1>{}</h1>\n<p>{}</p>\n", escape(title), escape(message));
    page(lang, Section::None, title, &main)
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
    let mut main = String::new();
    let _ = writeln!(
        main,
        "<form class=\"search\" action=\"/search\" method=\"get\">\n<textarea name=\"q\" rows=\"4\" placeholder=\"{}\" required>{}</textarea>\n<div class=\"filters\">{}{}{}<button type=\"submit\">{}</button></div>\n</form>",
        escape(web.ask),
        escape(form.query),
        version_input("version", web.version, form.version),
        component_select(web, components, form.component),
        language_select(web, lang),
        escape(web.find)
    );
    if let Some(report) = report {
        main.push_str(&results(report));
    }
    let title = if form.query.is_empty() {
        web.search.to_string()
    } else {
        form.query.chars().take(60).collect()
    };
    page(lang, Section::Search, &title, &main)
}

fn version_input(name: &str, label: &str, value: &str) -> String {
    format!(
        "<label>{} <input name=\"{name}\" value=\"{}\" size=\"8\" placeholder=\"1.8.1\"></label>",
        escape(label),
        escape(value)
    )
}

fn component_select(web: &Web, components: &[ComponentRef], chosen: &str) -> String {
    let mut select = format!(
        "<label>{} <select name=\"component\"><option value=\"\">{}</option>",
        escape(web.component),
        escape(web.any)
    );
    for component in components {
        let selected = if component.id == chosen {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            select,
            "<option value=\"{}\"{selected}>{}</option>",
            escape(component.id),
            escape(component.label)
        );
    }
    select.push_str("</select></label>");
    select
}

fn language_select(web: &Web, lang: Lang) -> String {
    let option = |code: Lang, label: &str| {
        let selected = if code == lang { " selected" } else { "" };
        format!(
            "<option value=\"{}\"{selected}>{label}</option>",
            code.code()
        )
    };
    format!(
        "<label>{} <select name=\"lang\">{}{}</select></label>",
        escape(web.language),
        option(Lang::Ja, "日本語"),
        option(Lang::En, "English")
    )
}

/// The results of a search, as the terminal shows them: an entry the version filter
/// excluded, the hits (weak ones marked), or "no known issue matches".
fn results(report: &SearchReport) -> String {
    let w = wording(report.lang);
    let mut html = String::new();
    for excluded in &report.excluded {
        let sentence = phrases::excluded(excluded, report.version.as_deref(), report.lang);
        let _ = writeln!(
            html,
            "<p class=\"excluded\">{} <a href=\"{}\">{}</a></p>",
            escape(&sentence),
            entry_href(excluded.entry.id, report.lang),
            escape(excluded.entry.title)
        );
    }
    if !report.confident {
        let heading = if report.results.is_empty() {
            w.no_match
        } else {
            w.web.weak_heading
        };
        let _ = writeln!(html, "<p class=\"no-match\">{}</p>", escape(heading));
    }
    for result in &report.results {
        html.push_str(&hit(result, report.lang));
    }
    html
}

fn entry_href(id: &str, lang: Lang) -> String {
    format!("/entries/{}?lang={}", url_value(id), lang.code())
}

/// Whether a result applies here, in one line, when the facts known decide; else nothing.
fn context(context: Option<&ContextReport>, lang: Lang) -> String {
    context
        .and_then(|c| phrases::context_line(c, lang))
        .map(|line| format!("<p class=\"context\">{}</p>\n", escape(&line)))
        .unwrap_or_default()
}

/// One search result.
fn hit(result: &SearchResult, lang: Lang) -> String {
    let w = wording(lang);
    let entry = &result.entry;
    let weak = result.weak == Some(true);
    let mut html = format!(
        "<article class=\"hit{}\">\n{}",
        if weak { " weak" } else { "" },
        heading(entry, lang, weak)
    );
    html.push_str(&context(result.context.as_ref(), lang));
    if let Some(snippet) = result.snippet {
        html.push_str("<p class=\"snippet\">");
        let mut at = 0;
        for range in result.highlights {
            html.push_str(&escape(&snippet[at..range.start]));
            let _ = write!(html, "<mark>{}</mark>", escape(&snippet[range.clone()]));
            at = range.end;
        }
        html.push_str(&escape(&snippet[at..]));
        html.push_str("</p>\n");
    }
    html.push_str(&first_step(entry.first_step, w.workaround));
    html.push_str("</article>\n");
    html
}

/// How a listed entry opens: its id (a link to it) and title, then its component and
/// versions; a weak candidate says so.
fn heading(entry: &EntrySummary, lang: Lang, weak: bool) -> String {
    format!(
        "<h2><a href=\"{}\">{}</a> {}</h2>\n<p class=\"meta\">{} · {}{}</p>\n",
        entry_href(entry.id, lang),
        escape(entry.id),
        escape(entry.title),
        escape(entry.component),
        escape(&versions::line(entry, lang)),
        if weak {
            escape(wording(lang).weak)
        } else {
            String::new()
        }
    )
}

fn first_step(step: &str, label: &str) -> String {
    if step.is_empty() {
        return String::new();
    }
    format!(
        "<p class=\"step\"><strong>{}:</strong> {}</p>\n",
        escape(label),
        escape(step)
    )
}

/// An entry in full: its fields, its body rendered from Markdown, the errors seen in public
/// reports, and a link to the other language.
pub fn entry_page(detail: &EntryDetail, other: Option<Lang>) -> String {
    let entry = &detail.summary;
    let lang = entry.lang;
    let w = wording(lang);
    let mut main = format!(
        "<h1><span class=\"id\">{}</span> {}</h1>\n",
        escape(entry.id),
        escape(entry.title)
    );
    if let Some(other) = other {
        let _ = writeln!(
            main,
            "<p class=\"other-language\"><a href=\"{}\" lang=\"{}\">{}</a></p>",
            entry_href(entry.id, other),
            other.code(),
            escape(w.web.other_language)
        );
    }
    let rows = phrases::entry_fields(detail, true);
    main.push_str("<dl class=\"fields\">\n");
    for (name, value) in rows {
        let _ = writeln!(main, "<dt>{}</dt><dd>{}</dd>", escape(name), escape(&value));
    }
    main.push_str("</dl>\n<div class=\"body\">\n");
    main.push_str(&markdown(detail.body));
    main.push_str("</div>\n");
    if !detail.upstream.errors.is_empty() {
        let _ = writeln!(
            main,
            "<h2>{}</h2>\n<ul class=\"seen\">",
            escape(w.seen_in_the_wild)
        );
        for seen in &detail.upstream.errors {
            let _ = writeln!(
                main,
                "<li><code>{}</code> <a href=\"{}\" rel=\"noreferrer\">{}</a></li>",
                escape(&seen.error),
                escape(&safe_link(&seen.source)),
                escape(&seen.source)
            );
        }
        main.push_str("</ul>\n");
    }
    page(
        lang,
        Section::None,
        &format!("{} {}", entry.id, entry.title),
        &main,
    )
}

/// `address` when it is an http(s) address, else nothing a browser would follow.
fn safe_link(address: &str) -> String {
    if address.starts_with("https://") || address.starts_with("http://") {
        address.to_string()
    } else {
        "#".to_string()
    }
}

/// Markdown as HTML, with the HTML it contains shown as text: an entry is data, not markup.
fn markdown(body: &str) -> String {
    let events = Parser::new(body).map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// A form of filter fields that asks `action` again by GET, on one line.
fn filters_form(action: &str, fields: &[String], button: &str) -> String {
    format!(
        "<form class=\"filters\" action=\"{action}\" method=\"get\">{}<button type=\"submit\">{}</button></form>\n",
        fields.concat(),
        escape(button)
    )
}

/// The entries, one row each, with the filters.
pub fn list_page(
    lang: Lang,
    form: &Filled,
    components: &[ComponentRef],
    report: &SearchReport,
) -> String {
    let web = wording(lang).web;
    let mut main = filters_form(
        "/list",
        &[
            version_input("version", web.version, form.version),
            component_select(web, components, form.component),
            language_select(web, lang),
        ],
        web.list,
    );
    main.push_str("<table class=\"list\">\n");
    for result in &report.results {
        let entry = &result.entry;
        let _ = writeln!(
            main,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            entry_href(entry.id, lang),
            escape(entry.id),
            escape(entry.component),
            escape(&versions::affected(entry.affected, lang)),
            escape(entry.title)
        );
    }
    main.push_str("</table>\n");
    page(lang, Section::List, web.list, &main)
}

/// The check form, and what applies when a version was given.
pub fn check_page(lang: Lang, form: &Filled, report: Option<&CheckReport>) -> String {
    let w = wording(lang);
    let web = w.web;
    let mut main = filters_form(
        "/check",
        &[
            version_input("version", web.version, form.version),
            version_input("upgrade_to", web.upgrade_to, form.upgrade_to),
            language_select(web, lang),
        ],
        web.check,
    );
    if let Some(report) = report {
        main.push_str(&check_findings(report));
    }
    page(lang, Section::Check, web.check, &main)
}

fn check_findings(report: &CheckReport) -> String {
    let lang = report.lang;
    let w = wording(lang);
    let mut html = String::new();
    for component in &report.components {
        let group: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.entry.component == component.id)
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(
            html,
            "<h2>{} ({})</h2>",
            escape(component.label),
            escape(component.id)
        );
        for finding in group {
            let entry = &finding.entry;
            let meta = phrases::check_meta(finding, lang);
            let step = first_step(entry.first_step, w.workaround);
            check_article(&mut html, entry.id, entry.title, &meta, lang, &step);
        }
    }
    // Those the sources say nothing of for this version: folded, as they can be a hundred.
    if !report.not_stated.is_empty() {
        let heading = (w.check_not_stated)(&report.version);
        let _ = writeln!(
            html,
            "<details><summary>{} ({})</summary>",
            escape(&heading),
            report.not_stated.len()
        );
        for entry in &report.not_stated {
            let meta = phrases::not_stated_meta(entry, lang);
            check_article(&mut html, entry.id, entry.title, &meta, lang, "");
        }
        let _ = writeln!(html, "</details>");
    }
    let line = phrases::check_summary(report);
    let _ = writeln!(html, "<p class=\"summary\">{}</p>", escape(&line));
    html
}

/// One entry of a check report: its id linked to its page, its title, `meta` (versions and
/// fixes) and `tail`, markup already escaped (the first workaround step, or nothing).
fn check_article(html: &mut String, id: &str, title: &str, meta: &str, lang: Lang, tail: &str) {
    let _ = writeln!(
        html,
        "<article class=\"hit\"><h3><a href=\"{}\">{}</a> {}</h3><p class=\"meta\">{}</p>{tail}</article>",
        entry_href(id, lang),
        escape(id),
        escape(title),
        escape(meta),
    );
}

/// The triage form, and the findings of a log that was sent.
pub fn triage_page(lang: Lang, report: Option<&TriageReport>) -> String {
    let w = wording(lang);
    let web = w.web;
    let mut main = format!(
        "<form class=\"triage\" action=\"/triage?lang={}\" method=\"post\" enctype=\"multipart/form-data\">\n<label>{}<textarea name=\"log\" rows=\"8\"></textarea></label>\n<label>{} <input type=\"file\" name=\"file\"></label>\n<button type=\"submit\">{}</button>\n</form>\n",
        lang.code(),
        escape(web.paste_log),
        escape(web.upload_log),
        escape(web.triage)
    );
    if let Some(report) = report {
        for finding in &report.findings {
            let entry = &finding.entry;
            let _ = writeln!(
                main,
                "<article class=\"hit\">\n{}{}<p>{}</p><pre><code>{}</code></pre>{}</article>",
                heading(entry, lang, false),
                context(Some(&finding.context), lang),
                escape(&phrases::triage_seen(finding, lang)),
                escape(finding.example),
                first_step(entry.first_step, w.workaround)
            );
        }
        let summary = phrases::triage_summary(report);
        let _ = writeln!(main, "<p class=\"summary\">{}</p>", escape(&summary));
    }
    page(lang, Section::Triage, web.triage, &main)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_comes_out_inert() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(
            markdown("a <b>bold</b>\n\n<script>x</script>\n"),
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
