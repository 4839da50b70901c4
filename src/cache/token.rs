//! SSO token cache: `~/.aws/sso/cache/<sha1>.json`, byte-compatible with the
//! AWS CLI v2 (docs/caches.md#token-cache) so that `aws`, boto3 and ssoenv share one login.

use super::{
    PyFormatter, Read, format_timestamp, parse_timestamp, py_json, read_json, sha1_hex,
    sso_cache_dir,
};
use crate::config::SsoSession;
use crate::error::Result;
use crate::fs::write_atomic;
use crate::secret::Secret;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// The file as the CLI writes it; fields in the CLI's order, unknown fields kept
/// (the Go SDK keeps them too when it rewrites the file).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) start_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) region: Option<String>,
    #[serde(default)]
    pub(crate) access_token: Option<Secret>,
    #[serde(default)]
    pub(crate) expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) client_secret: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) registration_expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) refresh_token: Option<Secret>,
    #[serde(flatten)]
    pub(crate) extra: serde_json::Map<String, serde_json::Value>,
}

/// A usable token read from the cache.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) access_token: Secret,
    pub(crate) expires_at: OffsetDateTime,
    pub(crate) file: TokenFile,
}

impl Token {
    /// Whether the portal rejected this token (`mark_rejected`) and no tool
    /// has renewed it since (botocore drops the mark when it rewrites the
    /// file; a tool that keeps unknown keys writes a later `expiresAt`).
    pub(crate) fn rejected(&self) -> bool {
        self.file
            .extra
            .get(REJECTED_AT)
            .and_then(serde_json::Value::as_str)
            .and_then(parse_timestamp)
            .is_some_and(|at| self.expires_at <= at)
    }

    /// Everything a refresh needs (docs/caches.md#token-refresh): a refresh token, the client
    /// registration and a registration that has not expired.
    pub(crate) fn refresh_material(&self, now: OffsetDateTime) -> Option<(&str, &str, &str)> {
        let f = &self.file;
        let reg_ok = f
            .registration_expires_at
            .as_deref()
            .and_then(parse_timestamp)
            .is_some_and(|t| t > now);
        match (&f.refresh_token, &f.client_id, &f.client_secret) {
            (Some(r), Some(id), Some(secret)) if reg_ok => Some((r.expose(), id, secret.expose())),
            _ => None,
        }
    }
}

/// The cache key: sha1 of the sso-session name, or of the start URL exactly
/// as configured for legacy profiles.
pub(crate) fn key(session: &SsoSession) -> String {
    sha1_hex(session.name.as_deref().unwrap_or(&session.start_url))
}

pub(crate) fn path(home: &Path, session: &SsoSession) -> PathBuf {
    sso_cache_dir(home).join(format!("{}.json", key(session)))
}

/// Read the session's token. Missing → None; unreadable, or lacking
/// `accessToken`/`expiresAt` → None with a warning.
pub(crate) fn load(home: &Path, session: &SsoSession) -> Option<Token> {
    let p = path(home, session);
    let Read::Present(file) = read_json::<TokenFile>(&p, "SSO token cache file") else {
        return None;
    };
    parse_file(file, &p)
}

pub(crate) fn parse_file(file: TokenFile, p: &Path) -> Option<Token> {
    let expires_at = file.expires_at.as_deref().and_then(parse_timestamp);
    match (&file.access_token, expires_at) {
        (Some(t), Some(exp)) if !t.is_empty() => Some(Token {
            access_token: t.clone(),
            expires_at: exp,
            file,
        }),
        _ => {
            super::warn_once(&format!(
                "the SSO token cache file {} lacks a valid accessToken/expiresAt; ignoring it",
                crate::text::printable(&p.display().to_string())
            ));
            None
        }
    }
}

/// Serialize exactly as the CLI does: one line of `json.dumps` output.
pub(crate) fn render(file: &TokenFile) -> String {
    py_json(file, PyFormatter::DEFAULT)
}

/// Save a newly obtained (or refreshed) token. A rejection mark carried over
/// from the previous token is dropped: it was about that token.
pub(crate) fn save(home: &Path, session: &SsoSession, file: &TokenFile) -> Result<()> {
    if file.extra.contains_key(REJECTED_AT) {
        let mut file = file.clone();
        file.extra.remove(REJECTED_AT);
        return write_atomic(&path(home, session), render(&file).as_bytes());
    }
    write_atomic(&path(home, session), render(file).as_bytes())
}

/// The key ssoenv adds to a token file when the portal rejected its token:
/// when that happened, by this machine's clock. Other tools ignore keys they
/// do not know.
pub(crate) const REJECTED_AT: &str = "ssoenvRejectedAt";

/// Record that the portal rejected `access_token` (a 401 from
/// GetRoleCredentials: the token was revoked or has expired server-side).
/// The file keeps its token, refresh token and client registration, but its
/// `expiresAt` moves back to `now` (never later than it was) and it is
/// marked `REJECTED_AT`: ssoenv, the AWS CLI and the SDKs then all see an
/// expired token, so the next use refreshes or logs in, `login` logs in
/// instead of saying "already logged in", and `status` says `rejected`.
/// The file is rewritten atomically, and left alone when it no longer holds
/// that token (someone logged in meanwhile) or cannot be read. Returns
/// whether it was marked.
pub(crate) fn mark_rejected(
    home: &Path,
    session: &SsoSession,
    access_token: &str,
    now: OffsetDateTime,
) -> Result<bool> {
    let p = path(home, session);
    let Read::Present(mut file) = read_json::<TokenFile>(&p, "SSO token cache file") else {
        return Ok(false);
    };
    if file.access_token.as_ref().map(Secret::expose) != Some(access_token) {
        return Ok(false);
    }
    let expires_at = file
        .expires_at
        .as_deref()
        .and_then(parse_timestamp)
        .map_or(now, |t| t.min(now));
    file.expires_at = Some(format_timestamp(expires_at));
    file.extra
        .insert(REJECTED_AT.to_owned(), format_timestamp(now).into());
    write_atomic(&p, render(&file).as_bytes())?;
    Ok(true)
}

/// `mark_rejected` for a caller that is already reporting the rejection:
/// a file that cannot be rewritten is a warning, not a second error.
pub(crate) fn note_rejected(
    home: &Path,
    session: &SsoSession,
    access_token: &str,
    now: OffsetDateTime,
) {
    if let Err(e) = mark_rejected(home, session, access_token, now) {
        crate::output::warn_error(&e);
    }
}

/// Build the file for a freshly obtained token (field order: docs/caches.md#token-file-format).
#[allow(clippy::too_many_arguments)]
pub(crate) fn new_file(
    session: &SsoSession,
    access_token: Secret,
    expires_at: OffsetDateTime,
    client_id: &str,
    client_secret: &Secret,
    registration_expires_at: OffsetDateTime,
    refresh_token: Option<Secret>,
    extra: serde_json::Map<String, serde_json::Value>,
) -> TokenFile {
    TokenFile {
        start_url: Some(session.start_url.clone()),
        region: Some(session.region.clone()),
        access_token: Some(access_token),
        expires_at: Some(format_timestamp(expires_at)),
        client_id: Some(client_id.to_owned()),
        client_secret: Some(client_secret.clone()),
        registration_expires_at: Some(format_timestamp(registration_expires_at)),
        refresh_token,
        extra,
    }
}

/// Store a refreshed token: the new access token and expiry (None when the
/// service's expiry was unusable: then the old access token and expiry stay),
/// the rotated refresh token (never dropping the one we have), and the
/// session's start URL and region. Returns the token as stored.
pub(crate) fn save_refreshed(
    home: &Path,
    session: &SsoSession,
    old: &Token,
    access_token: Secret,
    refresh_token: Option<Secret>,
    expires_at: Option<OffsetDateTime>,
) -> Result<Token> {
    let mut file = old.file.clone();
    file.start_url = Some(session.start_url.clone());
    file.region = Some(session.region.clone());
    if let Some(rt) = refresh_token {
        file.refresh_token = Some(rt);
    }
    let (access_token, expires_at) = match expires_at {
        Some(t) => {
            file.access_token = Some(access_token.clone());
            file.expires_at = Some(format_timestamp(t));
            (access_token, t)
        }
        None => (old.access_token.clone(), old.expires_at),
    };
    save(home, session, &file)?;
    Ok(Token {
        access_token,
        expires_at,
        file,
    })
}

/// Store the token a login just produced, with the client registration it
/// was obtained with, and read it back.
pub(crate) fn save_new(
    home: &Path,
    session: &SsoSession,
    access_token: Secret,
    expires_at: OffsetDateTime,
    registration: &super::registration::Registration,
    refresh_token: Option<Secret>,
) -> Result<Token> {
    let file = new_file(
        session,
        access_token,
        expires_at,
        &registration.client_id,
        &registration.client_secret,
        registration.expires_at,
        refresh_token,
        Default::default(),
    );
    save(home, session, &file)?;
    parse_file(file, &path(home, session))
        .ok_or_else(|| crate::error::Error::runtime("the new SSO token could not be read back"))
}

/// A token file found by [`scan`]: what `logout --all` needs to revoke it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) path: PathBuf,
    pub(crate) access_token: Secret,
    pub(crate) region: Option<String>,
    pub(crate) start_url: Option<String>,
}

/// Every SSO token file in `~/.aws/sso/cache` (sorted by path), whatever
/// session wrote it. Client registrations (no `accessToken`) are skipped.
pub(crate) fn scan(home: &Path) -> Vec<Found> {
    super::json_files(&sso_cache_dir(home))
        .into_iter()
        .filter_map(|path| {
            // Read loosely, as a value: a file of another shape is skipped, not reported.
            let Read::Present(v) = read_json::<serde_json::Value>(&path, "SSO cache file") else {
                return None;
            };
            let text = |k: &str| v.get(k).and_then(|t| t.as_str()).map(str::to_owned);
            Some(Found {
                access_token: text("accessToken")?.into(),
                region: text("region"),
                start_url: text("startUrl"),
                path,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_a_token_or_client_secret() {
        let text = r#"{"startUrl": "u", "region": "r", "accessToken": "ACCESS-TOKEN", "expiresAt": "2025-01-01T12:00:00Z", "clientId": "CID", "clientSecret": "CLIENT-SECRET", "registrationExpiresAt": "2025-02-01T00:00:00Z", "refreshToken": "REFRESH-TOKEN"}"#;
        let file: TokenFile = serde_json::from_str(text).unwrap();
        let tok = parse_file(file.clone(), Path::new("x")).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let cache = sso_cache_dir(tmp.path());
        std::fs::create_dir_all(&cache).unwrap();
        std::fs::write(cache.join("a.json"), text).unwrap();
        let found = scan(tmp.path());
        assert_eq!(found.len(), 1);
        let shown = format!("{file:?} {tok:?} {found:?} {tok:#?}");
        for secret in ["ACCESS-TOKEN", "CLIENT-SECRET", "REFRESH-TOKEN"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("CID"), "{shown}");
        // The file itself still carries them, byte for byte.
        assert_eq!(render(&file), text);
    }

    #[test]
    fn key_is_sha1_of_session_name_or_configured_start_url() {
        assert_eq!(
            key(&SsoSession::example(Some("my-sso"))),
            "0ad374308c5a4e22f723adf10145eafad7c4031c"
        );
        assert_eq!(
            key(&SsoSession::example(None)),
            sha1_hex("https://d-1234567890.awsapps.com/start")
        );
    }

    #[test]
    fn file_is_written_exactly_as_the_cli_writes_it() {
        let t = parse_timestamp("2025-01-01T12:00:00Z").unwrap();
        let r = parse_timestamp("2025-03-31T12:00:00Z").unwrap();
        let f = new_file(
            &SsoSession::example(Some("s")),
            "AT".into(),
            t,
            "CID",
            &"CS".into(),
            r,
            Some("RT".into()),
            Default::default(),
        );
        assert_eq!(
            render(&f),
            r#"{"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1", "accessToken": "AT", "expiresAt": "2025-01-01T12:00:00Z", "clientId": "CID", "clientSecret": "CS", "registrationExpiresAt": "2025-03-31T12:00:00Z", "refreshToken": "RT"}"#
        );
        let f = new_file(
            &SsoSession::example(Some("s")),
            "AT".into(),
            t,
            "CID",
            &"CS".into(),
            r,
            None,
            Default::default(),
        );
        assert!(!render(&f).contains("refreshToken"));
    }

    #[test]
    fn unknown_fields_survive_a_rewrite() {
        let text = r#"{"startUrl": "u", "region": "r", "accessToken": "a", "expiresAt": "2025-01-01T12:00:00UTC", "futureField": {"x": 1}}"#;
        let f: TokenFile = serde_json::from_str(text).unwrap();
        let tok = parse_file(f.clone(), Path::new("x")).unwrap();
        assert_eq!(
            tok.expires_at,
            parse_timestamp("2025-01-01T12:00:00Z").unwrap()
        );
        assert!(render(&f).contains(r#""futureField": {"x": 1}"#));
    }

    #[test]
    fn a_rejected_token_reads_as_expired_and_keeps_its_refresh_material() {
        let tmp = tempfile::tempdir().unwrap();
        let s = SsoSession::example(Some("corp"));
        let now = parse_timestamp("2025-01-01T10:00:00Z").unwrap();
        let f = new_file(
            &s,
            "AT".into(),
            now + time::Duration::hours(8),
            "CID",
            &"CS".into(),
            now + time::Duration::days(90),
            Some("RT".into()),
            Default::default(),
        );
        save(tmp.path(), &s, &f).unwrap();
        assert!(!load(tmp.path(), &s).unwrap().rejected());
        // Another token than the one in the file: left alone.
        assert!(!mark_rejected(tmp.path(), &s, "OTHER", now).unwrap());
        assert_eq!(
            std::fs::read_to_string(path(tmp.path(), &s)).unwrap(),
            render(&f)
        );

        assert!(mark_rejected(tmp.path(), &s, "AT", now).unwrap());
        let text = std::fs::read_to_string(path(tmp.path(), &s)).unwrap();
        assert_eq!(
            text,
            r#"{"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1", "accessToken": "AT", "expiresAt": "2025-01-01T10:00:00Z", "clientId": "CID", "clientSecret": "CS", "registrationExpiresAt": "2025-04-01T10:00:00Z", "refreshToken": "RT", "ssoenvRejectedAt": "2025-01-01T10:00:00Z"}"#
        );
        let tok = load(tmp.path(), &s).unwrap();
        assert!(tok.rejected());
        assert!(tok.expires_at <= now, "expired from now on");
        assert_eq!(tok.refresh_material(now), Some(("RT", "CID", "CS")));
        // An already expired token keeps its earlier expiry.
        let later = now + time::Duration::hours(1);
        assert!(mark_rejected(tmp.path(), &s, "AT", later).unwrap());
        let tok = load(tmp.path(), &s).unwrap();
        assert_eq!(tok.expires_at, now);
        assert!(tok.rejected());
        // A tool that keeps unknown keys renews it: no longer rejected.
        let mut renewed = tok.file.clone();
        renewed.access_token = Some("NEW".into());
        renewed.expires_at = Some(format_timestamp(later + time::Duration::hours(8)));
        crate::fs::write_atomic(&path(tmp.path(), &s), render(&renewed).as_bytes()).unwrap();
        assert!(!load(tmp.path(), &s).unwrap().rejected());
        // ssoenv saving a new token drops the mark.
        save(tmp.path(), &s, &tok.file).unwrap();
        let text = std::fs::read_to_string(path(tmp.path(), &s)).unwrap();
        assert!(!text.contains(REJECTED_AT), "{text}");
        // No file: nothing to mark.
        let none = SsoSession::example(Some("none"));
        assert!(!mark_rejected(tmp.path(), &none, "AT", now).unwrap());
        assert!(!path(tmp.path(), &none).exists());
    }

    #[test]
    fn refresh_needs_token_client_and_live_registration() {
        let now = parse_timestamp("2025-01-01T00:00:00Z").unwrap();
        let text = r#"{"accessToken": "a", "expiresAt": "2025-01-01T12:00:00Z", "clientId": "c", "clientSecret": "s", "registrationExpiresAt": "2025-02-01T00:00:00Z", "refreshToken": "r"}"#;
        let tok = parse_file(serde_json::from_str(text).unwrap(), Path::new("x")).unwrap();
        assert_eq!(tok.refresh_material(now), Some(("r", "c", "s")));
        let later = parse_timestamp("2025-03-01T00:00:00Z").unwrap();
        assert_eq!(tok.refresh_material(later), None);
    }
}
