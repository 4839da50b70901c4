//! The sign-in federation endpoint (docs/signin.md): role
//! credentials become a SigninToken (`getSigninToken`), the token a console
//! login URL (`Action=login`). Console hosts follow the partition (docs/signin.md#hosts-by-partition).
//! Everything is a pure function of its inputs except
//! [`Federation::get_signin_token`], the one HTTP call. The credentials,
//! the token and the URL are bearer secrets: no error text built here quotes
//! them, and [`redact`] removes them from text that came from elsewhere.

use crate::aws::credentials::Credentials;
use crate::aws::http::{Body, Http, HttpError, Method, Request, check_credential, invalid};
use crate::error::{Error, Result};
use crate::percent;
use crate::secret::Secret;
use serde::{Deserialize, Serialize};

/// The `SessionDuration` bounds the federation endpoint accepts, in seconds (docs/signin.md#session-duration-and-role-chaining).
pub(crate) const MIN_SESSION_DURATION: u32 = 900;
pub(crate) const MAX_SESSION_DURATION: u32 = 43_200;
/// The console session asked for by default: one hour. This is aws-sso-cli's
/// default `ConsoleDuration` (60 minutes) for IAM Identity Center role
/// credentials; aws-vault sends no `SessionDuration`, which per the IAM docs
/// also gives the credentials' own lifetime, one hour by default.
pub(crate) const DEFAULT_SESSION_DURATION: u32 = 3600;
/// The longest SigninToken accepted. Real ones are around a kilobyte; the
/// login URL carrying one must stay well under the 8 KiB a browser is handed.
pub(crate) const MAX_SIGNIN_TOKEN: usize = 4096;
/// How long a login URL works once made (docs/signin.md#login-url), for messages.
pub(crate) const LOGIN_URL_MINUTES: u32 = 15;

/// The AWS partitions with a console ssoenv knows (docs/signin.md#hosts-by-partition), told by region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Partition {
    Aws,
    China,
    GovCloud,
}

impl Partition {
    /// The partition of a region: `cn-*` is China, `us-gov-*` GovCloud, the
    /// rest (and anything unknown) the standard partition.
    pub(crate) fn of(region: &str) -> Partition {
        if region.starts_with("cn-") {
            Partition::China
        } else if region.starts_with("us-gov-") {
            Partition::GovCloud
        } else {
            Partition::Aws
        }
    }

    /// The console's domain; regional consoles are `<region>.<domain>`.
    pub(crate) fn console_domain(self) -> &'static str {
        match self {
            Partition::Aws => "console.aws.amazon.com",
            Partition::China => "console.amazonaws.cn",
            Partition::GovCloud => "console.amazonaws-us-gov.com",
        }
    }

    /// Whether `host` (lower case) is this partition's console or one of its
    /// subdomains (`eu-west-1.console…`, `s3.console…`).
    fn is_console_host(self, host: &str) -> bool {
        let domain = self.console_domain();
        host == domain
            || host
                .strip_suffix(domain)
                .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.'))
    }
}

/// Where the console opens without `--destination`: the region's console
/// home (`https://<region>.<domain>/console/home?region=<region>`, as
/// aws-vault opens it), or the partition's console root without a region.
pub(crate) fn default_destination(partition: Partition, region: Option<&str>) -> String {
    let domain = partition.console_domain();
    match region {
        Some(r) => format!("https://{r}.{domain}/console/home?region={r}"),
        None => format!("https://{domain}/"),
    }
}

/// The page a login lands on: `--destination` checked, else the default.
/// Accepted: an `https://` URL on the partition's console (any subdomain, no
/// port or user), a path on the console (`/s3/buckets`, `/ec2/home#Instances:`;
/// `s3/buckets` too, as aws-vault's `--path`), or a service name alone (`s3`,
/// `cloudwatch` → `/s3/home`). A path gets `region=<region>` unless it names
/// one. Anything else (`http://`, another host, spaces, control characters)
/// is a usage error: a login URL must not send a signed-in person elsewhere.
pub(crate) fn destination(
    arg: Option<&str>,
    partition: Partition,
    region: Option<&str>,
) -> Result<String> {
    let Some(arg) = arg else {
        return Ok(default_destination(partition, region));
    };
    let domain = partition.console_domain();
    let refuse = |why: &str| {
        Error::config(format!("the destination {arg:?} cannot be used: {why}")).hint(format!(
            "give an https://…{domain} URL, a console path such as /s3/home, or a service such as s3"
        ))
    };
    if arg.is_empty() || arg.len() > 2048 {
        return Err(refuse("it must be 1 to 2048 characters long"));
    }
    if !arg.chars().all(|c| c.is_ascii_graphic()) {
        return Err(refuse(
            "it contains a space, a control character or a character that is not ASCII",
        ));
    }
    let lower = arg.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("https://") {
        // Browsers end the host at `\` too (WHATWG URL, special schemes):
        // `https://evil\.console…` is a page on `evil`.
        let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or("");
        if authority.contains(['@', ':']) {
            return Err(refuse("the URL carries a user name or a port"));
        }
        if !partition.is_console_host(authority) {
            return Err(refuse(&format!(
                "{authority} is not the console of this partition ({domain})"
            )));
        }
        return Ok(arg.to_owned());
    }
    // A scheme (`http:`, `javascript:`, `file:`) before any `/`: not a path.
    let first = lower.split('/').next().unwrap_or("");
    if first.contains(':') || lower.starts_with("//") || lower.contains('\\') {
        return Err(refuse(
            "only https:// console URLs, paths and service names are accepted",
        ));
    }
    let base = match region {
        Some(r) => format!("https://{r}.{domain}"),
        None => format!("https://{domain}"),
    };
    let path = if arg.starts_with('/') {
        arg.to_owned()
    } else if arg.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        format!("/{lower}/home")
    } else {
        format!("/{arg}")
    };
    Ok(format!("{base}{}", with_region(&path, region)))
}

/// `path` with `region=<region>` in its query (before any `#fragment`),
/// unless there is no region or the query names one already.
fn with_region(path: &str, region: Option<&str>) -> String {
    let Some(r) = region else {
        return path.to_owned();
    };
    let (before, fragment) = match path.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (path, None),
    };
    let names_region = before
        .split_once('?')
        .is_some_and(|(_, q)| q.split('&').any(|p| p.starts_with("region=")));
    let mut out = before.to_owned();
    if !names_region {
        out.push(if before.contains('?') { '&' } else { '?' });
        out.push_str("region=");
        out.push_str(r);
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The session JSON of `getSigninToken` (docs/signin.md#getsignintoken).
pub(crate) fn session_json(creds: &Credentials) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Session<'a> {
        session_id: &'a str,
        session_key: &'a str,
        session_token: &'a str,
    }
    serde_json::to_string(&Session {
        session_id: &creds.access_key_id,
        session_key: creds.secret_access_key.expose(),
        session_token: creds.session_token.expose(),
    })
    .expect("plain data serializes")
}

/// The query of `getSigninToken`: `Action`, then `SessionDuration` for
/// credentials that are not chained, then `Session`. Chained credentials
/// (a role assumed with role credentials) get no `SessionDuration`: the
/// endpoint answers HTTP 400 "Invalid credentials parameter" to it (docs/signin.md#session-duration-and-role-chaining,
/// aws-vault#77, aws-sso-cli PR #1247), and the console session then lasts
/// as long as the credentials.
pub(crate) fn signin_token_query(
    creds: &Credentials,
    chained: bool,
    duration: u32,
) -> Vec<(&'static str, String)> {
    let mut q = vec![("Action", "getSigninToken".to_owned())];
    if !chained {
        let d = duration.clamp(MIN_SESSION_DURATION, MAX_SESSION_DURATION);
        q.push(("SessionDuration", d.to_string()));
    }
    q.push(("Session", session_json(creds)));
    q
}

/// The login URL (docs/signin.md#login-url): form-encoded `Issuer`, `Destination` and
/// `SigninToken` on the same federation URL the token came from.
pub(crate) fn login_url(federation: &str, issuer: &str, destination: &str, token: &str) -> String {
    format!(
        "{federation}?Action=login&Issuer={}&Destination={}&SigninToken={}",
        percent::form(issuer),
        percent::form(destination),
        percent::form(token)
    )
}

/// `text` with every secret of `creds` and `token` replaced by `[redacted]`,
/// raw or encoded as they travel (form, percent, JSON): for error text that
/// quotes what a server echoed.
pub(crate) fn redact(text: &str, creds: &Credentials, token: Option<&str>) -> String {
    let mut secrets: Vec<String> = Vec::new();
    let session = session_json(creds);
    for s in [
        creds.secret_access_key.expose(),
        creds.session_token.expose(),
        session.as_str(),
        token.unwrap_or(""),
    ] {
        if s.len() >= 4 {
            let form = percent::form(s);
            let escaped = form.replace('+', "%20");
            secrets.push(percent::lower_case_escapes(&form));
            secrets.push(percent::lower_case_escapes(&escaped));
            secrets.push(form);
            secrets.push(escaped);
            secrets.push(s.to_owned());
        }
    }
    // Longest first, so that a secret inside the session JSON goes with it.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut out = text.to_owned();
    for s in &secrets {
        if out.contains(s.as_str()) {
            out = out.replace(s.as_str(), "[redacted]");
        }
    }
    out
}

/// The federation endpoint at `url` (`…/federation`).
pub(crate) struct Federation<'a> {
    pub(crate) http: &'a Http,
    pub(crate) url: &'a str,
}

impl Federation<'_> {
    /// `GET <url>?Action=getSigninToken…` → the SigninToken, checked: a JSON
    /// object whose `SigninToken` is non-empty printable ASCII without spaces,
    /// at most [`MAX_SIGNIN_TOKEN`] bytes (the body itself is bounded by the
    /// client). Error texts never quote the body: the request carries the
    /// credentials, and a server echoing it (in any encoding, or in part)
    /// would get them past any redaction; the status and a fixed reason are
    /// all an error says.
    pub(crate) fn get_signin_token(
        &self,
        creds: &Credentials,
        chained: bool,
        duration: u32,
    ) -> Result<Secret, HttpError> {
        #[derive(Deserialize)]
        struct Out {
            #[serde(rename = "SigninToken")]
            signin_token: Option<String>,
        }
        const WHAT: &str = "getSigninToken";
        let query = signin_token_query(creds, chained, duration);
        let body = self.http.send_secret(
            &Request {
                method: Method::Get,
                url: self.url.to_owned(),
                query: query.iter().map(|(k, v)| (*k, v.as_str())).collect(),
                headers: vec![("accept", "application/json")],
                body: Body::Empty,
                signer: None,
            },
            &|text| redact(text, creds, None),
        )?;
        // serde's reasons quote the body ("invalid type: string \"…\""): not shown.
        let out: Out = serde_json::from_str(&body).map_err(|_| {
            invalid(
                WHAT,
                self.url,
                "it is not a JSON object with a SigninToken string",
            )
        })?;
        let token = out
            .signin_token
            .ok_or_else(|| invalid(WHAT, self.url, "SigninToken is missing"))?;
        check_credential("SigninToken", &token).map_err(|why| invalid(WHAT, self.url, why))?;
        if token.len() > MAX_SIGNIN_TOKEN {
            return Err(invalid(
                WHAT,
                self.url,
                format!(
                    "SigninToken is {} bytes long, more than the {MAX_SIGNIN_TOKEN} allowed",
                    token.len()
                ),
            ));
        }
        Ok(Secret::new(token))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: "se/cr+et=key".into(),
            session_token: "TOKEN+/=value".into(),
            expiration: time::macros::datetime!(2030-01-01 0:00 UTC),
        }
    }

    fn query_of(q: &[(&'static str, String)]) -> Vec<&'static str> {
        q.iter().map(|(k, _)| *k).collect()
    }

    #[test]
    fn sso_credentials_ask_for_a_session_duration() {
        let q = signin_token_query(&creds(), false, 7200);
        assert_eq!(query_of(&q), ["Action", "SessionDuration", "Session"]);
        assert_eq!(q[0].1, "getSigninToken");
        assert_eq!(q[1].1, "7200");
        let session: serde_json::Value = serde_json::from_str(&q[2].1).unwrap();
        assert_eq!(
            session,
            serde_json::json!({
                "sessionId": "ASIAEXAMPLE",
                "sessionKey": "se/cr+et=key",
                "sessionToken": "TOKEN+/=value"
            })
        );
    }

    #[test]
    fn chained_credentials_send_no_session_duration() {
        let q = signin_token_query(&creds(), true, 7200);
        assert_eq!(query_of(&q), ["Action", "Session"]);
    }

    #[test]
    fn the_session_duration_stays_within_what_the_endpoint_accepts() {
        assert_eq!(signin_token_query(&creds(), false, 60)[1].1, "900");
        assert_eq!(signin_token_query(&creds(), false, 99_999)[1].1, "43200");
    }

    #[test]
    fn default_destinations_follow_the_partition() {
        let d = |r: &str| default_destination(Partition::of(r), Some(r));
        assert_eq!(
            d("eu-west-1"),
            "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1"
        );
        assert_eq!(
            d("cn-north-1"),
            "https://cn-north-1.console.amazonaws.cn/console/home?region=cn-north-1"
        );
        assert_eq!(
            d("us-gov-west-1"),
            "https://us-gov-west-1.console.amazonaws-us-gov.com/console/home?region=us-gov-west-1"
        );
        assert_eq!(
            default_destination(Partition::Aws, None),
            "https://console.aws.amazon.com/"
        );
        assert_eq!(
            default_destination(Partition::China, None),
            "https://console.amazonaws.cn/"
        );
        assert_eq!(
            default_destination(Partition::GovCloud, None),
            "https://console.amazonaws-us-gov.com/"
        );
    }

    #[test]
    fn destinations_may_be_console_urls_paths_or_services() {
        let aws = Partition::Aws;
        let d = |a: &str, r: Option<&str>| destination(Some(a), aws, r).unwrap();
        let r = Some("eu-west-1");
        assert_eq!(
            d("s3", r),
            "https://eu-west-1.console.aws.amazon.com/s3/home?region=eu-west-1"
        );
        assert_eq!(d("S3", None), "https://console.aws.amazon.com/s3/home");
        assert_eq!(
            d("/ec2/home#Instances:", r),
            "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:"
        );
        assert_eq!(
            d("/s3/buckets?x=1", r),
            "https://eu-west-1.console.aws.amazon.com/s3/buckets?x=1&region=eu-west-1"
        );
        assert_eq!(
            d("/ec2/home?region=us-east-1", r),
            "https://eu-west-1.console.aws.amazon.com/ec2/home?region=us-east-1"
        );
        assert_eq!(
            d("s3/buckets", r),
            "https://eu-west-1.console.aws.amazon.com/s3/buckets?region=eu-west-1"
        );
        for ok in [
            "https://console.aws.amazon.com/iam/home",
            "https://s3.console.aws.amazon.com/s3/buckets?region=eu-west-1",
            "https://eu-west-1.console.aws.amazon.com/",
        ] {
            assert_eq!(d(ok, r), ok);
        }
        assert_eq!(
            destination(
                Some("https://console.amazonaws.cn/"),
                Partition::China,
                None
            )
            .unwrap(),
            "https://console.amazonaws.cn/"
        );
        assert_eq!(
            destination(None, aws, r).unwrap(),
            default_destination(aws, r)
        );
    }

    #[test]
    fn destinations_off_the_console_are_refused() {
        for bad in [
            "http://console.aws.amazon.com/",
            "https://evil.example/",
            "https://console.aws.amazon.com.evil.example/",
            "https://evilconsole.aws.amazon.com/",
            "https://user@console.aws.amazon.com/",
            "https://console.aws.amazon.com:8443/",
            "https://console.amazonaws.cn/",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "//evil.example/x",
            "/s3/home\x1b]0;x\x07",
            "/s3 home",
            "",
            "/\\evil.example",
            "https://evil.example\\.console.aws.amazon.com/",
        ] {
            let e = destination(Some(bad), Partition::Aws, Some("eu-west-1")).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad:?}");
            assert!(e.message.contains("destination"), "{bad:?}: {e}");
        }
    }

    #[test]
    fn the_login_url_form_encodes_every_value() {
        let u = login_url(
            "https://signin.aws.amazon.com/federation",
            "https://d-1.awsapps.com/start",
            "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1",
            "tok+/=en",
        );
        assert_eq!(
            u,
            "https://signin.aws.amazon.com/federation?Action=login\
             &Issuer=https%3A%2F%2Fd-1.awsapps.com%2Fstart\
             &Destination=https%3A%2F%2Feu-west-1.console.aws.amazon.com%2Fconsole%2Fhome%3Fregion%3Deu-west-1\
             &SigninToken=tok%2B%2F%3Den"
        );
    }

    #[test]
    fn redaction_removes_secrets_raw_and_encoded() {
        let c = creds();
        let session = session_json(&c);
        let text = format!(
            "a {} b {} c {} d {} e {} f ASIAEXAMPLE",
            c.secret_access_key.expose(),
            percent::form(c.session_token.expose()),
            percent::form(&session),
            "SIGNINTOKEN",
            session
        );
        let out = redact(&text, &c, Some("SIGNINTOKEN"));
        for s in [
            c.secret_access_key.expose(),
            c.session_token.expose(),
            "SIGNINTOKEN",
            "se%2Fcr",
            "TOKEN%2B",
        ] {
            assert!(!out.contains(s), "{s} in {out}");
        }
        let lower = redact("x se%2fcr%2bet%3dkey y TOKEN%2b%2f%3dvalue z", &c, None);
        assert_eq!(lower, "x [redacted] y [redacted] z");
        assert!(
            out.contains("ASIAEXAMPLE"),
            "the key id is not secret: {out}"
        );
    }
}
