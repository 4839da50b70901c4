//! The caches ssoenv shares with the AWS CLI (spec §4): the SSO token and
//! client-registration files in `~/.aws/sso/cache`, the role and assume-role credentials in
//! `~/.aws/cli/cache`, all written atomically with mode 0600; plus the lock
//! files that serialize login and refresh between processes.

pub mod assume_role;
pub mod lock;
pub mod registration;
pub mod role;
pub mod token;

use crate::error::{Error, Result};
use serde::Serialize;
use sha1::{Digest, Sha1};
use std::io::Write;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

static CRITICAL: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Held while something that cannot be asked for again is on its way to
/// the disk: a refresh rotates the refresh token on the service's side, so
/// from the request until the new one is saved, stopping would lose it and
/// force a new login. The background renewal's watchdog waits for it (a
/// little) before it stops the process.
pub struct Critical(());

impl Critical {
    pub fn enter() -> Critical {
        CRITICAL.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Critical(())
    }

    /// Whether any `Critical` is held now.
    pub fn held() -> bool {
        CRITICAL.load(std::sync::atomic::Ordering::SeqCst) > 0
    }
}

impl Drop for Critical {
    fn drop(&mut self) {
        CRITICAL.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// `~/.aws/sso/cache` (fixed under HOME, spec §4.1).
pub fn sso_cache_dir(home: &Path) -> PathBuf {
    home.join(".aws").join("sso").join("cache")
}

/// `~/.aws/cli/cache` (spec §4.3).
pub fn cli_cache_dir(home: &Path) -> PathBuf {
    home.join(".aws").join("cli").join("cache")
}

/// Lower-case hex SHA-1 of a string: every cache key (spec §4).
pub fn sha1_hex(s: &str) -> String {
    let digest = Sha1::digest(s.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// serde_json formatter that writes what Python's `json.dumps` writes with
/// `separators=(item_sep, key_sep)` and `ensure_ascii=True`, so our files and
/// cache keys are byte-identical to the AWS CLI's.
pub struct PyFormatter {
    item_sep: &'static [u8],
    key_sep: &'static [u8],
}

impl PyFormatter {
    /// `json.dumps` defaults: `", "` and `": "`.
    pub const DEFAULT: PyFormatter = PyFormatter {
        item_sep: b", ",
        key_sep: b": ",
    };
    /// `separators=(',', ':')`.
    pub const COMPACT: PyFormatter = PyFormatter {
        item_sep: b",",
        key_sep: b":",
    };
}

impl PyFormatter {
    /// The separator before every item but the first (array values and
    /// object keys alike).
    fn item<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(self.item_sep)
        }
    }
}

impl serde_json::ser::Formatter for PyFormatter {
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(self.key_sep)
    }
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        for c in fragment.chars() {
            if c.is_ascii() {
                w.write_all(&[c as u8])?;
            } else {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    write!(w, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
    }
}

/// Serialize like Python's `json.dumps` with the given separators.
pub fn py_json<T: Serialize + ?Sized>(value: &T, fmt: PyFormatter) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    value
        .serialize(&mut ser)
        .expect("serializing plain data to memory cannot fail");
    String::from_utf8(out).expect("ensure_ascii output is ASCII")
}

/// Timestamps as the AWS CLI writes them: `%Y-%m-%dT%H:%M:%SZ`, UTC, whole seconds.
pub use crate::aws::credentials::format_timestamp;

/// Parse the timestamps found in the wild (botocore reads them leniently):
/// RFC 3339 with `Z` or an offset, with or without fractional seconds, and the
/// `…UTC` suffix of CLI versions before Dec 2020.
pub fn parse_timestamp(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    let fixed;
    let s = if let Some(base) = s.strip_suffix("UTC") {
        fixed = format!("{}Z", base.trim_end());
        fixed.as_str()
    } else {
        s
    };
    if let Ok(t) = OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
        return Some(t);
    }
    // `2025-01-01T12:00:00` without a zone: botocore treats naive times as UTC.
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    time::PrimitiveDateTime::parse(s, &fmt)
        .ok()
        .map(|p| p.assume_utc())
}

/// The `*.json` files of a cache directory, sorted; none when it is unreadable.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Create `dir` (and parents) if missing; directories ssoenv creates are 0700.
pub fn ensure_dir(dir: &Path) -> Result<()> {
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

/// Check that files can be stored in `dir` before work that would be lost
/// otherwise (a login): create it if missing, then create, write, sync and
/// remove a temporary file. Catches read-only homes and full disks early.
pub fn check_writable(dir: &Path) -> Result<()> {
    let fail = |e: std::io::Error| {
        Error::runtime(format!(
            "cannot store an SSO login: the directory {} is not writable",
            dir.display()
        ))
        .cause(e)
        .hint(format!(
            "make {} a writable directory (check its permissions and free disk space), then try again",
            dir.display()
        ))
    };
    if !dir.is_dir() {
        ensure_dir(dir).map_err(|e| {
            Error::runtime(format!(
                "cannot store an SSO login: the directory {} cannot be created",
                dir.display()
            ))
            .cause(e.message)
            .hint(format!(
                "make {} a writable directory (check its permissions and free disk space), then try again",
                dir.display()
            ))
        })?;
    }
    let tmp = dir.join(format!(
        ".ssoenv-write-check.{}.{}.tmp",
        std::process::id(),
        unique()
    ));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = opts.open(&tmp).map_err(fail)?;
    let result = file.write_all(&[b'{'; 4096]).and_then(|_| file.sync_all());
    drop(file);
    let removed = std::fs::remove_file(&tmp);
    result.and(removed).map_err(fail)
}

/// Write `contents` to `path` atomically: a temporary file in the same
/// directory (mode 0600), fsync, then rename over the target. A reader sees
/// the old file or the new one, never a torn one; a process killed mid-write
/// leaves the previous file intact.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    ensure_dir(dir)?;
    let fail = |e: std::io::Error| {
        Error::runtime(format!("could not write {}", path.display()))
            .cause(e)
            .hint(format!("check that {} is writable", dir.display()))
    };
    // Temporary files of writers that died between create and rename hold
    // tokens: remove them now (only stale ones; a live writer keeps its own).
    remove_stale_temps(dir);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("cache");
    let mut attempt = 0u32;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), unique()));
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        match opts.open(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 8 => attempt += 1,
            Err(e) => return Err(fail(e)),
        }
    };
    let result = file
        .write_all(contents)
        .and_then(|_| file.sync_all())
        .map(|_| test_pause_before_rename())
        .and_then(|_| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

/// A temporary file older than this is stale whoever wrote it: a write takes
/// milliseconds.
pub const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(60);

/// The pid in the name of one of `write_atomic`'s temporary files
/// (`.NAME.PID.UNIQUE.tmp`), or None when the name is not of that form.
fn temp_file_pid(file_name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (rest, unique) = rest.rsplit_once('.')?;
    let (name, pid) = rest.rsplit_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if name.is_empty() || !digits(unique) || !digits(pid) {
        return None;
    }
    pid.parse().ok()
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

/// Remove `write_atomic`'s stale temporary files from `dir`: those older than
/// `STALE_TEMP_AGE`, or whose writer (the pid in the name) no longer exists.
/// A concurrent writer's fresh file is left alone. Returns what was removed;
/// failures are ignored (this is cleanup, the write itself matters).
pub fn remove_stale_temps(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let now = std::time::SystemTime::now();
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_file_pid) else {
            continue;
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
        let mine = pid == std::process::id();
        if (old || (!mine && process_is_gone(pid))) && std::fs::remove_file(entry.path()).is_ok() {
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

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos() as u64;
    nanos
        ^ N.fetch_add(1, Ordering::Relaxed)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// What reading a cache file found.
pub enum Read<T> {
    Absent,
    Present(T),
}

/// The most ssoenv reads of one cache file; the AWS CLI's are a few hundred bytes.
pub const CACHE_FILE_LIMIT: u64 = 1 << 20;

/// Why `read_bounded` read nothing.
#[derive(Debug)]
pub enum ReadError {
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
pub fn read_bounded(path: &Path, limit: u64) -> std::result::Result<Vec<u8>, ReadError> {
    use std::io::Read as _;
    let (file, len) = open_bounded(path, limit)?;
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
}

/// Open a file for `read_bounded`'s checks (a regular file, never blocking,
/// at most `limit` bytes when opened), with its length then; a caller that
/// reads it in pieces still stops after `limit` bytes.
pub fn open_bounded(
    path: &Path,
    limit: u64,
) -> std::result::Result<(std::fs::File, u64), ReadError> {
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
    Ok((file, meta.len()))
}

/// Read and parse a JSON cache file. A missing file is `Absent`; a corrupt,
/// empty or truncated one, one that is not a regular file (a FIFO, a device,
/// a symlink to `/dev/zero`) or one over `CACHE_FILE_LIMIT` is treated as
/// absent with a warning on stderr (never a panic, never a hang, never a hard
/// failure: the next write replaces it).
pub fn read_json<T: for<'de> serde::Deserialize<'de>>(path: &Path, what: &str) -> Read<T> {
    let bytes = match read_bounded(path, CACHE_FILE_LIMIT) {
        Ok(b) => b,
        Err(ReadError::NotFound) => return Read::Absent,
        Err(e) => {
            warn_once(&format!(
                "could not read the {what} {} ({e}); ignoring it",
                crate::text::printable(&path.display().to_string())
            ));
            return Read::Absent;
        }
    };
    match serde_json::from_slice(&bytes) {
        Ok(v) => Read::Present(v),
        Err(e) => {
            warn_once(&format!(
                "the {what} {} is corrupt ({}); ignoring it",
                crate::text::printable(&path.display().to_string()),
                if bytes.is_empty() {
                    "empty file".to_owned()
                } else {
                    e.to_string()
                }
            ));
            Read::Absent
        }
    }
}

/// Print a warning (`ssoenv: warning: MESSAGE`) about a cache file on stderr, once per run: a command may
/// read the same file more than once (`use` reads the role and token caches
/// before taking the session lock and again after it), and the same problem
/// with the same file is worth one line. Returns whether it was printed.
pub(crate) fn warn_once(message: &str) -> bool {
    use std::sync::Mutex;
    static SHOWN: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let mut shown = SHOWN.lock().unwrap_or_else(|e| e.into_inner());
    if shown.iter().any(|m| m == message) {
        return false;
    }
    shown.push(message.to_owned());
    drop(shown);
    crate::output::warn(message);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_matches_published_vectors() {
        assert_eq!(
            sha1_hex("default"),
            "7505d64a54e061b7acd54ccd58b49dc43500b635"
        );
        assert_eq!(
            sha1_hex("my-sso"),
            "0ad374308c5a4e22f723adf10145eafad7c4031c"
        );
    }

    #[test]
    fn py_json_matches_python_separators_and_ensure_ascii() {
        let v = serde_json::json!({"a": [1, "é"], "b": {"c": null}});
        assert_eq!(
            py_json(&v, PyFormatter::DEFAULT),
            r#"{"a": [1, "\u00e9"], "b": {"c": null}}"#
        );
        assert_eq!(
            py_json(&v, PyFormatter::COMPACT),
            r#"{"a":[1,"\u00e9"],"b":{"c":null}}"#
        );
        assert_eq!(py_json(&"😀", PyFormatter::DEFAULT), r#""\ud83d\ude00""#);
    }

    #[test]
    fn timestamps_round_trip_and_legacy_forms_parse() {
        let t = parse_timestamp("2025-01-01T12:00:00Z").unwrap();
        assert_eq!(format_timestamp(t), "2025-01-01T12:00:00Z");
        assert_eq!(parse_timestamp("2025-01-01T12:00:00UTC"), Some(t));
        assert_eq!(parse_timestamp("2025-01-01T12:00:00+00:00"), Some(t));
        assert_eq!(parse_timestamp("2025-01-01T13:00:00+01:00"), Some(t));
        assert_eq!(parse_timestamp("2025-01-01T12:00:00"), Some(t));
        assert!(parse_timestamp("2025-01-01T12:00:00.5Z").is_some());
        assert!(parse_timestamp("yesterday").is_none());
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
        assert_eq!(temp_file_pid(".abc.json.123.456.tmp"), Some(123));
        assert_eq!(temp_file_pid(".a.b.json.7.8.tmp"), Some(7));
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

    #[test]
    fn a_warning_is_printed_once_per_run() {
        let m = "test message for warn_once (ignore)";
        assert!(warn_once(m));
        assert!(!warn_once(m));
        assert!(warn_once(&format!("{m}, another")));
    }

    #[test]
    fn corrupt_files_read_as_absent() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("x.json");
        for bad in [&b""[..], b"{", b"{\"accessToken\": \"x\"", b"\xff\xfe"] {
            std::fs::write(&p, bad).unwrap();
            assert!(matches!(
                read_json::<serde_json::Value>(&p, "test file"),
                Read::Absent
            ));
        }
        assert!(matches!(
            read_json::<serde_json::Value>(&tmp.path().join("none"), "t"),
            Read::Absent
        ));
    }
}
