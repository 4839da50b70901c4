//! Every stderr message leaves in one `write(2)` (issue 19, item 21), so the lines of
//! parallel runs sharing a pipe, or `2>&1 | head`, are never glued or split: seen with
//! strace (each write to fd 2 is whole lines, an error with its hint is one write), and
//! from a pipe that many runs write their errors into at once.

use crate::support;

use std::process::{Command, Stdio};
use support::{BIN, Sandbox, have, stderr};

/// The writes to fd 2 of `cmd`, run under strace (strings in full), and its status.
fn stderr_writes(cmd: Command, dir: &std::path::Path) -> (Vec<String>, Option<i32>) {
    let trace = dir.join("trace");
    let program = cmd.get_program().to_owned();
    let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
    let mut traced = Command::new("strace");
    traced
        .args(["-f", "-qq", "-e", "trace=write", "-s", "100000", "-o"])
        .arg(&trace)
        .arg(program)
        .args(args)
        .env_clear()
        .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .stdin(Stdio::null());
    let out = traced.output().unwrap();
    let text = std::fs::read_to_string(&trace).unwrap();
    let writes = text
        .lines()
        .filter_map(|l| l.split_once(" write(2, \"").map(|(_, rest)| rest))
        .map(|rest| rest.rsplit_once("\", ").unwrap().0.to_owned())
        .collect();
    (writes, out.status.code())
}

#[test]
fn each_stderr_message_is_one_write_of_whole_lines() {
    if !have("strace") {
        return;
    }
    let sb = Sandbox::new();
    let dir = sb.dir.path();
    let cases: Vec<(&str, Vec<&str>, Option<usize>)> = vec![
        // An error with its hint; clap's usage error.
        (
            "unknown profile",
            vec!["use", "nope", "--shell", "bash"],
            Some(1),
        ),
        ("usage error", vec!["use", "--bogus"], Some(1)),
        // A login's notes, then a note alone.
        ("login", vec!["login", "dev", "--no-browser"], None),
        ("already logged in", vec!["login", "dev"], Some(1)),
        ("logout", vec!["logout", "dev"], None),
    ];
    for (what, args, count) in cases {
        let (writes, code) = stderr_writes(sb.cmd(&args), dir);
        assert!(!writes.is_empty(), "{what}: no stderr (status {code:?})");
        for w in &writes {
            assert!(
                w.ends_with("\\n"),
                "{what}: a write of part of a line: {w:?}\n{writes:#?}"
            );
        }
        if let Some(count) = count {
            assert_eq!(writes.len(), count, "{what}: {writes:#?}");
        }
        if what == "unknown profile" {
            assert!(
                writes[0].contains("\\nhint: "),
                "{what}: the hint in the same write: {writes:?}"
            );
        }
    }
}

#[test]
fn parallel_errors_into_one_pipe_arrive_line_by_line() {
    let home = tempfile::tempdir().unwrap();
    let runs = 60;
    // Each run fails with a three-line usage error and a two-line config error.
    let script = format!(
        "for i in $(seq {runs}); do \"$B\" use --bogus & \"$B\" use nope --shell bash & done; wait"
    );
    let out = Command::new("sh")
        .args(["-c", &format!("({script}) 2>&1 | cat")])
        .env_clear()
        .env("B", BIN)
        .env("HOME", home.path())
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let config = format!(
        "ssoenv: config file {}/.aws/config does not exist",
        home.path().display()
    );
    let mut counts = std::collections::BTreeMap::new();
    for line in text.lines() {
        *counts.entry(line).or_insert(0) += 1;
    }
    assert_eq!(counts.get(config.as_str()), Some(&runs), "{text}");
    assert_eq!(
        counts.get("error: unexpected argument '--bogus' found"),
        Some(&runs),
        "{text}"
    );
    // Nothing else but the lines of those two messages, each whole.
    let usage = Command::new(BIN).args(["use", "--bogus"]).output().unwrap();
    let config_error = Command::new(BIN)
        .args(["use", "nope", "--shell", "bash"])
        .env_clear()
        .env("HOME", home.path())
        .output()
        .unwrap();
    let known = format!("{}{}", stderr(&usage), stderr(&config_error));
    for line in counts.keys() {
        assert!(
            known.lines().any(|k| k == *line),
            "a glued or split line: {line:?}\n{text}"
        );
    }
}
