//! Where the sections one profile reads lie in the config file, remembered
//! for the file as it was, so that the next command about that profile
//! reads those bytes only: a lookup then costs the same at 30,000 profiles
//! as at 200 (`scan.rs` still reads the whole file once after each change).
//!
//! The memo is `$XDG_CACHE_HOME/ssoenv/config-sections/<sha1>.json` (else
//! under `~/.cache`), one per config path and profile name, 0600, written
//! atomically: the file's identity (device, inode, size, modification and
//! change times to the nanosecond), the profiles the lookup read (the
//! profile, then its chain) and their sections' byte ranges. It is used only
//! when the file's identity is unchanged, and even then each section is
//! checked again where it lies (it starts a line with a header kept for
//! those profiles, and ends at the file's end or where a line opens with
//! `[`), the text is parsed again, and every profile it chains to must be
//! among the remembered ones; anything else falls back to the scan, which
//! writes a new memo. The change time cannot be set by any program (every
//! write, `touch -d` included, moves it to the clock's now), and a memo is
//! written only for a file whose last change is more than two seconds old,
//! so a write in the same clock tick as the scan cannot go unnoticed (git's
//! "racy" rule for its index). The memo holds no secret (profile names and
//! offsets); it is read with the bounds of every file from outside, and
//! only when it and its directory are the user's own, writable by no one
//! else.
//! A memo not written again for 30 days is removed when another is written.
//! Without inode numbers (Windows) there is no memo: every lookup scans.

use super::scan::{Found, kept_again, profile_from_sections, window};
use crate::config::Profile;
use serde::{Deserialize, Serialize};
use std::fs::{File, Metadata};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The format's version: a memo of another version is not read.
const VERSION: u32 = 1;

/// A memo is small (a few sections' offsets); anything larger is not ours.
const MEMO_LIMIT: u64 = 64 << 10;

/// At most this many sections are remembered (a long chain with many
/// sessions and services is scanned instead).
const MAX_SECTIONS: usize = 256;

/// A memo not written again for this long is removed when another is
/// written (a used one is only read, so it is then rescanned once): memos
/// of configs and profiles gone (temporary `AWS_CONFIG_FILE`s) do not pile up.
const UNUSED: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 60 * 60);

/// A file changed less than this long ago may change again within the
/// same clock tick, unseen: no memo is written for it yet.
const SETTLED_SECONDS: u64 = 2;

/// The memo file of one config path and profile name.
pub(super) struct Memo {
    path: PathBuf,
}

/// What is written: see the module's note.
#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    file: Identity,
    profiles: Vec<String>,
    sections: Vec<[u64; 2]>,
}

/// What tells one version of a file from another, short of reading it.
#[derive(Serialize, Deserialize, PartialEq, Eq, Clone, Copy, Debug)]
struct Identity {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: [i64; 2],
    ctime: [i64; 2],
}

impl Identity {
    #[cfg(unix)]
    fn of(meta: &Metadata) -> Option<Identity> {
        use std::os::unix::fs::MetadataExt;
        Some(Identity {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.len(),
            mtime: [meta.mtime(), meta.mtime_nsec()],
            ctime: [meta.ctime(), meta.ctime_nsec()],
        })
    }

    #[cfg(not(unix))]
    fn of(_: &Metadata) -> Option<Identity> {
        None
    }

    /// Whether the last change is old enough at `now` for any later one to show.
    fn settled(&self, now: SystemTime) -> bool {
        let changed = u64::try_from(self.ctime[0])
            .ok()
            .zip(u32::try_from(self.ctime[1]).ok())
            .and_then(|(s, ns)| {
                UNIX_EPOCH.checked_add(std::time::Duration::new(s, ns.min(999_999_999)))
            });
        changed.is_some_and(|changed| {
            now.duration_since(changed)
                .is_ok_and(|age| age.as_secs() >= SETTLED_SECONDS)
        })
    }
}

impl Memo {
    /// The memo for `name` in the config file at `config`, under ssoenv's
    /// cache directory `cache_dir`.
    pub(super) fn at(cache_dir: &Path, config: &Path, name: &str) -> Memo {
        let key = format!("{}\0{name}", config.to_string_lossy());
        let file = format!("{}.json", crate::text::sha1_hex(&key));
        Memo {
            path: cache_dir.join("config-sections").join(file),
        }
    }

    /// The profile from the remembered sections of `file` (the config at
    /// `config_path`, open), when the memo is for this version of it and
    /// every check holds; `None` sends the caller to the scan.
    pub(super) fn recall(
        &self,
        config_path: &Path,
        file: &File,
        meta: &Metadata,
        name: &str,
    ) -> Option<Profile> {
        // Only a memo in a directory of ours, ours alone: another user who
        // could plant one (a shared `XDG_CACHE_HOME`) could leave sections out.
        let (memo, memo_meta) = crate::fs::open_bounded(&self.path, MEMO_LIMIT).ok()?;
        let dir = std::fs::metadata(self.path.parent()?).ok()?;
        if !crate::fs::owned_by_me_alone(&memo_meta) || !crate::fs::owned_by_me_alone(&dir) {
            return None;
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::Read::take(&memo, MEMO_LIMIT), &mut bytes).ok()?;
        let stored: Stored = serde_json::from_slice(&bytes).ok()?;
        let identity = Identity::of(meta)?;
        if stored.version != VERSION
            || stored.file != identity
            || stored.profiles.first().is_none_or(|p| p != name)
            || stored.sections.len() > MAX_SECTIONS
        {
            return None;
        }
        let mut text = String::new();
        let mut last_end = 0;
        for &[start, end] in &stored.sections {
            // In file order, apart, inside the file.
            if start < last_end || end <= start || end > identity.size {
                return None;
            }
            last_end = end;
            let section = start..end;
            let around = window(&section, identity.size);
            let mut buf = vec![0u8; usize::try_from(around.end - around.start).ok()?];
            read_exact_at(file, &mut buf, around.start)?;
            let bytes = kept_again(&buf, around.start, &section, &stored.profiles)?;
            text.push_str(std::str::from_utf8(bytes).ok()?);
        }
        profile_from_sections(config_path, &text, name, &stored.profiles)
    }

    /// Remember where `found`'s sections lie, when the file did not change
    /// while it was read (`before`, `after`: its metadata then) and its last
    /// change is settled at `now`. Best effort: a memo that cannot be written only
    /// means the next lookup scans again.
    pub(super) fn remember(
        &self,
        before: &Metadata,
        after: &Metadata,
        found: &Found,
        now: SystemTime,
    ) {
        let (Some(identity), Some(then)) = (Identity::of(before), Identity::of(after)) else {
            return;
        };
        if identity != then || !identity.settled(now) || found.sections.len() > MAX_SECTIONS {
            return;
        }
        let stored = Stored {
            version: VERSION,
            file: identity,
            profiles: found.profiles.clone(),
            sections: found.sections.iter().map(|s| [s.start, s.end]).collect(),
        };
        if let Ok(json) = serde_json::to_vec(&stored)
            && crate::fs::write_atomic(&self.path, &json).is_ok()
            && let Some(dir) = self.path.parent()
        {
            forget_unused(dir, now);
        }
    }
}

/// Remove the memos in `dir` (`<40 hex>.json`, nothing else) not written
/// for [`UNUSED`] at `now`. Best effort.
fn forget_unused(dir: &Path, now: SystemTime) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_memo = name
            .to_str()
            .and_then(|n| n.strip_suffix(".json"))
            .is_some_and(|stem| stem.len() == 40 && stem.bytes().all(|b| b.is_ascii_hexdigit()));
        let unused = entry
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .and_then(|m| m.modified().ok())
            .and_then(|written| now.duration_since(written).ok())
            .is_some_and(|age| age >= UNUSED);
        if is_memo && unused {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> Option<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, offset).ok()
}

#[cfg(not(unix))]
fn read_exact_at(_: &File, _: &mut [u8], _: u64) -> Option<()> {
    None
}

#[cfg(all(test, unix))]
mod tests;
