//! The last test binary of `cargo test` (cargo runs them by name): it lists what the
//! other binaries of this run skipped and why (a missing zsh, fish, tmux, botocore,
//! node …), so that a newcomer knows what ran (issue 19, item 22). See `it/support/skip.rs`.

#[path = "it/support/mod.rs"]
mod support;

use std::io::Write;

#[test]
fn the_steps_skipped_in_this_run_are_listed_at_the_end() {
    let dir = support::run_dir();
    let mut skips = Vec::new();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for line in text.lines() {
            let mut fields = line.splitn(3, '\t');
            if let (Some(binary), Some(_test), Some(reason)) =
                (fields.next(), fields.next(), fields.next())
            {
                skips.push((reason.to_owned(), binary.to_owned()));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    // Runs that ended before this binary (`cargo test --test NAME`, a failure) leave theirs.
    let day = std::time::Duration::from_secs(24 * 3600);
    for entry in std::fs::read_dir(support::skips_dir())
        .into_iter()
        .flatten()
        .flatten()
    {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > day));
        if old {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    if skips.is_empty() {
        return;
    }
    let mut text = String::from(
        "\nskipped in this `cargo test` (install what is named to run it; under CI=1 a skip fails):\n",
    );
    for line in support::summary_lines(&skips) {
        text.push_str(&line);
        text.push('\n');
    }
    // Straight to stderr: the harness shows a passing test's captured output nowhere.
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Run only by the next test, in a child process: a step needing a tool that is not here.
#[test]
#[ignore = "run by a_missing_tool_is_named_by_the_binary_that_skipped_and_in_the_summary"]
fn a_step_that_needs_a_missing_tool() {
    assert!(!support::have("ssoenv-no-such-tool"));
}

/// A test binary that skipped a step names it at its exit, and the summary, run by the
/// same parent (as cargo runs every test binary), lists it with the binary.
#[test]
fn a_missing_tool_is_named_by_the_binary_that_skipped_and_in_the_summary() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{args:?}: {err}");
        err
    };
    let err = run(&["--ignored", "--exact", "a_step_that_needs_a_missing_tool"]);
    assert!(
        err.contains(
            "skipped in zz_skipped (not installed or not possible here):\n  \
             ssoenv-no-such-tool is not installed: a_step_that_needs_a_missing_tool\n"
        ),
        "{err}"
    );
    let err = run(&[
        "--exact",
        "the_steps_skipped_in_this_run_are_listed_at_the_end",
    ]);
    assert!(
        err.contains("skipped in this `cargo test`")
            && err.contains("  ssoenv-no-such-tool is not installed: zz_skipped\n"),
        "{err}"
    );
    // Listed once: the summary removed what it listed.
    let err = run(&[
        "--exact",
        "the_steps_skipped_in_this_run_are_listed_at_the_end",
    ]);
    assert!(!err.contains("ssoenv-no-such-tool"), "{err}");
}
