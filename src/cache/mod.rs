//! The caches ssoenv shares with the AWS CLI (spec §4): the SSO token and
//! client-registration files in `~/.aws/sso/cache`, the role credentials in
//! `~/.aws/cli/cache`, all written atomically with mode 0600; plus the lock
//! files that serialize login and refresh between processes.

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

impl serde_json::ser::Formatter for PyFormatter {
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(self.item_sep)
        }
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(self.item_sep)
        }
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
pub fn format_timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

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

/// Read and parse a JSON cache file. A missing file is `Absent`; a corrupt,
/// empty or truncated one is treated as absent with a warning on stderr
/// (never a panic, never a hard failure: the next write replaces it).
pub fn read_json<T: for<'de> serde::Deserialize<'de>>(path: &Path, what: &str) -> Read<T> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Read::Absent,
        Err(e) => {
            eprintln!(
                "ssoenv: warning: could not read the {what} {} ({e}); ignoring it",
                path.display()
            );
            return Read::Absent;
        }
    };
    match serde_json::from_slice(&bytes) {
        Ok(v) => Read::Present(v),
        Err(e) => {
            eprintln!(
                "ssoenv: warning: the {what} {} is corrupt ({}); ignoring it",
                path.display(),
                if bytes.is_empty() {
                    "empty file".to_owned()
                } else {
                    e.to_string()
                }
            );
            Read::Absent
        }
    }
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
