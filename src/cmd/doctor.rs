//! `ssoenv doctor [PROFILE] [--network] [--json]`: one screen that answers
//! "why doesn't it work". One line per check, `ok`, `warn` or `fail`, with
//! the detail and, for a problem, its fix. Reads the config, the caches, the
//! startup files and PATH; only `--network` talks to the endpoints (a plain
//! GET each: any HTTP answer counts as reachable, and the `Date` header gives
//! the clock skew). Nothing secret is shown: cache contents are reduced to
//! states and times, and a proxy URL loses its `user:password@`.
//!
//! Exit code: 0 when no check fails, 1 when one does (`warn` alone is 0).
//!
//! `--json`: `{"version", "checks": [{"check", "status": "ok"|"warn"|"fail",
//! "detail", "fix": string|null}], "problems": N}`.

use crate::aws::{endpoint, http};
use crate::cli::DoctorArgs;
use crate::config::{Config, ResolvedProfile};
use crate::credentials::Plan;
use crate::env::{self, Env};
use crate::error::Result;
use crate::shell::{Dirs, Shell};
use crate::text::printable;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;
use time::OffsetDateTime;

/// The most of a startup file read while looking for the init line.
const RC_FILE_LIMIT: u64 = 1 << 20;
/// Each `--network` probe gives up after this long (or SSOENV_HTTP_TIMEOUT, if shorter).
const PROBE_DEADLINE: Duration = Duration::from_secs(5);
/// A clock further off than this from the server's breaks signed requests and token expiry.
const MAX_SKEW_SECS: i64 = 300;

#[derive(Debug, Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    Ok,
    Warn,
    Fail,
}

impl Status {
    fn label(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct Check {
    pub(crate) check: &'static str,
    pub(crate) status: Status,
    pub(crate) detail: String,
    pub(crate) fix: Option<String>,
}

#[derive(Debug, Serialize)]
struct Report<'a> {
    version: &'static str,
    checks: &'a [Check],
    problems: usize,
}

fn check(check: &'static str, status: Status, detail: impl Into<String>) -> Check {
    Check {
        check,
        status,
        detail: detail.into(),
        fix: None,
    }
}

impl Check {
    fn fix(mut self, fix: impl Into<String>) -> Check {
        self.fix = Some(fix.into());
        self
    }
}

pub(crate) fn run(args: DoctorArgs, env: &Env) -> Result<i32> {
    let checks = collect(&args, env, OffsetDateTime::now_utc());
    let problems = checks.iter().filter(|c| c.status == Status::Fail).count();
    let out = if args.json {
        let mut s = crate::text::json_for_terminal(
            serde_json::to_string_pretty(&Report {
                version: crate::cli::VERSION,
                checks: &checks,
                problems,
            })
            .expect("plain data serializes"),
        );
        s.push('\n');
        s
    } else {
        render(&checks, problems)
    };
    crate::output::emit(&out)?;
    Ok(if problems > 0 { 1 } else { 0 })
}

fn render(checks: &[Check], problems: usize) -> String {
    let mut out = String::new();
    for c in checks {
        out.push_str(&format!(
            "{:<4}  {:<12}  {}\n",
            c.status.label(),
            c.check,
            printable(&c.detail)
        ));
        if let Some(fix) = &c.fix {
            out.push_str(&format!("      {:<12}  fix: {}\n", "", printable(fix)));
        }
    }
    out.push_str(&match problems {
        0 => "no problems found\n".to_owned(),
        1 => "1 problem found\n".to_owned(),
        n => format!("{n} problems found\n"),
    });
    out
}

pub(crate) fn collect(args: &DoctorArgs, env: &Env, now: OffsetDateTime) -> Vec<Check> {
    let mut checks = Vec::new();
    let home = env.home();
    let profile = config_checks(args, env, now, home.as_deref(), &mut checks);
    checks.push(endpoint_check(env, profile.as_ref()));
    let shell = shell_of(env);
    checks.push(integration(env));
    let rc = match &home {
        Some(home) => rc_check(home, env, shell),
        None => check("rc file", Status::Warn, "HOME is not set").fix("set HOME"),
    };
    let init_found = rc.status == Status::Ok;
    checks.push(rc);
    checks.push(completions(home.as_deref(), env, shell, init_found));
    if let Some(home) = &home
        && (shell == Shell::Zsh || zsh_has_init_line(home, env))
        && let Some(c) = zsh_compinit(home, env)
    {
        checks.push(c);
    }
    checks.push(path_check(env));
    if let Some(c) = browser_check(env) {
        checks.push(c);
    }
    checks.extend(proxy_checks(env));
    if args.network {
        match &profile {
            Some(p) => checks.extend(network(p, env, now)),
            None => checks.push(
                check(
                    "network",
                    Status::Warn,
                    "no SSO profile to take the endpoints from",
                )
                .fix("run `ssoenv doctor PROFILE --network`"),
            ),
        }
    }
    // A check that is ok needs no fix: what it suggests becomes part of its detail.
    for c in &mut checks {
        if c.status == Status::Ok
            && let Some(fix) = c.fix.take()
        {
            c.detail = format!("{} ({fix})", c.detail);
        }
    }
    checks
}

/// Whether a zsh startup file runs `ssoenv init` (the zsh integration is set up, whatever $SHELL says).
fn zsh_has_init_line(home: &Path, env: &Env) -> bool {
    zsh_user_files(home, env).iter().any(|p| {
        crate::fs::read_bounded(p, RC_FILE_LIMIT)
            .is_ok_and(|b| init_line_in(&String::from_utf8_lossy(&b)).is_some())
    })
}

/// zsh's own startup files: `$ZDOTDIR` (else HOME) `.zshenv`, `.zprofile`, `.zshrc`, `.zlogin`.
fn zsh_user_files(home: &Path, env: &Env) -> Vec<PathBuf> {
    let dir = env
        .non_empty("ZDOTDIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.to_owned());
    [".zshenv", ".zprofile", ".zshrc", ".zlogin"]
        .iter()
        .map(|f| dir.join(f))
        .collect()
}

/// The system-wide zsh startup files (Debian's /etc/zsh, and /etc elsewhere).
const ZSH_SYSTEM_FILES: &[&str] = &[
    "/etc/zsh/zshenv",
    "/etc/zsh/zprofile",
    "/etc/zsh/zshrc",
    "/etc/zsh/zlogin",
    "/etc/zshenv",
    "/etc/zprofile",
    "/etc/zshrc",
    "/etc/zlogin",
];

/// Whether a line of `text` (comments skipped) runs `compinit`, or loads a
/// framework that does (oh-my-zsh, prezto, zim, zinit, antidote, antigen).
fn runs_compinit(text: &str) -> bool {
    const FRAMEWORKS: &[&str] = &[
        "oh-my-zsh.sh",
        "zprezto",
        "zimfw",
        "zinit",
        "antidote",
        "antigen",
        "zgenom",
    ];
    text.lines().map(str::trim_start).any(|l| {
        !l.starts_with('#')
            && (l
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .any(|w| w == "compinit")
                || FRAMEWORKS.iter().any(|f| l.contains(f)))
    })
}

/// zsh completion (`ssoenv init zsh` registers with `compdef`) needs the
/// completion system, which only `compinit` loads: a warning when no
/// startup file runs it. Debian's /etc/zsh/zshrc runs it on Ubuntu alone.
fn zsh_compinit(home: &Path, env: &Env) -> Option<Check> {
    let read = |p: &Path| {
        crate::fs::read_bounded(p, RC_FILE_LIMIT)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    };
    let user = zsh_user_files(home, env);
    if user
        .iter()
        .filter_map(|p| read(p))
        .any(|t| runs_compinit(&t))
    {
        return None;
    }
    let ubuntu = read(Path::new("/etc/os-release")).is_some_and(|t| {
        t.lines()
            .any(|l| l.starts_with("ID=ubuntu") || l.starts_with("ID=\"ubuntu\""))
    });
    if ZSH_SYSTEM_FILES
        .iter()
        .filter_map(|p| read(Path::new(p)))
        .any(|t| runs_compinit(&t) && (ubuntu || !t.contains("ubuntu")))
    {
        return None;
    }
    Some(
        check(
            "zsh compinit",
            Status::Warn,
            format!(
                "no zsh startup file runs compinit ({} nor the system's): zsh completion cannot work",
                shown(home, &user[2])
            ),
        )
        .fix("add `autoload -Uz compinit && compinit` to ~/.zshrc"),
    )
}

/// `BROWSER`, when set: the commands in it that cannot open a page (not
/// found, or `false`/`true`, which exit at once) are named; a warning when
/// none of them can. Nothing is run.
fn browser_check(env: &Env) -> Option<Check> {
    let value = env.non_empty("BROWSER")?;
    let mut problems = Vec::new();
    let mut usable = None;
    for candidate in value.split(':').filter(|c| !c.trim().is_empty()) {
        let program = shell_words::split(candidate)
            .ok()
            .and_then(|w| w.into_iter().next());
        let Some(program) = program else {
            problems.push(format!("{candidate:?} is not a command"));
            continue;
        };
        match find_program(env, &program) {
            None => problems.push(format!("{program} is not found")),
            Some(path) => {
                let base = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if matches!(base, "false" | "true") {
                    problems.push(format!("{program} opens nothing"));
                } else if usable.is_none() {
                    usable = Some(path);
                }
            }
        }
    }
    let shown = printable(value);
    Some(match usable {
        Some(path) => check(
            "browser",
            Status::Ok,
            format!("BROWSER={shown:?} runs {}", path.display()),
        ),
        None => check(
            "browser",
            Status::Warn,
            format!(
                "BROWSER={shown:?} cannot open a page: {}",
                problems.join(", ")
            ),
        )
        .fix("set BROWSER to a browser command (e.g. `firefox`), or unset it"),
    })
}

/// `program` as the system would run it: a path as it is, else the first in PATH.
fn find_program(env: &Env, program: &str) -> Option<PathBuf> {
    let runnable = |p: &Path| {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        }
        #[cfg(not(unix))]
        p.is_file()
    };
    if program.contains('/') {
        let p = PathBuf::from(program);
        return runnable(&p).then_some(p);
    }
    std::env::split_paths(env.get(env::PATH).unwrap_or_default())
        .map(|d| d.join(program))
        .find(|p| runnable(p))
}

/// The config file, the profile, its session's token and its role credentials.
fn config_checks(
    args: &DoctorArgs,
    env: &Env,
    now: OffsetDateTime,
    home: Option<&Path>,
    checks: &mut Vec<Check>,
) -> Option<ResolvedProfile> {
    let path = match Config::path(env) {
        Ok(p) => p.display().to_string(),
        Err(e) => {
            checks.push(
                check("config", Status::Fail, e.message.clone())
                    .fix(e.hint.clone().unwrap_or_else(|| "set HOME".into())),
            );
            return None;
        }
    };
    let config = match Config::load(env) {
        Ok(c) => {
            checks.push(check(
                "config",
                Status::Ok,
                format!("{path} parses ({} profiles)", c.profile_names().len()),
            ));
            c
        }
        Err(e) => {
            let fix = e
                .hint
                .clone()
                .unwrap_or_else(|| format!("correct {path} at the line named"));
            checks.push(check("config", Status::Fail, e.message.clone()).fix(fix));
            return None;
        }
    };
    let (name, from) = match (&args.profile, env.non_empty(env::AWS_PROFILE)) {
        (Some(p), _) => (p.clone(), "given"),
        (None, Some(p)) => (p.to_owned(), "AWS_PROFILE"),
        (None, None) => match env.non_empty(env::SSOENV_PROFILE) {
            Some(p) => (p.to_owned(), "SSOENV_PROFILE"),
            None => {
                checks.push(check(
                    "profile",
                    Status::Ok,
                    "none given and AWS_PROFILE is not set (`ssoenv doctor PROFILE` checks one)",
                ));
                return None;
            }
        },
    };
    let resolved = Plan::resolve(&config, &name);
    if resolved.is_ok()
        && let Ok(me) = std::env::current_exe()
    {
        // The line to give any SDK this profile's credentials (quoted for
        // botocore's split and for the `sh -c` of the JS and Rust SDKs).
        checks.push(check(
            "sdk",
            Status::Ok,
            format!(
                "for other tools: credential_process = {}",
                crate::text::printable(&super::credential_process::config_line(
                    &me.to_string_lossy(),
                    &name
                ))
            ),
        ));
    }
    let plan = match resolved {
        Ok(plan) => plan,
        Err(e) => {
            let fix = e
                .hint
                .clone()
                .unwrap_or_else(|| "run `ssoenv profiles` for the profiles ssoenv can use".into());
            checks.push(check("profile", Status::Fail, e.message.clone()).fix(fix));
            return None;
        }
    };
    checks.extend(plan.diagnose(from, home, now).into_iter().map(|f| {
        let c = check(
            f.check,
            if f.ok { Status::Ok } else { Status::Fail },
            f.detail,
        );
        match f.fix {
            Some(fix) => c.fix(fix),
            None => c,
        }
    }));
    plan.login_session().cloned()
}

/// The user's shell: SSOENV_SHELL, else the name of $SHELL, else bash.
fn shell_of(env: &Env) -> Shell {
    env.non_empty(env::SSOENV_SHELL)
        .and_then(Shell::from_name)
        .or_else(|| {
            env.non_empty(env::SHELL)
                .and_then(|s| s.rsplit('/').next())
                .and_then(Shell::from_name)
        })
        .unwrap_or(Shell::Bash)
}

/// Whether the shell that ran us has the integration. Its functions are not
/// visible to a child process; the `ssoenv` function marks the binary it
/// runs with SSOENV_INIT when the init script sets it.
fn integration(env: &Env) -> Check {
    match env.non_empty(env::SSOENV_INIT) {
        Some(shell) => check(
            "integration",
            Status::Ok,
            format!("loaded in this shell ({shell}; run through the `ssoenv` function)"),
        ),
        None => check(
            "integration",
            Status::Warn,
            "unknown from a child process (shell functions are not inherited)",
        )
        .fix("in your shell, `type ssoenv` says whether `ssoenv` is the function `ssoenv init` defines"),
    }
}

/// The startup files of every shell (`src/shell/`), as (shown path, path).
fn rc_files(home: &Path, env: &Env) -> Vec<(String, PathBuf)> {
    Shell::all_startup_files(&Dirs::new(home, env))
        .into_iter()
        .map(|p| (shown(home, &p), p))
        .collect()
}

/// `~/x` for a file under HOME, as the README names startup files.
fn shown(home: &Path, path: &Path) -> String {
    match path.strip_prefix(home) {
        Ok(rest) if !rest.as_os_str().is_empty() => format!("~/{}", rest.display()),
        _ => path.display().to_string(),
    }
}

/// The first line of `text` that runs `ssoenv init` (comments skipped).
fn init_line_in(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            !l.starts_with('#') && l.contains("ssoenv init")
        })
        .map(|i| i + 1)
}

fn rc_check(home: &Path, env: &Env, shell: Shell) -> Check {
    let mut found = Vec::new();
    for (shown, path) in rc_files(home, env) {
        let Ok(bytes) = crate::fs::read_bounded(&path, RC_FILE_LIMIT) else {
            continue;
        };
        if let Some(line) = init_line_in(&String::from_utf8_lossy(&bytes)) {
            found.push(format!("{shown}:{line}"));
        }
    }
    if found.is_empty() {
        check(
            "rc file",
            Status::Warn,
            "no startup file runs `ssoenv init` (the shell integration is not set up)",
        )
        .fix(format!(
            "add `{}` to {}",
            shell.init_line(),
            shell.rc_file()
        ))
    } else {
        check(
            "rc file",
            Status::Ok,
            format!("init line in {}", found.join(", ")),
        )
    }
}

fn completions(home: Option<&Path>, env: &Env, shell: Shell, init_found: bool) -> Check {
    if init_found {
        return check(
            "completions",
            Status::Ok,
            "provided by `ssoenv init` in the startup file",
        );
    }
    let found: Vec<String> = home
        .map(|h| (shell.entry().completion_paths)(&Dirs::new(h, env)))
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    if found.is_empty() {
        let fix = shell.entry().completion_install;
        check(
            "completions",
            Status::Warn,
            format!("no {} completions installed", shell.name()),
        )
        .fix(format!("add the init line, or run {fix}"))
    } else {
        check(
            "completions",
            Status::Ok,
            format!("installed: {}", found.join(", ")),
        )
    }
}

/// Whether `ssoenv` in PATH is this binary, or another one shadows it.
fn path_check(env: &Env) -> Check {
    let me = std::env::current_exe()
        .ok()
        .and_then(|p| p.canonicalize().ok());
    let name = if cfg!(windows) {
        "ssoenv.exe"
    } else {
        "ssoenv"
    };
    let mut found = Vec::new();
    for dir in std::env::split_paths(env.get(env::PATH).unwrap_or_default()) {
        let cand = dir.join(name);
        if cand.is_file() {
            let canon = cand.canonicalize().unwrap_or_else(|_| cand.clone());
            if !found.iter().any(|(_, c)| c == &canon) {
                found.push((cand, canon));
            }
        }
    }
    let me_shown = me
        .as_ref()
        .map(|p| crate::fs::shown(p))
        .unwrap_or_else(|| "this binary".into());
    match found.first() {
        None => check(
            "PATH",
            Status::Warn,
            format!("no `ssoenv` in PATH (this one is {me_shown})"),
        )
        .fix("add the directory of ssoenv to PATH"),
        Some((_, canon)) if Some(canon) == me.as_ref() => {
            let others: Vec<String> = found[1..]
                .iter()
                .map(|(p, _)| crate::fs::shown(p))
                .collect();
            let detail = if others.is_empty() {
                format!("`ssoenv` is {me_shown}")
            } else {
                format!(
                    "`ssoenv` is {me_shown} (also later in PATH: {})",
                    others.join(", ")
                )
            };
            check("PATH", Status::Ok, detail)
        }
        Some((first, _)) => check(
            "PATH",
            Status::Fail,
            format!(
                "another ssoenv shadows this one: `ssoenv` runs {}, not {me_shown}",
                crate::fs::shown(first)
            ),
        )
        .fix(format!(
            "remove {} or put the directory of {me_shown} before it in PATH",
            crate::fs::shown(first)
        )),
    }
}

/// A proxy URL without its `user:password@`: everything between `://` (or
/// the start, with no scheme) and the last `@` is hidden. A password may hold
/// `/`, `?`, `#` or `@` unescaped (curl and ureq take such URLs), so the
/// authority cannot be cut at the first of those: hiding up to the last `@`
/// of the whole value may hide a little more than the credentials, never less.
pub(crate) fn redact_userinfo(url: &str) -> String {
    let (scheme, rest) = match url.find("://") {
        Some(i) => url.split_at(i + 3),
        None => ("", url),
    };
    match rest.rfind('@') {
        Some(at) => format!("{scheme}***@{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

fn proxy_checks(env: &Env) -> Vec<Check> {
    let mut checks = Vec::new();
    let set: Vec<String> = env::PROXY_VARS
        .iter()
        .filter_map(|k| {
            env.non_empty(k)
                .map(|v| format!("{k}={}", redact_userinfo(v)))
        })
        .collect();
    checks.push(check(
        "proxy",
        Status::Ok,
        if set.is_empty() {
            "no proxy set (direct connections)".to_owned()
        } else {
            set.join(" ")
        },
    ));
    checks.push(match env.non_empty(env::AWS_CA_BUNDLE) {
        None => check(
            "CA bundle",
            Status::Ok,
            "system trust roots (AWS_CA_BUNDLE not set)",
        ),
        Some(p) => {
            let path = Path::new(p);
            if path.is_file() {
                check("CA bundle", Status::Ok, format!("AWS_CA_BUNDLE={p}"))
            } else {
                check(
                    "CA bundle",
                    Status::Fail,
                    format!("AWS_CA_BUNDLE={p} is not a readable file"),
                )
                .fix("point AWS_CA_BUNDLE at a PEM file, or unset it")
            }
        }
    });
    checks
}

/// Every endpoint override in force (docs/endpoints.md#overrides): the
/// `AWS_ENDPOINT_URL*` variables, then the profile's `services` section and
/// `endpoint_url`; failing when the SSO session's endpoints cannot be used.
fn endpoint_check(env: &Env, profile: Option<&ResolvedProfile>) -> Check {
    let printable = crate::text::printable;
    let mut found: Vec<String> = env
        .with_prefix(env::AWS_ENDPOINT_URL)
        .into_iter()
        .map(|(k, v)| format!("{}={}", printable(k), redact_userinfo(&printable(v))))
        .collect();
    if let Some(p) = profile {
        let e = &p.endpoints;
        for (service, url) in [
            ("sso_oidc", &e.sso_oidc),
            ("sso", &e.sso),
            ("sts", &e.sts),
            ("signin", &e.signin),
        ] {
            if let Some(url) = url {
                found.push(format!(
                    "[services] {service} endpoint_url = {}",
                    redact_userinfo(&printable(url))
                ));
            }
        }
        if let Some(url) = &e.global {
            found.push(format!(
                "profile {} endpoint_url = {}",
                printable(&p.name),
                redact_userinfo(&printable(url))
            ));
        }
    }
    let ignored = env.flag(env::AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)
        || profile.is_some_and(|p| p.endpoints.ignore);
    let detail = match (found.is_empty(), ignored) {
        (true, _) => "no overrides: AWS's own endpoints".to_owned(),
        (false, false) => found.join("; "),
        (false, true) => format!(
            "ignored (ignore_configured_endpoint_urls): {}",
            found.join("; ")
        ),
    };
    if let Some(p) = profile
        && let Err(e) = endpoint::resolve_for(&p.sso, &p.endpoints, env)
    {
        let fix = e.hint.clone().unwrap_or_else(|| "check sso_region".into());
        return check(
            "endpoints",
            Status::Fail,
            format!("{detail}; {}", e.message),
        )
        .fix(fix);
    }
    check("endpoints", Status::Ok, detail)
}

/// `--network`: whether the OIDC and portal endpoints answer, and the clock skew.
fn network(p: &ResolvedProfile, env: &Env, now: OffsetDateTime) -> Vec<Check> {
    let endpoints = match endpoint::resolve(&p.sso.region, &p.endpoints, env) {
        Ok(e) => e,
        Err(e) => {
            let fix = e.hint.clone().unwrap_or_else(|| "check sso_region".into());
            return vec![check("network", Status::Fail, e.message.clone()).fix(fix)];
        }
    };
    let client = match http::Http::new(env) {
        Ok(c) => c,
        Err(e) => {
            let fix = e
                .hint
                .clone()
                .unwrap_or_else(|| "check AWS_CA_BUNDLE".into());
            return vec![check("network", Status::Fail, e.message.clone()).fix(fix)];
        }
    };
    let budget = http::deadline_from_env(env)
        .unwrap_or(PROBE_DEADLINE)
        .min(PROBE_DEADLINE);
    let mut checks = Vec::new();
    let mut date = None;
    for (what, url) in [("oidc", &endpoints.oidc), ("portal", &endpoints.portal)] {
        match client.probe(url, budget) {
            Ok((status, d)) => {
                date = date.or(d);
                checks.push(check(
                    what,
                    Status::Ok,
                    format!("{url} reachable (HTTP {status})"),
                ));
            }
            Err(e) => checks.push(
                check(what, Status::Fail, format!("{url} unreachable: {e}"))
                    .fix("check the network, HTTPS_PROXY/NO_PROXY and AWS_CA_BUNDLE"),
            ),
        }
    }
    if let Some(server) = date.as_deref().and_then(parse_http_date) {
        let skew = (now - server).whole_seconds();
        let detail = format!("{skew:+}s from the server's Date header");
        checks.push(if skew.abs() > MAX_SKEW_SECS {
            check("clock", Status::Fail, detail)
                .fix("synchronise the system clock (NTP); tokens and credentials expire by it")
        } else {
            check("clock", Status::Ok, detail)
        });
    }
    checks
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub(crate) fn parse_http_date(s: &str) -> Option<OffsetDateTime> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [_, day, mon, year, hms, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = MONTHS.iter().position(|m| m == mon)? as u8 + 1;
    let mut t = hms.split(':').map(|x| x.parse::<u8>().ok());
    let (h, mi, se) = (t.next()??, t.next()??, t.next()??);
    let date = time::Date::from_calendar_date(
        year.parse().ok()?,
        time::Month::try_from(m).ok()?,
        day.parse().ok()?,
    )
    .ok()?;
    Some(date.with_hms(h, mi, se).ok()?.assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_userinfo() {
        assert_eq!(
            redact_userinfo("http://user:pa55@proxy:3128/"),
            "http://***@proxy:3128/"
        );
        assert_eq!(redact_userinfo("u:p@proxy:3128"), "***@proxy:3128");
        assert_eq!(redact_userinfo("http://proxy:3128"), "http://proxy:3128");
    }

    #[test]
    fn redacts_passwords_holding_url_delimiters() {
        for (url, shown) in [
            ("http://u:pa#ss@proxy:3128", "http://***@proxy:3128"),
            ("http://u:pa?ss@proxy:3128/", "http://***@proxy:3128/"),
            ("http://u:pa/ss@proxy:3128", "http://***@proxy:3128"),
            (
                "http://u:p@ss/w?o#rd@proxy:3128/x",
                "http://***@proxy:3128/x",
            ),
            ("u:p/w#d@proxy:3128", "***@proxy:3128"),
            ("socks5h://u:p/q@[::1]:1080", "socks5h://***@[::1]:1080"),
        ] {
            assert_eq!(redact_userinfo(url), shown, "{url}");
        }
    }

    #[test]
    fn parses_http_dates() {
        let t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(t.unix_timestamp(), 784111777);
        assert!(parse_http_date("yesterday").is_none());
    }

    #[test]
    fn finds_the_init_line() {
        assert_eq!(
            init_line_in("# eval \"$(ssoenv init bash)\"\nx\neval \"$(ssoenv init bash)\"\n"),
            Some(3)
        );
        assert_eq!(init_line_in("ssoenv use prod\n"), None);
    }
}
