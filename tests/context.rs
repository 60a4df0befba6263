//! Search in context: facts files, a cluster configuration, this host probed (a fake root)
//! and facts the question states decide whether each result applies, and one they
//! contradict is never the answer.

use crate::serve::{Server, encoded};
use crate::util::{ids, run, run_with_stdin};
use serde_json::Value;
use std::fs;
use std::path::Path;

const BPF_KERNEL: &str =
    "level=fatal msg=\"BPF NodePort services needs kernel 4.17.0 or newer.\" subsys=daemon";
const CENTOS_REPOS: &str = "Error: Failed to download metadata for repo 'appstream': Cannot prepare internal mirrorlist: No URLs in mirrorlist";

/// `search --json` with `args`, its exit code and report.
fn search(args: &[&str]) -> (i32, Value) {
    let out = run(&[&["search", "--json"], args].concat());
    assert!(
        out.code < 2,
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.code, serde_json::from_slice(&out.stdout).unwrap())
}

/// The result for `id`.
fn result<'r>(report: &'r Value, id: &str) -> &'r Value {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} not among {:?}", ids(report, "results")))
}

/// A facts file of one node with kernel `release`, as `doctor --facts` writes it.
fn kernel_facts(dir: &Path, release: &str) -> String {
    let version = release.split('-').next().unwrap();
    let path = dir.join(format!("node-{version}.json"));
    let facts = serde_json::json!({
        "host": "node1",
        "facts": {"host.kernel": {"value": version, "from": format!("/proc/sys/kernel/osrelease: {release}")}}
    });
    fs::write(&path, facts.to_string()).unwrap();
    path.display().to_string()
}

#[test]
fn the_bpf_kernel_error_applies_on_a_4_15_kernel_and_not_on_5_15() {
    let dir = tempfile::tempdir().unwrap();
    let old = kernel_facts(dir.path(), "4.15.0-1044-gcp");
    // As the README shows it: the question right after the facts file.
    let (code, report) = search(&["--host-facts", &old, BPF_KERNEL]);
    assert_eq!(code, 0);
    assert_eq!(report["confident"], true);
    assert_eq!(ids(&report, "results")[0], "ABM-0021");
    let context = &report["results"][0]["context"];
    assert_eq!(context["applies"], true);
    assert_eq!(context["because"][0]["fact"], "host.kernel");
    assert_eq!(context["because"][0]["value"], "4.15.0");

    let new = kernel_facts(dir.path(), "5.15.0-91-generic");
    let (code, report) = search(&["--host-facts", &new, "--", BPF_KERNEL]);
    assert_eq!(code, 1, "nothing applies confidently");
    assert_eq!(report["confident"], false);
    let abm21 = result(&report, "ABM-0021");
    assert_eq!(abm21["context"]["applies"], false);
    assert_eq!(abm21["context"]["because"][0]["value"], "5.15.0");
    assert!(
        abm21["context"]["because"][0]["from"]
            .as_str()
            .unwrap()
            .ends_with("node-5.15.0.json: /proc/sys/kernel/osrelease: 5.15.0-91-generic")
    );
    assert_eq!(
        ids(&report, "results").last().unwrap(),
        "ABM-0021",
        "listed after the others"
    );

    // The question says it, in either language.
    for question in [
        format!("{BPF_KERNEL} -- our nodes run kernel 5.15"),
        format!("{BPF_KERNEL} ノードのカーネルは 5.15"),
    ] {
        let (code, report) = search(&["--", &question]);
        assert_eq!(code, 1, "{question}");
        let abm21 = result(&report, "ABM-0021");
        assert_eq!(abm21["context"]["applies"], false, "{question}");
        assert_eq!(abm21["context"]["because"][0]["value"], "5.15.0");
        assert!(
            abm21["context"]["because"][0]["from"]
                .as_str()
                .unwrap()
                .starts_with("the question: "),
        );
    }
    // A file outranks the question.
    let (code, report) = search(&[
        "--host-facts",
        &old,
        "--",
        &format!("{BPF_KERNEL} kernel 5.15"),
    ]);
    assert_eq!(code, 0);
    assert_eq!(report["results"][0]["context"]["applies"], true);
}

#[test]
fn text_output_says_why_a_result_does_not_apply() {
    // In Japanese, the line says where the fact came from in Japanese too.
    for (lang, line) in [
        (
            "en",
            "  does not apply here: host.kernel = 5.15.0 (from the question: \"kernel 5.15\")\n",
        ),
        (
            "ja",
            "  この環境には当てはまらない: host.kernel = 5.15.0 (出典: 質問文 \"kernel 5.15\")\n",
        ),
    ] {
        let question = format!("{BPF_KERNEL} on kernel 5.15");
        let out = run(&["search", "--lang", lang, "--", &question]);
        assert_eq!(out.code, 1, "{lang}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(line), "{text}");
    }
}

/// A copied root filesystem of a node: `os-release` says `id` and `version`.
fn root(dir: &Path, id: &str, version: &str) -> String {
    fs::create_dir_all(dir.join("etc")).unwrap();
    fs::write(
        dir.join("etc/os-release"),
        format!("ID={id}\nVERSION_ID=\"{version}\"\n"),
    )
    .unwrap();
    dir.display().to_string()
}

#[test]
fn the_centos_8_repository_error_does_not_apply_on_a_debian_host() {
    let debian = tempfile::tempdir().unwrap();
    let debian = root(debian.path(), "debian", "12");
    let (code, report) = search(&["--here", "--root", &debian, CENTOS_REPOS]);
    assert_eq!(code, 1);
    assert_eq!(report["confident"], false);
    let abm35 = result(&report, "ABM-0035");
    assert_eq!(abm35["context"]["applies"], false);
    assert_eq!(abm35["context"]["because"][0]["fact"], "host.os");
    assert_eq!(abm35["context"]["because"][0]["value"], "debian");

    let centos = tempfile::tempdir().unwrap();
    let centos = root(centos.path(), "centos", "8.5");
    let (code, report) = search(&["--here", "--root", &centos, CENTOS_REPOS]);
    assert_eq!(code, 0);
    assert_eq!(ids(&report, "results")[0], "ABM-0035");
    assert_eq!(report["results"][0]["context"]["applies"], true);
}

/// The real configurations of `../shared/real-configs` (see its SOURCES.md), when the
/// folder is there, else the project's own fixtures of the same shapes: one of a cluster on
/// containerd, one whose runtime is absent and so docker.
fn configs() -> (String, String) {
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-configs");
    let containerd = real.join("01-kenthua-admin-1.7.2.yaml");
    let docker = real.join("03-anthos-samples-openstack-manual-lb-1.8.4.yaml.tpl");
    if containerd.exists() && docker.exists() {
        return (
            containerd.display().to_string(),
            docker.display().to_string(),
        );
    }
    eprintln!("../shared/real-configs is not here: the own fixtures stand in");
    let own = |name: &str| format!("{}/tests/data/configs/{name}", env!("CARGO_MANIFEST_DIR"));
    (
        own("admin-containerd.yaml"),
        own("hybrid-placeholders.yaml"),
    )
}

#[test]
fn a_cluster_configuration_rules_out_what_its_runtime_cannot_have() {
    let (containerd, docker) = configs();
    let question = "upgrade to 1.13 refused because the cluster still runs Docker Engine";
    let (code, without) = search(&[question]);
    assert_eq!(code, 0);
    assert_eq!(ids(&without, "results")[0], "GDC-0410");
    assert_eq!(without["results"][0]["context"]["applies"], Value::Null);
    assert_eq!(
        without["results"][0]["context"]["missing"],
        serde_json::json!(["config.runtime"])
    );

    let (code, on_containerd) = search(&["--config", &containerd, question]);
    assert_eq!(code, 1, "what is left is weak");
    assert_eq!(on_containerd["confident"], false);
    let gdc410 = result(&on_containerd, "GDC-0410");
    assert_eq!(gdc410["context"]["applies"], false);
    assert_eq!(gdc410["context"]["because"][0]["value"], "containerd");
    let from = gdc410["context"]["because"][0]["from"].as_str().unwrap();
    assert!(
        from.starts_with(&format!("{containerd}:"))
            && from.ends_with(": spec.nodeConfig.containerRuntime"),
        "{from}"
    );
    assert_eq!(ids(&on_containerd, "results").last().unwrap(), "GDC-0410");

    let (code, on_docker) = search(&["--config", &docker, question]);
    assert_eq!(code, 0);
    assert_eq!(on_docker["confident"], true);
    assert_eq!(ids(&on_docker, "results")[0], "GDC-0410");
    let context = &on_docker["results"][0]["context"];
    assert_eq!(context["applies"], true);
    assert_eq!(
        context["because"][0]["from"],
        format!("{docker}: spec.nodeConfig.containerRuntime is absent (docker by default)")
    );
}

/// A log that shows the BPF NodePort kernel error.
fn bpf_log(dir: &Path) -> String {
    let path = dir.join("anetd.log");
    fs::write(&path, format!("starting anetd\n{BPF_KERNEL}\n")).unwrap();
    path.display().to_string()
}

#[test]
fn triage_judges_each_finding_against_the_facts_given() {
    let dir = tempfile::tempdir().unwrap();
    let log = bpf_log(dir.path());
    let triage = |facts: &str| {
        let out = run(&["triage", "--json", "--host-facts", facts, "--", &log]);
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.code, report)
    };
    let (code, report) = triage(&kernel_facts(dir.path(), "4.15.0-1044-gcp"));
    assert_eq!(code, 0);
    assert_eq!(ids(&report, "findings"), ["ABM-0021"]);
    assert_eq!(report["findings"][0]["context"]["applies"], true);

    let new = kernel_facts(dir.path(), "5.15.0-91-generic");
    let (code, report) = triage(&new);
    assert_eq!(code, 1, "the only finding cannot be this cluster's");
    assert_eq!(ids(&report, "findings"), ["ABM-0021"]);
    let context = &report["findings"][0]["context"];
    assert_eq!(context["applies"], false);
    assert_eq!(context["because"][0]["value"], "5.15.0");

    let out = run(&["triage", "--lang", "en", "--host-facts", &new, "--", &log]);
    assert_eq!(out.code, 1);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!(
            "  does not apply here: host.kernel = 5.15.0 (from {new}: /proc/sys/kernel/osrelease: 5.15.0-91-generic)\n"
        )),
        "{text}"
    );
}

/// `serve --host-facts` judges its searches and triages as the command line does with the
/// same facts: the API answers with the JSON the commands print.
#[test]
fn serve_judges_against_the_facts_it_was_started_with() {
    let dir = tempfile::tempdir().unwrap();
    let new = kernel_facts(dir.path(), "5.15.0-91-generic");
    let server = Server::start(&["--host-facts", &new]);
    let api = server.get(&format!("/api/search?q={}", encoded(BPF_KERNEL)));
    assert_eq!(api.status, 200);
    let cli = run(&["search", "--json", "--host-facts", &new, "--", BPF_KERNEL]);
    assert_eq!(cli.code, 1);
    assert_eq!(api.text(), String::from_utf8(cli.stdout).unwrap());
    let report: Value = serde_json::from_slice(&api.body).unwrap();
    assert_eq!(report["confident"], false);
    assert_eq!(result(&report, "ABM-0021")["context"]["applies"], false);

    let log = format!("{BPF_KERNEL}\n");
    let api = server.post("/api/triage", "text/plain", log.as_bytes());
    assert_eq!(api.status, 200);
    let cli = run_with_stdin(
        &["triage", "--json", "--host-facts", &new, "-"],
        log.as_bytes(),
    );
    assert_eq!(cli.code, 1);
    assert_eq!(api.text(), String::from_utf8(cli.stdout).unwrap());

    let page = server.get(&format!("/search?q={}&lang=en", encoded(BPF_KERNEL)));
    assert_eq!(page.status, 200);
    assert!(
        page.text()
            .contains("does not apply here: host.kernel = 5.15.0"),
        "{}",
        page.text()
    );
}

/// ABM-0008's conditions read whether docker is installed and running, not the OS: a
/// question that names its OS leaves it the answer, waiting for the facts it reads.
#[test]
fn a_fact_no_condition_reads_decides_nothing() {
    let (code, plain) = search(&["Docker service is not active"]);
    assert_eq!(code, 0);
    let (code, on_ubuntu) = search(&["Docker service is not active on Ubuntu 22.04"]);
    assert_eq!(code, 0);
    for report in [&plain, &on_ubuntu] {
        assert_eq!(ids(report, "results")[0], "ABM-0008");
        assert_eq!(report["confident"], true);
        assert_eq!(
            report["results"][0]["context"],
            serde_json::json!({
                "applies": null,
                "because": [],
                "missing": ["host.docker_active", "host.docker_installed"]
            })
        );
    }
}

/// A question from another platform than the product rules out the entries about the
/// product's own code, and only those: an upstream's fault happens on every platform.
#[test]
fn another_platform_rules_out_the_products_own_issues() {
    const WEBHOOK: &str =
        "failed calling webhook \"vcluster.kb.io\": net/http: TLS handshake timeout";
    let (code, plain) = search(&[WEBHOOK]);
    assert_eq!(code, 0);
    assert_eq!(ids(&plain, "results")[0], "GDC-0335");

    let (code, on_openshift) = search(&[&format!("On OpenShift 4.12: {WEBHOOK}")]);
    assert_eq!(code, 1);
    assert_eq!(on_openshift["confident"], false);
    let ruled_out = result(&on_openshift, "GDC-0335");
    assert_eq!(
        ruled_out["context"],
        serde_json::json!({
            "applies": false,
            "because": [{"fact": "cluster.platform", "value": "openshift", "from": "the question: \"OpenShift\""}],
            "missing": []
        })
    );
    let results = ids(&on_openshift, "results");
    assert_eq!(results.last().map(String::as_str), Some("GDC-0335"));

    // runc's PLEG hang (ABM-0012) is runc's on EKS too.
    let (code, on_eks) =
        search(&["PLEG is not healthy on our EKS nodes since containerd.io 1.4.4"]);
    assert_eq!(code, 0);
    assert_eq!(ids(&on_eks, "results")[0], "ABM-0012");
    assert_eq!(on_eks["results"][0]["context"]["applies"], Value::Null);
}
