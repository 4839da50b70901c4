//! Client-registration cache (docs/caches.md#registration-cache): the OIDC client ssoenv registers is
//! stored where and how the AWS CLI stores it, and reused until 15 minutes
//! before it expires.

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

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RegistrationFile {
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    pub(crate) expires_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) scopes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) grant_types: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub(crate) struct Registration {
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    pub(crate) expires_at: OffsetDateTime,
}

/// `sha1(json.dumps({"tool","startUrl","region","scopes","session_name"}, sort_keys=True))`.
pub fn key(session: &SsoSession) -> String {
    #[derive(Serialize)]
    struct Args<'a> {
        region: &'a str,
        scopes: Option<&'a [String]>,
        session_name: Option<&'a str>,
        #[serde(rename = "startUrl")]
        start_url: &'a str,
        tool: &'a str,
    }
    let args = Args {
        region: &session.region,
        scopes: session.scopes.as_deref(),
        session_name: session.name.as_deref(),
        start_url: &session.start_url,
        tool: "botocore",
    };
    sha1_hex(&py_json(&args, PyFormatter::DEFAULT))
}

pub(crate) fn path(home: &Path, session: &SsoSession) -> PathBuf {
    sso_cache_dir(home).join(format!("{}.json", key(session)))
}

/// Which flow a registration serves. Both share one file (the same key):
/// the CLI tells them apart by `grantTypes` (docs/caches.md#registration-cache),
/// so a login with the other flow registers again and overwrites the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Device code: no `grantTypes`, `scopes` only when configured.
    Device,
    /// Authorization code with PKCE: `grantTypes` with `authorization_code`.
    AuthCode,
}

impl Kind {
    /// botocore's `_is_registration_for_auth_code`: `grantTypes` present and
    /// holding `authorization_code`.
    fn of(f: &RegistrationFile) -> Kind {
        match &f.grant_types {
            Some(g) if g.iter().any(|t| t == crate::aws::oidc::AUTH_CODE_GRANT) => Kind::AuthCode,
            _ => Kind::Device,
        }
    }
}

/// A cached device-flow registration with more than 15 minutes left.
/// Auth-code (PKCE) registrations share the key but not the flow: not reused.
pub(crate) fn load_reusable(
    home: &Path,
    session: &SsoSession,
    now: OffsetDateTime,
) -> Option<Registration> {
    load_reusable_for(home, session, now, Kind::Device)
}

/// A cached registration for the `kind` flow with more than 15 minutes left;
/// one made for the other flow is not reused (docs/caches.md#registration-cache).
pub(crate) fn load_reusable_for(
    home: &Path,
    session: &SsoSession,
    now: OffsetDateTime,
    kind: Kind,
) -> Option<Registration> {
    let Read::Present(f) =
        read_json::<RegistrationFile>(&path(home, session), "client registration cache file")
    else {
        return None;
    };
    let expires_at = parse_timestamp(&f.expires_at)?;
    if Kind::of(&f) != kind || expires_at - now <= crate::aws::REFRESH_WINDOW {
        return None;
    }
    Some(Registration {
        client_id: f.client_id,
        client_secret: f.client_secret,
        expires_at,
    })
}

/// Store a device-flow registration: `scopes` only when configured, no `grantTypes`.
pub(crate) fn save(home: &Path, session: &SsoSession, reg: &Registration) -> Result<()> {
    write(home, session, reg, session.scopes.clone(), None)
}

/// Store a PKCE registration as the CLI does: the scopes it registered with
/// and `grantTypes` (docs/caches.md#registration-cache).
pub(crate) fn save_auth_code(
    home: &Path,
    session: &SsoSession,
    reg: &Registration,
    scopes: &[String],
) -> Result<()> {
    let grants = crate::aws::oidc::AUTH_CODE_GRANT_TYPES.map(str::to_owned);
    write(
        home,
        session,
        reg,
        Some(scopes.to_vec()),
        Some(grants.to_vec()),
    )
}

fn write(
    home: &Path,
    session: &SsoSession,
    reg: &Registration,
    scopes: Option<Vec<String>>,
    grant_types: Option<Vec<String>>,
) -> Result<()> {
    let f = RegistrationFile {
        client_id: reg.client_id.clone(),
        client_secret: reg.client_secret.clone(),
        expires_at: format_timestamp(reg.expires_at),
        scopes,
        grant_types,
    };
    write_atomic(
        &path(home, session),
        py_json(&f, PyFormatter::DEFAULT).as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    #[test]
    fn debug_never_shows_the_client_secret() {
        let f: RegistrationFile = serde_json::from_str(
            r#"{"clientId": "CID", "clientSecret": "CLIENT-SECRET", "expiresAt": "2030-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        let reg = Registration {
            client_id: "CID".into(),
            client_secret: "CLIENT-SECRET".into(),
            expires_at: parse_timestamp("2030-01-01T00:00:00Z").unwrap(),
        };
        let shown = format!("{f:?} {reg:?}");
        assert!(shown.contains("CID"), "{shown}");
        assert!(!shown.contains("CLIENT-SECRET"), "{shown}");
    }

    #[test]
    fn key_matches_the_spec_vector() {
        let s = SsoSession {
            name: Some("my-sso".into()),
            start_url: "https://d-1234567890.awsapps.com/start".into(),
            region: "us-east-1".into(),
            scopes: Some(vec!["sso:account:access".into()]),
        };
        assert_eq!(key(&s), "a8343d65418848d0bc13a5f25cbb32508ceec5d1");
    }

    #[test]
    fn legacy_key_uses_nulls() {
        let s = SsoSession {
            name: None,
            start_url: "https://x.awsapps.com/start".into(),
            region: "eu-west-1".into(),
            scopes: None,
        };
        assert_eq!(
            key(&s),
            sha1_hex(
                r#"{"region": "eu-west-1", "scopes": null, "session_name": null, "startUrl": "https://x.awsapps.com/start", "tool": "botocore"}"#
            )
        );
    }

    #[test]
    fn expiring_or_pkce_registrations_are_not_reused() {
        let tmp = tempfile::tempdir().unwrap();
        let s = SsoSession {
            name: Some("a".into()),
            start_url: "u".into(),
            region: "r".into(),
            scopes: None,
        };
        let now = parse_timestamp("2025-01-01T00:00:00Z").unwrap();
        let reg = Registration {
            client_id: "c".into(),
            client_secret: "s".into(),
            expires_at: now + Duration::minutes(16),
        };
        save(tmp.path(), &s, &reg).unwrap();
        assert!(load_reusable(tmp.path(), &s, now).is_some());
        assert!(load_reusable(tmp.path(), &s, now + Duration::minutes(2)).is_none());
        std::fs::write(
            path(tmp.path(), &s),
            r#"{"clientId": "c", "clientSecret": "s", "expiresAt": "2030-01-01T00:00:00Z", "grantTypes": ["authorization_code", "refresh_token"]}"#,
        )
        .unwrap();
        assert!(load_reusable(tmp.path(), &s, now).is_none());
        assert!(load_reusable_for(tmp.path(), &s, now, Kind::AuthCode).is_some());
    }

    #[test]
    fn a_pkce_registration_is_written_as_the_cli_writes_it_and_reused_by_pkce_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let s = SsoSession {
            name: Some("my-sso".into()),
            start_url: "https://d-1234567890.awsapps.com/start".into(),
            region: "us-east-1".into(),
            scopes: None,
        };
        let now = parse_timestamp("2027-02-25T07:00:00Z").unwrap();
        let reg = Registration {
            client_id: "exampleClientId".into(),
            client_secret: "exampleClientSecret".into(),
            expires_at: parse_timestamp("2027-02-25T07:28:35Z").unwrap(),
        };
        save_auth_code(tmp.path(), &s, &reg, &["sso:account:access".into()]).unwrap();
        // docs/caches.md#registration-cache, byte for byte, under its key.
        let p = path(tmp.path(), &s);
        assert!(p.ends_with("8b2cedd020fb181ad4cf906d1d27b232fd31557e.json"));
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            r#"{"clientId": "exampleClientId", "clientSecret": "exampleClientSecret", "expiresAt": "2027-02-25T07:28:35Z", "scopes": ["sso:account:access"], "grantTypes": ["authorization_code", "refresh_token"]}"#
        );
        assert!(load_reusable_for(tmp.path(), &s, now, Kind::AuthCode).is_some());
        assert!(load_reusable(tmp.path(), &s, now).is_none());
        // The device flow's registration then overwrites the same file, without the two keys.
        save(tmp.path(), &s, &reg).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            r#"{"clientId": "exampleClientId", "clientSecret": "exampleClientSecret", "expiresAt": "2027-02-25T07:28:35Z"}"#
        );
        assert!(load_reusable_for(tmp.path(), &s, now, Kind::AuthCode).is_none());
        // Both need more than 15 minutes left.
        save_auth_code(tmp.path(), &s, &reg, &["sso:account:access".into()]).unwrap();
        let late = parse_timestamp("2027-02-25T07:14:00Z").unwrap();
        assert!(load_reusable_for(tmp.path(), &s, late, Kind::AuthCode).is_none());
    }
}
