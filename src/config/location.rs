//! Where the config file is: `AWS_CONFIG_FILE` (with `~` and `$VAR` expanded
//! as Python's `posixpath` does) or `~/.aws/config`, and how it is read (one
//! bounded reader; `/dev/null` reads as empty).

use super::Config;
use crate::env::{self, Env};
use crate::error::Result;
use crate::fs::ReadError;
use std::path::PathBuf;

impl Config {
    /// Path of the config file: `AWS_CONFIG_FILE` (with `~` and `$VAR` expanded) or `~/.aws/config`.
    /// An empty `AWS_CONFIG_FILE` counts as unset.
    pub(crate) fn path(env: &Env) -> Result<PathBuf> {
        match env.non_empty(env::AWS_CONFIG_FILE) {
            Some(raw) => expand_user(&expand_vars(raw, env), env),
            None => Ok(home(env)?.join(".aws").join("config")),
        }
    }
}

/// The most ssoenv reads of a config file; real ones are kilobytes.
pub(crate) const CONFIG_FILE_LIMIT: u64 = 16 << 20;

/// Read the config file through the one bounded reader (a regular file, at
/// most `CONFIG_FILE_LIMIT` bytes, never blocking). `/dev/null` is the
/// exception, and reads as empty, as botocore reads it: people point
/// `AWS_CONFIG_FILE` there to mean "no config".
pub(crate) fn read_config_file(path: &std::path::Path) -> std::result::Result<Vec<u8>, ReadError> {
    if is_dev_null(path) {
        return Ok(Vec::new());
    }
    crate::fs::read_bounded(path, CONFIG_FILE_LIMIT)
}

pub(super) fn is_dev_null(path: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        let (Ok(m), Ok(null)) = (std::fs::metadata(path), std::fs::metadata("/dev/null")) else {
            return false;
        };
        m.file_type().is_char_device() && m.rdev() == null.rdev()
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

pub(super) fn home(env: &Env) -> Result<PathBuf> {
    crate::env::home_dir(env)
        .map_err(|e| e.hint("set HOME, or set AWS_CONFIG_FILE to the config file's path"))
}

/// Python `posixpath.expandvars`: `$NAME` (ASCII word characters) and
/// `${NAME}`; unknown variables are left as written; values are not rescanned.
pub(super) fn expand_vars(raw: &str, env: &Env) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, len) = if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(j) => (&braced[..j], j + 2),
                None => ("", 0),
            }
        } else {
            let n = after
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            (&after[..n], n)
        };
        match env.get(name).filter(|_| len > 0) {
            Some(value) => out.push_str(value),
            None => out.push_str(&rest[i..i + 1 + len]),
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

/// Python `posixpath.expanduser` for `~` and `~/…`; `~user` is left alone
/// (looking users up is not something an `Env` snapshot can do).
pub(super) fn expand_user(path: &str, env: &Env) -> Result<PathBuf> {
    let Some(rest) = path.strip_prefix('~') else {
        return Ok(PathBuf::from(path));
    };
    if !(rest.is_empty() || rest.starts_with('/') || (cfg!(windows) && rest.starts_with('\\'))) {
        return Ok(PathBuf::from(path));
    }
    let home = home(env)?;
    let home = home.to_string_lossy();
    let joined = format!("{}{rest}", home.trim_end_matches('/'));
    Ok(PathBuf::from(if joined.is_empty() {
        "/".to_owned()
    } else {
        joined
    }))
}
