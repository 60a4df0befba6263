//! What is known about the cluster a question is asked from, and whether each candidate's
//! conditions hold there: the facts a user gave (a facts file from `doctor --facts`, the
//! cluster's configuration, this host probed) and those the question itself states
//! (`question`). A fact given outranks one read from the question.
//!
//! A candidate whose conditions a fact contradicts is never the confident answer: an
//! on-call engineer applies the workaround of the answer, and one for CentOS does not
//! belong on a Debian host.

mod question;

pub use question::FROM_QUESTION;

use shirube_kb::Entry;
use shirube_kb::VersionQuery;
use shirube_kb::assess::VERSION;
use shirube_kb::condition::{Facts, Found, Truth};

/// The facts a search is judged against.
#[derive(Clone, Debug, Default)]
pub struct Context {
    facts: Facts,
    /// What the question names several values of (and no fact given names), one list of
    /// alternatives per kind of fact: a judgement holds in every combination, or it is not
    /// decided.
    several: Vec<Vec<Facts>>,
}

/// At most this many combinations of the values of facts a question names several of are
/// judged; a question naming more is judged on its single facts alone.
const MOST_COMBINATIONS: usize = 16;

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
        let stated = question::stated_facts(question);
        let mut facts = stated.facts;
        facts.extend(given.iter().map(|(k, v)| (k.clone(), v.clone())));
        let several = stated
            .several
            .into_iter()
            .filter(|alternatives| {
                let given_one = |facts: &Facts| facts.keys().any(|f| given.contains_key(f));
                !alternatives.iter().any(given_one)
            })
            .collect();
        Context { facts, several }
    }

    /// The facts judged against, each with where it came from: those given, and those the
    /// question states that no given fact overrides.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// Whether `entry` applies here: by the facts named once, or else the same in every
    /// combination of the values of the facts the question names several of.
    pub fn judge(&self, entry: &Entry) -> Judgement {
        let alone = judge_on(&self.facts, entry);
        let combinations = self.several.iter().fold(1usize, |product, alternatives| {
            product.saturating_mul(alternatives.len())
        });
        // One combination is no alternative (nothing named twice); too many are not judged.
        if alone.applies.is_some() || !(2..=MOST_COMBINATIONS).contains(&combinations) {
            return alone;
        }
        let judged: Vec<Judgement> = (0..combinations)
            .map(|combination| {
                let mut facts = self.facts.clone();
                let mut rest = combination;
                for alternatives in &self.several {
                    facts.extend(alternatives[rest % alternatives.len()].clone());
                    rest /= alternatives.len();
                }
                judge_on(&facts, entry)
            })
            .collect();
        let verdict = judged[0].applies;
        if verdict.is_none() || judged.iter().any(|j| j.applies != verdict) {
            return alone;
        }
        let mut because: Vec<(String, Found)> = Vec::new();
        for used in judged.into_iter().flat_map(|j| j.because) {
            if !because.contains(&used) {
                because.push(used);
            }
        }
        Judgement {
            applies: verdict,
            because,
            missing: Vec::new(),
        }
    }
}

/// Whether `entry` applies where `facts` are known: not when the release they name is
/// outside its versions, nor when they name another platform and it is about the product's
/// own code; else as its conditions say.
fn judge_on(facts: &Facts, entry: &Entry) -> Judgement {
    if let Some((found, version)) = release(facts)
        && !entry.versions.may_affect(&version)
    {
        return Judgement {
            applies: Some(false),
            because: vec![(VERSION.to_string(), found.clone())],
            missing: Vec::new(),
        };
    }
    if let Some(found) = facts.get(question::PLATFORM_FACT)
        && about_the_product_alone(entry)
    {
        return Judgement {
            applies: Some(false),
            because: vec![(question::PLATFORM_FACT.to_string(), found.clone())],
            missing: Vec::new(),
        };
    }
    if entry.conditions.is_empty() {
        return Judgement::default();
    }
    let known = |names: Vec<String>| -> Vec<(String, Found)> {
        names
            .into_iter()
            .filter_map(|fact| Some((fact.clone(), facts.get(&fact)?.clone())))
            .collect()
    };
    match entry.conditions.evaluate(facts) {
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

/// Whether `entry` is about the product's own code: it names no upstream project whose
/// fault it is. Such an issue does not happen on EKS or k3s, while one of an upstream's
/// (runc, Cilium, fluent-bit) happens wherever that upstream runs, and real reports of it
/// come from every platform.
fn about_the_product_alone(entry: &Entry) -> bool {
    entry.upstream.component.is_none() && entry.upstream.names.is_empty()
}

/// The release `facts` name, read as a version.
fn release(facts: &Facts) -> Option<(&Found, VersionQuery)> {
    let found = facts.get(VERSION)?;
    let version = found.value.to_string().parse().ok()?;
    Some((found, version))
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
    fn several_values_decide_only_when_each_decides_the_same() {
        let kernel = entry(&["host.kernel < 4.17"]);
        let both_new = "fine on 5.4.0-89-generic, broken since 5.14.20-051420-lowlatency";
        let judged = Context::new(&Facts::new(), both_new).judge(&kernel);
        assert_eq!(judged.applies, Some(false));
        let values: Vec<String> = judged
            .because
            .iter()
            .map(|(fact, found)| format!("{fact} = {}", found.value))
            .collect();
        assert_eq!(values, ["host.kernel = 5.4.0", "host.kernel = 5.14.20"]);

        let old_and_new = "fine on 4.15.0-1044-gcp, broken since 5.14.20-051420-lowlatency";
        let judged = Context::new(&Facts::new(), old_and_new).judge(&kernel);
        assert_eq!(judged.applies, None);
        assert_eq!(judged.missing, ["host.kernel"]);

        // An OS named without its version leaves that version unknown.
        let ubuntu_20 = entry(&["host.os == ubuntu", "host.os_version == 20.04"]);
        let two_oses = Context::new(&Facts::new(), "works on Ubuntu, fails on RHEL 8");
        assert_eq!(two_oses.judge(&ubuntu_20).applies, None);
        let two_versions = Context::new(&Facts::new(), "fails on CentOS 7 and on RHEL 8");
        assert_eq!(two_versions.judge(&ubuntu_20).applies, Some(false));
        // A fact given outranks every value the question names.
        let given = Context::new(&given("host.kernel", "4.15.0"), both_new);
        assert_eq!(given.judge(&kernel).applies, Some(true));
    }

    #[test]
    fn a_question_naming_too_many_values_is_judged_on_its_single_facts() {
        // Kernels, OSes, SELinux modes and releases named thousands of times over: hundreds of
        // millions of combinations, too many to judge.
        let mut question = String::new();
        for i in 0..2000 {
            question.push_str(&format!(
                "kernel 5.{}.{} Ubuntu {}.04 SELinux is {} bmctl 1.{}.{} ",
                i % 90,
                i,
                i % 99,
                ["enforcing", "permissive"][i % 2],
                i % 90,
                i
            ));
        }
        let context = Context::new(&Facts::new(), &question);
        let judged = context.judge(&entry(&["host.kernel < 4.17"]));
        assert_eq!(judged.applies, None);
        assert_eq!(judged.missing, ["host.kernel"]);
    }

    #[test]
    fn another_platform_rules_out_only_entries_about_the_product_alone() {
        let kb = embedded::knowledge_base().unwrap();
        let entry = |id: &str| kb.entries.get(kb.entries.position(id).unwrap()).unwrap();
        let on_eks = Context::new(&Facts::new(), "nodes flap NotReady on our EKS cluster");
        // ABM-0013 is bmctl's own; ABM-0012 is runc's, on any platform.
        let judged = on_eks.judge(entry("ABM-0013"));
        assert_eq!(judged.applies, Some(false));
        assert_eq!(judged.because[0].0, "cluster.platform");
        assert_eq!(judged.because[0].1.from, "the question: \"EKS\"");
        assert_eq!(on_eks.judge(entry("ABM-0012")), Judgement::default());
        let both = Context::new(&Facts::new(), "moving from EKS to Anthos on bare metal");
        assert_eq!(both.judge(entry("ABM-0013")), Judgement::default());
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
