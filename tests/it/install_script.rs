//! install.sh, run with dash (Debian's /bin/sh) and a sandbox HOME on the release archives of
//! `cargo xtask dist` taken from a local directory (`--from`): it installs the Linux archive
//! of this machine, the installed static binary runs (`--version`, `use` against the
//! emulator), a tampered archive is refused, and an unknown platform is named.
//!
//! The archives are the ones CI ships: .ci/run runs `cargo xtask dist` before `cargo test`,
//! and these tests read `target/dist/` (or `SSOENV_TEST_DIST`). Without it they skip locally
//! and fail under `CI`. Building an archive here instead would mean a release build inside a
//! test (minutes of LTO on two cores) or packaging the debug binary, which nobody downloads.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{Sandbox, assert_fails, eval_in, have, hex, skip, stderr, stdout};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn install_sh() -> PathBuf {
    Path::new(ROOT).join("install.sh")
}

/// The release target of this machine, as install.sh picks it.
fn host_target() -> Option<&'static str> {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => Some("x86_64-unknown-linux-musl"),
        ("linux", "aarch64") => Some("aarch64-unknown-linux-musl"),
        _ => None,
    }
}

/// `target/dist` with this machine's archive in it, or `None` after skipping (failing under CI).
fn dist() -> Option<(PathBuf, String)> {
    let Some(target) = host_target() else {
        skip("install.sh is tested on Linux x86_64 and aarch64 only");
        return None;
    };
    let dir = std::env::var_os("SSOENV_TEST_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(ROOT).join("target/dist"));
    let archive = format!("ssoenv-{}-{target}.tar.gz", env!("CARGO_PKG_VERSION"));
    if dir.join("SHA256SUMS").is_file() && dir.join(&archive).is_file() {
        return Some((dir, archive));
    }
    let why = format!(
        "no {archive} and SHA256SUMS in {}: run `cargo xtask dist` first",
        dir.display()
    );
    if std::env::var_os("CI").is_some() {
        panic!("{why} (CI runs it before the tests)");
    }
    skip(&why);
    None
}

/// install.sh under dash with only HOME and PATH set.
fn install(home: &Path, path: &str, args: &[&str]) -> Output {
    Command::new("dash")
        .arg(install_sh())
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", path)
        .output()
        .unwrap()
}

fn system_path() -> String {
    std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into())
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_linux_archive_installs_from_a_local_directory_and_the_binary_runs() {
    if !have("dash") {
        return;
    }
    let Some((dist, _)) = dist() else { return };
    let sb = Sandbox::new();
    let home = &sb.home;
    let out = install(home, &system_path(), &["--from", dist.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "install.sh talks on stderr only");
    let err = stderr(&out);
    let bin_dir = home.join(".local/bin");
    assert!(
        err.contains(&format!("{} is not on your PATH", bin_dir.display())),
        "{err}"
    );

    // Only the binary, executable, no temporary file left behind.
    let names: Vec<_> = std::fs::read_dir(&bin_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["ssoenv"]);
    let bin = bin_dir.join("ssoenv");
    let mode = std::fs::metadata(&bin).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o755);

    // The shipped binary: the static release build for this target.
    let version = Command::new(&bin)
        .arg("--version")
        .env_clear()
        .output()
        .unwrap();
    assert!(version.status.success(), "{}", stderr(&version));
    let version = stdout(&version);
    let target = host_target().unwrap();
    assert!(
        version.starts_with(&format!("ssoenv {} (", env!("CARGO_PKG_VERSION")))
            && version.ends_with(&format!(" {target})\n")),
        "{version}"
    );
    assert!(
        err.contains(&format!("installed {}", version.trim_end())),
        "{err}"
    );

    // Man pages and completions where each tool looks, as committed.
    let share = home.join(".local/share");
    for page in ["ssoenv.1", "ssoenv-use.1", "ssoenv-exec.1"] {
        assert_eq!(
            read(&share.join("man/man1").join(page)),
            read(&Path::new(ROOT).join("man").join(page)),
            "{page}"
        );
    }
    for (installed, committed) in [
        (
            share.join("bash-completion/completions/ssoenv"),
            "ssoenv.bash",
        ),
        (share.join("zsh/site-functions/_ssoenv"), "_ssoenv"),
        (
            home.join(".config/fish/completions/ssoenv.fish"),
            "ssoenv.fish",
        ),
    ] {
        assert_eq!(
            read(&installed),
            read(&Path::new(ROOT).join("completions").join(committed)),
            "{committed}"
        );
    }

    // The installed binary logs in against the emulator and exports credentials.
    let out = sb
        .cmd_of(&bin, ["use", "dev", "--shell", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = eval_in(
        "bash",
        &stdout(&out),
        &["AWS_PROFILE", "AWS_ACCESS_KEY_ID"],
        sb.dir.path(),
    );
    assert!(
        shown.contains(&format!("AWS_PROFILE={}\n", hex("dev"))),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("AWS_ACCESS_KEY_ID={}", hex("ASIA"))),
        "{shown}"
    );
    assert_eq!(sb.emu.stats().get_role_credentials, 1);

    // Again, with the directory on PATH: the upgrade replaces the binary, and no PATH advice.
    let path = format!("{}:{}", bin_dir.display(), system_path());
    let out = install(home, &path, &["--from", dist.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("not on your PATH"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_tampered_archive_is_refused_and_nothing_is_installed() {
    if !have("dash") {
        return;
    }
    let Some((dist, archive)) = dist() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(dist.join("SHA256SUMS"), dir.path().join("SHA256SUMS")).unwrap();
    let mut bytes = read(&dist.join(&archive));
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(dir.path().join(&archive), &bytes).unwrap();

    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let out = install(
        &home,
        &system_path(),
        &["--from", dir.path().to_str().unwrap()],
    );
    let err = assert_fails(&out, 1, &format!("checksum mismatch for {archive}"));
    assert!(err.contains("nothing was installed"), "{err}");
    assert!(!home.join(".local").exists(), "something was installed");
}

/// A PATH whose `uname` prints `os` for -s and `cpu` for -m, then the system's.
fn fake_uname(dir: &Path, os: &str, cpu: &str) -> String {
    let bin = dir.join("fakebin");
    std::fs::create_dir_all(&bin).unwrap();
    let script =
        format!("#!/bin/sh\ncase $1 in -s) echo {os} ;; -m) echo {cpu} ;; *) exit 1 ;; esac\n");
    std::fs::write(bin.join("uname"), script).unwrap();
    std::fs::set_permissions(bin.join("uname"), std::fs::Permissions::from_mode(0o755)).unwrap();
    format!("{}:{}", bin.display(), system_path())
}

#[test]
fn an_unknown_platform_is_named_with_the_platforms_there_are_archives_for() {
    if !have("dash") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let from = dir.path().to_str().unwrap();

    let path = fake_uname(dir.path(), "SunOS", "sun4v");
    let err = assert_fails(
        &install(&home, &path, &["--from", from]),
        1,
        "'SunOS' (uname -s)",
    );
    assert!(
        err.contains("archives for Linux and macOS (Darwin)"),
        "{err}"
    );
    assert!(err.contains("cargo install --locked ssoenv"), "{err}");

    let path = fake_uname(dir.path(), "Linux", "riscv64");
    let err = assert_fails(
        &install(&home, &path, &["--from", from]),
        1,
        "'riscv64' (uname -m)",
    );
    assert!(err.contains("archives for x86_64 and aarch64"), "{err}");

    let path = fake_uname(dir.path(), "MINGW64_NT-10.0", "x86_64");
    assert_fails(
        &install(&home, &path, &["--from", from]),
        1,
        "scoop install ssoenv",
    );

    // A known platform with nothing in --from: which file is missing, and how to make it.
    let path = fake_uname(dir.path(), "Darwin", "arm64");
    let err = assert_fails(
        &install(&home, &path, &["--from", from]),
        1,
        "SHA256SUMS does not exist",
    );
    assert!(err.contains("cargo xtask dist"), "{err}");
    assert!(!home.join(".local").exists());
}

#[test]
fn a_wrong_command_line_exits_2_with_the_usage() {
    if !have("dash") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = install(dir.path(), &system_path(), &["--frmo", "x"]);
    let err = assert_fails(&out, 2, "unknown argument: --frmo");
    assert!(err.contains("usage: install.sh"), "{err}");
    let out = install(dir.path(), &system_path(), &["--bin-dir"]);
    assert_fails(&out, 2, "--bin-dir needs a value");
}

#[test]
fn install_sh_is_posix_sh_and_shellcheck_clean() {
    if !have("shellcheck") {
        return;
    }
    let out = Command::new("shellcheck")
        .args(["--shell=sh", "--severity=style"])
        .arg(install_sh())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}
