//! Inter-process locks around login and token refresh, so that several shells
//! running `ssoenv use` at once log in (or refresh) at most once and never
//! interleave writes. An OS file lock (flock) is released by the kernel when
//! its holder dies, so a killed process never leaves a stale lock behind.

use crate::env::{self, Env};
use crate::error::{Error, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read as _, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long to wait for another ssoenv by default; long enough for a person
/// to approve a login in the browser.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// The largest `SSOENV_LOCK_TIMEOUT` accepted, in seconds (a day).
pub(crate) const MAX_TIMEOUT_SECS: u64 = 86_400;

pub(crate) struct Lock {
    file: File,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// `$XDG_CACHE_HOME/ssoenv/locks` or `~/.cache/ssoenv/locks`, in ssoenv's
/// own directory ([`super::ssoenv_cache_dir`]).
pub(crate) fn lock_dir(env: &Env) -> Option<PathBuf> {
    Some(super::ssoenv_cache_dir(env)?.join("locks"))
}

/// `SSOENV_LOCK_TIMEOUT`: seconds (fractions allowed) from 0 to a day; unset
/// or empty is the default. Anything else is a usage error naming the range.
pub(crate) fn timeout(env: &Env) -> Result<Duration> {
    let Some(raw) = env.non_empty(env::SSOENV_LOCK_TIMEOUT) else {
        return Ok(DEFAULT_TIMEOUT);
    };
    match raw.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=MAX_TIMEOUT_SECS as f64).contains(&v) => {
            Ok(Duration::from_secs_f64(v))
        }
        _ => Err(Error::config(format!(
            "{} is \"{raw}\", which is not a number of seconds from 0 to {MAX_TIMEOUT_SECS}",
            env::SSOENV_LOCK_TIMEOUT
        ))
        .hint(format!(
            "set {} to how many seconds to wait for another ssoenv (default {}), or unset it",
            env::SSOENV_LOCK_TIMEOUT,
            DEFAULT_TIMEOUT.as_secs()
        ))),
    }
}

/// Whether this process is the prompt hook's quiet renewal
/// (`SSOENV_BACKGROUND_RENEW=1`): it never waits for a lock.
pub(crate) fn background_renewal(env: &Env) -> bool {
    env.flag(env::SSOENV_BACKGROUND_RENEW)
}

/// Create the lock directory (0700) if needed and check that it is a
/// directory of ours: a lock directory another user owns (a shared or
/// planted `XDG_CACHE_HOME`) could be used to redirect or block our locks.
fn prepare_dir(dir: &Path) -> Result<()> {
    crate::fs::ensure_dir(dir)?;
    let meta = std::fs::metadata(dir).map_err(|e| {
        Error::runtime(format!(
            "could not use the lock directory {}",
            dir.display()
        ))
        .cause(e)
    })?;
    if !meta.is_dir() {
        return Err(Error::runtime(format!(
            "the lock directory {} is not a directory",
            dir.display()
        ))
        .hint(format!("remove {} and try again", dir.display())));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        // SAFETY: geteuid cannot fail and has no side effects.
        let me = unsafe { libc::geteuid() };
        check_owner(dir, meta.uid(), me)?;
        // `ssoenv/` too: whoever owns it can swap `locks/` for their own.
        if let Some(parent) = dir.parent()
            && let Ok(p) = std::fs::metadata(parent)
        {
            check_owner(parent, p.uid(), me)?;
        }
        // Ours but open to others: close it (others could plant files in it).
        if meta.mode() & 0o022 != 0 {
            let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        }
    }
    Ok(())
}

#[cfg(unix)]
fn check_owner(dir: &Path, owner: u32, me: u32) -> Result<()> {
    if owner == me {
        return Ok(());
    }
    Err(Error::runtime(format!(
        "the lock directory {} belongs to another user (uid {owner}, you are uid {me}); refusing to use it",
        dir.display()
    ))
    .hint("point XDG_CACHE_HOME at a directory of your own (or unset it to use ~/.cache)"))
}

/// Open (creating, never truncating) the lock file without following a
/// symlink planted at its path, and check that it is a regular file.
fn open_lock_file(path: &Path) -> Result<File> {
    let open_fail = |e: std::io::Error| {
        Error::runtime(format!("could not open the lock file {}", path.display())).cause(e)
    };
    let mut opts = OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC);
    }
    let file = match opts.open(path) {
        Ok(f) => f,
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(Error::runtime(format!(
                "the lock file {} is a symbolic link; refusing to follow it",
                path.display()
            ))
            .hint(format!(
                "remove {} (ssoenv creates it as a plain file) and try again",
                path.display()
            )));
        }
        Err(e) => return Err(open_fail(e)),
    };
    let meta = file.metadata().map_err(open_fail)?;
    if !meta.is_file() {
        return Err(Error::runtime(format!(
            "the lock file {} is not a regular file",
            path.display()
        ))
        .hint(format!("remove {} and try again", path.display())));
    }
    Ok(file)
}

/// Take the lock named `key`, waiting a bounded time (`SSOENV_LOCK_TIMEOUT`
/// seconds, default 300). Says on stderr that it waits, and for whom. The
/// prompt hook's quiet renewal (`background_renewal`) never waits: when
/// another ssoenv holds the lock it fails at once, and the hook skips this
/// renewal.
pub(crate) fn acquire(env: &Env, key: &str, what: &str) -> Result<Lock> {
    let background = background_renewal(env);
    let limit = if background {
        Duration::ZERO
    } else {
        timeout(env)?
    };
    let dir = match lock_dir(env) {
        Some(d) => d,
        None => return Err(env::home_dir(env).expect_err("lock_dir is None only without HOME")),
    };
    prepare_dir(&dir)?;
    let path = dir.join(format!("{key}.lock"));
    let mut file = open_lock_file(&path)?;
    let start = Instant::now();
    let mut announced = false;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => {
                return Err(Error::runtime(format!("could not lock {}", path.display())).cause(e));
            }
        }
        if background {
            return Err(Error::runtime(format!(
                "another ssoenv ({}) is {what}; skipping this background renewal",
                holder(&mut file)
            ))
            .cause(format!("the lock {} is held", path.display())));
        }
        let waited = start.elapsed();
        if waited >= limit {
            return Err(Error::runtime(format!(
                "timed out after {}s waiting for another ssoenv ({}) to finish {what}",
                limit.as_secs(),
                holder(&mut file)
            ))
            .cause(format!("the lock {} is held", path.display()))
            .hint("finish or cancel the other login, then try again (SSOENV_LOCK_TIMEOUT sets the wait in seconds)"));
        }
        if !announced && waited >= Duration::from_millis(1500) {
            crate::output::note(&format!(
                "waiting for another ssoenv ({}) to finish {what}…",
                holder(&mut file)
            ));
            announced = true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    // Record the holder for the messages above; failure to do so is harmless.
    let _ = file.set_len(0);
    let _ = file.rewind();
    let _ = write!(file, "{}", std::process::id());
    Ok(Lock { file })
}

fn holder(file: &mut File) -> String {
    let mut s = String::new();
    let _ = file.rewind();
    let _ = (&mut *file).take(64).read_to_string(&mut s);
    match s.trim().parse::<u32>() {
        Ok(pid) => format!("pid {pid}"),
        Err(_) => "another process".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_directory_of_another_user_is_refused_by_name() {
        assert!(check_owner(Path::new("/x"), 1000, 1000).is_ok());
        let e = check_owner(Path::new("/x/locks"), 0, 1000).unwrap_err();
        assert!(
            e.message
                .contains("/x/locks belongs to another user (uid 0, you are uid 1000)"),
            "{e}"
        );
        assert_eq!(e.exit_code(), 1);
    }

    #[test]
    fn lock_timeout_is_checked_not_panicking() {
        let env = |v: &str| Env::from_pairs([("SSOENV_LOCK_TIMEOUT", v)]);
        assert_eq!(timeout(&env("")).unwrap(), DEFAULT_TIMEOUT);
        assert_eq!(timeout(&env("1.5")).unwrap(), Duration::from_millis(1500));
        assert_eq!(timeout(&env("0")).unwrap(), Duration::ZERO);
        for bad in [
            "1e30", "-1", "-0.5", "abc", "inf", "-inf", "NaN", "86400.5", "1s",
        ] {
            let e = timeout(&env(bad)).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad}");
            assert!(e.message.contains("from 0 to 86400"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_relative_xdg_cache_home_is_ignored() {
        let env = Env::from_pairs([("HOME", "/h"), ("XDG_CACHE_HOME", "rel")]);
        assert_eq!(lock_dir(&env).unwrap(), Path::new("/h/.cache/ssoenv/locks"));
        // Absolute as the platform has it: `/c` has no drive on Windows, so it is relative there.
        let abs = if cfg!(windows) { r"C:\c" } else { "/c" };
        let env = Env::from_pairs([("HOME", "/h"), ("XDG_CACHE_HOME", abs)]);
        assert_eq!(
            lock_dir(&env).unwrap(),
            Path::new(abs).join("ssoenv").join("locks")
        );
    }

    #[test]
    fn second_holder_times_out_with_a_clear_message_then_succeeds_after_release() {
        let tmp = tempfile::tempdir().unwrap();
        let env = Env::from_pairs([
            ("HOME", tmp.path().to_str().unwrap()),
            ("SSOENV_LOCK_TIMEOUT", "0.2"),
        ]);
        let first = acquire(&env, "k", "logging in").unwrap();
        let err = acquire(&env, "k", "logging in").err().unwrap();
        let msg = err.to_string();
        assert!(
            msg.contains("timed out after 0s waiting for another ssoenv (pid "),
            "{msg}"
        );
        assert!(msg.contains("finish logging in"), "{msg}");
        drop(first);
        assert!(acquire(&env, "k", "logging in").is_ok());
        assert!(acquire(&env, "other", "x").is_ok());
    }
}
