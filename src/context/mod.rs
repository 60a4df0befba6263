//! What is known about the cluster a question is asked from, and whether each candidate's
//! conditions hold there: the facts a user gave (a facts file from `doctor --facts`, the
//! cluster's configuration, this host probed) and those the question itself states
//! (`question`). A fact given outranks one read from the question.
//!
//! A candidate whose conditions a fact contradicts is never the confident answer: an
//! on-call engineer applies the workaround of the answer, and one for CentOS does not
//! belong on a Debian host.

mod question;

use shirube_kb::Entry;
use shirube_kb::VersionQuery;
use shirube_kb::assess::VERSION;
use shirube_kb::condition::{Facts, Found, Truth};

/// The facts a search is judged against.
#[derive(Clone, Debug, Default)]
pub struct Context {
    facts: Facts,
}

/// Whether an entry applies in a [`Context`], and from which facts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Judgement {
    /// `Some(true)` when its conditions hold, `Some(false)` when a fact contradicts them
    /// (or the release it names is outside its versions), `None` when facts are missing or
    /// it has no conditions.
    pub applies: Option<bool>,
    /// The facts that decided, each with where it came from.
    pub because: Vec<(String, Found)>,
    /// The facts that would decide, when none did.
    pub missing: Vec<String>,
}

impl Context {
    /// The facts `given` (from files or probes), completed by those `question` states.
    pub fn new(given: &Facts, question: &str) -> Self {
        let mut facts = question::stated_facts(question);
        facts.extend(given.iter().map(|(k, v)| (k.clone(), v.clone())));
        Context { facts }
    }

    /// The facts judged against, each with where it came from: those given, and those the
    /// question states that no given fact overrides.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// Whether `entry` applies here.
    pub fn judge(&self, entry: &Entry) -> Judgement {
        if let Some(release) = self.release() {
            let (found, version) = release;
            if !entry.versions.may_affect(&version) {
                return Judgement {
                    applies: Some(false),
                    because: vec![(VERSION.to_string(), found.clone())],
                    missing: Vec::new(),
                };
            }
        }
        if entry.conditions.is_empty() {
            return Judgement::default();
        }
        let known = |facts: Vec<String>| -> Vec<(String, Found)> {
            facts
                .into_iter()
                .filter_map(|fact| Some((fact.clone(), self.facts.get(&fact)?.clone())))
                .collect()
        };
        match entry.conditions.evaluate(&self.facts) {
            Truth::True => Judgement {
                applies: Some(true),
                because: known(entry.conditions.facts()),
                missing: Vec::new(),
            },
            Truth::False => Judgement {
                applies: Some(false),
                because: known(entry.conditions.facts()),
                missing: Vec::new(),
            },
            Truth::Unknown(missing) => Judgement {
                applies: None,
                because: Vec::new(),
                missing,
            },
        }
    }

    /// The release the context names, read as a version.
    fn release(&self) -> Option<(&Found, VersionQuery)> {
        let found = self.facts.get(VERSION)?;
        let version = found.value.to_string().parse().ok()?;
        Some((found, version))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::embedded;
    use shirube_kb::condition::{Conditions, Value};

    /// ABM-0021 (anetd on kernels before 4.17, 1.8.1 to 1.8.2) with the conditions `when`.
    fn entry(when: &[&str]) -> Entry {
        let kb = embedded::knowledge_base().unwrap();
        let at = kb.entries.position("ABM-0021").unwrap();
        let mut entry = kb.entries.get(at).unwrap().clone();
        entry.conditions = Conditions {
            when: when.iter().map(|w| w.to_string()).collect(),
            statement: vec!["…".to_string()],
        };
        entry
    }

    fn given(fact: &str, value: &str) -> Facts {
        let found = Found {
            value: Value::Text(value.to_string()),
            from: "node1.json".to_string(),
        };
        Facts::from([(fact.to_string(), found)])
    }

    #[test]
    fn conditions_hold_are_contradicted_or_wait_for_facts() {
        let kernel = entry(&["host.kernel < 4.17"]);
        let old = Context::new(&given("host.kernel", "4.15.0"), "");
        assert_eq!(old.judge(&kernel).applies, Some(true));
        let new = Context::new(&Facts::new(), "our nodes run kernel 5.15");
        let judged = new.judge(&kernel);
        assert_eq!(judged.applies, Some(false));
        assert_eq!(judged.because[0].0, "host.kernel");
        assert_eq!(judged.because[0].1.from, "the question: \"kernel 5.15\"");
        let none = Context::new(&Facts::new(), "anetd crashes");
        assert_eq!(
            none.judge(&kernel),
            Judgement {
                applies: None,
                because: Vec::new(),
                missing: vec!["host.kernel".to_string()]
            }
        );
        assert_eq!(none.judge(&entry(&[])), Judgement::default());
    }

    #[test]
    fn a_release_the_question_names_outside_the_versions_contradicts() {
        let judged = Context::new(&Facts::new(), "bmctl 1.9.0").judge(&entry(&[]));
        assert_eq!(judged.applies, Some(false));
        assert_eq!(judged.because[0].0, "version");
        let at_181 = Context::new(&Facts::new(), "bmctl 1.8.1").judge(&entry(&[]));
        assert_eq!(at_181.applies, None);
    }

    #[test]
    fn a_fact_given_outranks_the_question() {
        let kernel = entry(&["host.kernel < 4.17"]);
        let context = Context::new(&given("host.kernel", "4.15.0"), "kernel 5.15");
        let judged = context.judge(&kernel);
        assert_eq!(judged.applies, Some(true));
        assert_eq!(judged.because[0].1.from, "node1.json");
    }
}
