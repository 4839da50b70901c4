//! The writer of `config/edit.rs`'s documents: replaces the config file (the
//! target of a symlink) atomically through `crate::fs`, keeps its mode and a
//! one-time backup, and refuses when another writer changed it meanwhile.

use crate::error::{Error, Result};
use crate::fs::{self, Leftovers};
use std::path::{Path, PathBuf};

/// The tag of the config writer's temporary files (`.config.ssoenv.PID.N.tmp`):
/// only those are ever removed from a directory shared with other programs.
const TEMP_TAG: &str = "ssoenv";

/// What `write_config` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// The new bytes equal the old: the file was not touched.
    Unchanged,
    /// The file (the symlink's target, if it is one) was replaced.
    Written {
        target: PathBuf,
        /// The backup made now (None when one existed already, or the file is new).
        backup: Option<PathBuf>,
    },
}

/// Symlinks followed at most this deep (Linux's MAXSYMLINKS).
const MAX_LINKS: usize = 40;

/// Follow `path` through symlinks to the file they name (which may not exist).
pub(crate) fn resolve_target(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&p).map_err(|e| {
                    Error::runtime(format!("could not read the symlink {}", p.display())).cause(e)
                })?;
                p = match p.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(Error::runtime(format!(
        "{} is a chain of more than {MAX_LINKS} symlinks",
        path.display()
    )))
}

/// The backup `write_config` keeps: `<target>.ssoenv-bak`.
pub(crate) fn backup_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".ssoenv-bak");
    target.with_file_name(name)
}

/// Refuse a config file its owner made read-only (`chmod 444`, `chmod u-w`):
/// the rename would replace it anyway, silently undoing what the owner
/// meant. Commands call this before asking anything; `write_config` again.
/// A missing file is fine (it is created).
pub(crate) fn check_writable_by_owner(path: &Path) -> Result<()> {
    let target = resolve_target(path)?;
    let Ok(meta) = std::fs::metadata(&target) else {
        return Ok(());
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o7777;
        if mode & 0o200 == 0 {
            return Err(Error::runtime(format!(
                "{} is read-only (mode {mode:04o}); ssoenv does not replace a file its owner made read-only, so nothing was written",
                target.display()
            ))
            .hint(format!(
                "make it writable with `chmod u+w {}` and run the command again, or edit it by hand",
                shell_words::quote(&target.to_string_lossy())
            )));
        }
    }
    #[cfg(not(unix))]
    if meta.permissions().readonly() {
        return Err(Error::runtime(format!(
            "{} is read-only; nothing was written",
            target.display()
        ))
        .hint("make it writable and run the command again"));
    }
    Ok(())
}

/// Replace the config file at `path` (its target, when a symlink) with `new`,
/// given that `original` is what was read from it (empty for a file that did
/// not exist).
///
/// - `new == original`: nothing is touched (`Unchanged`).
/// - The file on disk is no longer `original`: refused (exit 1), untouched.
/// - Before the first change, `<target>.ssoenv-bak` gets the original bytes
///   (never overwritten later).
/// - The new file is written to a temporary file beside the target, fsynced,
///   given the old file's mode (0600 for a new file) and renamed over it.
pub fn write_config(path: &Path, original: &[u8], new: &[u8]) -> Result<Written> {
    if new == original {
        return Ok(Written::Unchanged);
    }
    check_writable_by_owner(path)?;
    let target = resolve_target(path)?;
    let shown = target.display();
    let (current, mode) = read_current(&target)?;
    let changed = || {
        Error::runtime(format!(
            "{shown} changed while ssoenv was editing it; it was left as it is"
        ))
        .hint("run the command again")
    };
    if current.as_deref().unwrap_or_default() != original {
        return Err(changed());
    }
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |what: &str, e: std::io::Error| {
        Error::runtime(format!("could not {what}"))
            .cause(e)
            .hint(format!("check that {} is writable", dir.display()))
    };
    if current.is_none() {
        fs::ensure_dir(dir)?;
    }
    let mut backup = None;
    if current.is_some() {
        let bak = backup_path(&target);
        match fs::create_new(&bak, mode) {
            Ok(mut f) => {
                use std::io::Write;
                f.write_all(original)
                    .and_then(|_| f.sync_all())
                    .map_err(|e| fail(&format!("write the backup {}", bak.display()), e))?;
                backup = Some(bak);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(fail(&format!("create the backup {}", bak.display()), e)),
        }
    }
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("config");
    fs::remove_stale_temps(
        dir,
        Leftovers::Of {
            target: name,
            tag: TEMP_TAG,
        },
    );
    let temp = fs::Temp::create(&target, Some(TEMP_TAG), mode)
        .map_err(|e| fail(&format!("create a temporary file in {}", dir.display()), e))?;
    // Last look before the rename: a writer that came in since is not overwritten.
    let result = temp.commit(&target, new, || {
        read_current(&target).ok().map(|(c, _)| c) == Some(current.clone())
    });
    match result {
        Ok(true) => Ok(Written::Written { target, backup }),
        Ok(false) => Err(changed()),
        Err(e) => Err(fail(&format!("write {shown}"), e)),
    }
}

/// The target's bytes (None when it does not exist) and its permission bits
/// (0600 for a new file).
fn read_current(target: &Path) -> Result<(Option<Vec<u8>>, u32)> {
    match std::fs::read(target) {
        Ok(bytes) => {
            let meta = std::fs::metadata(target).map_err(|e| {
                Error::runtime(format!("could not read {}", target.display())).cause(e)
            })?;
            Ok((Some(bytes), mode_of(&meta)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((None, 0o600)),
        Err(e) => Err(Error::runtime(format!("could not read {}", target.display())).cause(e)),
    }
}

#[cfg(unix)]
fn mode_of(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode_of(_meta: &std::fs::Metadata) -> u32 {
    0o600
}
