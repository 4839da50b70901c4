//! In this one binary a skip is named by the module that skipped (the test file, the binary it
//! was before), in the binary's own list at its exit and in the record `tests/zz_skipped.rs`
//! reads for the run's list: `init_pty`, not `it`. See `support/skip.rs`.

use crate::support;

/// Run only by the next test, in a child process: a step needing a tool that is not here.
#[test]
#[ignore = "run by a_skip_is_named_by_the_module_that_skipped"]
fn a_step_that_needs_a_missing_tool() {
    assert!(!support::have("ssoenv-no-such-tool"));
}

#[test]
fn a_skip_is_named_by_the_module_that_skipped() {
    let test = "skips::a_step_that_needs_a_missing_tool";
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", test])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    // The child's run is this process (its parent), as a `cargo test` run is cargo.
    let run = support::skips_dir().join(std::process::id().to_string());
    let record = std::fs::read_to_string(run.join("it.txt"));
    let _ = std::fs::remove_dir_all(&run);
    assert_eq!(
        record.unwrap(),
        format!("skips\t{test}\tssoenv-no-such-tool is not installed\n")
    );
    assert!(
        err.contains(&format!(
            "skipped in it (not installed or not possible here):\n  \
             ssoenv-no-such-tool is not installed: {test}\n"
        )),
        "{err}"
    );
}
