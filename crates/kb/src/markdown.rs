//! Reading entry bodies with pulldown-cmark: the first workaround step, titles without
//! markup, and the plain text that gets indexed. (The rules a body keeps are in
//! the `lint` module.)

use crate::lang::Lang;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};

/// The first paragraph or list item of the workaround section, as one line of plain text.
/// When that step introduces a command, the command's first line is appended (with the lines
/// a trailing `\\` continues it on); when it introduces a list ("do one of the following:"),
/// the whole list: a step cut after its first choice reads as an order to do that one.
pub fn first_step(body: &str, lang: Lang) -> String {
    let mut events = Parser::new(body).peekable();
    // Find the workaround heading.
    let mut heading_text: Option<String> = None;
    let mut found = false;
    for event in events.by_ref() {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => heading_text = Some(String::new()),
            Event::Text(t) | Event::Code(t) if heading_text.is_some() => {
                if let Some(h) = heading_text.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_))
                if heading_text
                    .take()
                    .is_some_and(|h| h.trim() == lang.workaround_heading()) =>
            {
                found = true;
                break;
            }
            _ => {}
        }
    }
    if !found {
        return String::new();
    }
    let mut step = String::new();
    let mut capturing = false;
    // A step that ends in a colon introduces what follows: take its first line too.
    let mut introduces = false;
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::Paragraph | Tag::Item) => capturing = true,
            Event::Start(Tag::Heading { .. }) => break,
            Event::Start(Tag::CodeBlock(kind)) if step.is_empty() || introduces => {
                let code = code_block_text(&mut events);
                let command = block_step(&kind, &code);
                if !command.is_empty() {
                    if !step.is_empty() {
                        step.push(' ');
                    }
                    step.push_str(&command);
                }
                break;
            }
            Event::Start(Tag::List(start)) if introduces => {
                step.push(' ');
                step.push_str(&list_text(&mut events, start.is_some()));
                break;
            }
            Event::Start(Tag::List(_) | Tag::CodeBlock(_)) if !step.is_empty() => break,
            Event::Text(t) | Event::Code(t) if capturing => step.push_str(&t),
            Event::SoftBreak | Event::HardBreak if capturing => step.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item) if !step.is_empty() => {
                let next_is_block = matches!(
                    events.peek(),
                    Some(Event::Start(Tag::CodeBlock(_) | Tag::List(_)))
                );
                if ends_with_colon(&step) && next_is_block && !introduces {
                    introduces = true;
                    continue;
                }
                break;
            }
            _ => {}
        }
    }
    step.trim().to_string()
}

fn ends_with_colon(text: &str) -> bool {
    let t = text.trim_end();
    t.ends_with(':') || t.ends_with('：') || t.ends_with("ます。") && t.contains("コマンド")
}

/// A configuration block of at most this many lines is a step whole.
const MAX_CONFIG_LINES: usize = 6;

/// What a code block gives a step: a short configuration block (YAML, JSON, TOML, INI) whole,
/// on one line, since its first line alone (`spec:`) says nothing; otherwise its first
/// command.
fn block_step(kind: &CodeBlockKind, code: &str) -> String {
    const CONFIGURATION: [&str; 6] = ["yaml", "yml", "json", "toml", "ini", "conf"];
    let configuration = matches!(kind, CodeBlockKind::Fenced(info)
        if CONFIGURATION.contains(&info.split_whitespace().next().unwrap_or("")));
    let lines: Vec<&str> = code
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if configuration && lines.len() <= MAX_CONFIG_LINES {
        lines.join(" ")
    } else {
        first_command(code)
    }
}

/// The first command of a code block: its first line that is not blank, with the lines a
/// trailing backslash continues it on.
fn first_command(code: &str) -> String {
    let mut command = String::new();
    for line in code.lines().map(str::trim) {
        if command.is_empty() && line.is_empty() {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(continued) => {
                command.push_str(continued.trim_end());
                command.push(' ');
            }
            None => {
                command.push_str(line);
                break;
            }
        }
    }
    command.trim_end().to_string()
}

/// Whether `text` stops short of a whole step: it ends in a colon or a comma, or in a
/// conjunction ("Remove Docker, or").
fn leads_on(text: &str) -> bool {
    const CONJUNCTIONS: [&str; 5] = [" or", " and", "または", "あるいは", "もしくは"];
    let text = text.trim_end();
    text.ends_with([',', ':', '、', '，', '：']) || CONJUNCTIONS.iter().any(|c| text.ends_with(c))
}

/// The text of a list whose start was just read, as one line, up to where the step it
/// continues ends: the end of a paragraph or of a numbered item (a procedure's step), unless
/// it [leads on](leads_on) ("…, or"). The items of a tight bulleted list are short choices
/// ("do one of the following:") and are all taken. A command in an item gives its first
/// command.
fn list_text<'a>(events: &mut impl Iterator<Item = Event<'a>>, numbered: bool) -> String {
    let mut text = String::new();
    let mut depth = 1;
    while let Some(event) = events.next() {
        let step_ends = !text.trim().is_empty() && !leads_on(&text);
        match event {
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Event::End(TagEnd::Paragraph) if step_ends => break,
            Event::End(TagEnd::Item) if step_ends && numbered && depth == 1 => break,
            Event::Start(Tag::Item) if !text.trim().is_empty() => {
                text.truncate(text.trim_end().len());
                let sentence_ends = text.ends_with(['.', ';', '。']);
                text.push_str(if leads_on(&text) || sentence_ends {
                    " "
                } else {
                    "; "
                });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let command = block_step(&kind, &code_block_text(&mut *events));
                text.truncate(text.trim_end().len());
                text.push(' ');
                text.push_str(&command);
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

fn code_block_text<'a>(events: &mut impl Iterator<Item = Event<'a>>) -> String {
    let mut code = String::new();
    for event in events {
        match event {
            Event::Text(t) => code.push_str(&t),
            Event::End(TagEnd::CodeBlock) => break,
            _ => {}
        }
    }
    code
}

/// The text of one line of inline Markdown without its markup: `` `bmctl update` fails ``
/// becomes `bmctl update fails`. Titles are stored this way, for terminals and JSON.
pub fn inline_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The text of a Markdown body without markup, one block per line, code blocks included
/// (commands and log lines are what users paste). This is what gets indexed and what
/// snippets are cut from.
pub fn plain_text(body: &str) -> String {
    let mut out = String::new();
    for event in Parser::new(body) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_) | CodeBlockKind::Indented))
                if !out.ends_with('\n') && !out.is_empty() =>
            {
                out.push('\n');
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::CodeBlock,
            ) if !out.ends_with('\n') => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// The prose of a Markdown body and its code blocks, apart. Code (YAML, sample output)
/// can dwarf the prose of an entry; indexed together, its length would make the entry's
/// words count less than a short entry's.
pub fn prose_and_code(body: &str) -> (String, String) {
    let parts = body_parts(body);
    let mut code = parts.output;
    code.push_str(&parts.commands);
    (parts.prose, code)
}

/// A Markdown body in three parts, as a search should weigh them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BodyParts {
    /// The sentences (inline code included).
    pub prose: String,
    /// Code blocks of what a user sees: logs, program output, YAML (` ```text `,
    /// ` ```yaml `, or no language).
    pub output: String,
    /// Code blocks of commands to run (` ```shell `, ` ```sh `, ` ```bash `,
    /// ` ```console `): what a workaround tells the user to do, not what their question
    /// shows.
    pub commands: String,
}

/// The prose, the output and the commands of a Markdown body (see [`BodyParts`]).
pub fn body_parts(body: &str) -> BodyParts {
    let mut parts = BodyParts::default();
    let mut block: Option<bool> = None;
    for event in Parser::new(body) {
        let prose = &mut parts.prose;
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => info.to_string(),
                    pulldown_cmark::CodeBlockKind::Indented => String::new(),
                };
                let commands = matches!(
                    language.split_whitespace().next().unwrap_or(""),
                    "shell" | "sh" | "bash" | "console" | "powershell"
                );
                block = Some(commands);
            }
            Event::End(TagEnd::CodeBlock) => {
                let into = if block == Some(true) {
                    &mut parts.commands
                } else {
                    &mut parts.output
                };
                into.push('\n');
                block = None;
            }
            Event::Text(t) if block.is_some() => {
                if block == Some(true) {
                    parts.commands.push_str(&t);
                } else {
                    parts.output.push_str(&t);
                }
            }
            Event::Text(t) | Event::Code(t) => prose.push_str(&t),
            Event::SoftBreak => prose.push(' '),
            Event::HardBreak => prose.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => prose.push('\n'),
            _ => {}
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_and_commands_come_apart() {
        let body = "See:\n\n```text\nE0101 boom\n```\n\nRun:\n\n```shell\nsudo firewall-cmd --reload\n```\n";
        let parts = body_parts(body);
        assert_eq!(parts.prose, "See:\nRun:\n");
        assert_eq!(parts.output, "E0101 boom\n\n");
        assert_eq!(parts.commands, "sudo firewall-cmd --reload\n\n");
    }

    #[test]
    fn prose_and_code_come_apart() {
        let (prose, code) = prose_and_code("Run `ls`:\n\n```shell\nls -l\n```\n\nDone.\n");
        assert_eq!(prose, "Run ls:\nDone.\n");
        assert_eq!(code, "ls -l\n\n");
    }

    #[test]
    fn the_first_step_is_the_first_item_of_the_workaround() {
        let body = "Intro.\n\n## Workaround\n\n1. Stop the `anetd` Pod.\n2. Wait.\n";
        assert_eq!(first_step(body, Lang::En), "Stop the anetd Pod.");
    }

    #[test]
    fn a_step_that_introduces_a_command_carries_its_first_line() {
        let body = "## Workaround\n\nRun this on each node:\n\n```shell\nsudo sysctl -w a=0\n```\n";
        assert_eq!(
            first_step(body, Lang::En),
            "Run this on each node: sudo sysctl -w a=0"
        );
    }

    /// GDC-0410's first step ended at `…upgrading to 1.13: spec:`.
    #[test]
    fn a_step_that_introduces_a_short_configuration_carries_all_of_it() {
        let body = "## Workaround\n\n1. Set the runtime:\n\n   ```yaml\n   spec:\n     nodeConfig:\n       containerRuntime: containerd\n   ```\n\n2. Upgrade.\n";
        assert_eq!(
            first_step(body, Lang::En),
            "Set the runtime: spec: nodeConfig: containerRuntime: containerd"
        );
    }

    #[test]
    fn a_step_that_introduces_a_list_carries_the_whole_list() {
        let body = "## Workaround\n\nDo one of the following:\n\n- Remove Docker, or\n- Enable the service.\n\nThen retry.\n";
        assert_eq!(
            first_step(body, Lang::En),
            "Do one of the following: Remove Docker, or Enable the service."
        );
        let body = "## 回避策\n\n次のどちらかを行います:\n\n- `docker` を削除する\n- サービスを有効にする\n";
        assert_eq!(
            first_step(body, Lang::Ja),
            "次のどちらかを行います: docker を削除する; サービスを有効にする"
        );
    }

    #[test]
    fn a_procedure_gives_its_first_step_and_choices_all_of_them() {
        let body = "## Workaround\n\nRestore the Secret:\n\n1. Find the file.\n2. Run:\n\n   ```shell\n   kubectl apply\n   ```\n";
        assert_eq!(
            first_step(body, Lang::En),
            "Restore the Secret: Find the file."
        );
        let body = "## Workaround\n\nEither:\n\n- Run:\n\n  ```shell\n  gcloud auth login\n  ```\n\n- or wait.\n";
        assert_eq!(
            first_step(body, Lang::En),
            "Either: Run: gcloud auth login; or wait."
        );
    }

    #[test]
    fn a_command_carries_the_lines_it_continues_on() {
        let body = "## Workaround\n\n```shell\nsed -i 's|a|b|g' \\\n    /etc/yum.repos.d/x\nyum update\n```\n";
        assert_eq!(
            first_step(body, Lang::En),
            "sed -i 's|a|b|g' /etc/yum.repos.d/x"
        );
    }

    #[test]
    fn inline_text_drops_code_marks() {
        assert_eq!(
            inline_text("`bmctl update` が *失敗* する"),
            "bmctl update が 失敗 する"
        );
    }

    #[test]
    fn plain_text_keeps_code_and_drops_markup() {
        let text = plain_text("Set `rp_filter` to **0**:\n\n```shell\nsysctl -w x=0\n```\n");
        assert_eq!(text, "Set rp_filter to 0:\nsysctl -w x=0\n");
    }
}
