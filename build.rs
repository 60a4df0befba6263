//! Runs shirube's build step on every build, so the binary always carries exactly `kb/`:
//! the lint (a broken knowledge base fails the build with `file:line: message` for every
//! problem), the IPADIC dictionary (compiled once per build directory), the index and the
//! entry bundle, all written to `OUT_DIR` and embedded by `src/embedded.rs`.

use shirube_kb::built::BuiltDir;
use std::path::{Path, PathBuf};
use std::process::exit;

fn main() {
    println!("cargo:rerun-if-changed=kb");
    println!("cargo:rerun-if-changed=assets/ipadic");
    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        eprintln!("OUT_DIR is not set: build.rs runs under cargo");
        exit(1);
    };
    match shirube_index_build::build_all(Path::new("kb"), Path::new("assets/ipadic"), &out_dir) {
        Ok(kb) => {
            for warning in &kb.warnings {
                println!("cargo:warning={warning}");
            }
            // Where src/store/embedded.rs finds what it embeds.
            let built = BuiltDir::new(&out_dir);
            for (name, path) in [
                ("ENTRIES", built.entries()),
                ("INDEX", built.index()),
                ("KNOWN_ERRORS", built.known_errors()),
                ("DICTIONARY", built.dictionary()),
            ] {
                println!("cargo:rustc-env=SHIRUBE_BUILT_{name}={}", path.display());
            }
            println!("cargo:rustc-env=SHIRUBE_KB_ENTRIES={}", kb.entries.len());
            println!("cargo:rustc-env=SHIRUBE_KB_BUILD_ID={}", kb.build_id);
            let sources: Vec<&str> = kb.sources.iter().map(|s| s.title.as_str()).collect();
            println!("cargo:rustc-env=SHIRUBE_KB_SOURCES={}", sources.join("; "));
            println!("cargo:rustc-env=SHIRUBE_KB_BUILT={}", build_date());
        }
        Err(error) => {
            for line in error.to_string().lines() {
                eprintln!("{line}");
                println!("cargo:warning={line}");
            }
            exit(1);
        }
    }
}

/// The day the knowledge base was built, `YYYY-MM-DD` in UTC; `SOURCE_DATE_EPOCH` makes it
/// reproducible.
fn build_date() -> String {
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    shirube_kb::date::utc_day(shirube_kb::date::build_time())
}
