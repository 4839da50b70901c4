//! Stamps the binary with the git commit it was built from and the target triple, for
//! `ssoenv --version` (`ssoenv 0.1.0 (abc1234 x86_64-unknown-linux-musl)`).
//!
//! The commit is `git rev-parse --short HEAD`, taken only when this package is the top of its
//! own git work tree (a crate unpacked inside some other repository must not borrow that
//! repository's commit); otherwise, or without git, it is `unknown`. To keep builds
//! incremental, the script asks to run again only when HEAD or the ref it points to moves —
//! never on every build — and it needs no build-dependency, so `cargo test --locked` on a
//! fresh clone is unaffected.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".into());
    println!("cargo:rustc-env=SSOENV_BUILD_TARGET={target}");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let commit = git_commit(&manifest_dir).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=SSOENV_BUILD_COMMIT={commit}");
}

/// `git` in `dir`, its trimmed stdout when it succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (!s.is_empty()).then_some(s)
}

fn git_commit(dir: &Path) -> Option<String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    if std::fs::canonicalize(&top).ok()? != std::fs::canonicalize(dir).ok()? {
        return None;
    }
    // What moves when a commit is made or checked out: HEAD, and the branch it names, loose
    // or packed. `--git-path` resolves both in a linked worktree (HEAD is per worktree, refs
    // are shared). Only existing files are watched: cargo reruns for a missing one every time.
    let mut watch = vec![git(dir, &["rev-parse", "--git-path", "HEAD"])?];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        let loose = git(dir, &["rev-parse", "--git-path", &branch])?;
        if Path::new(&dir.join(&loose)).exists() {
            watch.push(loose);
        } else {
            // A packed branch becomes a loose file at its next commit: watch the folder for it.
            let parent = Path::new(&loose).parent()?.to_string_lossy().into_owned();
            watch.push(parent);
        }
        watch.push(git(dir, &["rev-parse", "--git-path", "packed-refs"])?);
    }
    for path in watch {
        if dir.join(&path).exists() {
            println!("cargo:rerun-if-changed={}", dir.join(&path).display());
        }
    }
    git(dir, &["rev-parse", "--short", "HEAD"])
}
