//! The sandbox: a temporary HOME with a config, the emulator on 127.0.0.1,
//! and the real ssoenv binary run with a cleared environment.

use ssoenv_emulator::{Emulator, EmulatorConfig};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::have;
use std::process::{Command, Output, Stdio};

/// The binary under test: `SSOENV_TEST_BIN` when set at build time (.ci/run points it at the
/// static musl release build), else the one cargo built for these tests.
pub const BIN: &str = match option_env!("SSOENV_TEST_BIN") {
    Some(bin) => bin,
    None => env!("CARGO_BIN_EXE_ssoenv"),
};

pub const CONFIG: &str = "\
[default]
region = us-east-1

[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = AdministratorAccess
region = eu-west-1
s3 =
  max_concurrent_requests = 10

[profile prod]
sso_session = corp
sso_account_id = 333333333333
sso_role_name = ReadOnly

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 222222222222
sso_role_name = ReadOnly
region = us-west-2

[profile static]
aws_access_key_id = AKIAEXAMPLE
";

pub struct Sandbox {
    pub dir: tempfile::TempDir,
    pub home: PathBuf,
    pub emu: Emulator,
    pub extra_env: Vec<(String, String)>,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Self::with(EmulatorConfig {
            interval: 0,
            ..EmulatorConfig::default()
        })
    }

    pub fn with(cfg: EmulatorConfig) -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir_all(home.join(".aws")).unwrap();
        std::fs::write(home.join(".aws/config"), CONFIG).unwrap();
        let emu = Emulator::start(cfg).unwrap();
        Sandbox {
            dir,
            home,
            emu,
            extra_env: Vec::new(),
        }
    }

    pub fn write_config(&self, text: &str) {
        std::fs::write(self.home.join(".aws/config"), text).unwrap();
    }

    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.extra_env.push((k.into(), v.into()));
        self
    }

    /// The ssoenv binary with a cleared environment pointing at the emulator.
    pub fn cmd<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd_of(Path::new(BIN), args)
    }

    /// Another ssoenv binary (e.g. one install.sh installed) in the same environment.
    pub fn cmd_of<I, S>(&self, program: &Path, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut c = Command::new(program);
        c.args(args)
            .env_clear()
            .env("HOME", &self.home)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("AWS_ENDPOINT_URL_SSO_OIDC", self.emu.url())
            .env("AWS_ENDPOINT_URL_SSO", self.emu.url())
            .env("AWS_ENDPOINT_URL_STS", self.emu.url())
            .env("AWS_ENDPOINT_URL_SIGNIN", self.emu.url())
            .env("SSOENV_INTERACTIVE", "1")
            .env("SSOENV_SHELL", "bash")
            // Debug builds only: poll every 10 ms instead of the 1 s floor.
            .env("SSOENV_TEST_POLL_INTERVAL_MS", "10")
            .stdin(Stdio::null());
        for (k, v) in &self.extra_env {
            c.env(k, v);
        }
        c
    }

    pub fn run<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd(args).output().unwrap()
    }

    pub fn token_path(&self, name: &str) -> PathBuf {
        self.home
            .join(".aws/sso/cache")
            .join(format!("{}.json", ssoenv::cache::sha1_hex(name)))
    }

    /// The cached token of session (or start URL) `name`.
    pub fn token_json(&self, name: &str) -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(self.token_path(name)).unwrap()).unwrap()
    }

    pub fn write_token(&self, name: &str, v: &serde_json::Value) {
        std::fs::write(self.token_path(name), v.to_string()).unwrap();
    }

    pub fn cli_cache(&self) -> PathBuf {
        self.home.join(".aws/cli/cache")
    }

    /// `python3 -c script` (botocore's view) with only HOME, PATH and the
    /// emulator's endpoints set; more arguments are `sys.argv[1:]`.
    pub fn python(&self, script: &str) -> Command {
        let mut c = Command::new("python3");
        c.arg("-c")
            .arg(script)
            .env_clear()
            .env("HOME", &self.home)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("AWS_ENDPOINT_URL_SSO", self.emu.url())
            .env("AWS_ENDPOINT_URL_STS", self.emu.url())
            .env("AWS_ENDPOINT_URL_SIGNIN", self.emu.url())
            .env("AWS_ENDPOINT_URL_SSO_OIDC", self.emu.url());
        c
    }

    /// POST to one of the emulator's control endpoints (`revoke`, `reset`,
    /// …) over HTTP, as an out-of-process user would; returns the status line.
    pub fn emulator_control(&self, what: &str) -> String {
        use std::io::{Read, Write};
        let addr = self.emu.url().trim_start_matches("http://").to_owned();
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        write!(
            s,
            "POST /_emulator/{what} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        answer.lines().next().unwrap_or_default().to_owned()
    }
}

/// Whether python3 can import botocore; missing, it skips locally but fails under CI.
pub fn have_botocore() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import botocore.session"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "botocore is required under CI"
        );
        super::skip("botocore is not installed (pip install botocore)");
    }
    ok
}

/// A cache timestamp `offset_secs` from now.
pub fn ts(offset_secs: i64) -> String {
    ssoenv::cache::format_timestamp(
        time::OffsetDateTime::now_utc() + time::Duration::seconds(offset_secs),
    )
}

/// Run `cmd` with stdout and stderr in files, killing it and failing the test
/// if it is still running after `limit` (a regression then fails rather than
/// hangs the suite). Returns the output.
pub fn output_within(mut cmd: Command, dir: &Path, limit: std::time::Duration) -> Output {
    output_timed(&mut cmd, dir, limit).0
}

/// [`output_within`], and how long it took.
pub fn output_timed(
    cmd: &mut Command,
    dir: &Path,
    limit: std::time::Duration,
) -> (Output, std::time::Duration) {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let out_path = dir.join(format!("within-out.{}.{n}", std::process::id()));
    let err_path = dir.join(format!("within-err.{}.{n}", std::process::id()));
    let start = std::time::Instant::now();
    let mut child = cmd
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!(
                "still running after {limit:?}; output so far:\n{}{}",
                String::from_utf8_lossy(&std::fs::read(&out_path).unwrap()),
                String::from_utf8_lossy(&std::fs::read(&err_path).unwrap())
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let took = start.elapsed();
    let out = Output {
        status,
        stdout: std::fs::read(&out_path).unwrap(),
        stderr: std::fs::read(&err_path).unwrap(),
    };
    (out, took)
}

/// `cmd` (built by `Sandbox::cmd`, so with a cleared environment) run under
/// `script`, whose pseudo-terminal is its stdin, stdout and stderr, with
/// `redirect` appended to the command line (e.g. `> out` to keep stdout off
/// the terminal). What the terminal showed is the output's stdout, with CRLF
/// turned into LF. None when `script` is not installed (the test skips).
pub fn in_pty(cmd: &Command, redirect: &str, dir: &Path) -> Option<Output> {
    if !have("script") {
        return None;
    }
    let mut line = shell_words::quote(&cmd.get_program().to_string_lossy()).into_owned();
    for a in cmd.get_args() {
        line.push(' ');
        line.push_str(&shell_words::quote(&a.to_string_lossy()));
    }
    line.push(' ');
    line.push_str(redirect);
    let mut s = Command::new("script");
    s.args(["-qec", &line, "/dev/null"])
        .env_clear()
        .current_dir(dir)
        .stdin(Stdio::null());
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            s.env(k, v);
        }
    }
    let mut out = output_within(s, dir, std::time::Duration::from_secs(30));
    out.stdout = String::from_utf8_lossy(&out.stdout)
        .replace("\r\n", "\n")
        .into_bytes();
    Some(out)
}

/// A `BROWSER` that records the URL it is given in `browser.log` (returned).
pub fn recording_browser(sb: &Sandbox) -> (String, PathBuf) {
    let log = sb.dir.path().join("browser.log");
    let script = sb.dir.path().join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}'\n", log.display()),
    )
    .unwrap();
    (format!("sh {}", script.display()), log)
}

/// Wait up to 5 s for the file a background process writes.
pub fn wait_for_file(path: &Path) -> Option<String> {
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(5) {
        if let Ok(s) = std::fs::read_to_string(path)
            && !s.is_empty()
        {
            return Some(s);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    None
}
