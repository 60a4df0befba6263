//! YAML documents as trees that remember the line of every value, so a fact read from a
//! cluster configuration can say where it came from (`cluster.yaml:57`).
//!
//! yaml-rust2 parses (a maintained, pure-Rust YAML 1.2 parser whose event API reports
//! positions; serde_yaml is unmaintained and keeps none). Only what configuration files use
//! is kept: mappings with scalar keys, sequences and scalars. Aliases read as null, so a
//! hostile file cannot make the tree grow beyond its own size.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A value and the 1-based line it starts on.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub line: usize,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    /// A scalar as written; `quoted` when it was in quotes (so `"true"` is text).
    Scalar {
        text: String,
        quoted: bool,
    },
    Sequence(Vec<Node>),
    /// Keys in file order; a key that is not a scalar is kept as its text, or empty.
    Mapping(Vec<(String, Node)>),
}

/// Why a file is not YAML: the 1-based line, and the parser's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub message: String,
}

/// Every document of `text`, in order; an empty or comment-only document is `Null`.
pub fn documents(text: &str) -> Result<Vec<Node>, SyntaxError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, true).map_err(|e| SyntaxError {
        line: e.marker().line(),
        message: e.info().to_string(),
    })?;
    Ok(builder.documents)
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

    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Sequence(items) => items,
            _ => &[],
        }
    }

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
                None => *pending_key = Some(node.text().unwrap_or_default().to_string()),
            },
            _ => {}
        }
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
            Event::Alias(_) => self.place(Node {
                line,
                value: Value::Null,
            }),
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
    fn a_file_that_is_not_yaml_says_where() {
        let error = documents("spec:\n  a: 1\n%{ for n in nodes ~}\n  b: 2\n").unwrap_err();
        assert_eq!(error.line, 3);
    }
}
