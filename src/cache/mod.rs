//! The caches ssoenv shares with the AWS CLI (docs/caches.md): the SSO token and
//! client-registration files in `~/.aws/sso/cache`, the role and assume-role credentials in
//! `~/.aws/cli/cache`, all written atomically with mode 0600 (`crate::fs`); plus, in ssoenv's
//! own directory, the lock files that serialize login and refresh between processes and the
//! account names the portal gave.

pub(crate) mod account_names;
pub(crate) mod assume_role;
pub(crate) mod lock;
pub mod registration;
pub(crate) mod role;
pub(crate) mod token;

use crate::error::{Error, Result};
use serde::Serialize;

use std::io::Write;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

static CRITICAL: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Held while something that cannot be asked for again is on its way to
/// the disk: a refresh rotates the refresh token on the service's side, so
/// from the request until the new one is saved, stopping would lose it and
/// force a new login. The background renewal's watchdog waits for it (a
/// little) before it stops the process.
pub(crate) struct Critical(());

impl Critical {
    pub(crate) fn enter() -> Critical {
        CRITICAL.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Critical(())
    }

    /// Whether any `Critical` is held now.
    pub(crate) fn held() -> bool {
        CRITICAL.load(std::sync::atomic::Ordering::SeqCst) > 0
    }
}

impl Drop for Critical {
    fn drop(&mut self) {
        CRITICAL.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

pub(crate) use crate::env::ssoenv_cache_dir;

/// `~/.aws/sso/cache` (fixed under HOME, docs/caches.md#token-cache).
pub(crate) fn sso_cache_dir(home: &Path) -> PathBuf {
    home.join(".aws").join("sso").join("cache")
}

/// `~/.aws/cli/cache` (docs/caches.md#role-credential-cache).
pub(crate) fn cli_cache_dir(home: &Path) -> PathBuf {
    home.join(".aws").join("cli").join("cache")
}

pub use crate::text::sha1_hex;

/// serde_json formatter that writes what Python's `json.dumps` writes with
/// `separators=(item_sep, key_sep)` and `ensure_ascii=True`, so our files and
/// cache keys are byte-identical to the AWS CLI's.
pub(crate) struct PyFormatter {
    item_sep: &'static [u8],
    key_sep: &'static [u8],
}

impl PyFormatter {
    /// `json.dumps` defaults: `", "` and `": "`.
    pub(crate) const DEFAULT: PyFormatter = PyFormatter {
        item_sep: b", ",
        key_sep: b": ",
    };
    /// `separators=(',', ':')`.
    pub(crate) const COMPACT: PyFormatter = PyFormatter {
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
pub(crate) fn py_json<T: Serialize + ?Sized>(value: &T, fmt: PyFormatter) -> String {
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
pub(crate) fn json_files(dir: &Path) -> Vec<PathBuf> {
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

/// Check that files can be stored in `dir` before work that would be lost
/// otherwise (a login): create it if missing, then create, write, sync and
/// remove a temporary file. Catches read-only homes and full disks early.
pub(crate) fn check_writable(dir: &Path) -> Result<()> {
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
        crate::fs::ensure_dir(dir).map_err(|e| {
            // The OS error, not ensure_dir's own words again.
            let mut err = Error::runtime(format!(
                "cannot store an SSO login: the directory {} cannot be created",
                dir.display()
            ));
            err.causes = e.causes;
            err.hint(format!(
                "make {} a writable directory (check its permissions and free disk space), then try again",
                dir.display()
            ))
        })?;
    }
    let tmp = dir.join(format!(
        ".ssoenv-write-check.{}.{}.tmp",
        std::process::id(),
        crate::fs::unique()
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

/// What reading a cache file found.
pub(crate) enum Read<T> {
    Absent,
    Present(T),
}

/// The most ssoenv reads of one cache file; the AWS CLI's are a few hundred bytes.
pub(crate) const CACHE_FILE_LIMIT: u64 = 1 << 20;

/// Read and parse a JSON cache file. A missing file is `Absent`; a corrupt,
/// empty or truncated one, one that is not a regular file (a FIFO, a device,
/// a symlink to `/dev/zero`) or one over `CACHE_FILE_LIMIT` is treated as
/// absent with a warning on stderr (never a panic, never a hang, never a hard
/// failure: the next write replaces it).
pub(crate) fn read_json<T: for<'de> serde::Deserialize<'de>>(path: &Path, what: &str) -> Read<T> {
    let bytes = match crate::fs::read_bounded(path, CACHE_FILE_LIMIT) {
        Ok(b) => b,
        Err(crate::fs::ReadError::NotFound) => return Read::Absent,
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
