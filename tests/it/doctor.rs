//! `ssoenv doctor`: one line per check against the real binary and the emulator.

use crate::support as common;
use common::*;
use std::path::Path;

/// The `status` and `detail` of the check named `name` in `--json` output.
fn json_check(out: &str, name: &str) -> (String, String, Option<String>) {
    let v: serde_json::Value = serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let c = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no check {name}: {out}"));
    (
        c["status"].as_str().unwrap().to_owned(),
        c["detail"].as_str().unwrap().to_owned(),
        c["fix"].as_str().map(str::to_owned),
    )
}

/// The text line of check `name`, and its fix line if any.
fn text_line(out: &str, name: &str) -> String {
    let lines: Vec<&str> = out.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.get(6..).is_some_and(|r| r.starts_with(name)))
        .unwrap_or_else(|| panic!("no line for {name}: {out}"));
    let mut s = lines[i].to_owned();
    if let Some(next) = lines
        .get(i + 1)
        .filter(|l| l.trim_start().starts_with("fix: "))
    {
        s.push('\n');
        s.push_str(next);
    }
    s
}

#[cfg(unix)]
fn executable(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn healthy_logged_in_sandbox_is_all_ok() {
    let sb = Sandbox::new();
    assert!(sb.run(["login", "prod"]).status.success());
    assert!(sb.run(["use", "prod", "--shell", "bash"]).status.success());
    std::fs::write(
        sb.home.join(".bashrc"),
        "# mine\neval \"$(ssoenv init bash)\"\n",
    )
    .unwrap();
    let out = sb.run(["doctor", "prod"]);
    let text = stdout(&out);
    for name in [
        "config",
        "profile",
        "token",
        "credentials",
        "rc file",
        "completions",
    ] {
        assert!(text_line(&text, name).starts_with("ok "), "{name}: {text}");
    }
    assert!(text_line(&text, "token").contains("valid"), "{text}");
    assert!(
        text_line(&text, "rc file").contains("~/.bashrc:2"),
        "{text}"
    );
    assert!(
        text_line(&text, "credentials").contains("valid until"),
        "{text}"
    );
    assert!(text.contains("sso-session corp"), "{text}");
}

#[test]
fn broken_config_shows_the_parse_error_with_its_line_and_fix() {
    let sb = Sandbox::new();
    sb.write_config("[profile prod]\nsso_session = corp\n  this is not a key\n[broken\n");
    let out = sb.run(["doctor", "prod"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let line = text_line(&stdout(&out), "config");
    assert!(line.starts_with("fail"), "{line}");
    assert!(line.contains(".aws/config: line "), "{line}");
    assert!(line.contains("fix: "), "{line}");
}

#[test]
fn missing_token_says_to_log_in() {
    let sb = Sandbox::new();
    let out = sb.run(["doctor", "prod"]);
    assert_eq!(out.status.code(), Some(1));
    let line = text_line(&stdout(&out), "token");
    assert!(line.starts_with("fail"), "{line}");
    assert!(line.contains("fix: run `ssoenv login prod`"), "{line}");
    // AWS_PROFILE is the default profile.
    let out = sb
        .cmd(["doctor", "--json"])
        .env("AWS_PROFILE", "dev")
        .output()
        .unwrap();
    let (status, _, fix) = json_check(&stdout(&out), "token");
    assert_eq!(status, "fail");
    assert_eq!(fix.as_deref(), Some("run `ssoenv login dev`"));
}

#[test]
fn rc_file_init_line_found_or_missing() {
    let sb = Sandbox::new();
    let out = sb
        .cmd(["doctor", "--json"])
        .env("SSOENV_SHELL", "zsh")
        .output()
        .unwrap();
    let (status, _, fix) = json_check(&stdout(&out), "rc file");
    assert_eq!(status, "warn");
    assert_eq!(
        fix.as_deref(),
        Some("add `eval \"$(ssoenv init zsh)\"` to ~/.zshrc")
    );
    std::fs::create_dir_all(sb.home.join(".config/fish")).unwrap();
    std::fs::write(
        sb.home.join(".config/fish/config.fish"),
        "set -x EDITOR vi\n# ssoenv init fish | source\nssoenv init fish | source\n",
    )
    .unwrap();
    let out = sb.run(["doctor", "--json"]);
    let (status, detail, _) = json_check(&stdout(&out), "rc file");
    assert_eq!(status, "ok");
    assert!(detail.contains("config.fish:3"), "{detail}");
    let (status, detail, _) = json_check(&stdout(&out), "completions");
    assert_eq!(status, "ok");
    assert!(detail.contains("ssoenv init"), "{detail}");
}

/// nushell: env.nu saves the init (`ssoenv init nu | save -f ~/.ssoenv.nu`), and without it
/// the fix names that line and both files.
#[test]
fn nushell_env_nu_init_line_found_or_missing() {
    let sb = Sandbox::new();
    let out = sb
        .cmd(["doctor", "--json"])
        .env("SSOENV_SHELL", "nu")
        .output()
        .unwrap();
    let (status, _, fix) = json_check(&stdout(&out), "rc file");
    assert_eq!(status, "warn");
    assert_eq!(
        fix.as_deref(),
        Some(
            "add `ssoenv init nu | save -f ~/.ssoenv.nu` to env.nu ($nu.env-path), with `source ~/.ssoenv.nu` in config.nu"
        )
    );
    std::fs::create_dir_all(sb.home.join(".config/nushell")).unwrap();
    std::fs::write(
        sb.home.join(".config/nushell/env.nu"),
        "$env.EDITOR = 'vi'\nssoenv init nu | save -f ~/.ssoenv.nu\n",
    )
    .unwrap();
    let out = sb
        .cmd(["doctor", "--json"])
        .env("SSOENV_SHELL", "nu")
        .output()
        .unwrap();
    let (status, detail, _) = json_check(&stdout(&out), "rc file");
    assert_eq!(status, "ok");
    assert!(detail.contains("env.nu:2"), "{detail}");
}

#[cfg(unix)]
#[test]
fn a_shadowing_ssoenv_in_path_is_found() {
    let sb = Sandbox::new();
    let fake = sb.dir.path().join("fake");
    let real = sb.dir.path().join("real");
    std::fs::create_dir_all(&fake).unwrap();
    std::fs::create_dir_all(&real).unwrap();
    executable(&fake.join("ssoenv"), "#!/bin/sh\necho old\n");
    std::os::unix::fs::symlink(BIN, real.join("ssoenv")).unwrap();
    let path = |dirs: &[&Path]| std::env::join_paths(dirs).unwrap();
    let out = sb
        .cmd(["doctor", "--json"])
        .env("PATH", path(&[&real, &fake]))
        .output()
        .unwrap();
    let (status, _, _) = json_check(&stdout(&out), "PATH");
    assert_eq!(status, "ok", "{}", stdout(&out));
    let out = sb
        .cmd(["doctor"])
        .env("PATH", path(&[&fake, &real]))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let line = text_line(&stdout(&out), "PATH");
    assert!(line.starts_with("fail"), "{line}");
    assert!(line.contains("another ssoenv shadows this one"), "{line}");
    assert!(
        line.contains(&fake.join("ssoenv").display().to_string()),
        "{line}"
    );
}

#[test]
fn json_shape() {
    let sb = Sandbox::new();
    let out = sb.run(["doctor", "prod", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v["version"].is_string());
    let checks = v["checks"].as_array().unwrap();
    assert!(!checks.is_empty());
    for c in checks {
        assert!(c["check"].is_string(), "{c}");
        assert!(
            ["ok", "warn", "fail"].contains(&c["status"].as_str().unwrap()),
            "{c}"
        );
        assert!(c["detail"].is_string(), "{c}");
        assert!(c["fix"].is_string() || c["fix"].is_null(), "{c}");
    }
    let fails = checks.iter().filter(|c| c["status"] == "fail").count();
    assert_eq!(v["problems"].as_u64(), Some(fails as u64));
    assert_eq!(out.status.code(), Some(if fails > 0 { 1 } else { 0 }));
}

#[test]
fn network_reachable_and_unreachable() {
    let sb = Sandbox::new();
    let out = sb.run(["doctor", "prod", "--network", "--json"]);
    let text = stdout(&out);
    for name in ["oidc", "portal"] {
        let (status, detail, _) = json_check(&text, name);
        assert_eq!(status, "ok", "{text}");
        assert!(detail.contains("reachable"), "{detail}");
    }
    let (status, detail, _) = json_check(&text, "clock");
    assert_eq!(status, "ok", "{text}");
    assert!(detail.contains("from the server's Date header"), "{detail}");
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{closed}");
    let out = sb
        .cmd(["doctor", "prod", "--network"])
        .env("AWS_ENDPOINT_URL_SSO_OIDC", &url)
        .env("AWS_ENDPOINT_URL_SSO", &url)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let line = text_line(&stdout(&out), "oidc");
    assert!(line.starts_with("fail"), "{line}");
    assert!(line.contains("unreachable"), "{line}");
}

#[test]
fn no_secrets_in_the_output() {
    let sb = Sandbox::new();
    assert!(sb.run(["login", "prod"]).status.success());
    assert!(sb.run(["use", "prod", "--shell", "bash"]).status.success());
    let tok = sb.token_json("corp");
    let mut secrets: Vec<String> = ["accessToken", "refreshToken", "clientSecret"]
        .iter()
        .filter_map(|k| tok[*k].as_str().map(str::to_owned))
        .collect();
    for f in std::fs::read_dir(sb.cli_cache()).unwrap() {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(f.unwrap().path()).unwrap()).unwrap();
        for k in ["AccessKeyId", "SecretAccessKey", "SessionToken"] {
            if let Some(s) = v["Credentials"][k].as_str() {
                secrets.push(s.to_owned());
            }
        }
    }
    assert!(secrets.len() >= 4, "{secrets:?}");
    secrets.push("hunter2pw".into());
    secrets.push("proxyuser".into());
    for args in [
        &["doctor", "prod"][..],
        &["doctor", "prod", "--json"][..],
        &["doctor", "prod", "--network"][..],
    ] {
        let out = sb
            .cmd(args)
            .env(
                "HTTPS_PROXY",
                "http://proxyuser:hunter2pw@proxy.invalid:3128",
            )
            .env("no_proxy", "127.0.0.1,localhost")
            .output()
            .unwrap();
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(all.contains("***@proxy.invalid:3128"), "{all}");
        for s in &secrets {
            assert!(!all.contains(s.as_str()), "{s} in {args:?}: {all}");
        }
    }
}

#[test]
fn shell_integration_is_seen_through_the_marker_or_said_unknown() {
    let sb = Sandbox::new();
    let out = sb.run(["doctor", "--json"]);
    let (status, detail, fix) = json_check(&stdout(&out), "integration");
    assert_eq!(status, "warn");
    assert!(detail.contains("unknown from a child process"), "{detail}");
    assert!(fix.unwrap().contains("type ssoenv"));
    let out = sb
        .cmd(["doctor", "--json"])
        .env("SSOENV_INIT", "zsh")
        .output()
        .unwrap();
    let (status, detail, _) = json_check(&stdout(&out), "integration");
    assert_eq!(status, "ok");
    assert!(detail.contains("zsh"), "{detail}");
}

#[test]
fn outside_text_is_escaped() {
    let sb = Sandbox::new();
    let out = sb.run(["doctor", "no\x1b]0;pwned\x07such"]);
    let text = stdout(&out);
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    assert!(text_line(&text, "profile").starts_with("fail"), "{text}");
}

/// A role-chaining profile: the chain, the cached AssumeRole credentials, then
/// the SSO profile the chain starts from, and no secret anywhere.
#[test]
fn a_chained_profile_shows_its_chain_its_role_session_and_its_sso_root() {
    let sb = Sandbox::new();
    sb.write_config(&format!(
        "{CONFIG}\n[profile chained]\nrole_arn = arn:aws:iam::444455556666:role/Deploy\nsource_profile = dev\n"
    ));
    let out = sb.run(["doctor", "chained"]);
    let text = stdout(&out);
    assert!(
        text_line(&text, "profile").contains(r#"through profile "chained" → "dev""#),
        "{text}"
    );
    assert!(
        text_line(&text, "role session").contains("no cached AssumeRole"),
        "{text}"
    );
    assert!(text.contains("dev (start of the chain)"), "{text}");
    let line = text_line(&text, "token");
    assert!(line.contains("fix: run `ssoenv login dev`"), "{line}");

    let used = sb.run(["use", "chained", "--shell", "bash"]);
    assert!(used.status.success(), "{}", stderr(&used));
    let out = sb.run(["doctor", "chained", "--json"]);
    assert!(out.status.success(), "{}", stdout(&out));
    let (status, detail, _) = json_check(&stdout(&out), "role session");
    assert_eq!(status, "ok");
    assert!(
        detail.starts_with("cached AssumeRole credentials valid until"),
        "{detail}"
    );
    let secret = stdout(&used)
        .lines()
        .find_map(|l| l.strip_prefix("export AWS_SECRET_ACCESS_KEY='"))
        .map(|v| v.trim_end_matches("';").to_owned())
        .unwrap();
    assert!(!stdout(&out).contains(&secret) && !stderr(&out).contains(&secret));
}

#[test]
fn proxy_passwords_holding_url_delimiters_are_hidden_in_text_and_json() {
    // Unescaped `#`, `?`, `/` and `@` in a password: a parser that ends the
    // authority at the first `/`, `?` or `#` finds no `user:password@` at all.
    let sb = Sandbox::new();
    let proxies = [
        ("HTTPS_PROXY", "http://alice:s3cr#et1@proxy.invalid:3128"),
        ("https_proxy", "http://alice:s3cr?et2@proxy.invalid:3128/"),
        ("HTTP_PROXY", "http://alice:s3cr/et3@proxy.invalid:3128"),
        (
            "ALL_PROXY",
            "socks5h://alice:s3/c?r#@et4@proxy.invalid:1080",
        ),
    ];
    for json in [false, true] {
        let mut cmd = sb.cmd(if json {
            &["doctor", "--json"][..]
        } else {
            &["doctor"][..]
        });
        for (k, v) in proxies {
            cmd.env(k, v);
        }
        let out = cmd.env("NO_PROXY", "127.0.0.1").output().unwrap();
        let all = format!("{}{}", stdout(&out), stderr(&out));
        let detail = if json {
            json_check(&stdout(&out), "proxy").1
        } else {
            text_line(&stdout(&out), "proxy")
        };
        for secret in ["s3cr", "et1", "et2", "et3", "et4", "alice"] {
            assert!(
                !all.contains(secret),
                "{secret} shown (json: {json}): {all}"
            );
        }
        for shown in [
            "HTTPS_PROXY=http://***@proxy.invalid:3128",
            "https_proxy=http://***@proxy.invalid:3128/",
            "HTTP_PROXY=http://***@proxy.invalid:3128",
            "ALL_PROXY=socks5h://***@proxy.invalid:1080",
            "NO_PROXY=127.0.0.1",
        ] {
            assert!(detail.contains(shown), "{shown} (json: {json}): {detail}");
        }
    }
}

#[test]
fn every_endpoint_override_in_force_is_listed() {
    let sb = Sandbox::new();
    let url = sb.emu.url();
    let out = sb.run(["doctor", "prod", "--json"]);
    let (status, detail, _) = json_check(&stdout(&out), "endpoints");
    assert_eq!(status, "ok", "{detail}");
    for var in [
        "AWS_ENDPOINT_URL_SSO_OIDC",
        "AWS_ENDPOINT_URL_SSO",
        "AWS_ENDPOINT_URL_STS",
        "AWS_ENDPOINT_URL_SIGNIN",
    ] {
        assert!(detail.contains(&format!("{var}={url}")), "{var}: {detail}");
    }
    // The config's own: a services section and a profile's endpoint_url.
    sb.write_config(&format!(
        "[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = us-east-1\n\
         [profile prod]\nsso_session = corp\nsso_account_id = 333333333333\nsso_role_name = ReadOnly\n\
         services = emu\nendpoint_url = https://vpce.example\n\
         [services emu]\nsso_oidc =\n  endpoint_url = {url}\nsts =\n  endpoint_url = {url}\n"
    ));
    let out = sb
        .cmd(["doctor", "prod", "--json"])
        .env_remove("AWS_ENDPOINT_URL_SSO_OIDC")
        .env_remove("AWS_ENDPOINT_URL_SSO")
        .env_remove("AWS_ENDPOINT_URL_STS")
        .env_remove("AWS_ENDPOINT_URL_SIGNIN")
        .env("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9")
        .output()
        .unwrap();
    let (status, detail, _) = json_check(&stdout(&out), "endpoints");
    assert_eq!(status, "ok", "{detail}");
    assert_eq!(
        detail,
        format!(
            "AWS_ENDPOINT_URL_S3=http://127.0.0.1:9; [services] sso_oidc endpoint_url = {url}; \
             [services] sts endpoint_url = {url}; profile prod endpoint_url = https://vpce.example"
        )
    );
}

#[test]
fn a_loopback_start_url_with_aws_endpoints_fails_naming_the_variables() {
    let sb = Sandbox::new();
    sb.write_config(
        "[sso-session ssoenv-emulator]\nsso_start_url = http://127.0.0.1:4567/start\nsso_region = us-east-1\n\
         [profile dev]\nsso_session = ssoenv-emulator\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\n",
    );
    let bare = |args: &[&str]| {
        sb.cmd(args)
            .env_remove("AWS_ENDPOINT_URL_SSO_OIDC")
            .env_remove("AWS_ENDPOINT_URL_SSO")
            .env_remove("AWS_ENDPOINT_URL_STS")
            .env_remove("AWS_ENDPOINT_URL_SIGNIN")
            .output()
            .unwrap()
    };
    let out = bare(&["doctor", "dev"]);
    let line = text_line(&stdout(&out), "endpoints");
    assert!(line.starts_with("fail"), "{line}");
    assert!(
        line.contains("https://oidc.us-east-1.amazonaws.com"),
        "{line}"
    );
    assert!(
        line.contains("export AWS_ENDPOINT_URL_SSO_OIDC=http://127.0.0.1:4567"),
        "{line}"
    );
    // `login` and `use` say the same before any request leaves the machine.
    for args in [&["login", "dev"][..], &["use", "dev", "--shell", "bash"]] {
        let out = bare(args);
        let err = assert_fails(&out, 2, "has a start URL on this machine");
        assert!(err.contains("AWS_ENDPOINT_URL_SSO_OIDC="), "{err}");
        assert_eq!(stdout(&out), "", "{args:?}");
    }
}

/// No `fix:` under an `ok` line (text), no `fix` on an `ok` check (`--json`):
/// without a profile, the profile check says how to check one in its detail.
#[test]
fn an_ok_check_carries_no_fix() {
    let sb = Sandbox::new();
    let text = stdout(&sb.run(["doctor"]));
    let lines: Vec<&str> = text.lines().collect();
    for pair in lines.windows(2) {
        assert!(
            !(pair[0].starts_with("ok ") && pair[1].trim_start().starts_with("fix: ")),
            "a fix under an ok:\n{text}"
        );
    }
    assert!(
        text_line(&text, "profile").contains("`ssoenv doctor PROFILE` checks one"),
        "{text}"
    );
    let json = stdout(&sb.run(["doctor", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    for c in v["checks"].as_array().unwrap() {
        if c["status"] == "ok" {
            assert!(c["fix"].is_null(), "{c}");
        }
    }
}

/// Whether this machine's own zsh startup files run compinit (Debian's runs it
/// on Ubuntu alone): then a user file without it is not a problem.
fn system_zsh_runs_compinit() -> bool {
    let ubuntu = std::fs::read_to_string("/etc/os-release")
        .is_ok_and(|t| t.lines().any(|l| l == "ID=ubuntu"));
    [
        "/etc/zsh/zshrc",
        "/etc/zshrc",
        "/etc/zsh/zshenv",
        "/etc/zshenv",
    ]
    .iter()
    .filter_map(|p| std::fs::read_to_string(p).ok())
    .any(|t| {
        t.lines()
            .any(|l| !l.trim_start().starts_with('#') && l.trim() == "compinit")
            && (ubuntu || !t.contains("ubuntu"))
    })
}

/// zsh completion needs compinit: a warning when no startup file runs it,
/// none once ~/.zshrc does.
#[test]
fn zsh_without_compinit_is_warned_about() {
    let sb = Sandbox::new();
    std::fs::write(
        sb.home.join(".zshrc"),
        "eval \"$(ssoenv init zsh)\"\n# compinit\n",
    )
    .unwrap();
    let doctor = || {
        let out = sb
            .cmd(["doctor", "--json"])
            .env("SSOENV_SHELL", "zsh")
            .output()
            .unwrap();
        stdout(&out)
    };
    let json = doctor();
    if system_zsh_runs_compinit() {
        assert!(!json.contains("zsh compinit"), "{json}");
    } else {
        let (status, detail, fix) = json_check(&json, "zsh compinit");
        assert_eq!(status, "warn");
        assert!(detail.contains("zsh completion cannot work"), "{detail}");
        assert!(detail.contains("~/.zshrc"), "{detail}");
        assert_eq!(
            fix.as_deref(),
            Some("add `autoload -Uz compinit && compinit` to ~/.zshrc")
        );
    }
    std::fs::write(
        sb.home.join(".zshrc"),
        "autoload -Uz compinit && compinit\neval \"$(ssoenv init zsh)\"\n",
    )
    .unwrap();
    let json = doctor();
    assert!(!json.contains("zsh compinit"), "{json}");
}

/// A BROWSER that cannot open anything (`false`, a missing program) is named
/// by doctor, and a login that meets it says so instead of waiting silently.
#[test]
fn a_failing_browser_is_named_by_doctor_and_by_the_login() {
    let sb = Sandbox::new();
    for (browser, says) in [
        ("false", "false opens nothing"),
        ("/nonexistent/browser", "/nonexistent/browser is not found"),
        (
            "no-such-browser-xyz:false",
            "no-such-browser-xyz is not found, false opens nothing",
        ),
    ] {
        let out = sb
            .cmd(["doctor", "--json"])
            .env("BROWSER", browser)
            .output()
            .unwrap();
        let (status, detail, fix) = json_check(&stdout(&out), "browser");
        assert_eq!(status, "warn", "{browser}");
        assert!(detail.contains(says), "{browser}: {detail}");
        assert!(fix.is_some_and(|f| f.contains("BROWSER")), "{browser}");
    }
    let out = sb
        .cmd(["doctor", "--json"])
        .env("BROWSER", "sh -c :")
        .output()
        .unwrap();
    let (status, detail, _) = json_check(&stdout(&out), "browser");
    assert_eq!(status, "ok", "{detail}");
    for (browser, says) in [
        (
            "false",
            "ssoenv: warning: BROWSER command \"false\" failed (exit status: 1)",
        ),
        (
            "/nonexistent/browser",
            "ssoenv: warning: BROWSER command \"/nonexistent/browser\" could not be started",
        ),
    ] {
        let out = sb
            .cmd(["login", "dev", "--force"])
            .env("BROWSER", browser)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert!(out.status.success(), "{err}");
        assert!(err.contains(says), "{browser}: {err}");
        assert!(
            err.contains("could not open a browser; open the URL above yourself"),
            "{err}"
        );
    }
}

/// elvish's rc files (`~/.config/elvish/rc.elv`, the old `~/.elvish/rc.elv`) are startup
/// files `doctor` reads, and its fix names the elvish line.
#[test]
fn doctor_finds_the_init_line_in_elvish_rc_files() {
    let sb = Sandbox::new();
    let out = sb
        .cmd(["doctor", "--json"])
        .env("SSOENV_SHELL", "elvish")
        .output()
        .unwrap();
    let (status, _, fix) = json_check(&stdout(&out), "rc file");
    assert_eq!(status, "warn");
    assert_eq!(
        fix.as_deref(),
        Some("add `eval (ssoenv init elvish | slurp)` to ~/.config/elvish/rc.elv")
    );
    for rc in [".config/elvish/rc.elv", ".elvish/rc.elv"] {
        let path = sb.home.join(rc);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "use str\neval (ssoenv init elvish | slurp)\n").unwrap();
        let out = sb.run(["doctor", "--json"]);
        let (status, detail, _) = json_check(&stdout(&out), "rc file");
        assert_eq!(status, "ok", "{rc}");
        assert!(detail.contains("rc.elv:2"), "{rc}: {detail}");
        std::fs::remove_file(&path).unwrap();
    }
}
