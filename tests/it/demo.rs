//! `ssoenv demo` in a temporary directory shared with another user (uid
//! 65534, as `/tmp` is): the other user plants directories and symlinks at
//! every name it can predict; the demo makes its own private HOME anyway and
//! writes nothing through them. Issue 17, item 1.

use crate::support;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::process::{Command, Stdio};
use support::*;

/// `script` run by `sh` as uid/gid 65534; it must succeed.
fn as_nobody(script: &str) {
    let out = as_other_user("sh").args(["-c", script]).output().unwrap();
    assert!(out.status.success(), "{script}: {}", stderr(&out));
}

#[test]
fn another_user_planting_the_demo_home_in_a_shared_tmpdir_cannot_make_it_write_anywhere() {
    if !can_be_another_user() {
        return;
    }
    let base = tempfile::tempdir().unwrap();
    std::fs::set_permissions(base.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    // A shared temporary directory, sticky and world-writable like /tmp.
    let shared = base.path().join("tmp");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    // The victim's file, which the victim (root here) can write.
    let victim = base.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();

    // The demo waits for a line before it becomes `ssoenv demo`, so its pid
    // (the one `exec` keeps) is known before it runs.
    let mut demo = Command::new("sh")
        .args(["-c", "read go; exec \"$0\" demo", BIN])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", "/nonexistent-home-the-demo-must-not-touch")
        .env("TMPDIR", &shared)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = demo.id();
    // Every name it could predict: the pid's (the old scheme), with
    // `.aws/config` a symlink to the victim's file, and a symlink by that
    // name too, for good measure at neighbouring pids.
    as_nobody(&format!(
        "cd '{shared}' && mkdir -m 755 ssoenv-demo-{pid} && mkdir -m 777 ssoenv-demo-{pid}/.aws \
         && ln -s '{victim}' ssoenv-demo-{pid}/.aws/config \
         && for p in $(seq {lo} {hi}); do [ $p = {pid} ] || ln -s '{base}' ssoenv-demo-$p; done",
        shared = shared.display(),
        victim = victim.display(),
        base = base.path().display(),
        lo = pid.saturating_sub(5),
        hi = pid + 5,
    ));
    let planted: Vec<_> = std::fs::read_dir(&shared)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    demo.stdin.take().unwrap().write_all(b"go\n").unwrap();
    let out = demo.wait_with_output().unwrap();
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(text.contains("Demo finished."), "{text}");

    // The victim's file is untouched; the planted names are as they were.
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    let planted_dir = shared.join(format!("ssoenv-demo-{pid}"));
    assert_eq!(
        std::fs::symlink_metadata(&planted_dir).unwrap().uid(),
        65534
    );
    assert!(
        std::fs::symlink_metadata(planted_dir.join(".aws/config"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // The demo's own HOME was a new, random name in the shared directory,
    // and it is gone afterwards.
    let home_line = text
        .lines()
        .find(|l| l.contains("everything lives in "))
        .unwrap_or_else(|| panic!("{text}"));
    let home = home_line
        .rsplit("everything lives in ")
        .next()
        .unwrap()
        .trim();
    assert!(
        home.starts_with(&format!("{}/ssoenv-demo-", shared.display())),
        "{home}"
    );
    assert!(!home.ends_with(&format!("ssoenv-demo-{pid}")), "{home}");
    assert!(
        !std::path::Path::new(home).exists(),
        "{home} was left behind"
    );
    let after: Vec<_> = std::fs::read_dir(&shared)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(after.len(), planted.len(), "{after:?}");
}

#[test]
fn the_demo_home_is_private_while_the_demo_runs() {
    // Watched from outside while the demo is logging in: one new directory,
    // owned by the user, mode 0700, with a 0600 config.
    let base = tempfile::tempdir().unwrap();
    let mut demo = Command::new(BIN)
        .arg("demo")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", "/nonexistent-home-the-demo-must-not-touch")
        .env("TMPDIR", base.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let config = loop {
        let found = std::fs::read_dir(base.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path().join(".aws/config"))
            .find(|p| p.exists());
        if let Some(p) = found {
            break p;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no demo HOME appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let home = config.parent().unwrap().parent().unwrap().to_owned();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&home), 0o700, "{}", home.display());
    assert_eq!(mode(&home.join(".aws")), 0o700);
    assert_eq!(mode(&config), 0o600);
    assert!(demo.wait().unwrap().success());
}
