//! Inter-process locks around login and token refresh, so that several shells
//! running `ssoenv use` at once log in (or refresh) at most once and never
//! interleave writes. An OS file lock (flock) is released by the kernel when
//! its holder dies, so a killed process never leaves a stale lock behind.

use crate::env::{self, Env};
use crate::error::{Error, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read as _, Seek, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How long to wait for another ssoenv by default; long enough for a person
/// to approve a login in the browser.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

pub struct Lock {
    file: File,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// `$XDG_CACHE_HOME/ssoenv/locks` or `~/.cache/ssoenv/locks`: ssoenv's own
/// directory, so the AWS CLI's cache directories only ever hold its formats.
pub fn lock_dir(env: &Env) -> Option<PathBuf> {
    let base = match env.non_empty(env::XDG_CACHE_HOME) {
        Some(x) => PathBuf::from(x),
        None => env.home()?.join(".cache"),
    };
    Some(base.join("ssoenv").join("locks"))
}

fn timeout(env: &Env) -> Duration {
    env.non_empty(env::SSOENV_LOCK_TIMEOUT)
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(Duration::from_secs_f64)
        .unwrap_or(DEFAULT_TIMEOUT)
}

/// Take the lock named `key`, waiting a bounded time (`SSOENV_LOCK_TIMEOUT`
/// seconds, default 300). Says on stderr that it waits, and for whom.
pub fn acquire(env: &Env, key: &str, what: &str) -> Result<Lock> {
    let dir = lock_dir(env).ok_or_else(|| {
        Error::config("could not find your home directory (HOME is not set)")
            .hint("set HOME to your home directory")
    })?;
    crate::cache::ensure_dir(&dir)?;
    let path = dir.join(format!("{key}.lock"));
    let open_fail = |e: std::io::Error| {
        Error::runtime(format!("could not open the lock file {}", path.display())).cause(e)
    };
    let mut opts = OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = opts.open(&path).map_err(open_fail)?;
    let limit = timeout(env);
    let start = Instant::now();
    let mut announced = false;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => return Err(open_fail(e)),
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
            eprintln!(
                "ssoenv: waiting for another ssoenv ({}) to finish {what}…",
                holder(&mut file)
            );
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
    let _ = file.read_to_string(&mut s);
    match s.trim().parse::<u32>() {
        Ok(pid) => format!("pid {pid}"),
        Err(_) => "another process".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
