//! Runs shirube's build step on every build, so the binary always carries exactly `kb/`:
//! the lint (a broken knowledge base fails the build with `file:line: message` for every
//! problem), the IPADIC dictionary (compiled once per build directory), the index and the
//! entry bundle, all written to `OUT_DIR` and embedded by `src/embedded.rs`.

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
            // lindera's `embedded_dictionary!` reads the compiled dictionary from here.
            println!("cargo:rustc-env=LINDERA_WORKDIR={}", out_dir.display());
            println!("cargo:rustc-env=SHIRUBE_KB_ENTRIES={}", kb.entries.len());
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
