//! Shared assertions and helpers on a finished process.

use std::process::{Command, Output, Stdio};

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Lower-case hex of the bytes of `s`, as `od -An -tx1 -v | tr -d ' \n'` prints them.
pub fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Whether `program` can be used; a missing one skips locally but fails under CI.
pub fn have(program: &str) -> bool {
    // `command -v` rather than running it: `script -c` would write ./typescript.
    let ok = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok && std::env::var_os("CI").is_some() {
        panic!("{program} is required under CI but is not installed");
    }
    if !ok {
        super::skip(&format!("{program} is not installed"));
    }
    ok
}

/// A failure as the user sees it: exit `code`, nothing on stdout for `eval`,
/// and a stderr naming `needle`. Returns stderr for further checks.
pub fn assert_fails(out: &Output, code: i32, needle: &str) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert_eq!(stdout(out), "", "stdout stays empty on failure");
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    err
}

/// `what` succeeded and wrote nothing to stderr; returns its stdout (UTF-8).
pub fn assert_quiet_success(what: &str, out: &Output) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({}):\nstdout: {}\nstderr: {}",
        out.status,
        stdout(out),
        stderr(out)
    );
    assert_eq!(stderr(out), "", "{what} wrote to stderr");
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The value of the first `name=value` line of `out` (panics when there is none).
pub fn field<'a>(out: &'a str, name: &str) -> &'a str {
    let prefix = format!("{name}=");
    out.lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .unwrap_or_else(|| panic!("no {name}= in {out:?}"))
}

/// Stderr of `out` contains `needle` (shown whole when it does not); returns stderr.
pub fn assert_stderr_has(out: &Output, needle: &str) -> String {
    let err = stderr(out);
    assert!(err.contains(needle), "expected {needle:?} in stderr: {err}");
    err
}
