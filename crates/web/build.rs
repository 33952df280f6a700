//! Builds the web assets from npm packages: compiles our Sass entry (GOV.UK Frontend with Arial and
//! the council's branding) and copies GOV.UK Frontend's JavaScript, so that the binary serves them
//! itself. Third-party assets arrive through npm (`npm ci` here when node_modules is missing) and
//! are never committed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(cmd: &mut Command, what: &str) {
    let status = cmd.status().unwrap_or_else(|e| {
        panic!(
            "could not run `{what}` ({e}). Hearth's web assets need Node.js and npm on the PATH."
        )
    });
    if !status.success() {
        panic!("`{what}` failed ({status}); see the output above");
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let assets = manifest.join("assets");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=assets/hearth.scss");
    println!("cargo:rerun-if-changed=assets/package-lock.json");
    println!("cargo:rerun-if-changed=assets/hearth.js");
    println!("cargo:rerun-if-changed=assets/favicon.svg");

    let modules = assets.join("node_modules");
    if !modules.join("govuk-frontend").exists() || !modules.join("sass").exists() {
        run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--silent"])
                .current_dir(&assets),
            "npm ci (in crates/web/assets)",
        );
    }
    let sass = modules.join("sass").join("sass.js");
    run(
        Command::new("node")
            .arg(&sass)
            .args([
                "--style=compressed",
                "--no-source-map",
                "--quiet-deps",
                "--silence-deprecation=import,if-function,global-builtin",
            ])
            .arg(format!("--load-path={}", modules.display()))
            .arg(assets.join("hearth.scss"))
            .arg(out.join("hearth.css"))
            .current_dir(&assets),
        "sass hearth.scss",
    );
    let dist = modules.join("govuk-frontend/dist/govuk");
    copy(
        &dist.join("govuk-frontend.min.js"),
        &out.join("govuk-frontend.min.js"),
    );
    let version = std::fs::read_to_string(modules.join("govuk-frontend/package.json"))
        .ok()
        .and_then(|s| {
            s.split("\"version\"")
                .nth(1)
                .and_then(|v| v.split('"').nth(1))
                .map(str::to_string)
        })
        .unwrap_or_default();
    println!("cargo:rustc-env=GOVUK_FRONTEND_VERSION={version}");
}

fn copy(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap_or_else(|e| panic!("copying {}: {e}", from.display()));
}
