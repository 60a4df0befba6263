//! The facts of a bmctl cluster configuration file, as real ones are written: several YAML
//! documents — a header of bmctl variables without `kind`, a `Namespace`, one `Cluster`,
//! `NodePool`s — some empty or comments only, with `${VAR}` placeholders a template engine
//! fills in later. The API's defaults apply where a field is absent (no
//! `nodeConfig.containerRuntime` means docker, no `nodeAccess.loginUser` means root), and a
//! placeholder leaves its fact unknown rather than guessed.

use super::yaml::{self, Node};
use shirube_kb::condition::{Facts, Found, Value};
use shirube_kb::{Error, VersionQuery};
use std::net::Ipv4Addr;

/// What a cluster configuration says.
#[derive(Clone, Debug)]
pub struct ClusterConfig {
    /// `spec.anthosBareMetalVersion`: the version the file creates or upgrades to.
    pub version: Option<VersionQuery>,
    /// Where the version came from, or why it is unknown.
    pub version_from: String,
    /// The `config.*` facts the file tells, each with where it came from: a field and its
    /// line, or the field's absence when the API's default applies.
    pub facts: Facts,
    /// Facts left unknown, and why (`cluster.yaml:12: spec.nodeAccess.loginUser is the
    /// placeholder ${DEPLOYMENT_USER}`).
    pub unresolved: Vec<(String, String)>,
}

/// The bootstrap (kind) cluster's default pod and service ranges (ABM-0033).
const KIND_RANGES: [(Ipv4Addr, u32); 2] = [
    (Ipv4Addr::new(192, 168, 122, 0), 24),
    (Ipv4Addr::new(10, 96, 0, 0), 27),
];

/// Reads the configuration `text` of the file `label`; a file that is not YAML, or holds no
/// `Cluster`, is an error naming the file (and the line).
pub fn read(label: &str, text: &str) -> Result<ClusterConfig, Error> {
    let documents = yaml::documents(text).map_err(|e| {
        if e.refused {
            Error::new(format!("{label}:{}: {}", e.line, e.message))
                .with_hint("check --config reads plain YAML, as bmctl writes it")
        } else {
            Error::new(format!("{label}:{}: not YAML: {}", e.line, e.message)).with_hint(
                "check --config reads the file bmctl reads: render a template (envsubst, terraform) first",
            )
        }
    })?;
    let kind = |doc: &Node| doc.get("kind").and_then(Node::text).map(str::to_string);
    let Some(cluster) = documents
        .iter()
        .find(|d| kind(d).as_deref() == Some("Cluster"))
    else {
        return Err(Error::new(format!(
            "{label}: no `kind: Cluster` document: not a bmctl cluster configuration"
        ))
        .with_hint("pass the file `bmctl create config` wrote, with its Cluster and NodePools"));
    };
    let mut reader = Reader {
        label,
        config: ClusterConfig {
            version: None,
            version_from: String::new(),
            facts: Facts::new(),
            unresolved: Vec::new(),
        },
    };
    reader.version(cluster);
    let spec = cluster.get("spec");
    let field = |path: &str| spec.and_then(|s| s.at(path));
    reader.choice("config.cluster_type", "spec.type", field("type"), None);
    reader.choice(
        "config.runtime",
        "spec.nodeConfig.containerRuntime",
        field("nodeConfig.containerRuntime"),
        Some("docker"),
    );
    reader.choice(
        "config.lb_mode",
        "spec.loadBalancer.mode",
        field("loadBalancer.mode"),
        None,
    );
    reader.present(
        "config.lb_node_pool",
        "spec.loadBalancer.nodePoolSpec.nodes",
        field("loadBalancer.nodePoolSpec.nodes").filter(|n| !n.items().is_empty()),
    );
    reader.present("config.proxy", "spec.proxy.url", field("proxy.url"));
    reader.flag(
        "config.multiple_nics",
        "spec.clusterNetwork.multipleNetworkInterfaces",
        field("clusterNetwork.multipleNetworkInterfaces"),
        false,
    );
    reader.login_root(field("nodeAccess.loginUser"));
    reader.vm_runtime(field("kubevirt"), field("vmRuntime.enabled"));
    let header_mirrors = documents
        .iter()
        .filter(|d| kind(d).is_none())
        .find_map(|d| d.get("registryMirrors"));
    reader.present(
        "config.registry_mirrors",
        "registryMirrors",
        header_mirrors
            .or(field("registryMirrors"))
            .filter(|n| !n.items().is_empty()),
    );
    reader.flag_negated(
        "config.audit_logging",
        "spec.clusterOperations.disableCloudAuditLogging",
        field("clusterOperations.disableCloudAuditLogging"),
    );
    reader.operations_global(field("clusterOperations.location"));
    reader.present(
        "config.maintenance_blocks",
        "spec.maintenanceBlocks",
        field("maintenanceBlocks"),
    );
    let pools = documents
        .iter()
        .filter(|d| kind(d).as_deref() == Some("NodePool"))
        .filter_map(|d| d.at("spec.nodes"));
    let addresses: Vec<&Node> = [
        field("controlPlane.nodePoolSpec.nodes"),
        field("loadBalancer.nodePoolSpec.nodes"),
    ]
    .into_iter()
    .flatten()
    .chain(pools)
    .flat_map(Node::items)
    .filter_map(|node| node.get("address"))
    .collect();
    reader.nodes_in_kind_cidr(&addresses);
    Ok(reader.config)
}

/// Whether a value is a template's placeholder, not a value.
fn is_placeholder(text: &str) -> bool {
    text.contains("${") || text.contains("%{") || text.contains("{{")
}

struct Reader<'a> {
    label: &'a str,
    config: ClusterConfig,
}

impl Reader<'_> {
    fn at(&self, node: &Node, path: &str) -> String {
        format!("{}:{}: {path}", self.label, node.line)
    }

    fn set(&mut self, fact: &str, value: Value, from: String) {
        self.config
            .facts
            .insert(fact.to_string(), Found { value, from });
    }

    fn unresolved(&mut self, fact: &str, node: &Node, path: &str, text: &str) {
        let why = format!("{} is the placeholder `{text}`", self.at(node, path));
        self.config.unresolved.push((fact.to_string(), why));
    }

    /// The text of `node`, unless it is a placeholder (then the fact is unresolved).
    fn text<'n>(&mut self, fact: &str, path: &str, node: &'n Node) -> Option<&'n str> {
        let text = node.text()?;
        if is_placeholder(text) {
            self.unresolved(fact, node, path, text);
            return None;
        }
        Some(text)
    }

    fn version(&mut self, cluster: &Node) {
        let path = "spec.anthosBareMetalVersion";
        let Some(node) = cluster.at(path) else {
            self.config.version_from = format!("{}: {path} is absent", self.label);
            return;
        };
        let Some(text) = node.text() else {
            self.config.version_from = format!("{} is empty", self.at(node, path));
            return;
        };
        if is_placeholder(text) {
            self.config.version_from =
                format!("{} is the placeholder `{text}`", self.at(node, path));
            return;
        }
        match text.parse::<VersionQuery>() {
            Ok(version) => {
                self.config.version = Some(version);
                self.config.version_from = self.at(node, path);
            }
            Err(_) => {
                self.config.version_from =
                    format!("{} `{text}` is not a version", self.at(node, path));
            }
        }
    }

    /// A word-valued fact; `default` when the field is absent.
    fn choice(&mut self, fact: &str, path: &str, node: Option<&Node>, default: Option<&str>) {
        match node.filter(|n| !n.is_null()) {
            Some(node) => {
                if let Some(text) = self.text(fact, path, node) {
                    let from = self.at(node, path);
                    self.set(fact, Value::Text(text.to_ascii_lowercase()), from);
                }
            }
            None => {
                if let Some(default) = default {
                    let from = format!("{}: {path} is absent ({default} by default)", self.label);
                    self.set(fact, Value::Text(default.to_string()), from);
                }
            }
        }
    }

    /// True when the field is there with a value that is not a placeholder.
    fn present(&mut self, fact: &str, path: &str, node: Option<&Node>) {
        match node.filter(|n| !n.is_null()) {
            Some(node) if node.text().is_some_and(is_placeholder) => {
                let text = node.text().unwrap_or_default().to_string();
                self.unresolved(fact, node, path, &text);
            }
            Some(node) if node.text().is_some_and(str::is_empty) => {
                let from = format!("{} is empty", self.at(node, path));
                self.set(fact, Value::Flag(false), from);
            }
            Some(node) => {
                let from = self.at(node, path);
                self.set(fact, Value::Flag(true), from);
            }
            None => {
                let from = format!("{}: {path} is absent", self.label);
                self.set(fact, Value::Flag(false), from);
            }
        }
    }

    /// A boolean field; `default` when absent.
    fn flag(&mut self, fact: &str, path: &str, node: Option<&Node>, default: bool) {
        match node.filter(|n| !n.is_null()) {
            Some(node) => match node.flag() {
                Some(value) => {
                    let from = self.at(node, path);
                    self.set(fact, Value::Flag(value), from);
                }
                None => {
                    let text = node.text().unwrap_or("a collection").to_string();
                    self.unresolved(fact, node, path, &text);
                }
            },
            None => {
                let from = format!("{}: {path} is absent ({default} by default)", self.label);
                self.set(fact, Value::Flag(default), from);
            }
        }
    }

    /// A fact that holds unless a boolean field turns it off.
    fn flag_negated(&mut self, fact: &str, path: &str, node: Option<&Node>) {
        self.flag(fact, path, node, false);
        if let Some(found) = self.config.facts.get_mut(fact)
            && let Value::Flag(off) = found.value
        {
            found.value = Value::Flag(!off);
        }
    }

    fn login_root(&mut self, node: Option<&Node>) {
        let fact = "config.login_root";
        let path = "spec.nodeAccess.loginUser";
        match node.filter(|n| !n.is_null()) {
            Some(node) => {
                if let Some(user) = self.text(fact, path, node) {
                    let from = format!("{} is {user}", self.at(node, path));
                    self.set(fact, Value::Flag(user == "root"), from);
                }
            }
            None => {
                let from = format!("{}: {path} is absent (root by default)", self.label);
                self.set(fact, Value::Flag(true), from);
            }
        }
    }

    fn vm_runtime(&mut self, kubevirt: Option<&Node>, enabled: Option<&Node>) {
        let fact = "config.vm_runtime";
        if let Some(node) = kubevirt.filter(|n| !n.is_null()) {
            let from = self.at(node, "spec.kubevirt");
            self.set(fact, Value::Flag(true), from);
        } else if let Some(node) = enabled {
            self.flag(fact, "spec.vmRuntime.enabled", Some(node), false);
        } else {
            let from = format!(
                "{}: spec.kubevirt and spec.vmRuntime are absent",
                self.label
            );
            self.set(fact, Value::Flag(false), from);
        }
    }

    fn operations_global(&mut self, node: Option<&Node>) {
        let fact = "config.operations_global";
        let path = "spec.clusterOperations.location";
        match node.filter(|n| !n.is_null()) {
            Some(node) => {
                if let Some(location) = self.text(fact, path, node) {
                    let from = format!("{} is {location}", self.at(node, path));
                    self.set(fact, Value::Flag(location == "global"), from);
                }
            }
            None => {
                let from = format!("{}: {path} is absent", self.label);
                self.set(fact, Value::Flag(false), from);
            }
        }
    }

    /// True when a node address lies in the kind cluster's ranges; unknown when none does
    /// and an address is a placeholder.
    fn nodes_in_kind_cidr(&mut self, addresses: &[&Node]) {
        let fact = "config.nodes_in_kind_cidr";
        let path = "node address";
        let mut placeholder = None;
        for node in addresses {
            let Some(text) = node.text() else { continue };
            if is_placeholder(text) {
                placeholder.get_or_insert((*node, text));
                continue;
            }
            let Ok(address) = text.trim().parse::<Ipv4Addr>() else {
                continue;
            };
            if let Some((net, bits)) = KIND_RANGES
                .iter()
                .find(|(net, bits)| in_range(address, *net, *bits))
            {
                let from = format!("{} {address} is inside {net}/{bits}", self.at(node, path));
                self.set(fact, Value::Flag(true), from);
                return;
            }
        }
        if let Some((node, text)) = placeholder {
            self.unresolved(fact, node, path, text);
        } else {
            let from = format!(
                "{}: {} node addresses, none inside 192.168.122.0/24 or 10.96.0.0/27",
                self.label,
                addresses.len()
            );
            self.set(fact, Value::Flag(false), from);
        }
    }
}

fn in_range(address: Ipv4Addr, net: Ipv4Addr, bits: u32) -> bool {
    let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
    u32::from(address) & mask == u32::from(net) & mask
}
