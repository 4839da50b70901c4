//! The AWS SDK for JavaScript v3 as a second real client (botocore is the
//! first): its SSO provider on ssoenv's token cache and after ssoenv's
//! refresh, ssoenv on the cache the SDK rewrote, `fromProcess` through
//! `credential-process`, `fromContainerMetadata` under `exec --server` across
//! a renewal, the default chain after `use` with `SSOENV_EXPORT_AWS_PROFILE`,
//! and role chaining signed in one region.
//!
//! The SDK is pinned in tests/js/package.json and package-lock.json; `.ci/run`
//! installs it with `npm ci`. Without node or without tests/js/node_modules
//! these tests skip, and fail under `CI`. Each case runs node in a fresh
//! process with tests/js/loopback_only.js preloaded: the SDK reaches the
//! emulator on 127.0.0.1 through the AWS_ENDPOINT_URL_* overrides and
//! nothing else.

use crate::support;
use ssoenv_emulator::EmulatorConfig;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::*;

fn js_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js")
}

/// Whether node and the pinned SDK are installed; missing, the test skips
/// locally and fails under CI.
fn have_js_sdk() -> bool {
    if !have("node") {
        return false;
    }
    let installed = js_dir()
        .join("node_modules/@aws-sdk/credential-providers/package.json")
        .is_file();
    if !installed {
        assert!(
            std::env::var_os("CI").is_none(),
            "the JS SDK is required under CI: run `npm ci` in tests/js"
        );
        skip("the JS SDK is not installed (run `npm ci` in tests/js)");
    }
    installed
}

/// What every node process gets: the SDK's modules and the loopback guard.
fn node_env(c: &mut Command) -> &mut Command {
    let dir = js_dir();
    c.env("NODE_PATH", dir.join("node_modules")).env(
        "NODE_OPTIONS",
        format!("--require \"{}\"", dir.join("loopback_only.js").display()),
    )
}

/// `body` (an async function body returning a value) run by node: its
/// result as JSON on stdout; an error exits 1 with its message on stderr.
fn program(body: &str) -> String {
    format!(
        "const p = require(\"@aws-sdk/credential-providers\");\n\
         const key = (c) => ({{ key: c.accessKeyId, exp: c.expiration && c.expiration.toISOString() }});\n\
         const sleep = (ms) => new Promise((r) => setTimeout(r, ms));\n\
         (async () => {{ {body} }})().then(\n\
           (r) => console.log(JSON.stringify(r)),\n\
           (e) => {{ console.error(`js-sdk: ${{e.name}}: ${{e.message}}`); process.exit(1); }});\n"
    )
}

/// node running `body` with only HOME, PATH and the emulator's endpoints
/// set (as [`Sandbox::python`] for botocore), then `env`.
fn node(sb: &Sandbox, body: &str, env: &[(&str, &str)]) -> Output {
    let url = sb.emu.url();
    let mut c = Command::new("node");
    c.arg("-e")
        .arg(program(body))
        .env_clear()
        .env("HOME", &sb.home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_ENDPOINT_URL_SSO", &url)
        .env("AWS_ENDPOINT_URL_SSO_OIDC", &url)
        .env("AWS_ENDPOINT_URL_STS", &url)
        .current_dir(js_dir());
    node_env(&mut c);
    for (k, v) in env {
        c.env(k, v);
    }
    output_within(c, sb.dir.path(), std::time::Duration::from_secs(60))
}

/// The JSON node printed; the run must have succeeded.
fn json(what: &str, out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        stdout(out),
        stderr(out)
    );
    serde_json::from_str(stdout(out).trim())
        .unwrap_or_else(|e| panic!("{what}: {e}: {}", stdout(out)))
}

fn login(sb: &Sandbox) {
    let out = sb.run(["login", "dev"]);
    assert!(out.status.success(), "login failed: {}", stderr(&out));
}

fn forget_role_credentials(sb: &Sandbox) {
    let _ = std::fs::remove_dir_all(sb.cli_cache());
}

fn use_dev(sb: &Sandbox) -> String {
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "use dev: {}", stderr(&out));
    stdout(&out)
}

fn assert_issued(sb: &Sandbox, v: &serde_json::Value) -> String {
    let key = v["key"].as_str().unwrap_or_else(|| panic!("no key in {v}"));
    assert!(key.starts_with("ASIA"), "{v}");
    assert_eq!(sb.emu.credentials_valid(key), Some(true), "{v}");
    key.to_owned()
}

#[test]
fn from_sso_uses_ssoenvs_token_cache_and_the_token_ssoenv_refreshed() {
    if !have_js_sdk() {
        return;
    }
    let sb = Sandbox::new();
    login(&sb);
    let first = json(
        "fromSSO",
        &node(
            &sb,
            "return key(await p.fromSSO({ profile: \"dev\" })());",
            &[],
        ),
    );
    assert_issued(&sb, &first);
    assert_eq!(
        sb.emu.stats().get_role_credentials,
        1,
        "the JS SDK's own call"
    );

    // The token expires; ssoenv refreshes it with its refresh token.
    let mut tok = sb.token_json("corp");
    tok["expiresAt"] = ts(-60).into();
    sb.write_token("corp", &tok);
    forget_role_credentials(&sb);
    use_dev(&sb);
    assert_eq!(sb.emu.stats().create_token_refresh_token, 1);
    let refreshed = sb.token_json("corp");
    assert_ne!(refreshed["accessToken"], tok["accessToken"]);

    let second = json(
        "fromSSO",
        &node(
            &sb,
            "return key(await p.fromSSO({ profile: \"dev\" })());",
            &[],
        ),
    );
    assert_issued(&sb, &second);
    let stats = sb.emu.stats();
    assert_eq!(stats.get_role_credentials, 3, "fromSSO, use, fromSSO");
    assert_eq!(
        stats.create_token_refresh_token, 1,
        "the JS SDK took ssoenv's refreshed token as it is"
    );
    assert_eq!(stats.start_device_authorization, 1, "one login in all");
}

#[test]
fn ssoenv_uses_the_token_the_js_sdk_refreshed_and_rewrote_in_its_own_format() {
    if !have_js_sdk() {
        return;
    }
    let sb = Sandbox::new();
    login(&sb);
    // Two minutes left: the JS SDK refreshes a token within 5 minutes of expiry.
    let mut tok = sb.token_json("corp");
    tok["expiresAt"] = ts(120).into();
    sb.write_token("corp", &tok);
    let js = json(
        "fromSSO",
        &node(
            &sb,
            "return key(await p.fromSSO({ profile: \"dev\" })());",
            &[],
        ),
    );
    assert_issued(&sb, &js);
    assert_eq!(
        sb.emu.stats().create_token_refresh_token,
        1,
        "the JS SDK refreshed"
    );

    // The SDK's own writing: indented JSON, milliseconds in the times.
    let raw = std::fs::read_to_string(sb.token_path("corp")).unwrap();
    assert!(raw.contains("\n  \"accessToken\": "), "{raw}");
    let rewritten: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let exp = rewritten["expiresAt"].as_str().unwrap();
    assert!(
        exp.len() == 24 && exp.ends_with('Z') && exp.as_bytes()[19] == b'.',
        "milliseconds: {exp}"
    );
    assert_ne!(rewritten["accessToken"], tok["accessToken"]);

    // ssoenv takes that token as it is: no refresh, no login of its own.
    forget_role_credentials(&sb);
    let script = use_dev(&sb);
    assert!(
        script.contains("export AWS_ACCESS_KEY_ID='ASIA"),
        "{script}"
    );
    let stats = sb.emu.stats();
    assert_eq!(stats.create_token_refresh_token, 1);
    assert_eq!(stats.start_device_authorization, 1);
    assert_eq!(stats.get_role_credentials, 2, "fromSSO, then ssoenv's");
    let check = sb.run(["status", "--check", "dev"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

#[test]
fn from_process_runs_the_quoted_credential_process_line_for_a_hostile_profile_name() {
    if !have_js_sdk() {
        return;
    }
    let sb = Sandbox::new();
    // A profile name with spaces, `$`, a quote and `~` (quoted in its header,
    // as botocore splits headers with shlex): the JS SDK runs the line with
    // `sh -c`, so only the quoting keeps it one argument, unexpanded.
    let odd = "dev $HOME it's ~ x";
    let line = ssoenv::cmd::credential_process::config_line(BIN, odd);
    sb.write_config(&format!(
        "{CONFIG}\n[profile \"{odd}\"]\nsso_session = corp\nsso_account_id = 111111111111\n\
         sso_role_name = AdministratorAccess\n\n[profile cp]\ncredential_process = {line}\n"
    ));
    let out = sb.run(["login", odd]);
    assert!(out.status.success(), "login: {}", stderr(&out));
    let js = json(
        "fromProcess",
        &node(
            &sb,
            "return key(await p.fromProcess({ profile: \"cp\" })());",
            &[],
        ),
    );
    let key = assert_issued(&sb, &js);
    // ssoenv's role cache served the SDK: the same keys as `credential-process`.
    let out = sb.run(["credential-process", odd]);
    let cp: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cp["AccessKeyId"], key.as_str());
    assert_eq!(sb.emu.stats().get_role_credentials, 1);
}

#[test]
fn from_container_metadata_under_exec_server_gets_renewed_credentials() {
    if !have_js_sdk() {
        return;
    }
    // 905 s: served at once, and renewed by the server 6 s later (15 minutes left).
    let sb = Sandbox::with(EmulatorConfig {
        interval: 0,
        role_ttl: 905,
        ..EmulatorConfig::default()
    });
    login(&sb);
    let body = "const a = key(await p.fromContainerMetadata()());\n\
        await sleep(6000);\n\
        const b = key(await p.fromContainerMetadata()());\n\
        const c = key(await p.fromNodeProviderChain()());\n\
        return { a, b, c };";
    let mut cmd = sb.cmd([
        "exec",
        "--server",
        "dev",
        "--",
        "node",
        "-e",
        &program(body),
    ]);
    node_env(&mut cmd).current_dir(js_dir());
    let out = output_within(cmd, sb.dir.path(), std::time::Duration::from_secs(60));
    let v = json("exec --server node", &out);
    let a = assert_issued(&sb, &v["a"]);
    let b = assert_issued(&sb, &v["b"]);
    assert_ne!(a, b, "the server renewed them: {v}");
    assert_eq!(
        v["c"]["key"],
        b.as_str(),
        "the default chain reaches the server"
    );
    assert_eq!(sb.emu.stats().get_role_credentials, 2);
}

/// `use dev` evaluated in bash (with a stale AWS_PROFILE), then the JS SDK's
/// default chain in that shell: which keys it resolves.
fn default_chain_after_use(sb: &Sandbox, switch: &str) -> (String, serde_json::Value) {
    let sh = shell("bash");
    let dir = js_dir();
    let path = std::env::var("PATH").unwrap_or_default();
    let guard = format!("--require \"{}\"", dir.join("loopback_only.js").display());
    let modules = dir.join("node_modules").display().to_string();
    let js = program("return key(await p.fromNodeProviderChain()());");
    let script = "eval \"$(\"$B\" use dev --shell bash)\"\n\
        echo \"$AWS_ACCESS_KEY_ID\"\n\
        node -e \"$JS\"\n";
    let out = sh.run_in(
        sb,
        script,
        &[
            ("AWS_PROFILE", "stale"),
            ("SSOENV_EXPORT_AWS_PROFILE", switch),
            ("PATH", &path),
            ("NODE_PATH", &modules),
            ("NODE_OPTIONS", &guard),
            ("JS", &js),
        ],
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    let (exported, js) = text.split_once('\n').unwrap();
    (
        exported.to_owned(),
        serde_json::from_str(js.trim()).unwrap_or_else(|e| panic!("{e}: {text}")),
    )
}

#[test]
fn the_default_chain_takes_the_exported_keys_with_the_switch_off_and_the_profile_without() {
    if !have_js_sdk() || !have("bash") {
        return;
    }
    let sb = Sandbox::new();
    login(&sb);
    // SSOENV_EXPORT_AWS_PROFILE=0: no AWS_PROFILE, so fromEnv comes first.
    let (exported, js) = default_chain_after_use(&sb, "0");
    assert_eq!(js["key"], exported.as_str(), "{js}");
    assert_eq!(sb.emu.stats().get_role_credentials, 1, "ssoenv's only");

    // The default: AWS_PROFILE is exported, and the SDK skips the keys and
    // resolves the profile itself (a second GetRoleCredentials).
    let (exported, js) = default_chain_after_use(&sb, "1");
    assert_ne!(js["key"], exported.as_str(), "{js}");
    assert_issued(&sb, &js);
    assert_eq!(sb.emu.stats().get_role_credentials, 2);
}

#[test]
fn the_js_sdk_botocore_and_ssoenv_sign_every_assume_role_of_a_chain_in_one_region() {
    if !have_js_sdk() {
        return;
    }
    let sb = Sandbox::new();
    // chained2 (ap-southeast-2) ← chained (no region) ← dev (eu-west-1).
    sb.write_config(&format!(
        "{CONFIG}\n[profile chained]\nrole_arn = arn:aws:iam::444455556666:role/Deploy\n\
         source_profile = dev\nregion = us-west-1\n\n\
         [profile chained2]\nrole_arn = arn:aws:iam::777788889999:role/Audit\n\
         source_profile = chained\nregion = ap-southeast-2\n"
    ));
    login(&sb);
    let regions = |sb: &Sandbox, from: usize| -> Vec<String> {
        sb.emu.assume_role_calls()[from..]
            .iter()
            .map(|c| c.signing_region.clone())
            .collect()
    };
    let js = json(
        "fromIni",
        &node(
            &sb,
            "return key(await p.fromIni({ profile: \"chained2\" })());",
            &[],
        ),
    );
    assert_issued(&sb, &js);
    let js_regions = regions(&sb, 0);
    assert_eq!(
        js_regions,
        ["ap-southeast-2", "ap-southeast-2"],
        "the JS SDK"
    );

    let out = sb.run(["use", "chained2", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        regions(&sb, 2),
        js_regions,
        "ssoenv signs as the JS SDK does"
    );

    // With a region in the environment, botocore and the AWS CLI sign the
    // whole chain there (the JS SDK still prefers the profile's): so does ssoenv.
    forget_role_credentials(&sb);
    let out = sb
        .cmd(["use", "chained2", "--shell", "bash"])
        .env("AWS_REGION", "ca-central-1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let calls = sb.emu.assume_role_calls();
    assert_eq!(
        regions(&sb, calls.len() - 2),
        ["ca-central-1", "ca-central-1"]
    );
}
