//! `ssoenv credential-process` and `ssoenv exec --server`: the two ways an
//! SDK gets refreshable credentials from ssoenv (spec aws-credentials-more
//! §1, §2), checked with the real botocore and with raw HTTP against the
//! server's bounds.

use crate::support as common;
use common::*;
use ssoenv_emulator::EmulatorConfig;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

fn have_botocore() -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import botocore"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "botocore is required under CI"
        );
        common::skip("botocore is not installed (pip install botocore)");
    }
    ok
}

/// A sandbox whose emulator hands out credentials living `secs` seconds.
fn sandbox_with_credential_seconds(secs: u64) -> Sandbox {
    Sandbox::with(EmulatorConfig {
        interval: 0,
        role_ttl: secs,
        ..EmulatorConfig::default()
    })
}

fn login(sb: &Sandbox, profile: &str) {
    let out = sb.run(["login", profile]);
    assert!(out.status.success(), "login failed: {}", stderr(&out));
}

// ---------------------------------------------------------------- credential-process

#[test]
fn credential_process_prints_exactly_the_contract_json_and_shares_the_use_cache() {
    let sb = Sandbox::new();
    login(&sb, "dev");
    let out = sb.run(["credential-process", "dev"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "nothing on stderr when all is well");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [
            "AccessKeyId",
            "Expiration",
            "SecretAccessKey",
            "SessionToken",
            "Version"
        ]
    );
    assert_eq!(v["Version"], serde_json::json!(1), "the integer 1");
    let exp = v["Expiration"].as_str().unwrap();
    assert!(
        time::OffsetDateTime::parse(exp, &time::format_description::well_known::Rfc3339).is_ok()
            && exp.ends_with('Z'),
        "{exp}"
    );
    // The warm call and `use` read the same role cache: no request at all.
    let before = sb.emu.stats();
    let again = sb.run(["credential-process", "dev"]);
    assert_eq!(again.stdout, out.stdout);
    let used = stdout(&sb.run(["use", "dev", "--shell", "bash"]));
    assert!(used.contains(v["AccessKeyId"].as_str().unwrap()));
    assert_eq!(sb.emu.stats(), before);
}

#[test]
fn credential_process_failure_leaves_stdout_empty_and_never_logs_in_unattended() {
    // No session, stderr captured (as an SDK does), no browser, no override.
    let sb = Sandbox::new().env("SSOENV_INTERACTIVE", "");
    let out = sb.run(["credential-process", "dev"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "stdout: {}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("ssoenv login dev"), "{err}");
    assert_eq!(sb.emu.stats().start_device_authorization, 0);
    // An unknown profile: empty stdout, exit 2.
    let out = sb.run(["credential-process", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn credential_process_logs_in_when_the_policy_allows_it() {
    // SSOENV_INTERACTIVE=1 (the sandbox's default): the device flow runs,
    // its messages on stderr, and stdout still holds only the JSON.
    let sb = Sandbox::new();
    let out = sb.run(["credential-process", "prod"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["AccessKeyId"].as_str().unwrap().starts_with("ASIA"));
    assert_eq!(sb.emu.stats().start_device_authorization, 1);
}

#[test]
fn botocore_resolves_credentials_through_credential_process_and_again_after_they_expire() {
    if !have_botocore() {
        return;
    }
    // 903 s: more than botocore's 15 minutes at first, less within 4 s.
    let sb = sandbox_with_credential_seconds(903);
    login(&sb, "prod");
    let mut config = std::fs::read_to_string(sb.home.join(".aws/config")).unwrap();
    config.push_str(&format!(
        "\n[profile prod-cp]\ncredential_process = {BIN} credential-process prod\n"
    ));
    sb.write_config(&config);
    let script = "import time, botocore.session\n\
        s = botocore.session.Session(profile='prod-cp')\n\
        c = s.get_credentials()\n\
        print(c.method)\n\
        k1 = c.get_frozen_credentials().access_key\n\
        time.sleep(4)\n\
        k2 = c.get_frozen_credentials().access_key\n\
        print(k1)\n\
        print(k2)\n";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .env_clear()
        .env("HOME", &sb.home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_ENDPOINT_URL_SSO", sb.emu.url())
        .env("AWS_ENDPOINT_URL_SSO_OIDC", sb.emu.url())
        .output()
        .unwrap();
    assert!(out.status.success(), "botocore failed: {}", stderr(&out));
    let lines: Vec<String> = stdout(&out).lines().map(str::to_owned).collect();
    assert_eq!(lines[0], "custom-process");
    assert!(lines[1].starts_with("ASIA") && lines[2].starts_with("ASIA"));
    assert_ne!(lines[1], lines[2], "the second call got new credentials");
    assert_eq!(sb.emu.stats().get_role_credentials, 2);
    assert_eq!(sb.emu.credentials_valid(&lines[2]), Some(true));
}

// ---------------------------------------------------------------- exec --server

/// `ssoenv exec --server PROFILE` running a child that writes its
/// environment's endpoint and token to a file and waits for stdin to close.
struct Served {
    child: Child,
    url: String,
    token: String,
    env_file: String,
}

impl Served {
    fn start(sb: &Sandbox, profile: &str) -> Served {
        let file = sb.dir.path().join(format!("served-{profile}.env"));
        let script = format!(
            "env > '{f}.tmp' && mv '{f}.tmp' '{f}'; read x || exit 0",
            f = file.display()
        );
        let child = sb
            .cmd(["exec", "--server", profile, "--", "sh", "-c", &script])
            .env("AWS_PROFILE", "dev")
            .env("AWS_ACCESS_KEY_ID", "AKIAOLDOLDOLD")
            .env("AWS_SECRET_ACCESS_KEY", "old")
            .env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/elsewhere")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let text = wait_for_file(&file).expect("the child wrote its environment");
        let get = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}=")))
                .map(str::to_owned)
        };
        Served {
            child,
            url: get("AWS_CONTAINER_CREDENTIALS_FULL_URI").expect("FULL_URI set"),
            token: get("AWS_CONTAINER_AUTHORIZATION_TOKEN").expect("token set"),
            env_file: text,
        }
    }

    fn addr(&self) -> String {
        let rest = self.url.strip_prefix("http://").unwrap();
        rest.split('/').next().unwrap().to_owned()
    }

    fn path(&self) -> String {
        let rest = self.url.strip_prefix("http://").unwrap();
        format!("/{}", rest.split_once('/').unwrap().1)
    }

    /// Sends `request` raw and returns (status, body); (0, "") when the
    /// server closed the connection without an answer.
    fn raw(&self, request: &[u8]) -> (u16, String) {
        let mut s = TcpStream::connect(self.addr()).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let _ = s.write_all(request);
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        parse_answer(&answer)
    }

    fn get(&self, authorization: Option<&str>) -> (u16, String) {
        let auth = authorization
            .map(|a| format!("Authorization: {a}\r\n"))
            .unwrap_or_default();
        self.raw(
            format!(
                "GET {} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n{auth}\r\n",
                self.path(),
                self.addr()
            )
            .as_bytes(),
        )
    }

    fn good(&self) -> (u16, String) {
        self.get(Some(&self.token.clone()))
    }

    /// Ends the child (stdin closed) and returns ssoenv's exit code and stderr.
    fn finish(mut self) -> (Option<i32>, String) {
        drop(self.child.stdin.take());
        let out = self.child.wait_with_output().unwrap();
        (out.status.code(), stderr(&out))
    }
}

fn parse_answer(answer: &[u8]) -> (u16, String) {
    let text = String::from_utf8_lossy(answer);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return (0, String::new());
    };
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, body.to_owned())
}

#[test]
fn exec_server_gives_the_child_an_endpoint_and_no_keys() {
    let sb = Sandbox::new();
    login(&sb, "prod");
    let served = Served::start(&sb, "prod");
    let env = served.env_file.clone();
    assert!(
        served.url.starts_with("http://127.0.0.1:"),
        "{}",
        served.url
    );
    assert!(served.token.len() >= 32 && served.token.bytes().all(|b| b.is_ascii_hexdigit()));
    for gone in [
        "AWS_PROFILE=",
        "AWS_ACCESS_KEY_ID=",
        "AWS_SECRET_ACCESS_KEY=",
        "AWS_SESSION_TOKEN=",
        "AWS_SECURITY_TOKEN=",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=",
    ] {
        assert!(
            !env.lines().any(|l| l.starts_with(gone)),
            "{gone} left in the child's environment"
        );
    }
    assert!(env.lines().any(|l| l == "SSOENV_PROFILE=prod"));
    let (status, body) = served.good();
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    for k in ["AccessKeyId", "SecretAccessKey", "Token", "Expiration"] {
        assert!(v[k].is_string(), "{k} missing: {body}");
    }
    let (code, err) = served.finish();
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn exec_server_passes_exit_status_and_arguments_through() {
    let sb = Sandbox::new();
    login(&sb, "dev");
    let out = sb.run([
        "exec",
        "--server",
        "dev",
        "--region",
        "ap-south-1",
        "--",
        "sh",
        "-c",
        "printf '%s|%s|%s' \"$1\" \"$AWS_REGION\" \"${AWS_ACCESS_KEY_ID-none}\"; exit 7",
        "sh",
        "a b",
    ]);
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert_eq!(stdout(&out), "a b|ap-south-1|none");
    let out = sb.run(["exec", "--server", "dev", "--", "sh", "-c", "kill -TERM $$"]);
    assert_eq!(out.status.code(), Some(143));
    let out = sb.run(["exec", "--server", "dev", "--", "no-such-command-xyz"]);
    assert_eq!(out.status.code(), Some(127));
}

#[test]
fn botocore_in_the_child_refreshes_credentials_from_the_server() {
    if !have_botocore() {
        return;
    }
    // 905 s: botocore takes them, then refreshes within 6 s.
    let sb = sandbox_with_credential_seconds(905);
    login(&sb, "prod");
    let script = "import time, botocore.session\n\
        s = botocore.session.Session()\n\
        c = s.get_credentials()\n\
        print(c.method)\n\
        k1 = c.get_frozen_credentials().access_key\n\
        time.sleep(6)\n\
        k2 = c.get_frozen_credentials().access_key\n\
        print(k1)\n\
        print(k2)\n";
    let out = sb
        .cmd(["exec", "--server", "prod", "--", "python3", "-c", script])
        .env("AWS_PROFILE", "dev")
        .output()
        .unwrap();
    assert!(out.status.success(), "botocore failed: {}", stderr(&out));
    let lines: Vec<String> = stdout(&out).lines().map(str::to_owned).collect();
    assert_eq!(lines[0], "container-role", "{lines:?}");
    assert!(lines[1].starts_with("ASIA") && lines[2].starts_with("ASIA"));
    assert_ne!(lines[1], lines[2], "botocore refreshed from the server");
    assert!(!stderr(&out).contains("error"), "{}", stderr(&out));
    assert_eq!(sb.emu.stats().get_role_credentials, 2);
}

/// The sandbox's config with an SSO `[default]` for account 111111111111 (as
/// `aws configure sso` leaves it for many people); `prod` is 333333333333.
fn sandbox_with_an_sso_default_profile() -> (Sandbox, std::path::PathBuf) {
    let sb = Sandbox::new();
    let tmp = sb.dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    sb.write_config(&CONFIG.replace(
        "[default]\nregion = us-east-1\n",
        "[default]\nsso_session = corp\nsso_account_id = 111111111111\n\
         sso_role_name = AdministratorAccess\nregion = us-east-1\n",
    ));
    login(&sb, "prod");
    (sb, tmp)
}

/// The account of credentials the emulator issued under this key id.
fn account_of(sb: &Sandbox, access_key_id: &str) -> String {
    let issued = sb
        .emu
        .issued_credentials(access_key_id)
        .unwrap_or_else(|| panic!("the emulator never issued {access_key_id:?}"));
    issued.arn.split(':').nth(4).unwrap().to_owned()
}

/// `ssoenv exec --server prod -- CMD…` with no instance metadata to fall back
/// to and TMPDIR in the sandbox; the child's stdout.
fn exec_server_prod(sb: &Sandbox, tmp: &std::path::Path, command: &[&str]) -> String {
    let out = sb
        .cmd(["exec", "--server", "prod", "--"].iter().chain(command))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("TMPDIR", tmp)
        .output()
        .unwrap();
    assert!(out.status.success(), "the child failed: {}", stderr(&out));
    assert_eq!(
        std::fs::read_dir(tmp).unwrap().count(),
        0,
        "the child's config directory is removed when exec ends"
    );
    stdout(&out)
}

#[test]
fn botocore_under_exec_server_uses_the_served_profile_not_an_sso_default_profile() {
    if !have_botocore() {
        return;
    }
    let (sb, tmp) = sandbox_with_an_sso_default_profile();
    let script = "import botocore.session\n\
        s = botocore.session.Session()\n\
        c = s.get_credentials()\n\
        print(c.method)\n\
        print(c.get_frozen_credentials().access_key)\n\
        print(s.get_config_variable('region'))\n";
    let out = exec_server_prod(&sb, &tmp, &["python3", "-c", script]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "container-role", "{lines:?}");
    assert_eq!(account_of(&sb, lines[1]), "333333333333", "{lines:?}");
    // `[default]`'s other settings still reach the child.
    assert_eq!(lines[2], "us-east-1", "{lines:?}");
}

/// The AWS SDK for Rust's probe (tests/rust-sdk), built here with
/// `cargo build --locked` into target/rust-sdk (under a minute the first
/// time on 2 cores; nothing afterwards). None (skipped) when it cannot be
/// built, e.g. offline; under CI that fails instead.
fn rust_sdk_probe() -> Option<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("rust-sdk");
    let out = std::process::Command::new(env!("CARGO"))
        .args(["build", "--locked", "--quiet", "--manifest-path"])
        .arg(root.join("tests/rust-sdk/Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .output()
        .unwrap();
    if !out.status.success() {
        assert!(
            std::env::var_os("CI").is_none(),
            "the AWS SDK for Rust probe is required under CI: {}",
            stderr(&out)
        );
        eprintln!("{}", stderr(&out));
        common::skip("could not build tests/rust-sdk (the AWS SDK for Rust probe)");
        return None;
    }
    Some(target.join("debug/ssoenv-rust-sdk-probe"))
}

#[test]
fn the_rust_sdk_under_exec_server_uses_the_served_profile_not_an_sso_default_profile() {
    let Some(probe) = rust_sdk_probe() else {
        return;
    };
    let (sb, tmp) = sandbox_with_an_sso_default_profile();
    let out = exec_server_prod(&sb, &tmp, &[probe.to_str().unwrap()]);
    assert_eq!(account_of(&sb, out.trim()), "333333333333", "{out}");
}

#[cfg(unix)]
#[test]
fn exec_server_removes_the_childs_config_directory_on_sigterm_and_keeps_an_ignored_sighup_ignored()
{
    let (sb, tmp) = sandbox_with_an_sso_default_profile();
    let ready = sb.dir.path().join("ready");
    let script = format!(
        "echo $$ > '{r}.pid'; cat \"$AWS_CONFIG_FILE\" > '{r}.tmp'; ls -ld \"${{AWS_CONFIG_FILE%/*}}\" >> '{r}.tmp'; \
         mv '{r}.tmp' '{r}'; exec sleep 60",
        r = ready.display()
    );
    let mut cmd = sb.cmd(["exec", "--server", "prod", "--", "sh", "-c", &script]);
    cmd.env("TMPDIR", &tmp)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // Started under `nohup`: SIGHUP ignored.
    // SAFETY: signal(2) with SIG_IGN between fork and exec is async-signal-safe.
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(|| {
            libc::signal(libc::SIGHUP, libc::SIG_IGN);
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    let seen = wait_for_file(&ready).expect("the child started");
    assert!(
        seen.starts_with("[default]\nregion = us-east-1\n\n[sso-session corp]\n"),
        "{seen}"
    );
    assert!(
        !seen.contains("sso_account_id") && !seen.contains("aws_access_key_id"),
        "{seen}"
    );
    assert!(seen.contains("drwx------"), "{seen}");
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 1);
    // An ignored SIGHUP stays ignored: exec and its server live on, files and all.
    // SAFETY: kill(2) on the ssoenv process this test started.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGHUP) }, 0);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "exec died of an ignored SIGHUP"
    );
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 1);
    // SAFETY: kill(2) on the ssoenv process this test started.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    let status = child.wait().unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(libc::SIGTERM));
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "removed on SIGTERM"
    );
    let sleeper: i32 = std::fs::read_to_string(sb.dir.path().join("ready.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // SAFETY: kill(2) on the child's `sleep`, started by this test.
    unsafe { libc::kill(sleeper, libc::SIGKILL) };
}

#[test]
fn the_server_refuses_requests_without_the_exact_token() {
    let sb = Sandbox::new();
    login(&sb, "prod");
    let s = Served::start(&sb, "prod");
    let is_json_error = |body: &str| {
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert!(
            v["Message"].is_string() && v.as_object().unwrap().len() == 1,
            "{body}"
        );
        assert!(!body.contains("ASIA"), "no credentials in an error: {body}");
    };
    let (st, body) = s.get(None);
    assert_eq!(st, 401);
    is_json_error(&body);
    for wrong in [
        "wrong".to_owned(),
        format!("Bearer {}", s.token),
        s.token[..s.token.len() - 1].to_owned(),
        format!("{}0", s.token),
        s.token.to_uppercase(),
    ] {
        let (st, body) = s.get(Some(&wrong));
        assert_eq!(st, 403, "{wrong}");
        is_json_error(&body);
    }
    let (st, body) =
        s.raw(format!("GET /other HTTP/1.1\r\nAuthorization: {}\r\n\r\n", s.token).as_bytes());
    assert_eq!(st, 404);
    is_json_error(&body);
    let (st, _) = s.raw(
        format!(
            "POST {} HTTP/1.1\r\nAuthorization: {}\r\nContent-Length: 0\r\n\r\n",
            s.path(),
            s.token
        )
        .as_bytes(),
    );
    assert_eq!(st, 405);
    let (st, _) = s.raw(b"garbage\r\n\r\n");
    assert_eq!(st, 400);
    assert_eq!(s.good().0, 200);
    s.finish();
}

#[test]
fn huge_headers_and_slow_clients_neither_crash_the_server_nor_block_others() {
    let sb = Sandbox::new();
    login(&sb, "prod");
    let s = Served::start(&sb, "prod");
    // 20 clients that connect and send half a request, then nothing.
    let slow: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut c = TcpStream::connect(s.addr()).unwrap();
            c.write_all(b"GET /ssoenv/cred").unwrap();
            c
        })
        .collect();
    // A header far past the 16 KiB limit: refused, not buffered forever.
    let mut huge = format!("GET {} HTTP/1.1\r\nX-Big: ", s.path()).into_bytes();
    huge.extend(std::iter::repeat_n(b'a', 1 << 20));
    huge.extend_from_slice(b"\r\n\r\n");
    let (st, _) = s.raw(&huge);
    assert!(st == 431 || st == 0, "status {st}");
    // Others are answered at once while the slow ones hang.
    let t = Instant::now();
    assert_eq!(s.good().0, 200);
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    drop(slow);
    // A client that disconnects mid-request leaves the server well.
    drop(TcpStream::connect(s.addr()).unwrap());
    assert_eq!(s.good().0, 200);
    let (code, err) = s.finish();
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn a_full_pool_of_idle_connections_does_not_keep_an_authorised_request_out() {
    let sb = Sandbox::new();
    login(&sb, "prod");
    let s = Served::start(&sb, "prod");
    // The server's pool of connections waiting for a request (MAX_PENDING).
    let mut idle: Vec<TcpStream> = (0..512)
        .map(|_| TcpStream::connect(s.addr()).unwrap())
        .collect();
    // Let the server take them all in: the pool is full.
    std::thread::sleep(Duration::from_millis(500));
    let t = Instant::now();
    let (st, body) = s.good();
    assert_eq!(st, 200, "{body}");
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    // The oldest idle connection made room for it: closed by the server.
    idle[0]
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    assert!(
        matches!(idle[0].read(&mut [0u8; 16]), Ok(0)),
        "the oldest idle connection was closed"
    );
    drop(idle);
    assert_eq!(s.good().0, 200);
    s.finish();
}

#[test]
fn another_users_idle_connections_reopened_at_once_do_not_starve_authorised_requests() {
    if !can_be_another_user() || !have_botocore() {
        return;
    }
    let sb = Sandbox::new();
    login(&sb, "prod");
    let s = Served::start(&sb, "prod");
    let port: u16 = s.addr().rsplit(':').next().unwrap().parse().unwrap();
    // uid 65534: 520 idle sockets (past the 64 served at once and the 512
    // that may wait for their request), each reopened the moment the server
    // closes it.
    let flood = IdleFlood::start(port, 520);
    std::thread::sleep(Duration::from_millis(500));
    let mut times = Vec::new();
    for i in 0..10 {
        let t = Instant::now();
        let (st, body) = s.good();
        times.push(t.elapsed());
        assert_eq!(st, 200, "authorised request {i}: {body}");
    }
    // botocore's container provider in a fresh process, with the endpoint
    // and token exactly as the child got them.
    let script = "import botocore.session\n\
        c = botocore.session.Session().get_credentials()\n\
        print(c.method)\n\
        print(c.get_frozen_credentials().access_key[:4])\n";
    let t = Instant::now();
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .env_clear()
        .env("HOME", &sb.home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", &s.url)
        .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", &s.token)
        .output()
        .unwrap();
    let botocore_took = t.elapsed();
    let reopened = flood.stop();
    assert!(out.status.success(), "botocore failed: {}", stderr(&out));
    assert_eq!(stdout(&out), "container-role\nASIA\n");
    times.sort_unstable();
    eprintln!(
        "under the flood: 10 authorised requests, max {:?}; botocore {botocore_took:?}; the server closed {reopened} of the attacker's sockets",
        times[9]
    );
    assert!(reopened > 0, "the attacker was at the cap");
    let (code, err) = s.finish();
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn a_client_trickling_its_request_is_cut_off_after_the_deadline() {
    let sb = Sandbox::new();
    login(&sb, "prod");
    let s = Served::start(&sb, "prod");
    let mut c = TcpStream::connect(s.addr()).unwrap();
    let t = Instant::now();
    // One byte every 300 ms: each read is quick, the whole head never ends.
    let mut closed = false;
    for _ in 0..40 {
        if c.write_all(b"X").is_err() {
            closed = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    let mut rest = Vec::new();
    c.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
    // EOF or a reset: closed by the server; a timeout: still open.
    let eof = match c.read_to_end(&mut rest) {
        Ok(_) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    };
    assert!(closed || eof, "the connection was still open");
    assert!(t.elapsed() < Duration::from_secs(13), "{:?}", t.elapsed());
    assert_eq!(s.good().0, 200);
    s.finish();
}

#[test]
fn a_thousand_requests_from_eight_clients_all_succeed_quickly() {
    let sb = Sandbox::new();
    login(&sb, "prod");
    let s = Served::start(&sb, "prod");
    let before = sb.emu.stats().get_role_credentials;
    let (addr, path, token) = (s.addr(), s.path(), s.token.clone());
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {token}\r\n\r\n");
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (addr, request) = (addr.clone(), request.clone());
            std::thread::spawn(move || {
                let mut times = Vec::new();
                for _ in 0..125 {
                    let t = Instant::now();
                    let mut c = TcpStream::connect(&addr).unwrap();
                    c.write_all(request.as_bytes()).unwrap();
                    let mut answer = Vec::new();
                    c.read_to_end(&mut answer).unwrap();
                    times.push(t.elapsed());
                    let (st, body) = parse_answer(&answer);
                    assert_eq!(st, 200, "{body}");
                }
                times
            })
        })
        .collect();
    let mut times: Vec<Duration> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert_eq!(times.len(), 1000);
    times.sort_unstable();
    let p99 = times[989];
    eprintln!("p50 {:?} p99 {:?} (8 concurrent clients)", times[500], p99);
    // Loose here (a debug build on shared cores); the bench holds the 1 ms figure.
    assert!(p99 < Duration::from_millis(50), "p99 {p99:?}");
    // Warm: no request reached the portal.
    assert_eq!(sb.emu.stats().get_role_credentials, before);
    s.finish();
}

#[test]
fn a_session_that_needs_a_login_gives_500_and_one_message_never_a_login() {
    // Credentials stale after 2 s; then the portal rejects the token.
    let sb = sandbox_with_credential_seconds(902);
    login(&sb, "prod");
    let s = Served::start(&sb, "prod");
    assert_eq!(s.good().0, 200);
    sb.emu.revoke_all_tokens();
    std::thread::sleep(Duration::from_millis(2100));
    let before = sb.emu.stats();
    for _ in 0..3 {
        let (st, body) = s.good();
        assert_eq!(st, 500, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(v["Message"].as_str().unwrap().len() > 10, "{body}");
    }
    assert_eq!(
        sb.emu.stats().start_device_authorization,
        before.start_device_authorization,
        "the server never starts a login"
    );
    let (code, err) = s.finish();
    assert_eq!(code, Some(0));
    assert_eq!(
        err.matches("could not get credentials").count(),
        1,
        "told once: {err}"
    );
    assert!(err.contains("ssoenv login prod"), "{err}");
}

#[test]
fn a_revoked_session_is_reported_once_and_again_only_when_the_cause_changes() {
    // Credentials stale after 2 s; the session revoked, so the refresh is refused.
    let sb = sandbox_with_credential_seconds(902);
    login(&sb, "prod");
    let s = Served::start(&sb, "prod");
    assert_eq!(s.good().0, 200);
    sb.emu.revoke_all_tokens();
    std::thread::sleep(Duration::from_millis(2100));
    for _ in 0..5 {
        assert_eq!(s.good().0, 500);
    }
    // Another cause: the cached token is gone altogether.
    std::fs::remove_file(sb.token_path("corp")).unwrap();
    for _ in 0..3 {
        assert_eq!(s.good().0, 500);
    }
    // A new login: served again, and said so.
    login(&sb, "prod");
    let (st, body) = s.good();
    assert_eq!(st, 200, "{body}");
    let (code, err) = s.finish();
    assert_eq!(code, Some(0), "{err}");
    // Not on every request (it was, once per request, before).
    assert!(err.matches("could not be refreshed").count() <= 1, "{err}");
    assert_eq!(
        err.matches("could not get credentials").count(),
        2,
        "once per cause: {err}"
    );
    assert_eq!(
        err.matches("has credentials for profile \"prod\" again")
            .count(),
        1,
        "{err}"
    );
}

#[test]
fn the_emulator_expires_issued_credentials_on_request() {
    let sb = Sandbox::new();
    login(&sb, "dev");
    let out = sb.run(["credential-process", "dev"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let key = v["AccessKeyId"].as_str().unwrap();
    assert_eq!(sb.emu.credentials_valid(key), Some(true));
    assert_eq!(sb.emu.credentials_valid("ASIANOTISSUED"), None);
    assert_eq!(sb.emulator_control("expire-credentials"), "HTTP/1.1 200 OK");
    assert_eq!(sb.emu.credentials_valid(key), Some(false));
    // Over HTTP too.
    let mut c = TcpStream::connect(sb.emu.url().trim_start_matches("http://")).unwrap();
    write!(
        c,
        "GET /_emulator/credentials?access_key_id={key} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut r = BufReader::new(c);
    let mut status = String::new();
    r.read_line(&mut status).unwrap();
    assert!(status.contains(" 200 "), "{status}");
    let mut rest = String::new();
    r.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("\"valid\":false"), "{rest}");
}
