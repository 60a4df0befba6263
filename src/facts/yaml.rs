//! YAML documents as trees that remember the line of every value, so a fact read from a
//! cluster configuration can say where it came from (`cluster.yaml:57`).
//!
//! yaml-rust2 parses (a maintained, pure-Rust YAML 1.2 parser whose event API reports
//! positions; serde_yaml is unmaintained and keeps none). Only what configuration files use
//! is kept: mappings with scalar keys, sequences and scalars.
//!
//! What would make a fact silently wrong is refused, naming its line: an alias (`*base`) or
//! merge key (`<<`), whose values this reader does not follow (following them would also
//! let a small hostile file grow without bound); a key given twice in one mapping, which
//! YAML forbids and readers settle differently (bmctl's refuses it); a NUL byte.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A value and the 1-based line it starts on.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The 1-based line the value starts on.
    pub line: usize,
    /// What is written there: a scalar, a sequence, a mapping or null.
    pub value: Value,
}

/// A YAML value, reduced to what configuration files use.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Nothing: `null`, `~` or no text at all, unquoted (a key without a value, an empty or
    /// comment-only document).
    Null,
    /// A scalar as written; `quoted` when it was in quotes (so `"true"` is text).
    Scalar {
        /// The text, without the quotes around it.
        text: String,
        /// Whether it was written otherwise than plain: in quotes, or as a block (`|`,
        /// `>`).
        quoted: bool,
    },
    /// A sequence's items, in file order.
    Sequence(Vec<Node>),
    /// Keys in file order; a key that is not a scalar is kept as its text, or empty.
    Mapping(Vec<(String, Node)>),
}

/// Why a file cannot be read as a configuration: the 1-based line and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// The 1-based line of the problem.
    pub line: usize,
    /// What is wrong, in words.
    pub message: String,
    /// Whether the file is YAML that this reader refuses (an alias, a duplicate key), rather
    /// than not YAML at all.
    pub refused: bool,
}

/// Every document of `text`, in order; an empty or comment-only document is `Null`.
pub fn documents(text: &str) -> Result<Vec<Node>, SyntaxError> {
    if let Some(at) = text.find('\0') {
        return Err(SyntaxError {
            line: text[..at].matches('\n').count() + 1,
            message: "a NUL byte: not a text file".to_string(),
            refused: false,
        });
    }
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, true).map_err(|e| SyntaxError {
        line: e.marker().line(),
        message: e.info().to_string(),
        refused: false,
    })?;
    match builder.refused {
        Some(refused) => Err(refused),
        None => Ok(builder.documents),
    }
}

impl Node {
    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Mapping(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value at a dotted path of keys (`spec.nodeConfig.containerRuntime`).
    pub fn at(&self, path: &str) -> Option<&Node> {
        path.split('.').try_fold(self, |node, key| node.get(key))
    }

    /// The text of a scalar; `None` for null, sequences and mappings.
    pub fn text(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// A YAML 1.2 boolean (`true`, `false`), unquoted.
    pub fn flag(&self) -> Option<bool> {
        match &self.value {
            Value::Scalar {
                text,
                quoted: false,
            } => match text.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// The items of a sequence; empty for anything else.
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Sequence(items) => items,
            _ => &[],
        }
    }

    /// Whether the value is null (`null`, `~` or nothing, unquoted).
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }
}

/// Builds trees from the parser's events with a stack of open collections.
#[derive(Default)]
struct Builder {
    documents: Vec<Node>,
    /// Open collections, innermost last, each with the key waiting for its value.
    open: Vec<(Node, Option<String>)>,
    /// The first thing met that this reader refuses.
    refused: Option<SyntaxError>,
}

impl Builder {
    /// Puts a finished value where it belongs: under the pending key of the innermost
    /// mapping, at the end of the innermost sequence, or as the document's root.
    fn place(&mut self, node: Node) {
        let Some((parent, pending_key)) = self.open.last_mut() else {
            self.documents.push(node);
            return;
        };
        match &mut parent.value {
            Value::Sequence(items) => items.push(node),
            Value::Mapping(entries) => match pending_key.take() {
                Some(key) => entries.push((key, node)),
                None => {
                    let key = node.text().unwrap_or_default().to_string();
                    let refusal = if key == "<<" {
                        Some("a merge key (<<) is not followed: write the values out".to_string())
                    } else {
                        entries.iter().any(|(k, _)| *k == key).then(|| {
                            format!(
                                "the key `{key}` is given a second time in one mapping: YAML forbids it, and bmctl refuses it"
                            )
                        })
                    };
                    *pending_key = Some(key);
                    if let Some(message) = refusal {
                        self.refuse(node.line, message);
                    }
                }
            },
            _ => {}
        }
    }

    /// Notes the first thing refused.
    fn refuse(&mut self, line: usize, message: String) {
        self.refused.get_or_insert(SyntaxError {
            line,
            message,
            refused: true,
        });
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let line = mark.line();
        match event {
            Event::Scalar(text, style, _, _) => {
                let plain = matches!(style, TScalarStyle::Plain);
                // An empty document, or a key without a value, is an empty plain scalar.
                let value = if plain && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL")
                {
                    Value::Null
                } else {
                    Value::Scalar {
                        text,
                        quoted: !plain,
                    }
                };
                self.place(Node { line, value });
            }
            Event::Alias(_) => {
                self.refuse(
                    line,
                    "an alias (*name) is not followed: write the value out".to_string(),
                );
                self.place(Node {
                    line,
                    value: Value::Null,
                });
            }
            Event::SequenceStart(..) => self.open.push((
                Node {
                    line,
                    value: Value::Sequence(Vec::new()),
                },
                None,
            )),
            Event::MappingStart(..) => self.open.push((
                Node {
                    line,
                    value: Value::Mapping(Vec::new()),
                },
                None,
            )),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((node, _)) = self.open.pop() {
                    self.place(node);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_remember_their_lines_and_empty_documents_are_null() {
        let docs = documents(
            "gcrKeyPath: /a\n---\n# only a comment\n---\nkind: Cluster\nspec:\n  type: admin\n  nodes:\n  - address: 10.0.0.1\n---\n",
        )
        .unwrap();
        assert_eq!(docs.len(), 4);
        assert!(docs[1].is_null() && docs[3].is_null());
        let spec_type = docs[2].at("spec.type").unwrap();
        assert_eq!((spec_type.text(), spec_type.line), (Some("admin"), 7));
        let nodes = docs[2].at("spec.nodes").unwrap().items();
        assert_eq!(nodes[0].at("address").unwrap().text(), Some("10.0.0.1"));
    }

    #[test]
    fn quoted_booleans_are_text() {
        let docs = documents("a: true\nb: \"true\"\n").unwrap();
        assert_eq!(docs[0].at("a").unwrap().flag(), Some(true));
        assert_eq!(docs[0].at("b").unwrap().flag(), None);
    }

    #[test]
    fn what_would_make_a_fact_silently_wrong_is_refused_at_its_line() {
        let refused = |text: &str| {
            let error = documents(text).unwrap_err();
            (error.line, error.message, error.refused)
        };
        let alias = refused("base: &rt containerd\nspec:\n  runtime: *rt\n");
        assert_eq!(alias.0, 3);
        assert!(
            alias.1.starts_with("an alias (*name) is not followed"),
            "{alias:?}"
        );
        let merge = refused("base: &b {a: 1}\nspec:\n  <<: *b\n");
        assert_eq!((merge.0, merge.2), (3, true));
        assert!(
            merge.1.starts_with("a merge key (<<) is not followed"),
            "{merge:?}"
        );
        let twice = refused("spec:\n  type: admin\n  type: user\n");
        assert_eq!(twice.0, 3);
        assert!(
            twice.1.starts_with("the key `type` is given a second time"),
            "{twice:?}"
        );
        let nul = refused("spec:\n  type: ad\0min\n");
        assert_eq!(
            (nul.0, nul.1.as_str(), nul.2),
            (2, "a NUL byte: not a text file", false)
        );
        // The same key in two mappings is no duplicate.
        assert!(documents("a:\n  type: x\nb:\n  type: y\n").is_ok());
    }

    #[test]
    fn a_file_that_is_not_yaml_says_where() {
        let error = documents("spec:\n  a: 1\n%{ for n in nodes ~}\n  b: 2\n").unwrap_err();
        assert_eq!(error.line, 3);
    }
}
