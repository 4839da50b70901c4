//! botocore's assume-role credential cache (docs/caches.md#assume-role-cache), shared with the AWS CLI in `~/.aws/cli/cache`: the same key
//! (a SHA-1 of the AssumeRole arguments as Python's `json.dumps` writes
//! them), the same one-line JSON (the whole AssumeRole answer plus
//! `AccountId`, `Expiration` as `…UTC`), and the same reuse rule (more than
//! 15 minutes left). Written atomically with mode 0600.

use super::{PyFormatter, Read, cli_cache_dir, parse_timestamp, py_json, read_json, sha1_hex};
use crate::aws::credentials::Credentials;
use crate::aws::http::check_credential;
use crate::aws::sts::{AssumeRoleOutput, AssumeRoleRequest};
use crate::error::Result;
use crate::secret::Secret;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// The cache key of an AssumeRole call (docs/caches.md#assume-role-cache): `RoleArn` and whichever of
/// `ExternalId`, `SerialNumber`, `DurationSeconds` (an integer) are set,
/// `RoleSessionName` only when the profile configured it (an
/// auto-generated name would make every key different), never `TokenCode`;
/// `json.dumps(sort_keys=True)` (`", "`/`": "`, non-ASCII escaped), then
/// lower-case hex SHA-1.
pub(crate) fn key(req: &AssumeRoleRequest, session_name_configured: bool) -> String {
    let mut args = serde_json::Map::new();
    args.insert("RoleArn".into(), req.role_arn.into());
    if session_name_configured {
        args.insert("RoleSessionName".into(), req.role_session_name.into());
    }
    if let Some(v) = req.external_id {
        args.insert("ExternalId".into(), v.into());
    }
    if let Some(v) = req.serial_number {
        args.insert("SerialNumber".into(), v.into());
    }
    if let Some(v) = req.duration_seconds {
        args.insert("DurationSeconds".into(), v.into());
    }
    // serde_json's default Map is a BTreeMap: keys come out sorted, as
    // sort_keys=True (the keys are ASCII, so byte order is code point order).
    sha1_hex(&py_json(&args, PyFormatter::DEFAULT))
}

/// `~/.aws/cli/cache/<key>.json`.
pub(crate) fn path(home: &Path, key: &str) -> PathBuf {
    cli_cache_dir(home).join(format!("{key}.json"))
}

#[derive(Deserialize)]
struct StoredFile {
    #[serde(rename = "Credentials")]
    credentials: StoredCredentials,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StoredCredentials {
    access_key_id: String,
    secret_access_key: Secret,
    session_token: Secret,
    expiration: String,
}

/// Any cached credentials under `key` (expired or not). A missing, corrupt
/// or oversized file, one of another shape, or values that are not
/// printable credentials read as none (corrupt ones with a warning).
/// Expirations are read leniently: `…UTC` (what botocore writes), `Z`,
/// `+00:00`, fractional seconds.
pub(crate) fn load(home: &Path, key: &str) -> Option<Credentials> {
    let file = path(home, key);
    let Read::Present(f) = read_json::<StoredFile>(&file, "assume-role cache file") else {
        return None;
    };
    let c = f.credentials;
    let valid = check_credential("AccessKeyId", &c.access_key_id)
        .and_then(|_| check_credential("SecretAccessKey", c.secret_access_key.expose()))
        .and_then(|_| check_credential("SessionToken", c.session_token.expose()));
    let expiration = parse_timestamp(&c.expiration);
    if let Err(why) = &valid {
        super::warn_once(&format!(
            "the assume-role cache file {} is invalid ({why}); ignoring it",
            crate::text::printable(&file.display().to_string())
        ));
        return None;
    }
    if expiration.is_none() {
        super::warn_once(&format!(
            "the assume-role cache file {} has an unreadable Expiration; ignoring it",
            crate::text::printable(&file.display().to_string())
        ));
    }
    Some(Credentials {
        expiration: expiration?,
        access_key_id: c.access_key_id,
        secret_access_key: c.secret_access_key,
        session_token: c.session_token,
    })
}

/// Cached credentials with more than 15 minutes left at `now`.
pub(crate) fn load_fresh(home: &Path, key: &str, now: OffsetDateTime) -> Option<Credentials> {
    load(home, key).filter(|c| c.fresh_at(now))
}

#[derive(Serialize)]
struct File<'a> {
    #[serde(rename = "Credentials")]
    credentials: FileCredentials<'a>,
    #[serde(rename = "AssumedRoleUser")]
    user: FileUser<'a>,
    #[serde(rename = "PackedPolicySize", skip_serializing_if = "Option::is_none")]
    packed_policy_size: Option<u64>,
    #[serde(rename = "SourceIdentity", skip_serializing_if = "Option::is_none")]
    source_identity: Option<&'a str>,
    #[serde(rename = "ResponseMetadata")]
    metadata: Metadata<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct FileCredentials<'a> {
    access_key_id: &'a str,
    secret_access_key: &'a str,
    session_token: &'a str,
    expiration: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_id: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct FileUser<'a> {
    assumed_role_id: &'a str,
    arn: &'a str,
}

#[derive(Serialize)]
struct Metadata<'a> {
    #[serde(rename = "RequestId", skip_serializing_if = "Option::is_none")]
    request_id: Option<&'a str>,
    #[serde(rename = "HTTPStatusCode")]
    http_status_code: u16,
    #[serde(rename = "HTTPHeaders")]
    http_headers: serde_json::Map<String, serde_json::Value>,
    #[serde(rename = "RetryAttempts")]
    retry_attempts: u32,
}

/// `strftime('%Y-%m-%dT%H:%M:%S%Z')` of a UTC datetime: `…UTC`, whole seconds.
pub(crate) fn format_expiration(t: OffsetDateTime) -> String {
    let z = crate::cache::format_timestamp(t);
    format!("{}UTC", z.strip_suffix('Z').unwrap_or(&z))
}

/// The file botocore writes for `out` (docs/caches.md#assume-role-cache): one line, Python `json.dumps`
/// spacing, the model's key order, `AccountId` from the assumed-role ARN.
pub(crate) fn render(out: &AssumeRoleOutput) -> String {
    let c = &out.credentials;
    let file = File {
        credentials: FileCredentials {
            access_key_id: &c.access_key_id,
            secret_access_key: c.secret_access_key.expose(),
            session_token: c.session_token.expose(),
            expiration: format_expiration(c.expiration),
            account_id: out.account_id(),
        },
        user: FileUser {
            assumed_role_id: &out.assumed_role_id,
            arn: &out.assumed_role_arn,
        },
        packed_policy_size: out.packed_policy_size,
        source_identity: out.source_identity.as_deref(),
        metadata: Metadata {
            request_id: out.request_id.as_deref(),
            http_status_code: 200,
            http_headers: serde_json::Map::new(),
            retry_attempts: 0,
        },
    };
    py_json(&file, PyFormatter::DEFAULT)
}

/// Store `out` under `key`, atomically, mode 0600.
pub(crate) fn save(home: &Path, key: &str, out: &AssumeRoleOutput) -> Result<()> {
    crate::fs::write_atomic(&path(home, key), render(out).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;
    use time::macros::datetime;

    const ROLE: &str = "arn:aws:iam::123456789012:role/demo";

    fn req<'a>() -> AssumeRoleRequest<'a> {
        AssumeRoleRequest {
            role_arn: ROLE,
            role_session_name: "botocore-session-1764228239",
            external_id: None,
            duration_seconds: None,
            serial_number: None,
            token_code: None,
        }
    }

    fn output() -> AssumeRoleOutput {
        AssumeRoleOutput {
            credentials: Credentials {
                access_key_id: "ASIAIOSFODNN7EXAMPLE".into(),
                secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY".into(),
                session_token: "FQoGZXIvYXdzEXAMPLETOKEN".into(),
                expiration: datetime!(2026-11-27 08:23:59.611 UTC),
            },
            assumed_role_arn: "arn:aws:sts::123456789012:assumed-role/demo/alice".into(),
            assumed_role_id: "AROA3XFRBF535PLBIFPI4:alice".into(),
            packed_policy_size: Some(6),
            source_identity: Some("DevUser123".into()),
            request_id: Some("c6104cbe-af31-11e0-8154-cbc7ccf896c7".into()),
        }
    }

    #[test]
    fn keys_match_every_verified_key_of_the_spec() {
        // The auto-generated session name stays out of the key.
        assert_eq!(
            key(&req(), false),
            "5f52c9c583acfd120a607977e4f21fe86b7fa42d"
        );
        let r = AssumeRoleRequest {
            role_session_name: "alice",
            external_id: Some("ext-123"),
            duration_seconds: Some(1800),
            ..req()
        };
        assert_eq!(key(&r, true), "f34c59e6c9abae875cf03176bcba59620b47bf3a");
        // TokenCode never enters the key; SerialNumber does.
        let r = AssumeRoleRequest {
            serial_number: Some("arn:aws:iam::111122223333:mfa/alice"),
            token_code: Some("123456"),
            ..req()
        };
        assert_eq!(key(&r, false), "76e60cba89dbe99bbf462837be830aaa6990c2cd");
    }

    #[test]
    fn non_ascii_arguments_are_escaped_before_hashing() {
        let r = AssumeRoleRequest {
            role_session_name: "\u{fc}n\u{ef}",
            ..req()
        };
        // python3: json.dumps({"RoleArn": ROLE, "RoleSessionName": "ünï"}, sort_keys=True)
        assert_eq!(
            sha1_hex(&format!(
                r#"{{"RoleArn": "{ROLE}", "RoleSessionName": "\u00fcn\u00ef"}}"#
            )),
            "2d06351e98bd99bb3b2b2c36e51a623ba34aa7a1"
        );
        assert_eq!(key(&r, true), "2d06351e98bd99bb3b2b2c36e51a623ba34aa7a1");
    }

    #[test]
    fn the_file_is_the_json_botocore_writes() {
        assert_eq!(
            render(&output()),
            r#"{"Credentials": {"AccessKeyId": "ASIAIOSFODNN7EXAMPLE", "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY", "SessionToken": "FQoGZXIvYXdzEXAMPLETOKEN", "Expiration": "2026-11-27T08:23:59UTC", "AccountId": "123456789012"}, "AssumedRoleUser": {"AssumedRoleId": "AROA3XFRBF535PLBIFPI4:alice", "Arn": "arn:aws:sts::123456789012:assumed-role/demo/alice"}, "PackedPolicySize": 6, "SourceIdentity": "DevUser123", "ResponseMetadata": {"RequestId": "c6104cbe-af31-11e0-8154-cbc7ccf896c7", "HTTPStatusCode": 200, "HTTPHeaders": {}, "RetryAttempts": 0}}"#
        );
        let bare = AssumeRoleOutput {
            packed_policy_size: None,
            source_identity: None,
            request_id: None,
            assumed_role_arn: "not-an-arn".into(),
            ..output()
        };
        let text = render(&bare);
        assert!(!text.contains("PackedPolicySize") && !text.contains("SourceIdentity"));
        assert!(!text.contains("AccountId") && !text.contains("RequestId"));
    }

    #[test]
    fn saved_credentials_load_back_and_are_reused_with_more_than_15_minutes_left() {
        let tmp = tempfile::tempdir().unwrap();
        let k = key(&req(), false);
        assert_eq!(load(tmp.path(), &k), None);
        save(tmp.path(), &k, &output()).unwrap();
        let p = path(tmp.path(), &k);
        assert_eq!(
            p,
            tmp.path()
                .join(".aws/cli/cache/5f52c9c583acfd120a607977e4f21fe86b7fa42d.json")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let loaded = load(tmp.path(), &k).unwrap();
        // Whole seconds, as the file has them.
        assert_eq!(loaded.expiration, datetime!(2026-11-27 08:23:59 UTC));
        assert_eq!(loaded.session_token, "FQoGZXIvYXdzEXAMPLETOKEN");
        let exp = loaded.expiration;
        assert!(load_fresh(tmp.path(), &k, exp - Duration::minutes(20)).is_some());
        assert!(load_fresh(tmp.path(), &k, exp - Duration::minutes(14)).is_none());
        assert!(load_fresh(tmp.path(), &k, exp - Duration::minutes(15)).is_none());
    }

    #[test]
    fn expirations_are_read_in_every_form_found_in_the_wild() {
        let tmp = tempfile::tempdir().unwrap();
        let k = "k";
        for exp in [
            "2026-11-27T08:23:59UTC",
            "2026-11-27T08:23:59Z",
            "2026-11-27T08:23:59+00:00",
            "2026-11-27T08:23:59.000Z",
            "2026-11-27T09:23:59+01:00",
        ] {
            let body = format!(
                r#"{{"Credentials": {{"AccessKeyId": "A", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": "{exp}"}}}}"#
            );
            crate::fs::write_atomic(&path(tmp.path(), k), body.as_bytes()).unwrap();
            assert_eq!(
                load(tmp.path(), k).map(|c| c.expiration),
                Some(datetime!(2026-11-27 08:23:59 UTC)),
                "{exp}"
            );
        }
    }

    #[test]
    fn hostile_or_corrupt_cache_files_read_as_absent() {
        let tmp = tempfile::tempdir().unwrap();
        let k = "k";
        let file = |exp: &str, token: &str| {
            format!(
                r#"{{"Credentials": {{"AccessKeyId": "A", "SecretAccessKey": "S", "SessionToken": "{token}", "Expiration": "{exp}"}}}}"#
            )
        };
        for body in [
            String::new(),
            "{".into(),
            r#"{"Credentials": {}}"#.into(),
            r#"{"Credentials": {"AccessKeyId": 1}}"#.into(),
            file("tomorrow", "T"),
            file("2026-11-27T08:23:59Z", "T\\u001b]0;x\\u0007"),
            file("2026-11-27T08:23:59Z", ""),
            file("2026-11-27T08:23:59Z", "two words"),
        ] {
            crate::fs::write_atomic(&path(tmp.path(), k), body.as_bytes()).unwrap();
            assert_eq!(load(tmp.path(), k), None, "{body}");
        }
        // Too large: never read whole.
        let big = format!("{} ", file("2026-11-27T08:23:59Z", "T")).repeat(20_000);
        crate::fs::write_atomic(&path(tmp.path(), k), big.as_bytes()).unwrap();
        assert_eq!(load(tmp.path(), k), None);
        #[cfg(unix)]
        {
            let p = path(tmp.path(), k);
            std::fs::remove_file(&p).unwrap();
            std::os::unix::fs::symlink("/dev/zero", &p).unwrap();
            assert_eq!(load(tmp.path(), k), None);
        }
    }

    #[test]
    fn botocore_reuses_the_file_ssoenv_writes_without_calling_sts() {
        // The AWS CLI's own reader: AssumeRoleCredentialFetcher over a
        // JSONFileCache of the directory, with an STS client that must not be made.
        if !crate::test_support::have_botocore() {
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let expiration = OffsetDateTime::now_utc() + Duration::hours(1);
        let out = AssumeRoleOutput {
            credentials: Credentials {
                expiration,
                ..output().credentials
            },
            ..output()
        };
        save(tmp.path(), &key(&req(), false), &out).unwrap();
        let script = r#"
import sys
from botocore.credentials import AssumeRoleCredentialFetcher, Credentials
from botocore.utils import JSONFileCache
def no_sts(*args, **kwargs):
    raise SystemExit("the cache was not used: STS was called")
f = AssumeRoleCredentialFetcher(no_sts, Credentials("a", "b"), sys.argv[2],
                                cache=JSONFileCache(sys.argv[1]))
c = f.fetch_credentials()
print(c["access_key"], c["token"], c["account_id"], c["expiry_time"])
"#;
        let run = std::process::Command::new("python3")
            .arg("-c")
            .arg(script)
            .arg(super::super::cli_cache_dir(tmp.path()))
            .arg(ROLE)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&run.stdout).trim(),
            format!(
                "ASIAIOSFODNN7EXAMPLE FQoGZXIvYXdzEXAMPLETOKEN 123456789012 {}",
                format_expiration(expiration)
            )
        );
    }

    /// Moved from aws/sts.rs (aws does not import cache): the emulator's
    /// answer, cached as botocore caches it.
    #[test]
    fn assume_role_against_the_emulator_issues_a_chained_session_and_caches_it() {
        let emu = ssoenv_emulator::Emulator::start(Default::default()).unwrap();
        // The endpoint comes from AWS_ENDPOINT_URL_STS, signed for the client's region.
        let env = crate::env::Env::from_pairs([("AWS_ENDPOINT_URL_STS", emu.url())]);
        let (url, region) = crate::aws::endpoint::sts_endpoint(
            Some("eu-west-1"),
            &crate::config::ConfiguredEndpoints::default(),
            &env,
        )
        .unwrap();
        assert_eq!(
            (url.as_str(), region.as_str()),
            (emu.url().as_str(), "eu-west-1")
        );
        let http = crate::aws::http::Http::new(&env).unwrap();
        let source = crate::aws::sts::tests::emulator_role_credentials(&emu, &http);
        let sts = crate::aws::sts::Sts {
            http: &http,
            url: &url,
            region: &region,
            now: OffsetDateTime::now_utc,
        };
        let req = AssumeRoleRequest {
            external_id: Some("ext-123"),
            duration_seconds: Some(1800),
            ..crate::aws::sts::tests::ALICE
        };
        let out = sts.assume_role(&source, &req).unwrap();
        assert_eq!(
            out.assumed_role_arn,
            "arn:aws:sts::222222222222:assumed-role/demo/alice"
        );
        assert_eq!(out.account_id(), Some("222222222222"));
        assert!(out.assumed_role_id.ends_with(":alice"));
        assert!(out.request_id.is_some());
        let left = out.credentials.expiration - OffsetDateTime::now_utc();
        assert!((time::Duration::minutes(29)..=time::Duration::minutes(30)).contains(&left));
        let issued = emu
            .issued_credentials(&out.credentials.access_key_id)
            .unwrap();
        assert!(issued.chained);
        assert_eq!(
            issued.secret_access_key,
            out.credentials.secret_access_key.expose()
        );
        assert_eq!(issued.session_token, out.credentials.session_token.expose());
        let last = emu.last_assume_role().unwrap();
        assert_eq!(last.source_access_key_id, source.access_key_id);
        assert_eq!(last.external_id.as_deref(), Some("ext-123"));
        assert_eq!(last.duration_seconds.as_deref(), Some("1800"));

        // The answer goes into botocore's cache and comes back.
        let home = tempfile::tempdir().unwrap();
        let key = key(&req, true);
        save(home.path(), &key, &out).unwrap();
        let cached = load_fresh(home.path(), &key, OffsetDateTime::now_utc()).unwrap();
        assert_eq!(cached.access_key_id, out.credentials.access_key_id);

        // Chaining from the new session works too.
        let again = AssumeRoleRequest {
            external_id: None,
            duration_seconds: None,
            ..req
        };
        assert!(sts.assume_role(&out.credentials, &again).is_ok());
    }
}
