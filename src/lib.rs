//! ssoenv: AWS IAM Identity Center credentials for the shell.
//! The binary (`main.rs`) is thin; everything lives here so tests can reach it.

// stdout and stderr have one writer: `output` (design: one writer).
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub(crate) mod accounts;
pub(crate) mod aws;
pub mod cache;
pub mod cli;
pub mod cmd;
pub mod config;
pub(crate) mod credentials;
#[cfg(feature = "emulator")]
pub(crate) mod demo;
pub mod env;
pub mod error;
pub(crate) mod fs;
/// The modules' layering, declared and checked by a test.
#[cfg(test)]
mod layers;
pub(crate) mod login;
pub(crate) mod loopback;
pub mod output;
pub(crate) mod percent;
pub mod prompt;
pub(crate) mod secret;
pub mod shell;
pub mod text;
pub(crate) mod tty;

/// What unit tests share (the integration tests have `tests/it/support`).
#[cfg(test)]
pub(crate) mod test_support {
    /// Make a FIFO (named pipe) at `path`, 0600: the hostile "file" a reader must not block on.
    #[cfg(unix)]
    pub(crate) fn mkfifo(path: &std::path::Path) {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(
            unsafe { libc::mkfifo(c.as_ptr(), 0o600) },
            0,
            "mkfifo {}",
            path.display()
        );
    }

    /// Whether python3 can import botocore; missing, a test skips locally
    /// but fails under CI. Under Windows (these tests run under wine in
    /// `.ci/run`, where there is no Python) it skips: the same tests prove
    /// the interop in the Linux run, and the file formats are the same.
    #[allow(clippy::print_stderr)] // a skipped test says so, as test output
    pub(crate) fn have_botocore() -> bool {
        if cfg!(windows) {
            skip("botocore: no Python in the Windows run (the Linux run checks the interop)");
            return false;
        }
        let ok = std::process::Command::new("python3")
            .args(["-c", "import botocore.session"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            assert!(
                std::env::var_os("CI").is_none(),
                "botocore is required under CI"
            );
            skip("botocore is not installed (pip install botocore)");
        }
        ok
    }

    /// A skipped test: said in its output, and recorded where `tests/zz_skipped.rs` lists
    /// the skips of the whole `cargo test` at its end (`tests/it/support/skip.rs`: the
    /// integration tests' `target/tmp`, found here from this binary's path in
    /// `target/debug/deps`).
    #[allow(clippy::print_stderr)]
    pub(crate) fn skip(reason: &str) {
        eprintln!("skipping: {reason}");
        // Unix only: the directory is named after cargo, the parent there. Under wine (`.ci/run`
        // runs these tests for x86_64-pc-windows-gnu) the parent is not this run's cargo.
        #[cfg(unix)]
        record(reason);
    }

    #[cfg(unix)]
    fn record(reason: &str) {
        use std::io::Write;
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        let Some(target) = exe.ancestors().nth(3) else {
            return;
        };
        // SAFETY: getppid has no preconditions and cannot fail.
        let cargo = unsafe { libc::getppid() };
        let dir = target.join("tmp/skips").join(cargo.to_string());
        let test = std::thread::current().name().unwrap_or("(main)").to_owned();
        if std::fs::create_dir_all(&dir).is_ok()
            && let Ok(mut f) = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(dir.join("ssoenv-unit.txt"))
        {
            let _ = f.write_all(format!("ssoenv (unit tests)\t{test}\t{reason}\n").as_bytes());
        }
    }
}
