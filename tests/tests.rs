//! End-to-end tests: the real `shirube` binary against the real embedded knowledge base,
//! asserting what a user sees: exact entries, exact exit codes, output formats.

mod bad_input;
mod browser;
mod cluster;
mod context;
mod golden;
mod hardening;
mod kb_dir;
mod packs;
mod release_notes;
mod serve;
mod triage;
mod util;
mod versions;

use serde_json::Value;
use util::{OutputChecked, run, run_with_stdin, shirube};

const CONNTRACK_LOG: &str = "F0624 19:05:08.009646 1 server.go:495] open /proc/sys/net/netfilter/nf_conntrack_max: permission denied";

fn json(stdout: &[u8]) -> Value {
    serde_json::from_slice(stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(stdout)))
}

/// The string field `key` of every result of a `search --json` or `list --json` document.
fn result_field(value: &Value, key: &str) -> Vec<String> {
    value["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[key].as_str().unwrap().to_string())
        .collect()
}

fn result_ids(value: &Value) -> Vec<String> {
    result_field(value, "id")
}

/// The id of the first result of `shirube ARGS` (which must include `--json`), which must
/// exit 0.
fn first_result(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(out.code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    result_ids(&json(&out.stdout)).remove(0)
}

#[test]
fn list_json_carries_the_seed_titles_exactly() {
    let out = run(&["list", "--json"]);
    assert_eq!(out.code, 0);
    let value = json(&out.stdout);
    assert_eq!(value["query"], Value::Null);
    let ids = result_ids(&value);
    assert_eq!(ids.len(), util::kb().entries.len());
    // The seed page's entries, in page order, titled as the page titles them.
    let titles: Vec<String> = result_field(&value, "source_title")
        .into_iter()
        .zip(&ids)
        .filter(|(_, id)| id.starts_with("ABM-"))
        .map(|(title, _)| title)
        .collect();
    assert_eq!(titles, util::seed_titles());
}

#[test]
fn the_conntrack_log_line_finds_the_ubuntu_entry_first() {
    let out = run(&["search", "--json", CONNTRACK_LOG]);
    assert_eq!(out.code, 0);
    let value = json(&out.stdout);
    assert_eq!(
        value["results"][0]["source_title"],
        "Ubuntu 20.04 LTS と bmctl"
    );
    assert_eq!(value["results"][0]["id"], "ABM-0007");
    assert_eq!(value["query"], CONNTRACK_LOG);
}

#[test]
fn an_ansible_failure_is_matched_on_its_message_not_its_envelope() {
    // bmctl runs its checks with Ansible; ABM-0017 quotes another Ansible failure, whose
    // envelope (fatal, FAILED!, changed, msg, rc) must not count for it.
    let paste = r#"fatal: [192.168.40.7]: FAILED! => {"changed": false, "msg": "Failed to download metadata for repo 'baseos': Cannot prepare internal mirrorlist: No URLs in mirrorlist", "rc": 1, "results": []}"#;
    assert_eq!(
        first_result(&["search", "--json", "--all", "--", paste]),
        "ABM-0035"
    );
}

#[test]
fn search_json_results_have_the_documented_fields() {
    let out = run(&[
        "search",
        "--json",
        "--lang",
        "en",
        "Docker service is not active",
    ]);
    let value = json(&out.stdout);
    let first = &value["results"][0];
    for key in [
        "id",
        "title",
        "source_title",
        "lang",
        "component",
        "affected",
        "fixed_in",
        "score",
        "snippet",
    ] {
        assert!(first.get(key).is_some(), "missing {key} in {first}");
    }
    assert_eq!(first["id"], "ABM-0008");
    assert_eq!(first["lang"], "en");
    assert_eq!(first["source_title"], "Docker サービス");
    assert!(first["score"].as_f64().unwrap() > 0.0);
    assert!(
        first["snippet"]
            .as_str()
            .unwrap()
            .contains("Docker service is not active")
    );
}

#[test]
fn versions_are_ranges_or_null_in_json() {
    let value = json(&run(&["list", "--json"]).exits(0).stdout);
    let by_id = |id: &str| {
        value["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    let ubuntu = by_id("ABM-0007");
    assert_eq!(
        ubuntu["affected"],
        serde_json::json!([{"introduced": "0", "fixed": "1.8.2"}])
    );
    assert_eq!(ubuntu["fixed_in"], "1.8.2");
    let docker = by_id("ABM-0008");
    assert_eq!(docker["affected"], Value::Null);
    assert_eq!(docker["fixed_in"], Value::Null);
}

#[test]
fn the_display_language_follows_the_query() {
    let ja = json(
        &run(&[
            "search",
            "--json",
            "プリフライト チェックで Docker のサービスが無効と言われる",
        ])
        .exits(0)
        .stdout,
    );
    assert_eq!(ja["results"][0]["lang"], "ja");
    assert_eq!(ja["results"][0]["title"], "Docker サービス");
    let en = json(
        &run(&["search", "--json", "docker service not active preflight"])
            .exits(0)
            .stdout,
    );
    assert_eq!(en["results"][0]["lang"], "en");
    assert_ne!(en["results"][0]["title"], "Docker サービス");
}

#[test]
fn exit_codes_are_like_grep() {
    assert_eq!(run(&["search", "Docker service is not active"]).code, 0);
    assert_eq!(run(&["search", "qqqzzzxxx"]).code, 1);
    assert_eq!(run(&["show", "ABM-9999"]).code, 1);
    assert_eq!(run(&["show", "ABM-0007"]).code, 0);
    assert_eq!(run(&["search", "--version", "latest", "docker"]).code, 2);
    assert_eq!(run(&["search", "--component", "kernel", "docker"]).code, 2);
    assert_eq!(run(&["search", "   "]).code, 2);
    assert_eq!(run(&["frobnicate"]).code, 2);
    assert_eq!(
        run(&["list", "--component", "vm-runtime", "--version", "1.6"]).code,
        0
    );
}

#[test]
fn errors_are_one_line_with_a_hint() {
    let out = run(&["search", "--component", "kernel", "docker"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines[0], "shirube: unknown component `kernel`");
    assert!(
        lines[1].starts_with("hint: use one of: bmctl, preflight"),
        "{stderr}"
    );

    let out = run(&["list", "--version", "1.x.y"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("`1.x.y` is not a version; use 1.8.1, v1.8.1, 1.32.200-gke.104 or 1.8"),
        "{stderr}"
    );
}

#[test]
fn no_match_says_so_on_stderr_and_prints_nothing() {
    let out = run(&["search", "qqqzzzxxx"]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "shirube: no known issue matches\n"
    );
    let json_out = run(&["search", "--json", "qqqzzzxxx"]);
    assert_eq!(json_out.code, 1);
    assert_eq!(json(&json_out.stdout)["results"], serde_json::json!([]));
}

#[test]
fn query_syntax_has_no_meaning() {
    // Each query is read as words, never as syntax, with the exit code its words earn:
    // 0 when they match an entry confidently, 1 when nothing does.
    let odd = [
        ("title:Docker AND \"service", 0),
        ("(((]]] {{ *", 1),
        ("-- - -x --", 1),
        ("nf_conntrack_max:*", 0),
        ("\"\"\"", 1),
        ("NOT OR AND", 1),
        ("field:value^10 ~2", 1),
        ("C:\\Windows\\System32 /etc/../passwd", 1),
        // drop, table and entries are words: GDC-0314 is about ARP table entries.
        ("'; DROP TABLE entries; --", 0),
        ("🙂 ｆｕｌｌ－ｗｉｄｔｈ ﾊﾝｶｸ", 1),
    ];
    for (query, code) in odd {
        let out = run(&["search", "--json", "--", query]);
        assert_eq!(
            out.code,
            code,
            "{query:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let value = json(&out.stdout);
        assert_eq!(value["query"], query);
        assert_eq!(value["confident"], code == 0, "{query:?}");
    }
    let quoted = json(
        &run(&["search", "--json", "\"Docker service is not active\""])
            .exits(0)
            .stdout,
    );
    assert_eq!(result_ids(&quoted)[0], "ABM-0008");
}

#[test]
fn invalid_utf8_and_huge_input_are_searched_not_refused() {
    let mut bytes =
        b"open /proc/sys/net/netfilter/nf_conntrack_max: permission denied \xff\xfe\n".to_vec();
    let out = run_with_stdin(&["search", "--json", "-"], &bytes);
    assert_eq!(out.code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(result_ids(&json(&out.stdout))[0], "ABM-0007");

    let noise =
        "I1103 08:12:44.120931    2231 kubelet.go:1820] SyncLoop (PLEG): event for pod ok\n";
    while bytes.len() < 10 * 1024 * 1024 {
        bytes.extend_from_slice(noise.as_bytes());
    }
    let out = run_with_stdin(&["search", "-"], &bytes);
    assert_eq!(out.code, 0, "the conntrack line is in the first 64 KiB");
    assert!(String::from_utf8_lossy(&out.stderr).contains("only the first 64 KiB"));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ABM-0007"));

    use std::os::unix::ffi::OsStrExt;
    let invalid = std::ffi::OsStr::from_bytes(b"docker \xff service");
    let out = shirube()
        .args(["search", "--json"])
        .arg(invalid)
        .output_checked();
    assert_eq!(out.code, 0, "docker service is still two words");
    assert_eq!(json(&out.stdout)["query"], "docker \u{fffd} service");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let escape = |out: &util::Output| out.stdout.windows(2).any(|w| w == b"\x1b[");
    assert!(escape(&run(&[
        "--color",
        "always",
        "search",
        "Docker service is not active"
    ])));
    assert!(!escape(&run(&[
        "--color",
        "never",
        "search",
        "Docker service is not active"
    ])));
    // Output to a pipe is not a terminal.
    assert!(!escape(&run(&["search", "Docker service is not active"])));
    let no_color = shirube()
        .env("NO_COLOR", "1")
        .args(["search", "Docker service is not active"])
        .output_checked();
    assert!(!escape(&no_color));
    assert!(!escape(&run(&[
        "--color", "always", "search", "--json", "Docker"
    ])));
    assert!(!escape(&run(&[
        "--color", "always", "show", "ABM-0007", "--format", "md"
    ])));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = shirube()
        .args(["export", "--format", "md"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn version_filters_keep_affected_and_unspecified_entries() {
    let ids = |version: &str| {
        result_ids(&json(
            &run(&["list", "--json", "--version", version])
                .exits(0)
                .stdout,
        ))
    };
    let at_181 = ids("1.8.1");
    assert!(at_181.contains(&"ABM-0007".to_string()));
    let at_190 = ids("v1.9.0");
    assert!(!at_190.contains(&"ABM-0007".to_string()), "fixed in 1.8.2");
    assert!(
        at_190.contains(&"ABM-0008".to_string()),
        "no versions stated: kept"
    );
    assert!(
        ids("1.8").contains(&"ABM-0007".to_string()),
        "the 1.8 line includes 1.8.0 and 1.8.1"
    );

    let search = json(
        &run(&["search", "--json", "--version", "1.9.0", CONNTRACK_LOG])
            .exits(1)
            .stdout,
    );
    assert!(!result_ids(&search).contains(&"ABM-0007".to_string()));
}

#[test]
fn component_filter_narrows_list_and_search() {
    let listed = result_ids(&json(
        &run(&["list", "--json", "--component", "preflight"])
            .exits(0)
            .stdout,
    ));
    let preflight: Vec<&str> = util::kb()
        .entries
        .iter()
        .filter(|e| e.component == "preflight")
        .map(|e| e.id.as_str())
        .collect();
    assert!(preflight.len() >= 3, "{preflight:?}");
    assert_eq!(listed, preflight);
    // The question is about a preflight entry: within `os` only weak candidates remain.
    let question = "Docker service is not active";
    assert_eq!(first_result(&["search", "--json", question]), "ABM-0008");
    let searched = json(
        &run(&["search", "--json", "--all", "--component", "os", question])
            .exits(1)
            .stdout,
    );
    let components = result_field(&searched, "component");
    assert!(!components.is_empty());
    assert!(components.iter().all(|c| c == "os"), "{components:?}");
    assert_eq!(
        first_result(&["search", "--json", "--component", "os", CONNTRACK_LOG]),
        "ABM-0007"
    );
}

#[test]
fn show_renders_text_markdown_and_json() {
    let text = String::from_utf8(run(&["show", "abm-7", "--lang", "ja"]).exits(0).stdout).unwrap();
    assert!(
        text.starts_with("ABM-0007  Ubuntu 20.04 LTS と bmctl\n"),
        "{text}"
    );
    assert!(text.contains("回避策"));
    assert!(text.contains("sudo sysctl net.netfilter.nf_conntrack_max=393216"));

    let md = String::from_utf8(
        run(&["show", "ABM-0007", "--format", "md", "--lang", "en"])
            .exits(0)
            .stdout,
    )
    .unwrap();
    assert!(md.starts_with("# ABM-0007: "), "{md}");
    assert!(md.contains("## Workaround"));

    let detail = json(
        &run(&["show", "ABM-0007", "--format", "json", "--lang", "ja"])
            .exits(0)
            .stdout,
    );
    assert_eq!(detail["source"]["category"], "インストール");
    assert_eq!(
        detail["errors"][0],
        CONNTRACK_LOG.replace("46 1 ", "46       1 ")
    );
    assert_eq!(detail["languages"], serde_json::json!(["ja", "en"]));
    // --json, as every other command takes it, is the same as --format json.
    assert_eq!(
        json(
            &run(&["show", "ABM-0007", "--json", "--lang", "ja"])
                .exits(0)
                .stdout
        ),
        detail
    );
}

#[test]
fn markdown_export_carries_every_entry_and_parses_back() {
    for lang in ["ja", "en"] {
        let out = run(&["export", "--format", "md", "--lang", lang]);
        assert_eq!(out.code, 0);
        let md = String::from_utf8(out.stdout).unwrap();
        let entries = util::markdown_entry_headings(&md);
        let list = json(&run(&["list", "--json", "--lang", lang]).exits(0).stdout);
        let expected: Vec<(String, String)> = list["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_string(),
                    r["title"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let mut found = entries.clone();
        found.sort();
        assert_eq!(found, expected, "{lang}");
        let components: std::collections::HashSet<&str> = util::kb()
            .entries
            .iter()
            .map(|e| e.component.as_str())
            .collect();
        assert_eq!(
            util::markdown_h2_count(&md),
            components.len(),
            "one section per component in use"
        );
    }
}

#[test]
fn json_export_writes_a_file_with_filters() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("issues.json");
    let out = run(&[
        "export",
        "--format",
        "json",
        "--component",
        "networking",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.is_empty());
    let value: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let entries = value["entries"].as_array().unwrap();
    let networking = util::kb()
        .entries
        .iter()
        .filter(|e| e.component == "networking")
        .count();
    assert!(networking > 0);
    assert_eq!(entries.len(), networking);
    assert!(entries.iter().all(|e| e["component"] == "networking"));

    let out = run(&["export", "--format", "md", "-o", "/nonexistent-dir/x.md"]);
    assert_eq!(out.code, 2);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("shirube: cannot write /nonexistent-dir/x.md")
    );
}

#[test]
fn katakana_loanwords_find_the_english_words_they_spell() {
    // ABM-0005's Japanese text says neither ディスク nor スクリプト; its English text names
    // the `disks_check.sh` script. Without the loanwords it ranks third, and without counting
    // the translated words as the user's it is withheld as a weak match. (Since the VM
    // Runtime's release notes, VMR-0006's "インストール スクリプト" is also a candidate:
    // the question says which check it is about, as a user at a preflight failure would.)
    let question = "プリフライトのディスクチェックのスクリプトが動かずインストールが止まる";
    assert_eq!(
        first_result(&["search", "--json", "--", question]),
        "ABM-0005"
    );
}

#[test]
fn a_question_quoting_an_error_no_entry_quotes_gets_no_answer() {
    // ABM-0013 quotes a different error; the two share `failed` and `file` only.
    let out = run(&[
        "search",
        r#"kubectl logs -f fails with "failed to create fsnotify watcher: too many open files""#,
    ]);
    assert_eq!(out.code, 1);
    // The error ABM-0013 does quote, in other words around it, with another version.
    assert_eq!(
        first_result(&[
            "search",
            "--json",
            r#"bmctl update cluster stops with "failed to get CRD file .manifests/1.9.3/cluster-operator/base/crd/bases/baremetal.cluster.gke.io_clusters.yaml: no such file or directory""#,
        ]),
        "ABM-0013"
    );
}

#[test]
fn every_entry_is_found_by_our_paraphrases_in_both_languages() {
    // Paraphrases whose entry is among the top three but not answered confidently. The
    // first: its first candidate (VMR-0001) is weak, and decides for all though ABM-0011
    // after it is surer. Ranking the top candidates by confidence instead answered 3 more
    // real unanswerable questions of the tuning half (13 -> 16 of 30), so it stays. The
    // others are questions the threshold chosen by cost (issue 27) withholds: it trades
    // 3 % of our right first answers for 13 fewer confident answers to our 40 unanswerable
    // questions of before (18 -> 5), and they are still shown, first or second, as weak.
    const KNOWN_WEAK: &[&str] = &[
        "vSphere の VM 上にクラスタを作ったら、別ノードの Pod と通信できない",
        "新しめのディストリ(systemd が新しいやつ)に 1.6 をインストールしようとするとプリフライトで弾かれます",
        "1.6 install won't pass host checks on Debian 11 machines, works on older OS images",
        "ノードが Ready と NotReady を数分おきに行ったり来たりする",
        "node status keeps bouncing Ready/NotReady every few minutes",
        "ワークスペースを整理したあと bmctl update cluster を実行したら、CRD の yaml が見つからないと言われて失敗する",
        "2 つの EgressNATPolicy で同じ送信元 IP を指定したら、外向き通信が変なところに流れる",
        "1.11.0 でクラスタ作成の最後、適用したリソースの待ち合わせでエラーになって終わる",
        "bmctl update がハイブリッドクラスタを管理クラスタ配下のユーザークラスタだと勘違いしてるみたいで挙動がおかしい",
    ];
    // The first Japanese and the first English paraphrase of each entry (the seed page's in
    // paraphrases.toml, the release notes' in release_notes.toml); the other queries of the
    // files are scored by the evaluation harness instead.
    let mut queries = util::queries("paraphrases.toml");
    queries.extend(util::queries("release_notes.toml"));
    let mut seen = std::collections::HashSet::new();
    let firsts: Vec<&util::Query> = queries
        .iter()
        .filter(|q| q.kind == "paraphrase")
        .filter(|q| seen.insert((q.expect.clone(), q.lang.clone())))
        .collect();
    let entries = util::kb().entries.len();
    assert_eq!(
        firsts.len(),
        2 * entries,
        "a Japanese and an English paraphrase for each of the {entries} entries"
    );
    let mut misses = Vec::new();
    for query in &firsts {
        let out = run(&["search", "--json", "--limit", "3", "--", &query.text]);
        let value = json(&out.stdout);
        let ids = result_ids(&value);
        let expected = query.expect.as_deref().unwrap();
        // Found means answered: a weak candidate is shown, but not as the answer.
        let answered = out.code == 0 && value["confident"] == true;
        if KNOWN_WEAK.contains(&query.text.as_str()) {
            assert!(
                !answered && ids.iter().any(|id| id == expected),
                "{:?}",
                query.text
            );
            continue;
        }
        if !answered || !ids.iter().any(|id| id == expected) {
            misses.push(format!(
                "{expected} [{}] {:?} -> {ids:?}",
                query.lang, query.text
            ));
        }
    }
    assert!(
        misses.is_empty(),
        "{} of {} paraphrases missed the top 3:\n{}",
        misses.len(),
        firsts.len(),
        misses.join("\n")
    );
}

/// A bare word that many entries contain tells none of them apart: weak, while a word one
/// entry alone contains is an answer.
#[test]
fn a_bare_word_many_entries_contain_is_no_answer() {
    for word in ["error", "timeout", "CrashLoopBackOff"] {
        let value = json(&run(&["search", "--json", word]).exits(1).stdout);
        assert_eq!(value["confident"], false, "{word}");
        assert!(
            !result_ids(&value).is_empty(),
            "{word}: weak candidates are shown"
        );
    }
    assert_eq!(first_result(&["search", "--json", "PLEG"]), "ABM-0012");
    let pleg = json(&run(&["search", "--json", "PLEG"]).exits(0).stdout);
    assert_eq!(pleg["confident"], true);
}

#[test]
fn a_message_every_log_prints_is_no_answer() {
    // ABM-0029's known error and title say `No route to host`, and VMR-0019 is the one
    // entry that says OOMKilled: each is still the first weak candidate, but neither is the
    // answer, bare or in a line.
    for (question, first) in [
        (
            "dial tcp 10.1.2.3:6443: connect: no route to host",
            "ABM-0029",
        ),
        ("No route to host", "ABM-0029"),
        ("OOMKilled", "VMR-0019"),
        // Go's own words: the operation and the failure, whatever the address.
        ("net/http: TLS handshake timeout", "GDC-0335"),
        (
            "Unable to connect to the server: dial tcp 10.0.0.2:6443: i/o timeout",
            "ABM-0032",
        ),
    ] {
        let value = json(&run(&["search", "--json", question]).exits(1).stdout);
        assert_eq!(value["confident"], false, "{question}");
        assert_eq!(result_ids(&value)[0], first, "{question}");
    }
    // The same kind of line with words only one issue prints is an answer.
    let conntrack = "nf_conntrack: table full, dropping packet";
    let value = json(&run(&["search", "--json", conntrack]).exits(0).stdout);
    assert_eq!(value["confident"], true);
    assert_eq!(result_ids(&value)[0], "ABM-0007");
}

#[test]
fn a_question_the_knowledge_base_cannot_answer_gets_weak_candidates_and_exit_1() {
    // A clock that drifted: no entry is about time at all. (This test asked about CoreDNS's
    // loop plugin until the release notes brought an entry on CoreDNS Pods that stay
    // unready: that question is now a near miss, which the evaluation's negatives keep.)
    let question = "Apr 02 06:10:44 bm-w4 chronyd[812]: System clock wrong by 143.618312 seconds, adjustment started";
    let out = run(&["search", question]);
    assert_eq!(
        out.code, 1,
        "no confident answer: scripts see nothing found"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("shirube: no known issue matches\nhint: the candidates shown are weak"),
        "{stderr}"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.matches("weak match").count(), 3, "{stdout}");

    let all = run(&["search", "--all", question]);
    assert_eq!(all.code, 1);
    assert_eq!(
        String::from_utf8(all.stdout)
            .unwrap()
            .matches("weak match")
            .count(),
        5
    );

    let value = json(&run(&["search", "--json", question]).exits(1).stdout);
    assert_eq!(value["confident"], false);
    let results = value["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    for result in results {
        assert_eq!(result["weak"], true);
        let confidence = result["confidence"].as_f64().unwrap();
        assert!((0.0..0.65).contains(&confidence), "{confidence}");
    }
    let answered = json(
        &run(&["search", "--json", "Docker service is not active"])
            .exits(0)
            .stdout,
    );
    assert_eq!(answered["confident"], true);
    assert_eq!(answered["results"][0]["weak"], false);
}

#[test]
fn a_version_that_the_best_match_does_not_affect_is_said_so() {
    // ABM-0007 was fixed in 1.8.2: at 1.9.1 the pasted error is not that issue any more.
    let out = run(&["search", "--version", "1.9.1", CONNTRACK_LOG]);
    assert_eq!(out.code, 1);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with(
            "ABM-0007 matches this, but it was fixed in 1.8.2 and 1.9.1 is not affected\n"
        ),
        "{stdout}"
    );
    let value = json(
        &run(&["search", "--json", "--version", "1.9.1", CONNTRACK_LOG])
            .exits(1)
            .stdout,
    );
    assert_eq!(value["excluded"][0]["id"], "ABM-0007");
    assert_eq!(value["excluded"][0]["fixed_in"], "1.8.2");
    assert_eq!(value["confident"], false);
    assert!(!result_ids(&value).contains(&"ABM-0007".to_string()));
    // At a version it affects, it is the answer and nothing is excluded.
    let at_181 = json(
        &run(&["search", "--json", "--version", "1.8.1", CONNTRACK_LOG])
            .exits(0)
            .stdout,
    );
    assert_eq!(result_ids(&at_181)[0], "ABM-0007");
    assert_eq!(at_181["excluded"], serde_json::json!([]));
    // ABM-0018 hits upgrades from 1.7.x to 1.8.0 or 1.8.1 and is fixed in 1.8.2: 1.8.1 is
    // not past the fix, only outside the versions it affects.
    let out = run(&[
        "search",
        "--version",
        "1.8.1",
        "upgrade hangs waiting for upgrade to complete",
    ]);
    assert_eq!(out.code, 1);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with(
            "ABM-0018 matches this, but 1.8.1 is not among its affected versions (>= 1.7.0, < 1.8.0)\n"
        ),
        "{stdout}"
    );
}

/// When the version filter removes the best match, what is left leads only because it is
/// gone: it is shown as weak (unless it shows one of its own known errors).
#[test]
fn what_the_version_filter_leaves_is_not_promoted_to_an_answer() {
    let question = "bmctl update cluster fails because the .manifests directory is missing";
    let at_181 = json(
        &run(&["search", "--json", "--version", "1.8.1", question])
            .exits(0)
            .stdout,
    );
    assert_eq!(result_ids(&at_181)[0], "ABM-0013");
    assert_eq!(at_181["confident"], true);
    let out = run(&["search", "--json", "--version", "1.32.100", question]);
    assert_eq!(out.code, 1);
    let later = json(&out.stdout);
    assert_eq!(later["excluded"][0]["id"], "ABM-0013");
    assert_eq!(later["confident"], false, "{later}");
    assert!(!result_ids(&later).is_empty());
    assert!(
        later["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["weak"] == true)
    );
}

#[test]
fn the_kernel_error_of_anet_is_answered_at_the_versions_that_run_broken() {
    // ABM-0021: clusters running 1.8.1 or 1.8.2 on kernels before 4.17 lose their anet pods.
    let error =
        "level=fatal msg=\"BPF NodePort services needs kernel 4.17.0 or newer.\" subsys=daemon";
    for version in ["1.8.1", "1.8.2", "1.7.3"] {
        assert_eq!(
            first_result(&["search", "--json", "--version", version, "--", error]),
            "ABM-0021",
            "{version}"
        );
    }
    let fixed = json(
        &run(&["search", "--json", "--version", "1.8.3", "--", error])
            .exits(1)
            .stdout,
    );
    assert_eq!(fixed["excluded"][0]["id"], "ABM-0021");
}

#[test]
fn another_occurrence_of_a_known_error_is_matched_line_by_line() {
    let paste = "Nov 03 08:12:40 node-7 kubelet[2231]: I1103 08:12:40.000001 2231 kubelet.go:1820] SyncLoop (PLEG): event for pod ok\n\
                 Nov 03 08:12:44 node-7 kubelet[2231]: E1103 08:12:44.120931 2231 kubelet.go:2040] skipping pod synchronization - PLEG is not healthy: pleg was last seen active 4m12.443129s ago\n\
                 Nov 03 08:12:45 node-7 containerd[811]: level=info msg=\"loading plugin\"\n";
    let value = json(
        &run_with_stdin(&["search", "--json", "-"], paste.as_bytes())
            .exits(0)
            .stdout,
    );
    let first = &value["results"][0];
    assert_eq!(first["id"], "ABM-0012");
    assert!(
        first["matched_line"]
            .as_str()
            .unwrap()
            .contains("PLEG is not healthy")
    );
    assert!(first["confidence"].as_f64().unwrap() > 0.9);
}

#[test]
fn a_known_error_is_matched_without_its_rarest_word() {
    // The page quotes `crictl: command not found`; kubeadm's preflight words it without
    // "command", which is the rarest word of that known error.
    let paste = "[preflight] Running pre-flight checks\n\
                 \t[ERROR FileExisting-crictl]: crictl not found in system path\n";
    let value = json(
        &run_with_stdin(&["search", "--json", "-"], paste.as_bytes())
            .exits(0)
            .stdout,
    );
    let first = &value["results"][0];
    assert_eq!(first["id"], "ABM-0010");
    assert_eq!(
        first["matched_line"],
        "[ERROR FileExisting-crictl]: crictl not found in system path"
    );
}

#[test]
fn version_names_the_knowledge_base_it_carries() {
    let out = String::from_utf8(run(&["--version"]).exits(0).stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], concat!("shirube ", env!("CARGO_PKG_VERSION")));
    let sources: Vec<&str> = util::kb()
        .sources
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(
        lines[1],
        format!(
            "knowledge base: {} entries from {}",
            util::kb().entries.len(),
            sources.join("; ")
        )
    );
    assert!(lines[1].contains("ベアメタル版 Anthos クラスタの既知の問題; Google Distributed Cloud (software only) for bare metal release notes"), "{out}");
    assert!(lines[2].starts_with("built: 20"), "{out}");
}

#[test]
fn completions_and_the_man_page_cover_every_command() {
    for shell in ["bash", "zsh", "fish"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.code, 0);
        let script = String::from_utf8(out.stdout).unwrap();
        for command in ["search", "show", "list", "check", "triage", "export"] {
            assert!(
                script.contains(command),
                "{shell} completion lacks {command}"
            );
        }
    }
    let man = String::from_utf8(run(&["man"]).exits(0).stdout).unwrap();
    assert!(man.starts_with(".ie") && man.contains(".TH shirube 1"));
}
