//! SSO token cache: `~/.aws/sso/cache/<sha1>.json`, byte-compatible with the
//! AWS CLI v2 (spec §4.1) so that `aws`, boto3 and ssoenv share one login.

use super::{
    PyFormatter, Read, format_timestamp, parse_timestamp, py_json, read_json, sha1_hex,
    sso_cache_dir, write_atomic,
};
use crate::config::SsoSession;
use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// The file as the CLI writes it; fields in the CLI's order, unknown fields kept
/// (the Go SDK keeps them too when it rewrites the file).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TokenFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A usable token read from the cache.
#[derive(Debug, Clone)]
pub struct Token {
    pub access_token: String,
    pub expires_at: OffsetDateTime,
    pub file: TokenFile,
}

impl Token {
    /// Everything a refresh needs (spec §4.1): a refresh token, the client
    /// registration and a registration that has not expired.
    pub fn refresh_material(&self, now: OffsetDateTime) -> Option<(&str, &str, &str)> {
        let f = &self.file;
        let reg_ok = f
            .registration_expires_at
            .as_deref()
            .and_then(parse_timestamp)
            .is_some_and(|t| t > now);
        match (&f.refresh_token, &f.client_id, &f.client_secret) {
            (Some(r), Some(id), Some(secret)) if reg_ok => Some((r, id, secret)),
            _ => None,
        }
    }
}

/// The cache key: sha1 of the sso-session name, or of the start URL exactly
/// as configured for legacy profiles.
pub fn key(session: &SsoSession) -> String {
    sha1_hex(session.name.as_deref().unwrap_or(&session.start_url))
}

pub fn path(home: &Path, session: &SsoSession) -> PathBuf {
    sso_cache_dir(home).join(format!("{}.json", key(session)))
}

/// Read the session's token. Missing → None; unreadable, or lacking
/// `accessToken`/`expiresAt` → None with a warning.
pub fn load(home: &Path, session: &SsoSession) -> Option<Token> {
    let p = path(home, session);
    let Read::Present(file) = read_json::<TokenFile>(&p, "SSO token cache file") else {
        return None;
    };
    parse_file(file, &p)
}

pub fn parse_file(file: TokenFile, p: &Path) -> Option<Token> {
    let expires_at = file.expires_at.as_deref().and_then(parse_timestamp);
    match (&file.access_token, expires_at) {
        (Some(t), Some(exp)) if !t.is_empty() => Some(Token {
            access_token: t.clone(),
            expires_at: exp,
            file,
        }),
        _ => {
            super::warn_once(&format!(
                "ssoenv: warning: the SSO token cache file {} lacks a valid accessToken/expiresAt; ignoring it",
                crate::text::printable(&p.display().to_string())
            ));
            None
        }
    }
}

/// Serialize exactly as the CLI does: one line of `json.dumps` output.
pub fn render(file: &TokenFile) -> String {
    py_json(file, PyFormatter::DEFAULT)
}

pub fn save(home: &Path, session: &SsoSession, file: &TokenFile) -> Result<()> {
    write_atomic(&path(home, session), render(file).as_bytes())
}

/// Build the file for a freshly obtained token (spec §4.1 field order).
#[allow(clippy::too_many_arguments)]
pub fn new_file(
    session: &SsoSession,
    access_token: String,
    expires_at: OffsetDateTime,
    client_id: &str,
    client_secret: &str,
    registration_expires_at: OffsetDateTime,
    refresh_token: Option<String>,
    extra: serde_json::Map<String, serde_json::Value>,
) -> TokenFile {
    TokenFile {
        start_url: Some(session.start_url.clone()),
        region: Some(session.region.clone()),
        access_token: Some(access_token),
        expires_at: Some(format_timestamp(expires_at)),
        client_id: Some(client_id.to_owned()),
        client_secret: Some(client_secret.to_owned()),
        registration_expires_at: Some(format_timestamp(registration_expires_at)),
        refresh_token,
        extra,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(name: Option<&str>) -> SsoSession {
        SsoSession {
            name: name.map(str::to_owned),
            start_url: "https://d-1234567890.awsapps.com/start".into(),
            region: "us-east-1".into(),
            scopes: None,
        }
    }

    #[test]
    fn key_is_sha1_of_session_name_or_configured_start_url() {
        assert_eq!(
            key(&session(Some("my-sso"))),
            "0ad374308c5a4e22f723adf10145eafad7c4031c"
        );
        assert_eq!(
            key(&session(None)),
            sha1_hex("https://d-1234567890.awsapps.com/start")
        );
    }

    #[test]
    fn file_is_written_exactly_as_the_cli_writes_it() {
        let t = parse_timestamp("2025-01-01T12:00:00Z").unwrap();
        let r = parse_timestamp("2025-03-31T12:00:00Z").unwrap();
        let f = new_file(
            &session(Some("s")),
            "AT".into(),
            t,
            "CID",
            "CS",
            r,
            Some("RT".into()),
            Default::default(),
        );
        assert_eq!(
            render(&f),
            r#"{"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1", "accessToken": "AT", "expiresAt": "2025-01-01T12:00:00Z", "clientId": "CID", "clientSecret": "CS", "registrationExpiresAt": "2025-03-31T12:00:00Z", "refreshToken": "RT"}"#
        );
        let f = new_file(
            &session(Some("s")),
            "AT".into(),
            t,
            "CID",
            "CS",
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
    fn refresh_needs_token_client_and_live_registration() {
        let now = parse_timestamp("2025-01-01T00:00:00Z").unwrap();
        let text = r#"{"accessToken": "a", "expiresAt": "2025-01-01T12:00:00Z", "clientId": "c", "clientSecret": "s", "registrationExpiresAt": "2025-02-01T00:00:00Z", "refreshToken": "r"}"#;
        let tok = parse_file(serde_json::from_str(text).unwrap(), Path::new("x")).unwrap();
        assert_eq!(tok.refresh_material(now), Some(("r", "c", "s")));
        let later = parse_timestamp("2025-03-01T00:00:00Z").unwrap();
        assert_eq!(tok.refresh_material(later), None);
    }
}
