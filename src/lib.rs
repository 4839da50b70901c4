//! ssoenv: AWS IAM Identity Center credentials for the shell.
//! The binary (`main.rs`) is thin; everything lives here so tests can reach it.

// stdout and stderr have one writer: `output` (design: one writer).
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod accounts;
pub mod aws;
pub mod cache;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod credentials;
#[cfg(feature = "emulator")]
pub mod demo;
pub mod env;
pub mod error;
pub mod fs;
/// The modules' layering, declared and checked by a test.
#[cfg(test)]
mod layers;
pub mod login;
pub mod loopback;
pub mod output;
pub mod percent;
pub mod prompt;
pub mod secret;
pub mod shell;
pub mod text;
pub mod tty;

/// What unit tests share (the integration tests have `tests/support`).
#[cfg(test)]
pub(crate) mod test_support {
    /// Whether python3 can import botocore; missing, a test skips locally
    /// but fails under CI.
    #[allow(clippy::print_stderr)] // a skipped test says so, as test output
    pub fn have_botocore() -> bool {
        let ok = std::process::Command::new("python3")
            .args(["-c", "import botocore.session"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            assert!(
                std::env::var_os("CI").is_none(),
                "botocore is required under CI"
            );
            eprintln!("skipping: botocore not installed");
        }
        ok
    }
}
