//! Temporary AWS credentials and the forms they are printed in: shell
//! variables (see `credentials::env`), the `credential_process` JSON and the
//! container-credentials JSON (docs/credential-process.md#credential_process,
//! docs/credential-process.md#container-endpoint). Low
//! level on purpose: the caches, `use`, `exec` and a future credential server
//! all share this one type.

use crate::secret::Secret;
use serde::Serialize;
use time::OffsetDateTime;

/// Temporary credentials for one role. `Debug` shows the access key id and
/// the expiration, never the secret key or the session token (as
/// aws-config's `Credentials`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Credentials {
    pub(crate) access_key_id: String,
    pub(crate) secret_access_key: Secret,
    pub(crate) session_token: Secret,
    pub(crate) expiration: OffsetDateTime,
}

/// Timestamps as AWS tools print them: `%Y-%m-%dT%H:%M:%SZ`, UTC, whole seconds.
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

impl Credentials {
    /// Whether these have more than [`super::REFRESH_WINDOW`] left at `now`:
    /// what a cache reuses and a credential source hands out, so that an SDK
    /// does not fetch again on every request.
    pub(crate) fn fresh_at(&self, now: OffsetDateTime) -> bool {
        self.expiration
            .checked_sub(super::REFRESH_WINDOW)
            .is_some_and(|t| t > now)
    }

    /// `Expiration` as RFC 3339 with `Z` (botocore needs a zone).
    pub(crate) fn expiration_text(&self) -> String {
        format_timestamp(self.expiration)
    }

    /// What a `credential_process` prints on stdout: `Version` is the
    /// integer 1 (the string `"1"` is refused by botocore, docs/credential-process.md#credential_process).
    pub(crate) fn credential_process_json(&self) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out<'a> {
            version: u8,
            access_key_id: &'a str,
            secret_access_key: &'a str,
            session_token: &'a str,
            expiration: String,
        }
        serde_json::to_string(&Out {
            version: 1,
            access_key_id: &self.access_key_id,
            secret_access_key: self.secret_access_key.expose(),
            session_token: self.session_token.expose(),
            expiration: self.expiration_text(),
        })
        .expect("plain data serializes")
    }

    /// What a container-credentials endpoint answers (docs/credential-process.md#container-endpoint): the session
    /// token is `Token` here, and all four keys are required.
    pub(crate) fn container_json(&self) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Out<'a> {
            access_key_id: &'a str,
            secret_access_key: &'a str,
            token: &'a str,
            expiration: String,
        }
        serde_json::to_string(&Out {
            access_key_id: &self.access_key_id,
            secret_access_key: self.secret_access_key.expose(),
            token: self.session_token.expose(),
            expiration: self.expiration_text(),
        })
        .expect("plain data serializes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: "se/cr+et\"\\".into(),
            session_token: "TOKEN".into(),
            expiration: time::macros::datetime!(2030-01-01 0:00:00.5 UTC),
        }
    }

    #[test]
    fn credential_process_json_has_integer_version_and_a_zoned_expiration() {
        assert_eq!(
            creds().credential_process_json(),
            r#"{"Version":1,"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"se/cr+et\"\\","SessionToken":"TOKEN","Expiration":"2030-01-01T00:00:00Z"}"#
        );
    }

    #[test]
    fn container_json_calls_the_session_token_token() {
        assert_eq!(
            creds().container_json(),
            r#"{"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"se/cr+et\"\\","Token":"TOKEN","Expiration":"2030-01-01T00:00:00Z"}"#
        );
    }

    #[test]
    fn both_json_forms_parse_back_to_the_same_values() {
        let c = creds();
        let p: serde_json::Value = serde_json::from_str(&c.credential_process_json()).unwrap();
        assert_eq!(p["Version"], serde_json::json!(1));
        assert_eq!(p["SecretAccessKey"], c.secret_access_key.expose());
        let k: serde_json::Value = serde_json::from_str(&c.container_json()).unwrap();
        assert_eq!(k["Token"], c.session_token.expose());
        assert!(k.get("SessionToken").is_none() && k.get("Version").is_none());
    }

    #[test]
    fn debug_shows_the_key_id_and_never_the_secrets() {
        let shown = format!("{:?} {:#?}", creds(), creds());
        assert!(shown.contains("ASIAEXAMPLE"), "{shown}");
        assert!(
            !shown.contains("se/cr") && !shown.contains("TOKEN"),
            "{shown}"
        );
    }

    #[test]
    fn timestamps_are_utc_with_z_whatever_the_offset() {
        let t = time::macros::datetime!(2025-06-01 12:00 +02:00);
        assert_eq!(format_timestamp(t), "2025-06-01T10:00:00Z");
    }
}
