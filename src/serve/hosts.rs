//! Which `Host` a request may name. A web page elsewhere can make a browser send requests
//! to this server by rebinding its own name to the server's address (DNS rebinding); those
//! requests name the page's host, not this server's, and are refused. A request may name an
//! IP address, `localhost`, this machine's name, or a name given with `--allow-host`.

use std::net::IpAddr;

/// The host names a request may name, besides addresses and `localhost`.
#[derive(Clone, Debug, Default)]
pub struct AllowedHosts {
    /// Lower case.
    names: Vec<String>,
}

impl AllowedHosts {
    /// `given` (from `--allow-host`) and this machine's own name.
    pub fn new(given: &[String]) -> AllowedHosts {
        let own = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .map(|name| name.trim().to_string())
            .filter(|name| !name.is_empty());
        let names = given
            .iter()
            .cloned()
            .chain(own)
            .map(|name| name.to_ascii_lowercase())
            .collect();
        AllowedHosts { names }
    }

    /// Whether a request whose `Host` header is `host` (with or without a port) is for this
    /// server. A request without one (HTTP/1.0) cannot have been rebound.
    pub fn allows(&self, host: Option<&str>) -> bool {
        let Some(host) = host else {
            return true;
        };
        let name = without_port(host.trim()).to_ascii_lowercase();
        let name = name.strip_suffix('.').unwrap_or(&name);
        name == "localhost"
            || name.ends_with(".localhost")
            || name.trim_matches(['[', ']']).parse::<IpAddr>().is_ok()
            || self.names.iter().any(|allowed| allowed == name)
    }
}

/// `host` without its `:port`: `[::1]:80` → `[::1]`, `node1:8080` → `node1`.
fn without_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_localhost_and_allowed_names_pass_others_do_not() {
        let hosts = AllowedHosts {
            names: vec!["jump1.corp".to_string()],
        };
        for ok in [
            None,
            Some("127.0.0.1:7878"),
            Some("localhost:7878"),
            Some("LOCALHOST"),
            Some("[::1]:7878"),
            Some("10.0.0.5"),
            Some("jump1.corp:8080"),
            Some("Jump1.Corp."),
        ] {
            assert!(hosts.allows(ok), "{ok:?}");
        }
        for refused in [
            Some("attacker.example:7878"),
            Some("attacker.example"),
            Some("127.0.0.1.attacker.example"),
            Some("jump1.corp.attacker.example"),
            Some(""),
        ] {
            assert!(!hosts.allows(refused), "{refused:?}");
        }
    }
}
