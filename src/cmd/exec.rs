//! `ssoenv exec PROFILE [--] CMD ARGS…`: run one command with the profile's
//! credentials. Like `aws-vault exec`, `--` is optional; ssoenv's options go
//! before the command and everything from its name on is the command's.
//! The child's exit status passes through; death by signal N gives 128+N, as
//! a shell reports it; a missing command gives 127, one that cannot run 126.
//! With `--server` the child gets no keys but the URL and token of a
//! container-credentials endpoint served from this process
//! (`credentials::server`), so its SDK refreshes credentials as they age,
//! and a config without credential sources (`credentials::child_config`), so
//! that its SDK asks the server rather than `[default]`.

use crate::cli::ExecArgs;
use crate::credentials;
use crate::env::Env;
use crate::error::{Error, Kind, Result};
use crate::login::{Ctx, LoginOptions};
use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

pub(crate) fn run(args: ExecArgs, env: &Env) -> Result<i32> {
    // A bad value is refused before anything runs (`--server` never sets AWS_PROFILE).
    let export_profile = credentials::env::export_aws_profile(env)?;
    let Some(profile) = super::pick::choose_profile(args.profile, env, |config| {
        super::pick::no_profile_named(config, "name one: `ssoenv exec PROFILE -- CMD [ARGS...]`")
    })?
    else {
        return Ok(crate::tty::CANCELLED);
    };
    // No command: the user's shell, as `aws-vault exec` does.
    let shell_cmd;
    let command: &[std::ffi::OsString] = if args.command.is_empty() {
        shell_cmd = [std::ffi::OsString::from(default_shell(env, cfg!(windows)))];
        crate::output::note(&format!(
            "starting {} with the credentials of profile \"{}\"; exit it to return",
            crate::text::printable(&shell_cmd[0].to_string_lossy()),
            crate::text::printable(profile.name())
        ));
        &shell_cmd
    } else {
        &args.command
    };
    let (program, rest) = command.split_first().ok_or_else(|| {
        Error::config("no command given").hint("ssoenv exec PROFILE [--] CMD [ARGS...]")
    })?;
    // What cannot run is said before any login, not after one.
    check_program(program)?;
    let ctx = Ctx::new(env)?;
    let opts = LoginOptions::for_credentials(env, args.login.no_browser, args.force);
    // With --server too: any login happens now, in front of the user, and the
    // server starts warm.
    let creds = profile.credentials(&ctx, opts)?;
    let region = args.region.as_deref().or(profile.region());
    let mut cmd = Command::new(program);
    cmd.args(rest);
    // The shell function's mark for this binary alone: a `doctor` inside would report an
    // integration the child has not got.
    cmd.env_remove(crate::env::SSOENV_INIT);
    // The server thread lives until this process exits, after the child; the
    // child's config files until `run` returns, after the child too.
    let mut child_config = None;
    let changes = if args.server {
        let region = region.map(str::to_owned);
        let name = profile.name().to_owned();
        // The child's SDK would take `[default]`'s credential sources before the server's.
        let files = credentials::child_config::ChildConfig::create(
            env,
            &crate::config::Config::path(env)?,
        )?;
        let source = credentials::server::Source::new(ctx, profile, Some(creds));
        let server = credentials::server::Server::start(source)?;
        let mut changes = credentials::env::server_changes(
            &name,
            &server.url(),
            server.token(),
            region.as_deref(),
        );
        changes.extend(files.changes());
        child_config = Some(files);
        changes
    } else {
        credentials::env::session_changes(profile.name(), &creds, region, false, export_profile)
    };
    for (name, value) in changes {
        match value {
            Some(v) => cmd.env(name, v),
            None => cmd.env_remove(name),
        };
    }
    let shown = crate::text::printable(&program.to_string_lossy()).into_owned();
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::new(Kind::CommandNotFound, format!("command not found: {shown}"))
                .hint("check the command's name and your PATH")
        }
        std::io::ErrorKind::PermissionDenied => Error::new(
            Kind::CommandNotExecutable,
            format!("could not run {shown}: permission denied"),
        ),
        _ => Error::runtime(format!("could not run {shown}")).cause(e),
    })?;
    // While the child runs, Ctrl-C and Ctrl-\ are for it (it shares our
    // process group and receives them); we wait and report its status.
    let _guard = IgnoreInterrupts::new();
    let status = child
        .wait()
        .map_err(|e| Error::runtime(format!("could not wait for {shown}")).cause(e))?;
    drop(child_config);
    Ok(exit_code(status))
}

/// The shell `exec PROFILE` starts when no command is given: `$SHELL`, else `/bin/sh`; on
/// Windows `%ComSpec%`, else `cmd.exe`, as `cmd /k` and `start` do. `$SHELL` is not looked at
/// there: Git Bash and MSYS2 set it to a path of their own (`/usr/bin/bash`) that Windows
/// cannot start, and there is no `/bin/sh`. Windows spells the variable `ComSpec`; `Env` looks
/// names up as written, so the upper-case spelling some tools export is accepted too.
fn default_shell(env: &Env, windows: bool) -> &str {
    if windows {
        env.non_empty("ComSpec")
            .or_else(|| env.non_empty("COMSPEC"))
            .unwrap_or("cmd.exe")
    } else {
        env.non_empty(crate::env::SHELL).unwrap_or("/bin/sh")
    }
}

/// An empty name or a directory cannot be run; say so in the shell's words
/// (bash: "Is a directory", exit 126).
fn check_program(program: &OsStr) -> Result<()> {
    if program.is_empty() {
        return Err(Error::config("the command to run is empty ('')")
            .hint("give the command's name: ssoenv exec PROFILE [--] CMD [ARGS...]"));
    }
    if has_separator(program) && Path::new(program).is_dir() {
        let shown = crate::text::printable(&program.to_string_lossy()).into_owned();
        return Err(is_a_directory(&shown));
    }
    Ok(())
}

fn is_a_directory(shown: &str) -> Error {
    Error::new(
        Kind::CommandNotExecutable,
        format!("could not run {shown}: it is a directory"),
    )
    .hint("name the program to run: ssoenv exec PROFILE [--] PATH/TO/PROGRAM [ARGS...]")
}

/// A path (`./x`, `/usr/bin/x`) rather than a name looked up in PATH.
fn has_separator(program: &OsStr) -> bool {
    let s = program.to_string_lossy();
    s.contains('/') || (cfg!(windows) && s.contains('\\'))
}

#[cfg(unix)]
fn exit_code(status: std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(1)
}

#[cfg(not(unix))]
fn exit_code(status: std::process::ExitStatus) -> i32 {
    status.code().unwrap_or(1)
}

struct IgnoreInterrupts {
    #[cfg(unix)]
    saved: [libc::sighandler_t; 2],
}

impl IgnoreInterrupts {
    fn new() -> Self {
        #[cfg(unix)]
        // SAFETY: signal(2) with SIG_IGN installs no Rust code as a handler.
        unsafe {
            IgnoreInterrupts {
                saved: [
                    libc::signal(libc::SIGINT, libc::SIG_IGN),
                    libc::signal(libc::SIGQUIT, libc::SIG_IGN),
                ],
            }
        }
        #[cfg(not(unix))]
        IgnoreInterrupts {}
    }
}

impl Drop for IgnoreInterrupts {
    fn drop(&mut self) {
        #[cfg(unix)]
        // SAFETY: restores the dispositions saved above.
        unsafe {
            libc::signal(libc::SIGINT, self.saved[0]);
            libc::signal(libc::SIGQUIT, self.saved[1]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_no_command_windows_starts_comspec_and_never_a_unix_shell() {
        let env = Env::from_pairs([
            ("SHELL", "/usr/bin/bash"),
            ("ComSpec", r"C:\Windows\system32\cmd.exe"),
        ]);
        assert_eq!(default_shell(&env, true), r"C:\Windows\system32\cmd.exe");
        assert_eq!(default_shell(&env, false), "/usr/bin/bash");
        let env = Env::from_pairs([("COMSPEC", r"D:\tools\cmd.exe")]);
        assert_eq!(default_shell(&env, true), r"D:\tools\cmd.exe");
        let env = Env::from_pairs([("SHELL", "/usr/bin/bash"), ("ComSpec", "")]);
        assert_eq!(default_shell(&env, true), "cmd.exe");
        assert_eq!(
            default_shell(&Env::from_pairs([("SHELL", "")]), false),
            "/bin/sh"
        );
    }
}
