//! A real browser against `shirube serve`: headless Chromium loads the search page with a
//! Japanese question and an entry page, and the test reads the DOM it built. Screenshots are
//! kept under `target/` for people to look at.
//!
//! Chromium is Debian's (`apt-get install chromium`; `.ci/run` installs it). Without it the
//! test says so and passes, unless `SHIRUBE_BROWSER_TEST=1` (as in CI) requires it.

use crate::serve::Server;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The browser, when this machine has one.
fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Runs headless Chromium on `url` with `action` (`--dump-dom` or `--screenshot=...`) and
/// returns what it printed. The flags keep it off the network (this machine has none) and
/// out of the user's profile.
fn headless(browser: &Path, profile: &Path, action: &str, url: &str) -> String {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1200,900",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(action)
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium {action} {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_browser_shows_a_japanese_search_and_an_entry() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("SHIRUBE_BROWSER_TEST").is_none(),
            "SHIRUBE_BROWSER_TEST is set but Chromium is not installed (apt-get install chromium)"
        );
        eprintln!("skipped: no Chromium here (apt-get install chromium to run this test)");
        return;
    };
    let server = Server::start(&[]);
    let profile = tempfile::tempdir().unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"));
    // This run's screenshots, not an earlier run's.
    for shot in ["serve-search-ja.png", "serve-entry-ja.png"] {
        let _ = std::fs::remove_file(shots.join(shot));
    }

    let search = server.url(
        "/search?q=%E3%83%97%E3%83%AD%E3%82%AD%E3%82%B7%E3%81%AE%E8%A8%BC%E6%98%8E%E6%9B%B8%E3%81%8C%E6%9B%B4%E6%96%B0%E3%81%95%E3%82%8C%E3%81%AA%E3%81%84",
    );
    let dom = headless(&browser, profile.path(), "--dump-dom", &search);
    assert!(dom.contains("<html lang=\"ja\">"), "{dom}");
    assert!(
        dom.contains("プロキシの証明書が更新されない</textarea>"),
        "{dom}"
    );
    let first = dom.find("<article class=\"hit").expect("a result");
    assert!(dom[first..].contains("/entries/ABM-0001?lang=ja"), "{dom}");
    // The script ran: code blocks have their copy buttons (there are none on a result page,
    // so the entry page below checks them).
    headless(
        &browser,
        profile.path(),
        &format!(
            "--screenshot={}",
            shots.join("serve-search-ja.png").display()
        ),
        &search,
    );

    let entry = server.url("/entries/ABM-0007?lang=ja");
    let dom = headless(&browser, profile.path(), "--dump-dom", &entry);
    assert!(
        dom.contains("<span class=\"id\">ABM-0007</span> Ubuntu 20.04 LTS と bmctl"),
        "{dom}"
    );
    assert!(
        dom.contains("href=\"/entries/ABM-0007?lang=en\""),
        "a link to the English entry"
    );
    assert!(
        dom.contains("<button class=\"copy\" type=\"button\">copy</button>"),
        "{dom}"
    );
    assert!(dom.contains("sudo sysctl"), "the workaround's commands");
    headless(
        &browser,
        profile.path(),
        &format!(
            "--screenshot={}",
            shots.join("serve-entry-ja.png").display()
        ),
        &entry,
    );
    for shot in ["serve-search-ja.png", "serve-entry-ja.png"] {
        let png = std::fs::read(shots.join(shot)).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{shot} is an image");
    }
}
