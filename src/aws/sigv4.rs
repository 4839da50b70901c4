//! AWS Signature Version 4 (docs/sts-sigv4.md#sigv4), as botocore's
//! `SigV4Auth` does it: every header of the request is signed but the
//! hop-by-hop ones and `User-Agent`, `host` comes from the URL (`:port` only
//! when not the scheme's default), the session token is sent as
//! `X-Amz-Security-Token` and signed, and the payload hash covers the exact
//! bytes sent. Built on `hmac` + `sha2` (see Cargo.toml for why not `aws-sigv4`).

use crate::aws::http::{Signer, Unsigned};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

pub(crate) const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Headers never signed (botocore `SIGNED_HEADERS_BLACKLIST`): a proxy or the
/// HTTP library may change them on the way.
const UNSIGNED_HEADERS: [&str; 11] = [
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

/// The credentials a request is signed with.
#[derive(Clone, Copy)]
pub(crate) struct SigningCredentials<'a> {
    pub(crate) access_key_id: &'a str,
    pub(crate) secret_access_key: &'a str,
    /// Sent as `X-Amz-Security-Token` (and signed) when present.
    pub(crate) session_token: Option<&'a str>,
}

impl std::fmt::Debug for SigningCredentials<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret or the token.
        f.debug_struct("SigningCredentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// A [`Signer`] for the HTTP client: signs each attempt afresh at `now()`.
pub(crate) struct SigV4<'a> {
    pub(crate) credentials: SigningCredentials<'a>,
    /// The signing region (the scope's second part).
    pub(crate) region: &'a str,
    /// The signing name of the service (`sts`).
    pub(crate) service: &'a str,
    pub(crate) now: fn() -> OffsetDateTime,
}

impl Signer for SigV4<'_> {
    fn sign(&self, req: &Unsigned) -> Result<Vec<(String, String)>, String> {
        // Values that would break the Authorization header or the scope are
        // refused before anything is sent; the reason never quotes them.
        let c = &self.credentials;
        let fields = [
            ("the access key id", Some(c.access_key_id)),
            ("the secret access key", Some(c.secret_access_key)),
            ("the session token", c.session_token),
            ("the signing region", Some(self.region)),
            ("the service name", Some(self.service)),
        ];
        for (what, value) in fields {
            if let Some(v) = value
                && (v.is_empty() || !v.bytes().all(|b| b.is_ascii_graphic()))
            {
                return Err(format!("{what} is empty or not printable ASCII"));
            }
        }
        if [self.region, self.service, c.access_key_id]
            .iter()
            .any(|v| v.contains('/') || v.contains(','))
        {
            return Err("the access key id, region or service contains '/' or ','".into());
        }
        if host_header(req.url).is_none() {
            return Err(format!("the URL {} has no host", req.url));
        }
        Ok(sign(req, c, self.region, self.service, (self.now)()))
    }
}

/// The headers that sign `req` at time `at`: `host` (when the request has
/// none), `X-Amz-Date`, `X-Amz-Security-Token` (with a session token) and
/// `Authorization`. Pure: the same inputs give the same headers.
pub(crate) fn sign(
    req: &Unsigned,
    creds: &SigningCredentials,
    region: &str,
    service: &str,
    at: OffsetDateTime,
) -> Vec<(String, String)> {
    let parts = signing_parts(req, creds, region, service, at);
    let key = signing_key(creds.secret_access_key, &parts.date, region, service);
    let signature = hex(&hmac(&key, parts.string_to_sign.as_bytes()));
    let mut out = parts.added;
    out.push((
        "authorization".to_owned(),
        format!(
            "{ALGORITHM} Credential={}/{}, SignedHeaders={}, Signature={signature}",
            creds.access_key_id, parts.scope, parts.signed_headers
        ),
    ));
    out
}

/// The intermediate values of a signature (for tests and diagnostics).
pub(crate) struct Parts {
    /// `YYYYMMDD`.
    pub(crate) date: String,
    pub(crate) scope: String,
    /// Read by the tests; kept for diagnostics.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) canonical_request: String,
    pub(crate) signed_headers: String,
    pub(crate) string_to_sign: String,
    /// The headers added before `Authorization`.
    pub(crate) added: Vec<(String, String)>,
}

pub(crate) fn signing_parts(
    req: &Unsigned,
    creds: &SigningCredentials,
    region: &str,
    service: &str,
    at: OffsetDateTime,
) -> Parts {
    let (date, amz_date) = amz_dates(at);
    let mut added = Vec::new();
    let has = |name: &str| {
        req.headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(name))
    };
    if !has("host") {
        added.push(("host".to_owned(), host_header(req.url).unwrap_or_default()));
    }
    added.push(("x-amz-date".to_owned(), amz_date.clone()));
    if let Some(token) = creds.session_token {
        added.push(("x-amz-security-token".to_owned(), token.to_owned()));
    }
    // The request's own headers (any stale signing header dropped) and ours.
    let mut headers: Vec<(String, String)> = req
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .filter(|(k, _)| {
            !UNSIGNED_HEADERS.contains(&k.as_str())
                && !matches!(
                    k.as_str(),
                    "authorization" | "x-amz-date" | "x-amz-security-token"
                )
        })
        .chain(added.iter().cloned())
        .collect();
    // Stable: repeated headers keep their order when joined with ','.
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    let mut canonical_headers = String::new();
    let mut names: Vec<&str> = Vec::new();
    for (name, value) in &headers {
        let value = value.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
        if names.last() == Some(&name.as_str()) {
            canonical_headers.pop(); // the '\n'
            canonical_headers.push(',');
        } else {
            names.push(name);
            canonical_headers.push_str(name);
            canonical_headers.push(':');
        }
        canonical_headers.push_str(&value);
        canonical_headers.push('\n');
    }
    let signed_headers = names.join(";");
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method,
        canonical_uri(req.url),
        canonical_query(req.query),
        canonical_headers,
        signed_headers,
        sha256_hex(req.body.as_bytes())
    );
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let string_to_sign = format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    Parts {
        date,
        scope,
        canonical_request,
        signed_headers,
        string_to_sign,
        added,
    }
}

/// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")`.
pub(crate) fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    hmac(&k_service, b"aws4_request")
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// (`YYYYMMDD`, `YYYYMMDDTHHMMSSZ`) in UTC.
fn amz_dates(at: OffsetDateTime) -> (String, String) {
    let t = at.to_offset(time::UtcOffset::UTC);
    let date = format!("{:04}{:02}{:02}", t.year(), t.month() as u8, t.day());
    let stamp = format!("{date}T{:02}{:02}{:02}Z", t.hour(), t.minute(), t.second());
    (date, stamp)
}

/// The `Host` header of a URL: the authority without user info, lower-cased,
/// with `:port` only when it is not the scheme's default (80, 443).
pub(crate) fn host_header(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match authority.rfind(':') {
        // A colon inside IPv6 brackets is not a port separator.
        Some(i) if !authority[i..].contains(']') => (&authority[..i], Some(&authority[i + 1..])),
        _ => (authority, None),
    };
    if host.is_empty() {
        return None;
    }
    let default = match scheme.to_ascii_lowercase().as_str() {
        "https" => "443",
        "http" => "80",
        _ => "",
    };
    let host = host.to_ascii_lowercase();
    Some(match port {
        Some(p) if !p.is_empty() && p != default => format!("{host}:{p}"),
        _ => host,
    })
}

/// The URL's path, normalized (dot segments and empty segments removed, a
/// trailing slash kept) and URI-encoded with `/` and `~` kept, as botocore
/// does for every service but S3. The path is encoded as it appears in the
/// URL, so an escape there is escaped again (`%20` → `%2520`).
fn canonical_uri(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest
        .find('/')
        .map_or("", |i| &rest[i..])
        .split(['?', '#'])
        .next()
        .unwrap_or("");
    let mut segments: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut normalized = format!("/{}", segments.join("/"));
    if path.ends_with('/') && normalized != "/" {
        normalized.push('/');
    }
    crate::percent::path(&normalized)
}

/// Query parameters, each name and value encoded (`-_.~` kept), sorted.
fn canonical_query(query: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (crate::percent::component(k), crate::percent::component(v)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const AKID: &str = "AKIDEXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const AT: OffsetDateTime = datetime!(2015-08-30 12:36:00 UTC);
    /// The test suite's session token (aws-c-auth `post-sts-header-before`).
    const SUITE_TOKEN: &str = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
    const STS_BODY: &str = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=ssoenv-alice&DurationSeconds=3600";
    const FORM: &str = "application/x-www-form-urlencoded; charset=utf-8";

    fn creds(token: Option<&'static str>) -> SigningCredentials<'static> {
        SigningCredentials {
            access_key_id: AKID,
            secret_access_key: SECRET,
            session_token: token,
        }
    }

    fn header<'h>(h: &'h [(String, String)], name: &str) -> Option<&'h str> {
        h.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Sign a suite request (region us-east-1, service `service`) and return
    /// the Authorization header.
    fn suite(
        method: &'static str,
        url: &str,
        query: &[(&str, &str)],
        headers: &[(&str, &str)],
        body: &str,
        token: Option<&'static str>,
    ) -> String {
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let req = Unsigned {
            method,
            url,
            query,
            headers: &headers,
            body,
        };
        let out = sign(&req, &creds(token), "us-east-1", "service", AT);
        assert_eq!(header(&out, "x-amz-date"), Some("20150830T123600Z"));
        header(&out, "authorization").unwrap().to_owned()
    }

    fn suite_authz(signed_headers: &str, signature: &str) -> String {
        format!(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders={signed_headers}, Signature={signature}"
        )
    }

    fn sts_request(headers: &[(String, String)]) -> Unsigned<'_> {
        Unsigned {
            method: "POST",
            url: "https://sts.eu-west-1.amazonaws.com/",
            query: &[],
            headers,
            body: STS_BODY,
        }
    }

    #[test]
    fn the_worked_assume_role_example_of_the_spec_signs_as_botocore() {
        let headers = vec![("content-type".to_owned(), FORM.to_owned())];
        let req = sts_request(&headers);
        assert_eq!(STS_BODY.len(), 142);
        assert_eq!(
            sha256_hex(STS_BODY.as_bytes()),
            "bd8bf2103aaf8143bbbb5d53c3ecc970cad55194923b13cb70cc9597d19fa0d0"
        );
        let p = signing_parts(&req, &creds(None), "eu-west-1", "sts", AT);
        assert_eq!(
            p.canonical_request,
            format!(
                "POST\n/\n\ncontent-type:{FORM}\nhost:sts.eu-west-1.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\nbd8bf2103aaf8143bbbb5d53c3ecc970cad55194923b13cb70cc9597d19fa0d0"
            )
        );
        assert_eq!(
            sha256_hex(p.canonical_request.as_bytes()),
            "274b21fa598b9323673290cbeb44b4e3dce1eb8cd13e681a2dfe063b2975b6c6"
        );
        assert_eq!(
            p.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/eu-west-1/sts/aws4_request\n274b21fa598b9323673290cbeb44b4e3dce1eb8cd13e681a2dfe063b2975b6c6"
        );
        let k_date = hmac(format!("AWS4{SECRET}").as_bytes(), b"20150830");
        assert_eq!(
            hex(&k_date),
            "0138c7a6cbd60aa727b2f653a522567439dfb9f3e72b21f9b25941a42f04a7cd"
        );
        let k_region = hmac(&k_date, b"eu-west-1");
        assert_eq!(
            hex(&k_region),
            "edad0a8fa93f0196ddf963bc396966a80a0c72345def0c09922724f54a23c9a1"
        );
        let k_service = hmac(&k_region, b"sts");
        assert_eq!(
            hex(&k_service),
            "71c4c854a33b02a6bd3e28fb8ed6717c732e730bc974f2c090a5e5c9f5632531"
        );
        assert_eq!(
            hex(&signing_key(SECRET, "20150830", "eu-west-1", "sts")),
            "d12a4a2cda0ef616ec540ad5452f5b0c0ecddade0e737266a439f64b775c2de6"
        );
        let out = sign(&req, &creds(None), "eu-west-1", "sts", AT);
        assert_eq!(
            out,
            vec![
                ("host".into(), "sts.eu-west-1.amazonaws.com".into()),
                ("x-amz-date".into(), "20150830T123600Z".into()),
                (
                    "authorization".into(),
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=754072df54c0954d92af95dd9355582a5fe5fca8565acfc980ec5914f21f925d".into()
                ),
            ]
        );
    }

    #[test]
    fn the_worked_example_with_a_session_token_signs_the_token_header() {
        let token = "IQoJb3JpZ2luX2VjEXAMPLETOKEN/+=";
        let headers = vec![("content-type".to_owned(), FORM.to_owned())];
        let req = sts_request(&headers);
        let p = signing_parts(&req, &creds(Some(token)), "eu-west-1", "sts", AT);
        assert!(
            p.canonical_request.contains(
                "x-amz-date:20150830T123600Z\nx-amz-security-token:IQoJb3JpZ2luX2VjEXAMPLETOKEN/+=\n\ncontent-type;host;x-amz-date;x-amz-security-token\n"
            ),
            "{}",
            p.canonical_request
        );
        assert_eq!(
            sha256_hex(p.canonical_request.as_bytes()),
            "6cd0780d37160f1d1aa7f738c982ae44fad44dff9e4143b9338074e90e440ef8"
        );
        let out = sign(&req, &creds(Some(token)), "eu-west-1", "sts", AT);
        // Sent verbatim, not encoded.
        assert_eq!(header(&out, "x-amz-security-token"), Some(token));
        assert!(
            header(&out, "authorization").unwrap().ends_with(
                "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=6bf1d0f7296713bccfadd02bf479818d4a3d83010500ac04df0407d4a0f2b64b"
            ),
            "{out:?}"
        );
    }

    #[test]
    fn the_test_suite_post_x_www_form_urlencoded_case_matches() {
        let authz = suite(
            "POST",
            "https://example.amazonaws.com/",
            &[],
            &[("Content-Type", "application/x-www-form-urlencoded")],
            "Param1=value1",
            None,
        );
        assert_eq!(
            authz,
            suite_authz(
                "content-type;host;x-amz-date",
                "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"
            )
        );
    }

    #[test]
    fn the_test_suite_post_sts_header_before_case_matches() {
        let authz = suite(
            "POST",
            "https://example.amazonaws.com/",
            &[],
            &[],
            "",
            Some(SUITE_TOKEN),
        );
        assert_eq!(
            authz,
            suite_authz(
                "host;x-amz-date;x-amz-security-token",
                "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"
            )
        );
    }

    /// More cases of the AWS SigV4 test suite (awslabs/aws-c-auth
    /// `tests/aws-signing-test-suite/v4/*/header-signed-request.txt`).
    #[test]
    fn more_test_suite_cases_match_queries_trimming_duplicates_and_tokens() {
        let url = "https://example.amazonaws.com/";
        // get-vanilla-query-order-key-case
        assert_eq!(
            suite(
                "GET",
                url,
                &[("Param2", "value2"), ("Param1", "value1")],
                &[],
                "",
                None
            ),
            suite_authz(
                "host;x-amz-date",
                "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
            )
        );
        // get-header-value-trim
        assert_eq!(
            suite(
                "GET",
                url,
                &[],
                &[("My-Header1", " value1"), ("My-Header2", " \"a   b   c\"")],
                "",
                None
            ),
            suite_authz(
                "host;my-header1;my-header2;x-amz-date",
                "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"
            )
        );
        // get-header-key-duplicate: joined with ',' in the order sent.
        assert_eq!(
            suite(
                "GET",
                url,
                &[],
                &[
                    ("My-Header1", "value2"),
                    ("My-Header1", "value2"),
                    ("My-Header1", "value1")
                ],
                "",
                None
            ),
            suite_authz(
                "host;my-header1;x-amz-date",
                "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"
            )
        );
        // post-header-key-sort
        assert_eq!(
            suite("POST", url, &[], &[("My-Header1", "value1")], "", None),
            suite_authz(
                "host;my-header1;x-amz-date",
                "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"
            )
        );
        // get-vanilla-with-session-token
        assert_eq!(
            suite(
                "GET",
                url,
                &[],
                &[],
                "",
                Some("6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267")
            ),
            suite_authz(
                "host;x-amz-date;x-amz-security-token",
                "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"
            )
        );
    }

    #[test]
    fn user_agent_and_hop_by_hop_headers_are_not_signed() {
        let headers: Vec<(String, String)> = [
            ("Content-Type", FORM),
            ("User-Agent", "ssoenv/1"),
            ("Connection", "close"),
            ("X-Amz-Date", "19990101T000000Z"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let req = sts_request(&headers);
        let p = signing_parts(&req, &creds(None), "eu-west-1", "sts", AT);
        assert_eq!(p.signed_headers, "content-type;host;x-amz-date");
        assert!(!p.canonical_request.contains("1999"));
    }

    #[test]
    fn the_host_carries_the_port_only_when_it_is_not_the_default() {
        assert_eq!(
            host_header("http://127.0.0.1:18443/").as_deref(),
            Some("127.0.0.1:18443")
        );
        assert_eq!(
            host_header("https://STS.eu-west-1.amazonaws.com:443").as_deref(),
            Some("sts.eu-west-1.amazonaws.com")
        );
        assert_eq!(
            host_header("http://localhost:80/x").as_deref(),
            Some("localhost")
        );
        assert_eq!(
            host_header("https://u:p@h.example:8443/p?q").as_deref(),
            Some("h.example:8443")
        );
        assert_eq!(host_header("http://[::1]:9/").as_deref(), Some("[::1]:9"));
        assert_eq!(host_header("http://[::1]/").as_deref(), Some("[::1]"));
        assert_eq!(host_header("http:///x"), None);
        assert_eq!(host_header("no-scheme"), None);
    }

    #[test]
    fn paths_are_normalized_and_encoded_once_more() {
        assert_eq!(canonical_uri("https://h"), "/");
        assert_eq!(canonical_uri("https://h/"), "/");
        assert_eq!(canonical_uri("https://h/a/./b/../c//d/"), "/a/c/d/");
        assert_eq!(canonical_uri("https://h/a b/%20?x=1"), "/a%20b/%2520");
        assert_eq!(
            canonical_query(&[("b", "x y"), ("a", "é"), ("a", "!")]),
            "a=%21&a=%C3%A9&b=x%20y"
        );
    }

    /// botocore's `quote(path, safe='/~')` keeps every unreserved character, as
    /// the SigV4 rules say: `-`, `_` and `.` in a path are not escaped.
    #[test]
    fn unreserved_characters_of_a_path_are_kept() {
        assert_eq!(
            canonical_uri("https://h/a-b_c.d~e/f%2Dg"),
            "/a-b_c.d~e/f%252Dg"
        );
    }

    #[test]
    fn the_signer_refuses_credentials_that_would_break_the_header() {
        let headers = vec![];
        let req = sts_request(&headers);
        let signer = |akid: &'static str, token: Option<&'static str>| SigV4 {
            credentials: SigningCredentials {
                access_key_id: akid,
                secret_access_key: SECRET,
                session_token: token,
            },
            region: "eu-west-1",
            service: "sts",
            now: || AT,
        };
        assert!(signer(AKID, None).sign(&req).is_ok());
        for (akid, token) in [
            ("", None),
            ("AK ID", None),
            ("AK/ID", None),
            (AKID, Some("to\r\nken")),
            (AKID, Some("")),
        ] {
            let e = signer(akid, token).sign(&req).unwrap_err();
            assert!(!e.contains("to\r\nken"), "{e}");
        }
        let no_host = Unsigned {
            url: "http:///",
            ..sts_request(&headers)
        };
        assert!(signer(AKID, None).sign(&no_host).is_err());
        // The Debug form shows no secret.
        let d = format!("{:?}", creds(Some("TOKEN")));
        assert!(!d.contains(SECRET) && !d.contains("TOKEN"), "{d}");
    }
}
