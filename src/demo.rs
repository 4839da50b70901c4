//! `ssoenv demo`: the whole path with no AWS account. It starts the emulator
//! in-process on 127.0.0.1, writes a config into a temporary HOME, logs in
//! through the device-code flow (the emulator approves it as if you had
//! clicked Allow), shows `use` with secrets masked, runs `exec`, and ends
//! with the line to put in your shell's startup file.

use crate::aws::credentials::Credentials;
use crate::config::Config;
use crate::credentials::{self, Plan};
use crate::env::{self, Env};
use crate::error::{Error, Result};
use crate::fs::create_private_dir;
use crate::login::{Ctx, Interaction, LoginOptions};
use crate::shell::Shell;
use ssoenv_emulator::{Emulator, EmulatorConfig};
use std::path::{Path, PathBuf};
use std::time::Instant;

const CONFIG: &str = "\
[sso-session demo]
sso_start_url = https://d-0000000000.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile demo-dev]
sso_session = demo
sso_account_id = 111111111111
sso_role_name = AdministratorAccess
region = eu-west-1

[profile demo-prod]
sso_session = demo
sso_account_id = 333333333333
sso_role_name = ReadOnly
region = us-east-1

[profile demo-deploy]
role_arn = arn:aws:iam::444455556666:role/Deploy
source_profile = demo-dev
";

struct TempHome(PathBuf);

/// The demo's HOME: a new directory `ssoenv-demo-<random>` in `tmp`, mode
/// 0700, never one that exists ([`crate::fs::private_dir`]): another user of a
/// shared temporary directory can neither predict the name nor hand the demo
/// a directory (or symlink) of theirs.
fn private_home(tmp: &Path) -> Result<PathBuf> {
    crate::fs::private_dir(tmp, "ssoenv-demo-").map_err(|e| {
        Error::runtime(format!(
            "demo: could not create a private temporary directory in {}",
            tmp.display()
        ))
        .cause(e)
        .hint("set TMPDIR to a directory you can write to, then run `ssoenv demo` again")
    })
}

/// Write a new file of the demo, mode 0600: fails when anything has that
/// name already (O_CREAT|O_EXCL: a symlink there is not followed).
fn write_new(path: &Path, contents: &str) -> std::io::Result<()> {
    crate::fs::write_new(path, contents.as_bytes())
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One line of the narration, on stdout.
fn say(line: &str) -> Result<()> {
    crate::output::emit(&format!("{line}\n"))
}

fn step(n: u32, title: &str, bold: bool) -> Result<()> {
    if bold {
        say(&format!("\n\x1b[1m{n}. {title}\x1b[0m"))
    } else {
        say(&format!("\n{n}. {title}"))
    }
}

pub(crate) fn run(outer: &Env) -> Result<i32> {
    let (home, emu) = set_up()?;
    let dir = home.0.clone();
    let bold =
        std::io::IsTerminal::is_terminal(&std::io::stdout()) && outer.get(env::NO_COLOR).is_none();
    show_the_setting(&dir, &emu, bold)?;
    let child_env = child_env(outer, &dir, &emu);
    let mut e = Env::from_pairs(child_env.clone());
    e.set(env::SSOENV_INTERACTIVE, "1");
    let config = Config::load(&e)?;
    let dev = Plan::resolve(&config, "demo-dev")?;
    let ctx = Ctx::new(&e)?;
    let creds = log_in(&ctx, &dev, &dir, bold)?;
    use_from_the_cache(&ctx, &dev, &creds, bold)?;
    let exe = std::env::current_exe().map_err(|e| fail("find the ssoenv binary", e))?;
    let exec_ok = exec_another_role(&exe, &child_env, bold)?;
    chain_a_role(&ctx, &config, &dir, bold)?;
    let console_ok = console_url(&exe, &child_env, bold)?;
    use_it_for_real(&emu, bold)?;
    drop(emu);
    drop(home);
    Ok(if exec_ok && console_ok { 0 } else { 1 })
}

fn fail(what: &str, e: std::io::Error) -> Error {
    Error::runtime(format!("demo: could not {what}")).cause(e)
}

/// The private HOME with the demo's config, and the emulator.
fn set_up() -> Result<(TempHome, Emulator)> {
    let dir = private_home(&std::env::temp_dir())?;
    let home = TempHome(dir.clone());
    create_private_dir(&dir.join(".aws")).map_err(|e| fail("create the demo's ~/.aws", e))?;
    let config_path = dir.join(".aws").join("config");
    write_new(&config_path, CONFIG).map_err(|e| fail("write the demo config", e))?;

    let emu = Emulator::start(EmulatorConfig {
        interval: 1,
        approve_after_polls: 1,
        ..EmulatorConfig::default()
    })
    .map_err(|e| fail("start the emulator on 127.0.0.1", e))?;
    Ok((home, emu))
}

/// Steps 1 and 2: the emulator and the config.
fn show_the_setting(dir: &Path, emu: &Emulator, bold: bool) -> Result<()> {
    say("ssoenv demo: the whole flow against a local IAM Identity Center emulator.")?;
    say(&format!(
        "Nothing here touches AWS or your own ~/.aws; everything lives in {}",
        dir.display()
    ))?;

    step(
        1,
        "An emulator of IAM Identity Center (SSO-OIDC, SSO portal, STS, sign-in) listens on loopback",
        bold,
    )?;
    say(&format!(
        "   {}  (run your own with `ssoenv emulator`)",
        emu.url()
    ))?;

    step(
        2,
        "A config like `aws configure sso` writes, in a temporary HOME",
        bold,
    )?;
    for line in CONFIG.lines() {
        say(&format!("   {line}"))?;
    }
    Ok(())
}

/// The environment of the `ssoenv` children below (no login of their own:
/// the demo's logs in first); the demo's own calls may log in. What Windows needs to start
/// a program at all passes through where set (without `SystemRoot` a Windows process cannot
/// open a socket; `cmd` is found through `ComSpec` and `PATHEXT`): never set on Unix.
fn child_env(outer: &Env, dir: &Path, emu: &Emulator) -> Vec<(&'static str, String)> {
    let mut vars = vec![
        (env::HOME, dir.to_string_lossy().into_owned()),
        (env::AWS_ENDPOINT_URL_SSO_OIDC, emu.url()),
        (env::AWS_ENDPOINT_URL_SSO, emu.url()),
        (env::AWS_ENDPOINT_URL_STS, emu.url()),
        (env::AWS_ENDPOINT_URL_SIGNIN, emu.url()),
        (env::SSOENV_INTERACTIVE, "0".to_owned()),
        (
            "PATH",
            outer.get("PATH").unwrap_or("/usr/bin:/bin").to_owned(),
        ),
    ];
    for name in ["SystemRoot", "ComSpec", "PATHEXT"] {
        if let Some(v) = outer.non_empty(name) {
            vars.push((name, v.to_owned()));
        }
    }
    vars
}

/// Step 3: the device-code login, and the cache files it left.
fn log_in(ctx: &Ctx, dev: &Plan, dir: &Path, bold: bool) -> Result<Credentials> {
    step(
        3,
        "Login: the device-code flow, as `aws sso login` does it (messages go to stderr)",
        bold,
    )?;
    say("   The emulator approves the request as if you had clicked Allow in the browser.\n")?;
    let started = Instant::now();
    let creds = plan_credentials(ctx, dev)?;
    say(&format!(
        "   Logged in and got role credentials in {:.1} s.",
        started.elapsed().as_secs_f64()
    ))?;
    say("   The token is cached where the AWS CLI keeps it, so `aws` and boto3 share it:")?;
    for d in [
        crate::cache::sso_cache_dir(dir),
        crate::cache::cli_cache_dir(dir),
    ] {
        let mut names: Vec<String> = std::fs::read_dir(&d)
            .map(|rd| {
                rd.filter_map(|x| x.ok())
                    .map(|x| x.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        for n in names {
            say(&format!(
                "     {}",
                d.strip_prefix(dir).unwrap_or(&d).join(n).display()
            ))?;
        }
    }
    Ok(creds)
}

/// A plan's credentials as the demo gets them (a device-code login where one
/// is needed): demo-dev's twice, first a login, then served from the cache;
/// demo-deploy's through STS.
fn plan_credentials(ctx: &Ctx, plan: &Plan) -> Result<Credentials> {
    plan.credentials(
        ctx,
        LoginOptions {
            no_browser: true,
            force: false,
            interaction: Interaction::Allowed,
            // The demo shows the device code, whatever SSOENV_LOGIN_FLOW says.
            flow: Some(crate::login::Flow::Device),
        },
    )
}

/// Step 4: `ssoenv use`, served from the cache.
fn use_from_the_cache(ctx: &Ctx, dev: &Plan, creds: &Credentials, bold: bool) -> Result<()> {
    step(
        4,
        "`eval \"$(ssoenv use demo-dev)\"` evaluates this (secrets masked here)",
        bold,
    )?;
    let started = Instant::now();
    let again = plan_credentials(ctx, dev)?;
    let took = started.elapsed();
    let changes = credentials::env::session_changes(dev.name(), &again, dev.region(), false, true);
    let masked: Vec<_> = changes
        .into_iter()
        .map(|(k, v)| {
            let v = v.map(|v| {
                if credentials::env::is_secret(&k) {
                    mask(&v)
                } else {
                    v
                }
            });
            (k, v)
        })
        .collect();
    for line in Shell::Bash.render(&masked)?.lines() {
        say(&format!("   {line}"))?;
    }
    say(&format!(
        "   The second time the credentials came from the cache in {:.2} ms, no network.",
        took.as_secs_f64() * 1000.0
    ))?;
    debug_assert_eq!(creds.access_key_id, again.access_key_id);
    Ok(())
}

/// Step 5: `ssoenv exec` with another role; whether it succeeded.
fn exec_another_role(exe: &Path, child_env: &[(&str, String)], bold: bool) -> Result<bool> {
    step(
        5,
        "`ssoenv exec demo-prod -- CMD` runs one command with another role",
        bold,
    )?;
    let mut cmd = std::process::Command::new(exe);
    cmd.args(["exec", "demo-prod", "--"])
        .env_clear()
        .envs(child_env.iter().map(|(k, v)| (k, v)));
    let (program, args) = echo_in_the_child(cfg!(windows));
    cmd.arg(program);
    for a in args {
        push_verbatim(&mut cmd, a);
    }
    let status = cmd.status().map_err(|e| fail("run `ssoenv exec`", e))?;
    say(&format!(
        "   (same SSO session, so no second login; exit status {})",
        status.code().unwrap_or(-1)
    ))?;
    Ok(status.success())
}

/// The child of step 5, which prints the variables `exec` gave it: `sh -c` on Unix; on
/// Windows, which has no `sh`, `cmd /d /c` (`/d`: no AutoRun commands from the registry).
fn echo_in_the_child(windows: bool) -> (&'static str, &'static [&'static str]) {
    if windows {
        (
            "cmd",
            &[
                "/d",
                "/c",
                "echo    in the child: AWS_PROFILE=%AWS_PROFILE% AWS_REGION=%AWS_REGION% AWS_ACCESS_KEY_ID=%AWS_ACCESS_KEY_ID%",
            ],
        )
    } else {
        (
            "sh",
            &[
                "-c",
                "echo \"   in the child: AWS_PROFILE=$AWS_PROFILE AWS_REGION=$AWS_REGION AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID\"",
            ],
        )
    }
}

/// One argument as written. On Windows `cmd /c` takes the rest of its command line as is: the
/// quotes Rust would add around an argument with spaces would be echoed.
fn push_verbatim(cmd: &mut std::process::Command, arg: &str) {
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        cmd.raw_arg(arg);
    }
    #[cfg(not(windows))]
    cmd.arg(arg);
}

/// Step 6: role chaining through STS, cached as the AWS CLI caches it.
fn chain_a_role(ctx: &Ctx, config: &Config, dir: &Path, bold: bool) -> Result<()> {
    step(
        6,
        "Role chaining: demo-deploy assumes a role in another account with demo-dev's credentials",
        bold,
    )?;
    let deploy = Plan::resolve(config, "demo-deploy")?;
    let chained = plan_credentials(ctx, &deploy)?;
    say(&format!(
        "   STS AssumeRole, signed with SigV4: AWS_ACCESS_KEY_ID={} until {}",
        chained.access_key_id,
        crate::cache::format_timestamp(chained.expiration)
    ))?;
    say("   cached as the AWS CLI caches it, so `aws --profile demo-deploy` reuses it:")?;
    if let Some(path) = deploy.cache_path(dir) {
        say(&format!(
            "     {}",
            path.strip_prefix(dir).unwrap_or(&path).display()
        ))?;
    }
    Ok(())
}

/// Step 7: `ssoenv console --print`, the URL masked; whether it succeeded.
fn console_url(exe: &Path, child_env: &[(&str, String)], bold: bool) -> Result<bool> {
    step(
        7,
        "`ssoenv console demo-dev` opens the AWS console signed in as the role",
        bold,
    )?;
    let out = std::process::Command::new(exe)
        .args(["console", "demo-dev", "--print"])
        .env_clear()
        .envs(child_env.iter().map(|(k, v)| (k, v)))
        .output()
        .map_err(|e| fail("run `ssoenv console`", e))?;
    let url = String::from_utf8_lossy(&out.stdout);
    let url = url.trim_end();
    if out.status.success() {
        // The URL signs anyone in for 15 minutes: only its shape is shown.
        let shown = match url.split_once("SigninToken=") {
            Some((head, token)) => format!("{head}SigninToken={}", mask(token)),
            None => mask(url),
        };
        say(&format!(
            "   with --print, the sign-in URL (a secret, masked here):\n   {shown}"
        ))?;
    } else {
        say("   (the emulator's sign-in endpoint did not answer)")?;
    }
    Ok(out.status.success())
}

/// For every shell of the registry with an integration: its name and startup file, then
/// the line to put there (the registry's own text, so a new shell shows up here).
fn startup_lines() -> Vec<String> {
    Shell::ALL
        .iter()
        .filter(|s| s.hook_script().is_some())
        .map(|s| {
            format!(
                "   {} ({}):\n       {}",
                s.name(),
                s.rc_file(),
                s.init_line()
            )
        })
        .collect()
}

/// Step 8: the startup-file lines, and what the emulator saw.
fn use_it_for_real(emu: &Emulator, bold: bool) -> Result<()> {
    step(
        8,
        "Use it for real: one line in your shell's startup file",
        bold,
    )?;
    for line in startup_lines() {
        say(&line)?;
    }
    say("   then: ssoenv use <profile>    ssoenv exec <profile> -- <command>")?;
    let stats = emu.stats();
    say(&format!(
        "\nThe emulator saw {} login, {} token polls, {} GetRoleCredentials, {} AssumeRole and {} getSigninToken calls. Demo finished.",
        stats.start_device_authorization,
        stats.create_token_device_code,
        stats.get_role_credentials,
        stats.assume_role,
        stats.get_signin_token
    ))?;
    Ok(())
}

/// `wJalrX…(40 chars)`: enough to recognise, nothing to use.
fn mask(v: &str) -> String {
    let head: String = v.chars().take(4).collect();
    format!("{head}…({} chars, masked)", v.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_home_is_new_private_and_random_and_an_existing_name_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let a = private_home(tmp.path()).unwrap();
        let b = private_home(tmp.path()).unwrap();
        assert_ne!(a, b);
        let name = a.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with("ssoenv-demo-") && name.len() == "ssoenv-demo-".len() + 16);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&a).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        // Whatever has the name already, it is not taken over.
        let e = create_private_dir(&a).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        #[cfg(unix)]
        {
            let link = tmp.path().join("link");
            std::os::unix::fs::symlink(tmp.path().join("nowhere"), &link).unwrap();
            assert!(create_private_dir(&link).is_err());
            assert!(!tmp.path().join("nowhere").exists());
        }
        let e = private_home(&tmp.path().join("missing")).unwrap_err();
        assert!(
            e.to_string()
                .contains("could not create a private temporary directory")
        );
    }

    #[test]
    fn demo_files_are_created_new_and_never_through_a_symlink() {
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let path = tmp.path().join("config");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&victim, &path).unwrap();
            assert!(write_new(&path, "x").is_err());
            assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
            std::fs::remove_file(&path).unwrap();
        }
        write_new(&path, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert!(write_new(&path, "again").is_err());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn the_exec_step_runs_cmd_on_windows_and_sh_elsewhere() {
        let (program, args) = echo_in_the_child(true);
        assert_eq!((program, &args[..2]), ("cmd", &["/d", "/c"][..]));
        assert!(args[2].contains("AWS_PROFILE=%AWS_PROFILE%"), "{}", args[2]);
        assert!(!args.iter().any(|a| a.contains('$')));
        let (program, args) = echo_in_the_child(false);
        assert_eq!((program, args[0]), ("sh", "-c"));
        assert!(args[1].contains("AWS_PROFILE=$AWS_PROFILE"));
    }
}
