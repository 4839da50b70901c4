//! Role-credential cache in the AWS CLI v2 format and key (docs/caches.md#role-credential-cache), so the
//! CLI and ssoenv reuse each other's role credentials.

use super::{
    PyFormatter, Read, cli_cache_dir, format_timestamp, parse_timestamp, py_json, read_json,
    sha1_hex,
};
use crate::config::ResolvedProfile;
use crate::error::Result;
use crate::fs::write_atomic;
use crate::secret::Secret;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct RoleFile {
    #[serde(rename = "ProviderType")]
    pub(crate) provider_type: String,
    #[serde(rename = "Credentials")]
    pub(crate) credentials: CredentialsFile,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CredentialsFile {
    pub(crate) access_key_id: String,
    pub(crate) secret_access_key: Secret,
    pub(crate) session_token: Secret,
    pub(crate) expiration: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) account_id: Option<String>,
}

use crate::aws::credentials::Credentials;

/// `sha1(json.dumps({"accountId","roleName","sessionName"|"startUrl"}, sort_keys=True, separators=(',',':')))`.
pub(crate) fn key(profile: &ResolvedProfile) -> String {
    let mut args = serde_json::Map::new();
    args.insert("accountId".into(), profile.account_id.clone().into());
    args.insert("roleName".into(), profile.role_name.clone().into());
    match &profile.sso.name {
        Some(n) => args.insert("sessionName".into(), n.clone().into()),
        None => args.insert("startUrl".into(), profile.sso.start_url.clone().into()),
    };
    // serde_json's default Map is a BTreeMap: keys come out sorted, as sort_keys=True.
    sha1_hex(&py_json(&args, PyFormatter::COMPACT))
}

pub(crate) fn path(home: &Path, profile: &ResolvedProfile) -> PathBuf {
    cli_cache_dir(home).join(format!("{}.json", key(profile)))
}

/// Any cached credentials for the profile (expired or not).
pub(crate) fn load(home: &Path, profile: &ResolvedProfile) -> Option<Credentials> {
    let Read::Present(f) =
        read_json::<RoleFile>(&path(home, profile), "role credential cache file")
    else {
        return None;
    };
    let c = f.credentials;
    Some(Credentials {
        expiration: parse_timestamp(&c.expiration)?,
        access_key_id: c.access_key_id,
        secret_access_key: c.secret_access_key,
        session_token: c.session_token,
    })
}

/// Cached credentials with more than 15 minutes left.
pub(crate) fn load_fresh(
    home: &Path,
    profile: &ResolvedProfile,
    now: OffsetDateTime,
) -> Option<Credentials> {
    load(home, profile).filter(|c| c.fresh_at(now))
}

pub(crate) fn render(profile: &ResolvedProfile, c: &Credentials) -> String {
    let f = RoleFile {
        provider_type: "sso".into(),
        credentials: CredentialsFile {
            access_key_id: c.access_key_id.clone(),
            secret_access_key: c.secret_access_key.clone(),
            session_token: c.session_token.clone(),
            expiration: format_timestamp(c.expiration),
            account_id: Some(profile.account_id.clone()),
        },
    };
    py_json(&f, PyFormatter::DEFAULT)
}

pub(crate) fn save(home: &Path, profile: &ResolvedProfile, c: &Credentials) -> Result<()> {
    write_atomic(&path(home, profile), render(profile, c).as_bytes())
}

/// Every SSO role-credential file in `~/.aws/cli/cache` (`ProviderType`
/// `sso`), sorted: what `logout --all` removes. Assume-role entries stay.
pub(crate) fn scan_sso(home: &Path) -> Vec<PathBuf> {
    super::json_files(&cli_cache_dir(home))
        .into_iter()
        .filter(|p| {
            matches!(read_json::<serde_json::Value>(p, "CLI cache file"),
                Read::Present(v) if v.get("ProviderType").and_then(|t| t.as_str()) == Some("sso"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConfiguredEndpoints, SsoSession};
    use time::Duration;

    fn profile(session: Option<&str>) -> ResolvedProfile {
        ResolvedProfile {
            name: "p".into(),
            sso: SsoSession {
                name: session.map(str::to_owned),
                start_url: "https://x.awsapps.com/start".into(),
                region: "us-east-1".into(),
                scopes: None,
            },
            account_id: "123456789012".into(),
            role_name: "ReadOnly".into(),
            region: None,
            endpoints: ConfiguredEndpoints::default(),
        }
    }

    #[test]
    fn debug_of_the_file_never_shows_the_secrets() {
        let f: RoleFile = serde_json::from_str(
            r#"{"ProviderType": "sso", "Credentials": {"AccessKeyId": "AK", "SecretAccessKey": "SECRET-KEY", "SessionToken": "SESSION-TOKEN", "Expiration": "2025-01-01T00:16:00Z"}}"#,
        )
        .unwrap();
        let shown = format!("{f:?}");
        assert!(shown.contains("AK"), "{shown}");
        assert!(
            !shown.contains("SECRET-KEY") && !shown.contains("SESSION-TOKEN"),
            "{shown}"
        );
    }

    #[test]
    fn key_matches_the_spec_vector() {
        assert_eq!(
            key(&profile(Some("my-sso"))),
            "31b260dab331b2af063485cea75f7b8b3cf54c71"
        );
        assert_eq!(
            key(&profile(None)),
            sha1_hex(
                r#"{"accountId":"123456789012","roleName":"ReadOnly","startUrl":"https://x.awsapps.com/start"}"#
            )
        );
    }

    #[test]
    fn file_matches_the_cli_format_and_reuse_needs_15_minutes() {
        let tmp = tempfile::tempdir().unwrap();
        let p = profile(Some("s"));
        let now = parse_timestamp("2025-01-01T00:00:00Z").unwrap();
        let c = Credentials {
            access_key_id: "AK".into(),
            secret_access_key: "SK".into(),
            session_token: "ST".into(),
            expiration: now + Duration::minutes(16),
        };
        assert_eq!(
            render(&p, &c),
            r#"{"ProviderType": "sso", "Credentials": {"AccessKeyId": "AK", "SecretAccessKey": "SK", "SessionToken": "ST", "Expiration": "2025-01-01T00:16:00Z", "AccountId": "123456789012"}}"#
        );
        save(tmp.path(), &p, &c).unwrap();
        assert_eq!(load_fresh(tmp.path(), &p, now), Some(c.clone()));
        assert_eq!(load_fresh(tmp.path(), &p, now + Duration::minutes(1)), None);
        assert_eq!(load(tmp.path(), &p), Some(c));
    }
}
