//! Every word the printers add around the entries' own text, in each language, as data: a
//! printer asks for a word by its role and never spells one itself, so both languages read
//! naturally and a new language is one more table. Sentences that take numbers are
//! functions in the table.
//!
//! Errors and hints on stderr are in English in both languages, like every command-line
//! tool's, and stay where they arise.

use shirube_kb::Lang;

/// The printers' words in one language.
pub struct Wording {
    /// The name of an entry's component field, when the entry is shown in full.
    pub component: &'static str,
    /// Before an entry's affected versions, in its fields and its versions line.
    pub affected: &'static str,
    /// Before the release that fixes an entry, wherever its versions are written.
    pub fixed_in: &'static str,
    /// Before the versions an upgrade-path issue hits when upgrading to them.
    pub upgrade_to: &'static str,
    /// An entry whose source names no version.
    pub unspecified: &'static str,
    /// A fix the source does not name.
    pub not_stated: &'static str,
    /// What the source says of releases older than the stated ones.
    pub older_releases: &'static str,
    /// …and of releases newer than them.
    pub newer_releases: &'static str,
    /// The release notes that state an entry.
    pub notes: &'static str,
    /// The date of an entry's own source.
    pub date: &'static str,
    /// The source's address.
    pub address: &'static str,
    /// The name of the field that says where an entry comes from (document › category ›
    /// title).
    pub source: &'static str,
    /// Before the first workaround step of a result or finding.
    pub workaround: &'static str,
    /// The sentence of the page the versions were read from.
    pub statement: &'static str,
    /// The upstream project behind an entry, and the words people use for it.
    pub upstream: &'static str,
    /// The heading of errors real reports printed for an entry.
    pub seen_in_the_wild: &'static str,
    /// The name of the field with the note on how ambiguous version sentences were read
    /// (`show` and the entry page).
    pub note: &'static str,
    /// The heading of a Markdown export.
    pub export_title: &'static str,
    /// After the count of entries of an export.
    pub entries: &'static str,
    /// Appended to a weak candidate's line.
    pub weak: &'static str,
    /// Before the name of the pack an entry came in, on its line and among its fields.
    pub pack: &'static str,
    /// Before the facts that make a search result apply to the cluster asked from.
    pub applies_here: &'static str,
    /// Before the facts that contradict a search result's conditions.
    pub not_here: &'static str,
    /// Before where a fact came from: `(from node1.json)`.
    pub fact_from: &'static str,
    /// Where a fact the question states came from, before its words.
    pub the_question: &'static str,
    /// Appended to an issue that hits the upgrade itself.
    pub on_upgrade: &'static str,
    /// The first version past an issue whose fix the source does not name.
    pub first_unaffected: &'static str,
    /// `search` found nothing confident.
    pub no_match: &'static str,
    /// `search --version`: the entry that matches does not affect that version.
    pub excluded: fn(&ExcludedWords) -> String,
    /// `triage`: how many lines showed an issue, and where (`file:line` or a span).
    pub seen_on: fn(count: u64, place: &str) -> String,
    /// `triage`'s closing line.
    pub triage_summary: fn(&TriageTotals) -> String,
    /// The words of the web pages (`shirube serve`).
    pub web: &'static Web,
    /// `check --config` and `doctor`.
    pub cluster: &'static ClusterWords,
    /// `check`: the heading of the entries whose sources do not say whether the version
    /// (the argument) has them.
    pub check_not_stated: fn(&str) -> String,
    /// `check`: where an entry's stated versions begin, when only a fix is stated.
    pub stated_from: &'static str,
    /// `check`: the versions an entry's source speaks of.
    pub stated_for: &'static str,
    /// `check`: how many more of those there are, and how to see them.
    pub more_not_stated: fn(usize) -> String,
    /// `check`'s closing line: how many issues apply…
    pub check_applies: fn(&CheckTotals) -> String,
    /// …and, when a version leaves some behind, how many that version (the second
    /// argument) fixes.
    pub check_fixes: fn(&CheckTotals, &str) -> String,
}

/// The words of the web pages.
pub struct Web {
    /// The search page's name: its link in the navigation, and its title before a question.
    pub search: &'static str,
    /// The entry list's name: its link in the navigation, its title and its form's button.
    pub list: &'static str,
    /// The check page's name: its link in the navigation, its title and its form's button.
    pub check: &'static str,
    /// The triage page's name: its link in the navigation, its title and its form's button.
    pub triage: &'static str,
    /// The search box's placeholder.
    pub ask: &'static str,
    /// The label of the version field of the forms.
    pub version: &'static str,
    /// The label of the upgrade target field of the check form.
    pub upgrade_to: &'static str,
    /// The label of the component menu of the search and list forms.
    pub component: &'static str,
    /// The label of the language menu of the search, list and check forms.
    pub language: &'static str,
    /// "Any component".
    pub any: &'static str,
    /// The buttons.
    pub find: &'static str,
    /// The label of the box a log is pasted in, on the triage page.
    pub paste_log: &'static str,
    /// The label of the file a log is uploaded from, on the triage page.
    pub upload_log: &'static str,
    /// Above weak candidates.
    pub weak_heading: &'static str,
    /// The link from a page in this language to the entry in the other one: the other
    /// language's name.
    pub other_language: &'static str,
    /// The title of the message page when what was asked for does not exist (no such page
    /// or entry).
    pub not_found: &'static str,
    /// The title of the message page when a request goes over one of the server's limits.
    pub too_large: &'static str,
    /// The title of the message page when the server refuses a request: too many at once,
    /// or one too slow.
    pub busy: &'static str,
    /// The title of the message page for any other error.
    pub bad_request: &'static str,
}

/// The words of `check --config` and `doctor`.
pub struct ClusterWords {
    /// An entry's conditions, in `show`.
    pub conditions: &'static str,
    /// The group headings.
    pub applies: &'static str,
    /// The heading of the issues that would hit an upgrade.
    pub on_upgrade: &'static str,
    /// The heading of the issues that need facts.
    pub unknown: &'static str,
    /// Before the facts a finding rests on.
    pub because: &'static str,
    /// Before the nodes where it holds.
    pub nodes: &'static str,
    /// Before a missing fact.
    pub needs: &'static str,
    /// The version line: the version and where it came from, or why it is unknown.
    pub version: fn(Option<&str>, &str) -> String,
    /// `doctor`: the heading of the host's facts (the host's name).
    pub host_facts: fn(&str) -> String,
    /// A fact the probes could not tell.
    pub unknown_fact: &'static str,
    /// The closing line: how many issues fall in each group.
    pub totals: fn(&ClusterTotals) -> String,
    /// `doctor`: how many issues need the cluster's configuration or version.
    pub need_config: fn(usize) -> String,
}

/// What the closing line of `check --config` and `doctor` counts.
pub struct ClusterTotals {
    /// Issues that apply.
    pub applies: usize,
    /// Issues that would hit an upgrade.
    pub on_upgrade: usize,
    /// Issues that need facts.
    pub unknown: usize,
    /// Issues a version or a fact rules out.
    pub not_applicable: usize,
    /// Issues that state neither versions nor conditions.
    pub unstated: usize,
    /// Issues whose sources do not say whether the cluster's version has them.
    pub not_stated: usize,
}

/// What the sentence about an entry the version filter excluded names.
pub struct ExcludedWords<'a> {
    /// The excluded entry's id (`ABM-0007`).
    pub id: &'a str,
    /// The release that fixes the entry, when its source names one and the version asked
    /// about is past it: the sentence then says so.
    pub fixed_in: Option<&'a str>,
    /// The entry's affected versions, as printed.
    pub affected: &'a str,
    /// The version asked about.
    pub version: &'a str,
}

/// What `triage`'s closing line counts.
pub struct TriageTotals {
    /// Known issues found, surely.
    pub findings: usize,
    /// Known issues whose lines show too little to be sure.
    pub weak: usize,
    /// Lines read, across all inputs.
    pub lines: u64,
    /// Bytes read (after decompression), across all inputs.
    pub bytes: u64,
}

/// What `check`'s closing line counts.
pub struct CheckTotals<'a> {
    /// The version checked, with ` → target` when an upgrade was checked too.
    pub checked: &'a str,
    /// Issues that apply to the version checked.
    pub findings: usize,
    /// Entries that name no version at all, left out.
    pub unspecified: usize,
    /// Entries whose sources do not say whether the version checked has them, left out.
    pub not_stated: usize,
    /// How many of the findings the version named in the line leaves behind.
    pub fixed: usize,
}

const JA: Wording = Wording {
    component: "コンポーネント",
    affected: "影響",
    fixed_in: "修正",
    upgrade_to: "アップグレード先",
    unspecified: "バージョン記載なし",
    not_stated: "記載なし",
    older_releases: "それより前のリリース",
    newer_releases: "それより後のリリース",
    notes: "リリースノート",
    date: "日付",
    address: "アドレス",
    source: "出典",
    workaround: "回避策",
    statement: "出典の記述",
    upstream: "アップストリーム",
    seen_in_the_wild: "公開の報告で見られたエラー",
    note: "注記",
    export_title: "既知の問題",
    entries: "件",
    weak: " · 弱い一致",
    pack: "パック",
    applies_here: "この環境に当てはまる",
    not_here: "この環境には当てはまらない",
    fact_from: "出典:",
    the_question: "質問文",
    on_upgrade: " · アップグレード時に発生",
    first_unaffected: "影響外になる最初のバージョン",
    no_match: "該当する既知の問題はありません",
    excluded: |e| match e.fixed_in {
        Some(fixed) => format!(
            "{} が該当しますが、{fixed} で修正済みのため {} は影響を受けません",
            e.id, e.version
        ),
        None => format!(
            "{} が該当しますが、{} は影響バージョン ({}) に含まれません",
            e.id, e.version, e.affected
        ),
    },
    seen_on: |count, place| format!("{count} 行 ({place})"),
    triage_summary: |t| {
        let weak = if t.weak > 0 {
            format!("、弱い一致 {} 件", t.weak)
        } else {
            String::new()
        };
        format!(
            "既知の問題 {} 件{weak} ({} 行, {} バイトを読みました)",
            t.findings, t.lines, t.bytes
        )
    },
    web: &Web {
        search: "検索",
        list: "一覧",
        check: "バージョン確認",
        triage: "ログ診断",
        ask: "エラー行を貼り付けるか、症状を書いてください",
        version: "バージョン",
        upgrade_to: "アップグレード先",
        component: "コンポーネント",
        language: "言語",
        any: "すべて",
        find: "検索",
        paste_log: "ログを貼り付け",
        upload_log: "またはファイルをアップロード",
        weak_heading: "確信できる一致はありません。近い候補:",
        other_language: "English",
        not_found: "ページが見つかりません",
        too_large: "大きすぎます",
        busy: "混み合っています。しばらくしてから再度お試しください",
        bad_request: "リクエストを理解できません",
    },
    cluster: &ClusterWords {
        conditions: "該当条件",
        applies: "該当します",
        on_upgrade: "アップグレードすると該当します",
        unknown: "判断に情報が足りません",
        because: "根拠",
        nodes: "ノード",
        needs: "必要な情報",
        version: |version, from| match version {
            Some(v) => format!("バージョン {v} ({from})"),
            None => format!("バージョン不明: {from}"),
        },
        host_facts: |host| format!("{host} の事実"),
        unknown_fact: "不明",
        totals: |t| {
            format!(
                "該当 {} 件、アップグレード時 {} 件、情報不足 {} 件、非該当 {} 件、条件もバージョンも記載なし {} 件、このバージョンへの影響の記載なし {} 件",
                t.applies, t.on_upgrade, t.unknown, t.not_applicable, t.unstated, t.not_stated
            )
        },
        need_config: |n| {
            format!(
                "ほかに {n} 件はクラスタ構成ファイルかバージョンが必要です: shirube doctor --facts > NODE.json の後、shirube check --config cluster.yaml --host-facts NODE.json"
            )
        },
    },
    check_not_stated: |version| {
        format!("{version} に影響するかどうか記載のない問題 (記載のあるバージョンの範囲外)")
    },
    stated_from: "記載のあるバージョン",
    stated_for: "記載のある範囲",
    more_not_stated: |n| format!("  ほか {n} 件 (--all ですべて表示、--json にはすべて含まれます)"),
    check_applies: |c| {
        format!(
            "{}: 既知の問題 {} 件 (バージョン記載なし {} 件、このバージョンへの影響の記載なし {} 件を除く)",
            c.checked, c.findings, c.unspecified, c.not_stated
        )
    },
    check_fixes: |c, by| format!("。{by} へのアップグレードで {} 件が解消します", c.fixed),
};

const EN: Wording = Wording {
    component: "component",
    affected: "affected",
    fixed_in: "fixed in",
    upgrade_to: "upgrading to",
    unspecified: "versions unspecified",
    not_stated: "not stated",
    older_releases: "older releases",
    newer_releases: "newer releases",
    notes: "release notes",
    date: "date",
    address: "address",
    source: "source",
    workaround: "workaround",
    statement: "as stated",
    upstream: "upstream",
    seen_in_the_wild: "Seen in public reports",
    note: "note",
    export_title: "Known issues",
    entries: "entries",
    weak: " · weak match",
    pack: "pack",
    applies_here: "applies here",
    not_here: "does not apply here",
    fact_from: "from",
    the_question: "the question:",
    on_upgrade: " · hits the upgrade itself",
    first_unaffected: "first unaffected",
    no_match: "no known issue matches",
    excluded: |e| match e.fixed_in {
        Some(fixed) => format!(
            "{} matches this, but it was fixed in {fixed} and {} is not affected",
            e.id, e.version
        ),
        None => format!(
            "{} matches this, but {} is not among its affected versions ({})",
            e.id, e.version, e.affected
        ),
    },
    seen_on: |count, place| match count {
        1 => format!("seen on 1 line ({place})"),
        n => format!("seen on {n} lines ({place})"),
    },
    triage_summary: |t| {
        let weak = if t.weak > 0 {
            format!(" and {} weak match(es)", t.weak)
        } else {
            String::new()
        };
        format!(
            "{} known issue(s){weak} in {} lines ({} bytes)",
            t.findings, t.lines, t.bytes
        )
    },
    web: &Web {
        search: "Search",
        list: "List",
        check: "Check a version",
        triage: "Triage a log",
        ask: "Paste an error line or describe the symptom",
        version: "Version",
        upgrade_to: "Upgrade to",
        component: "Component",
        language: "Language",
        any: "any",
        find: "Find",
        paste_log: "Paste a log",
        upload_log: "or upload a file",
        weak_heading: "No known issue matches confidently. Closest candidates:",
        other_language: "日本語",
        not_found: "Not found",
        too_large: "Too large",
        busy: "Busy: try again in a moment",
        bad_request: "Bad request",
    },
    cluster: &ClusterWords {
        conditions: "applies when",
        applies: "Applies",
        on_upgrade: "Would hit an upgrade",
        unknown: "Needs facts",
        because: "because",
        nodes: "on",
        needs: "needs",
        version: |version, from| match version {
            Some(v) => format!("version {v} ({from})"),
            None => format!("version unknown: {from}"),
        },
        host_facts: |host| format!("Facts of {host}"),
        unknown_fact: "unknown",
        totals: |t| {
            format!(
                "{} apply, {} on upgrade, {} need facts, {} do not apply, {} state no version or condition, {} do not say whether this version has them",
                t.applies, t.on_upgrade, t.unknown, t.not_applicable, t.unstated, t.not_stated
            )
        },
        need_config: |n| {
            format!(
                "{n} more need the cluster's configuration or version: shirube doctor --facts > NODE.json, then shirube check --config cluster.yaml --host-facts NODE.json"
            )
        },
    },
    check_not_stated: |version| {
        format!(
            "Not stated for {version}: the sources speak of other releases only and do not say whether this one has these"
        )
    },
    stated_from: "stated from",
    stated_for: "stated for",
    more_not_stated: |n| format!("  … and {n} more (--all lists them; --json has them all)"),
    check_applies: |c| {
        format!(
            "{}: {} known issue(s) apply ({} more name no versions, {} more do not say whether this version has them)",
            c.checked, c.findings, c.unspecified, c.not_stated
        )
    },
    check_fixes: |c, by| {
        format!(
            "; upgrading to {by} fixes {} of these {}",
            c.fixed, c.findings
        )
    },
};

/// The words of `lang`.
pub fn wording(lang: Lang) -> &'static Wording {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}
