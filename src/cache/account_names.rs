//! The account names the portal gave when ssoenv last listed a session's
//! accounts (`accounts`, `populate`, `configure`), so the profile picker can
//! show them without asking the portal. ssoenv's own file, never the AWS
//! CLI's caches: `$XDG_CACHE_HOME/ssoenv/account-names.json` (else
//! `~/.cache/ssoenv/…`), `{"version": 1, "start_urls": {URL: {ID: NAME}}}`,
//! written atomically with mode 0600. Reading it is one bounded read; a file
//! that is missing, not a regular file, too large or not this shape reads
//! as no names, and a name that is empty, too long or holds a control
//! character is left out (other text is escaped where it is shown).

use crate::env::Env;
use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file's name in ssoenv's cache directory.
pub(crate) const FILE_NAME: &str = "account-names.json";

/// The most the file is read to (a few thousand accounts fit many times).
pub(crate) const LIMIT: u64 = 1 << 20;

/// The longest name kept, in characters (AWS allows 50).
pub(crate) const MAX_NAME_CHARS: usize = 128;

const VERSION: u32 = 1;

/// `$XDG_CACHE_HOME/ssoenv/account-names.json`, else under `~/.cache`.
pub(crate) fn path(env: &Env) -> Option<PathBuf> {
    Some(super::ssoenv_cache_dir(env)?.join(FILE_NAME))
}

#[derive(Serialize, Deserialize, Default, PartialEq, Debug)]
struct File {
    version: u32,
    /// Start URL → account id → name.
    start_urls: BTreeMap<String, BTreeMap<String, String>>,
}

/// Whether `id` looks like an account id (digits, as AWS gives them).
fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 32 && id.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a name is kept: not blank, at most [`MAX_NAME_CHARS`], no
/// control character (bidi and other format characters are kept and
/// escaped where the name is shown, as every outside text is).
pub(crate) fn valid_name(name: &str) -> bool {
    !name.trim().is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && !name.chars().any(crate::text::is_control)
}

/// The names known, by start URL and account id.
#[derive(Default, Debug)]
pub(crate) struct AccountNames {
    file: File,
}

impl AccountNames {
    /// The names in the file at `path`; none when it cannot be read as
    /// ssoenv writes it (missing, a FIFO, too large, not JSON, another
    /// version). Entries that are not valid are left out.
    pub(crate) fn read(path: &Path) -> AccountNames {
        let Ok(bytes) = crate::fs::read_bounded(path, LIMIT) else {
            return AccountNames::default();
        };
        let Ok(mut file) = serde_json::from_slice::<File>(&bytes) else {
            return AccountNames::default();
        };
        if file.version != VERSION {
            return AccountNames::default();
        }
        for names in file.start_urls.values_mut() {
            names.retain(|id, name| valid_id(id) && valid_name(name));
        }
        file.start_urls.retain(|_, names| !names.is_empty());
        AccountNames { file }
    }

    /// The names in the file of `env` (see [`path`]).
    pub(crate) fn load(env: &Env) -> AccountNames {
        path(env).map(|p| Self::read(&p)).unwrap_or_default()
    }

    /// The name of `account_id`: as the portal at `start_url` gave it, else
    /// as any portal did (an account belongs to one organization, so a
    /// role-chaining profile's account or another session's gets its name).
    pub(crate) fn get(&self, start_url: Option<&str>, account_id: &str) -> Option<&str> {
        let urls = &self.file.start_urls;
        start_url
            .and_then(|u| urls.get(u))
            .and_then(|names| names.get(account_id))
            .or_else(|| urls.values().find_map(|names| names.get(account_id)))
            .map(String::as_str)
    }
}

/// Remember the names of the accounts the portal at `start_url` listed
/// (id, name), replacing what was known for that start URL. Written only
/// when something changed.
pub(crate) fn remember<'a>(
    path: &Path,
    start_url: &str,
    accounts: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> Result<()> {
    let names: BTreeMap<String, String> = accounts
        .into_iter()
        .filter_map(|(id, name)| Some((id, name?)))
        .filter(|(id, name)| valid_id(id) && valid_name(name))
        .map(|(id, name)| (id.to_owned(), name.to_owned()))
        .collect();
    let mut known = AccountNames::read(path).file;
    known.version = VERSION;
    let old = known.start_urls.get(start_url);
    if old == Some(&names) || (old.is_none() && names.is_empty()) {
        return Ok(());
    }
    if names.is_empty() {
        known.start_urls.remove(start_url);
    } else {
        known.start_urls.insert(start_url.to_owned(), names);
    }
    let mut text = serde_json::to_string_pretty(&known).expect("plain data serializes");
    text.push('\n');
    crate::fs::write_atomic(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://d-1.awsapps.com/start";

    #[test]
    fn names_are_remembered_per_start_url_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ssoenv").join(FILE_NAME);
        remember(
            &path,
            URL,
            [("111122223333", Some("Production")), ("444455556666", None)],
        )
        .unwrap();
        remember(
            &path,
            "https://other/start",
            [("777788889999", Some("Sandbox"))],
        )
        .unwrap();
        let names = AccountNames::read(&path);
        assert_eq!(names.get(Some(URL), "111122223333"), Some("Production"));
        assert_eq!(names.get(Some(URL), "444455556666"), None);
        // Another start URL's account, or none given: any portal's name.
        assert_eq!(names.get(Some(URL), "777788889999"), Some("Sandbox"));
        assert_eq!(names.get(None, "111122223333"), Some("Production"));
        // A new listing replaces the start URL's names.
        remember(&path, URL, [("111122223333", Some("Prod"))]).unwrap();
        let names = AccountNames::read(&path);
        assert_eq!(names.get(Some(URL), "111122223333"), Some("Prod"));
        assert_eq!(names.get(None, "777788889999"), Some("Sandbox"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_hostile_or_broken_file_reads_as_no_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        // Missing.
        assert!(AccountNames::read(&path).get(None, "1").is_none());
        // Not JSON, JSON of another shape, another version.
        for text in [
            "{not json",
            "[1,2]",
            r#"{"version": 2, "start_urls": {"u": {"1": "x"}}}"#,
            r#"{"version": 1, "start_urls": {"u": ["x"]}}"#,
        ] {
            std::fs::write(&path, text).unwrap();
            assert!(AccountNames::read(&path).get(None, "1").is_none(), "{text}");
        }
        // Larger than the limit (not read at all).
        let big = format!(
            r#"{{"version": 1, "start_urls": {{"u": {{"1": "x"}}}}, "pad": "{}"}}"#,
            "x".repeat(LIMIT as usize)
        );
        std::fs::write(&path, big).unwrap();
        assert!(AccountNames::read(&path).get(None, "1").is_none());
        // A FIFO with no writer: read without blocking, as no names.
        #[cfg(unix)]
        {
            std::fs::remove_file(&path).unwrap();
            crate::test_support::mkfifo(&path);
            assert!(AccountNames::read(&path).get(None, "1").is_none());
            // Remembering over it replaces it with a regular file.
            remember(&path, URL, [("1", Some("one"))]).unwrap();
            assert_eq!(AccountNames::read(&path).get(None, "1"), Some("one"));
        }
    }

    #[test]
    fn bad_names_are_left_out_and_bidi_text_is_escaped_where_shown() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let long = "n".repeat(MAX_NAME_CHARS + 1);
        let text = serde_json::json!({
            "version": 1,
            "start_urls": {URL: {
                "1": "evil\u{1b}]0;title\u{7}",
                "2": long,
                "3": "   ",
                "not-an-id": "x",
                "4": "abc\u{202e}dorp",
                "5": "Финансы",
            }},
        });
        std::fs::write(&path, text.to_string()).unwrap();
        let names = AccountNames::read(&path);
        for id in ["1", "2", "3", "not-an-id"] {
            assert_eq!(names.get(Some(URL), id), None, "{id}");
        }
        let bidi = names.get(Some(URL), "4").unwrap();
        assert_eq!(crate::text::printable(bidi), "abc\\u{202e}dorp");
        assert_eq!(names.get(Some(URL), "5"), Some("Финансы"));
        // What the portal sends is checked the same way before it is stored.
        remember(
            &path,
            URL,
            [
                ("6", Some("bell\u{7}")),
                ("7", Some("ok")),
                ("x", Some("y")),
            ],
        )
        .unwrap();
        let names = AccountNames::read(&path);
        assert_eq!(names.get(Some(URL), "6"), None);
        assert_eq!(names.get(Some(URL), "7"), Some("ok"));
        assert_eq!(names.get(Some(URL), "x"), None);
    }
}
