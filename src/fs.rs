//! Files ssoenv reads and writes, done safely once for `cache/`, `config/` and the
//! temporary files of `exec`, the demo and the browser page: bounded reads of files
//! ssoenv does not control, atomic replacement with a chosen mode, the cleanup of
//! what a killed writer left, new files and private directories that are never
//! someone else's. It imports neither `cache` nor `config`.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A path as the user would type it. Windows' `canonicalize` (and `current_exe` under some
/// launchers) gives the verbatim form `\\?\C:\…` or `\\?\UNC\server\share\…`, which
/// no one types and `cmd` cannot `cd` into: shown as `C:\…` and `\\server\share\…`.
/// Other paths are shown as they are.
pub(crate) fn shown(path: &Path) -> String {
    without_verbatim_prefix(&path.display().to_string())
}

fn without_verbatim_prefix(s: &str) -> String {
    if let Some(rest) = s.strip_prefix(r"\\?\UNC\") {
        return format!(r"\\{rest}");
    }
    match s.strip_prefix(r"\\?\") {
        // Only a drive path: `\\?\Volume{…}\` has no other spelling.
        Some(rest) if rest.as_bytes().get(1) == Some(&b':') => rest.to_owned(),
        _ => s.to_owned(),
    }
}

/// Why [`read_bounded`] read nothing.
#[derive(Debug)]
pub(crate) enum ReadError {
    NotFound,
    /// Not a regular file: what it is instead ("a FIFO", "a character device", …).
    NotRegular(&'static str),
    /// Larger than the limit (which the error carries).
    TooLarge(u64),
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotFound => write!(f, "it does not exist"),
            ReadError::NotRegular(what) => write!(f, "it is {what}, not a regular file"),
            ReadError::TooLarge(limit) => {
                write!(f, "it is larger than {}", human_size(*limit))
            }
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

fn human_size(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

fn kind_of(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// Read a whole file that ssoenv does not control, safely: it must be a
/// regular file (symlinks are followed, then checked), opening never blocks
/// (O_NONBLOCK, so a FIFO cannot hang us), and at most `limit` bytes are
/// read (so `/dev/zero` or a huge file cannot exhaust memory). The type is
/// checked before opening (a device is never opened) and again on the open
/// descriptor (the file cannot be swapped in between). Every file ssoenv
/// reads goes through here.
pub(crate) fn read_bounded(path: &Path, limit: u64) -> std::result::Result<Vec<u8>, ReadError> {
    use std::io::Read as _;
    let (file, meta) = open_bounded(path, limit)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
}

/// Open a file with `read_bounded`'s checks (a regular file, never blocking,
/// at most `limit` bytes when opened), with its metadata then (from the open
/// descriptor); a caller that reads it in pieces still stops after `limit` bytes.
pub(crate) fn open_bounded(
    path: &Path,
    limit: u64,
) -> std::result::Result<(std::fs::File, std::fs::Metadata), ReadError> {
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_CLOEXEC);
    }
    let file = opts.open(path).map_err(io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok((file, meta))
}

/// Whether a file or directory is this user's own and writable by no one
/// else: what ssoenv requires of its own state before believing it (a planted
/// or shared `XDG_CACHE_HOME` is another user's). Always true without Unix
/// owners.
pub(crate) fn owned_by_me_alone(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid cannot fail and has no side effects.
        let me = unsafe { libc::geteuid() };
        meta.uid() == me && meta.mode() & 0o022 == 0
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        true
    }
}

/// Create `dir` (and parents) if missing; directories ssoenv creates are 0700.
pub(crate) fn ensure_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(|e| {
        Error::runtime(format!("could not create the directory {}", dir.display()))
            .cause(e)
            .hint("check the permissions of your home directory")
    })
}

/// A new file (never an existing one, never through a symlink: O_CREAT|O_EXCL)
/// with exactly `mode`, whatever the umask.
pub(crate) fn create_new(path: &Path, mode: u32) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        opts.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        let f = opts.open(path)?;
        f.set_permissions(std::fs::Permissions::from_mode(mode))?;
        Ok(f)
    }
    #[cfg(not(unix))]
    {
        let _ = mode;
        opts.open(path)
    }
}

/// Create `path` (which must not exist: a file, a directory or a symlink there
/// is an `AlreadyExists` error), mode 0600, holding `bytes`.
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = create_new(path, 0o600)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Tries at a fresh random name before giving up (a collision of 64 random
/// bits means someone is planting names, not bad luck).
const PRIVATE_DIR_ATTEMPTS: u32 = 8;

/// A new directory `<prefix><16 random hex digits>` in `base`, mode 0700,
/// made by one mkdir that fails when the name exists: another user of a
/// shared temporary directory can neither predict the name nor hand ssoenv a
/// directory (or symlink) of theirs. An `AlreadyExists` error means every
/// name tried was taken.
pub(crate) fn private_dir(base: &Path, prefix: &str) -> std::io::Result<PathBuf> {
    let mut last = None;
    for _ in 0..PRIVATE_DIR_ATTEMPTS {
        let mut bytes = [0u8; 8];
        getrandom::getrandom(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
        let name: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let dir = base.join(format!("{prefix}{name}"));
        match create_private_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::from(std::io::ErrorKind::AlreadyExists)))
}

/// mkdir `dir` with mode 0700: fails with `AlreadyExists` when anything (a
/// directory, a file, a symlink, even a dangling one) has that name.
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Write `contents` to `path` atomically, mode 0600, in a directory made 0700
/// when missing: see [`Temp`]. A reader sees the old file or the new one, never
/// a torn one; a process killed mid-write leaves the previous file intact.
/// Stale temporary files of any writer in the directory are removed first
/// ([`Leftovers::All`]): the caches' files hold tokens.
pub(crate) fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    ensure_dir(dir)?;
    let fail = |e: std::io::Error| {
        Error::runtime(format!("could not write {}", path.display()))
            .cause(e)
            .hint(format!("check that {} is writable", dir.display()))
    };
    remove_stale_temps(dir, Leftovers::All);
    let temp = Temp::create(path, None, 0o600).map_err(fail)?;
    temp.commit(path, contents, || true).map_err(fail)?;
    Ok(())
}

/// A temporary file beside the file it will replace:
/// `.NAME[.TAG].PID.UNIQUE.tmp`, created new with its final mode. Removed
/// again unless [`Temp::commit`] renames it over its target.
pub(crate) struct Temp {
    path: PathBuf,
    file: Option<std::fs::File>,
}

impl Temp {
    /// Create the temporary file for `target` with `mode` (a fresh name on a
    /// collision, a few times).
    pub(crate) fn create(target: &Path, tag: Option<&str>, mode: u32) -> std::io::Result<Temp> {
        let dir = parent_dir(target);
        let name = target
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("file");
        let tag = tag.map(|t| format!("{t}.")).unwrap_or_default();
        let mut attempt = 0u32;
        loop {
            let path = dir.join(format!(
                ".{name}.{tag}{}.{}.tmp",
                std::process::id(),
                unique()
            ));
            match create_new(&path, mode) {
                Ok(f) => {
                    return Ok(Temp {
                        path,
                        file: Some(f),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 8 => {
                    attempt += 1
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Write `contents`, fsync, then — if `last_look` still agrees — rename
    /// over `target` and fsync the directory. Ok(false) when `last_look`
    /// refused (nothing was replaced).
    pub(crate) fn commit(
        mut self,
        target: &Path,
        contents: &[u8],
        last_look: impl FnOnce() -> bool,
    ) -> std::io::Result<bool> {
        let mut file = self.file.take().expect("a Temp is committed once");
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        test_pause_before_rename();
        if !last_look() {
            return Ok(false);
        }
        std::fs::rename(&self.path, target)?;
        // Renamed: nothing of ours is left to remove.
        self.path = PathBuf::new();
        #[cfg(unix)]
        if let Ok(d) = std::fs::File::open(parent_dir(target)) {
            let _ = d.sync_all();
        }
        Ok(true)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The directory a file is in (`.` for a bare name).
fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A temporary file older than this is stale whoever wrote it: a write takes
/// milliseconds.
pub(crate) const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(60);

/// Which leftovers of killed writers [`remove_stale_temps`] may take.
#[derive(Clone, Copy)]
pub(crate) enum Leftovers<'a> {
    /// Every [`Temp`] file of the directory (one only ssoenv and the AWS CLI
    /// write: the caches) that is stale or whose writer (the pid in the name)
    /// no longer exists; a live writer's fresh file is left alone.
    All,
    /// Only the stale [`Temp`] files of `target` made with `tag` (a shared
    /// directory: `~/.aws`).
    Of { target: &'a str, tag: &'a str },
}

/// The `NAME[.TAG]` and pid in the name of a [`Temp`] file
/// (`.NAME[.TAG].PID.UNIQUE.tmp`), or None when the name is not of that form.
fn temp_file_pid(file_name: &str) -> Option<(&str, u32)> {
    let rest = file_name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (rest, unique) = rest.rsplit_once('.')?;
    let (name, pid) = rest.rsplit_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if name.is_empty() || !digits(unique) || !digits(pid) {
        return None;
    }
    Some((name, pid.parse().ok()?))
}

/// Whether process `pid` is gone (kill(pid, 0) says ESRCH).
fn process_is_gone(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return true;
        };
        if pid <= 0 {
            return false;
        }
        // SAFETY: signal 0 only checks that the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == -1 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        false
    }
}

/// Remove the [`Temp`] files in `dir` that `which` allows. Returns what was
/// removed, sorted; failures are ignored (this is cleanup, the write itself
/// matters).
pub(crate) fn remove_stale_temps(dir: &Path, which: Leftovers<'_>) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let now = std::time::SystemTime::now();
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some((name, pid)) = file_name.to_str().and_then(temp_file_pid) else {
            continue;
        };
        let reap_dead = match which {
            Leftovers::All => true,
            Leftovers::Of { target, tag } => {
                let ours = name
                    .strip_prefix(target)
                    .and_then(|r| r.strip_prefix('.'))
                    .is_some_and(|t| t == tag);
                if !ours {
                    continue;
                }
                false
            }
        };
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= STALE_TEMP_AGE);
        let dead = reap_dead && pid != std::process::id() && process_is_gone(pid);
        if (old || dead) && std::fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed.sort();
    removed
}

/// Debug builds only: `SSOENV_TEST_PAUSE_BEFORE_RENAME_MS` holds the process
/// between writing the temporary file and renaming it, so a test can kill it
/// mid-write and check that the previous file survives. Release builds have
/// no such hook.
fn test_pause_before_rename() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("SSOENV_TEST_PAUSE_BEFORE_RENAME_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// A number unlikely to repeat: the clock's nanoseconds mixed with a counter.
pub(crate) fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos
        ^ N.fetch_add(1, Ordering::Relaxed)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_verbatim_paths_are_shown_as_typed_and_others_as_they_are() {
        let shown = without_verbatim_prefix;
        assert_eq!(shown(r"\\?\C:\tools\ssoenv.exe"), r"C:\tools\ssoenv.exe");
        assert_eq!(
            shown(r"\\?\UNC\srv\share\ssoenv.exe"),
            r"\\srv\share\ssoenv.exe"
        );
        assert_eq!(shown(r"\\?\Volume{1}\x.exe"), r"\\?\Volume{1}\x.exe");
        assert_eq!(shown(r"C:\tools\ssoenv.exe"), r"C:\tools\ssoenv.exe");
        assert_eq!(shown("/usr/bin/ssoenv"), "/usr/bin/ssoenv");
    }

    #[test]
    fn atomic_write_creates_0600_file_in_0700_dir_and_replaces() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("a/b/c.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            let mode = std::fs::metadata(p.parent().unwrap())
                .unwrap()
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(mode, 0o700);
        }
        let leftovers: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary files are left behind");
    }

    #[test]
    fn temp_file_names_are_recognized_only_in_write_atomics_form() {
        assert_eq!(
            temp_file_pid(".abc.json.123.456.tmp"),
            Some(("abc.json", 123))
        );
        assert_eq!(temp_file_pid(".a.b.json.7.8.tmp"), Some(("a.b.json", 7)));
        for other in [
            "abc.json.123.456.tmp",
            ".abc.json.tmp",
            ".123.456.tmp",
            ".abc.json.x.456.tmp",
            ".abc.json.123.456",
            ".abc.json.123..tmp",
        ] {
            assert_eq!(temp_file_pid(other), None, "{other}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn bounded_reads_take_regular_files_within_the_limit_only() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("f");
        std::fs::write(&p, b"12345").unwrap();
        assert_eq!(read_bounded(&p, 5).unwrap(), b"12345");
        assert!(matches!(read_bounded(&p, 4), Err(ReadError::TooLarge(4))));
        assert!(matches!(
            read_bounded(&tmp.path().join("none"), 5),
            Err(ReadError::NotFound)
        ));
        assert!(matches!(
            read_bounded(tmp.path(), 5),
            Err(ReadError::NotRegular("a directory"))
        ));
        assert!(matches!(
            read_bounded(Path::new("/dev/zero"), 5),
            Err(ReadError::NotRegular("a character device"))
        ));
        let link = tmp.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(matches!(
            read_bounded(&link, 5),
            Err(ReadError::NotRegular("a character device"))
        ));
    }
}
