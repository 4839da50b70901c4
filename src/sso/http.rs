//! The one HTTP client: ureq with timeouts on every request, the proxy from
//! `HTTPS_PROXY`/`NO_PROXY`, `AWS_CA_BUNDLE` as the trust roots, and bounded
//! retries with backoff and jitter for 429 and 5xx (honouring `Retry-After`),
//! as botocore's standard retry mode does (3 attempts).

use crate::env::{self, Env};
use crate::error::{Error, Result};
use std::time::Duration;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// Total attempts per request (botocore "standard" mode).
const MAX_ATTEMPTS: u32 = 3;
const BACKOFF_BASE_MS: u64 = 250;
const BACKOFF_CAP_MS: u64 = 20_000;

/// An AWS service error: HTTP status, the error name (from `x-amzn-ErrorType`,
/// cut at `:` and after `#`, spec §2.4), the body's snake-case `error` code
/// (OIDC) and the human message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub error_type: String,
    pub code: String,
    pub message: String,
}

impl ApiError {
    /// True when the error is `name`, given as the OIDC snake code
    /// (`authorization_pending`) or the exception name (`UnauthorizedException`).
    pub fn is(&self, name: &str) -> bool {
        self.code == name || self.error_type == name
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = if !self.error_type.is_empty() {
            &self.error_type
        } else {
            &self.code
        };
        write!(f, "HTTP {} {}", self.status, name)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

#[derive(Debug)]
pub enum HttpError {
    /// The service answered with an error.
    Api(ApiError),
    /// No usable answer: connection, TLS, timeout, unreadable body.
    Transport(String),
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HttpError::Api(e) => e.fmt(f),
            HttpError::Transport(s) => f.write_str(s),
        }
    }
}

pub struct Http {
    proxied: ureq::Agent,
    direct: ureq::Agent,
    max_attempts: u32,
}

pub enum Method {
    Get,
    Post,
}

pub struct Request<'a> {
    pub method: Method,
    pub url: String,
    pub query: Vec<(&'a str, &'a str)>,
    pub headers: Vec<(&'a str, &'a str)>,
    pub body: Option<String>,
}

impl Http {
    pub fn new(env: &Env) -> Result<Http> {
        let tls = match env.non_empty(env::AWS_CA_BUNDLE) {
            Some(path) => Some(load_ca_bundle(path)?),
            None => None,
        };
        let build = |proxy: Option<ureq::Proxy>| -> ureq::Agent {
            let mut b = ureq::Agent::config_builder()
                .timeout_connect(Some(CONNECT_TIMEOUT))
                .timeout_global(Some(CALL_TIMEOUT))
                .http_status_as_error(false)
                .user_agent(concat!("ssoenv/", env!("CARGO_PKG_VERSION")))
                .max_redirects(0)
                .proxy(proxy);
            if let Some(tls) = &tls {
                b = b.tls_config(tls.clone());
            }
            b.build().into()
        };
        Ok(Http {
            proxied: build(ureq::Proxy::try_from_env()),
            direct: build(None),
            max_attempts: MAX_ATTEMPTS,
        })
    }

    /// Send a request, retrying 429/5xx and transport failures a bounded
    /// number of times. Returns the body of a 2xx answer.
    pub fn send(&self, req: &Request) -> Result<String, HttpError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (result, retry_after) = self.send_once(req);
            let retryable = match &result {
                Ok(_) => false,
                Err(HttpError::Api(e)) => e.status == 429 || e.status >= 500,
                Err(HttpError::Transport(_)) => true,
            };
            if !retryable || attempt >= self.max_attempts {
                return result;
            }
            std::thread::sleep(backoff(attempt, retry_after));
        }
    }

    fn send_once(&self, req: &Request) -> (Result<String, HttpError>, Option<Duration>) {
        let agent = if is_loopback_url(&req.url) {
            &self.direct
        } else {
            &self.proxied
        };
        let resp = match req.method {
            Method::Get => {
                let mut r = agent.get(&req.url);
                for (k, v) in &req.query {
                    r = r.query(*k, *v);
                }
                for (k, v) in &req.headers {
                    r = r.header(*k, *v);
                }
                r.call()
            }
            Method::Post => {
                let mut r = agent.post(&req.url);
                for (k, v) in &req.query {
                    r = r.query(*k, *v);
                }
                for (k, v) in &req.headers {
                    r = r.header(*k, *v);
                }
                match &req.body {
                    Some(b) => r
                        .header("content-type", "application/json")
                        .send(b.as_str()),
                    None => r.send_empty(),
                }
            }
        };
        let mut resp = match resp {
            Ok(r) => r,
            Err(e) => return (Err(HttpError::Transport(e.to_string())), None),
        };
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let error_type = header("x-amzn-errortype");
        let retry_after = header("retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = match resp
            .body_mut()
            .with_config()
            .limit(1 << 20)
            .read_to_string()
        {
            Ok(b) => b,
            Err(e) => {
                return (
                    Err(HttpError::Transport(format!(
                        "could not read the response: {e}"
                    ))),
                    None,
                );
            }
        };
        if (200..300).contains(&status) {
            return (Ok(body), None);
        }
        (
            Err(HttpError::Api(parse_api_error(
                status,
                error_type.as_deref(),
                &body,
            ))),
            retry_after,
        )
    }
}

/// Parse a 2xx JSON body; a body of the wrong shape is reported like a transport failure.
pub fn decode<T: for<'de> serde::Deserialize<'de>>(body: &str, what: &str) -> Result<T, HttpError> {
    serde_json::from_str(body)
        .map_err(|e| HttpError::Transport(format!("unexpected {what} response: {e}")))
}

/// botocore's error-code rules (spec §2.4): the `x-amzn-ErrorType` header cut
/// at the first `:` and after the last `#`, else body `code`/`__type`; the
/// OIDC body carries `error`/`error_description`, the portal `message`.
pub fn parse_api_error(status: u16, header: Option<&str>, body: &str) -> ApiError {
    let json: serde_json::Value = serde_json::from_str(body).unwrap_or(serde_json::Value::Null);
    let s = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let mut error_type = header
        .map(str::to_owned)
        .or_else(|| s("code"))
        .or_else(|| s("Code"))
        .or_else(|| s("__type"))
        .unwrap_or_default();
    if let Some(i) = error_type.find(':') {
        error_type.truncate(i);
    }
    if let Some(i) = error_type.rfind('#') {
        error_type = error_type[i + 1..].to_owned();
    }
    let message = s("error_description")
        .or_else(|| s("message"))
        .or_else(|| s("Message"))
        .unwrap_or_default();
    ApiError {
        status,
        error_type,
        code: s("error").unwrap_or_default(),
        message,
    }
}

/// Exponential backoff with full jitter, or the server's `Retry-After` (capped).
fn backoff(attempt: u32, retry_after: Option<Duration>) -> Duration {
    let cap = Duration::from_millis(BACKOFF_CAP_MS);
    if let Some(d) = retry_after {
        return d.min(cap);
    }
    let ceiling = (BACKOFF_BASE_MS << attempt.min(10)).min(BACKOFF_CAP_MS);
    Duration::from_millis(jitter(ceiling))
}

/// A value in [ceiling/2, ceiling], from the clock (no `rand` crate needed for jitter).
fn jitter(ceiling: u64) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(0);
    let half = ceiling / 2;
    half + (nanos ^ (std::process::id() as u64).wrapping_mul(2654435761)) % (half + 1)
}

fn load_ca_bundle(path: &str) -> Result<ureq::tls::TlsConfig> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::config(format!(
            "could not read the CA bundle {path} (AWS_CA_BUNDLE)"
        ))
        .cause(e)
        .hint("point AWS_CA_BUNDLE at a PEM file of trusted certificates, or unset it")
    })?;
    let certs: Vec<_> = ureq::tls::parse_pem(&bytes)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
            _ => None,
        })
        .collect();
    if certs.is_empty() {
        return Err(Error::config(format!(
            "the CA bundle {path} (AWS_CA_BUNDLE) holds no PEM certificate"
        ))
        .hint("point AWS_CA_BUNDLE at a PEM file of trusted certificates, or unset it"));
    }
    Ok(ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::new_with_certs(&certs))
        .build())
}

/// The host part of an `http(s)://host[:port]/…` URL, without brackets.
pub fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split_once(']').map(|(h, _)| h);
    }
    Some(authority.split(':').next().unwrap_or(authority))
}

pub fn is_loopback_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => false,
    }
}

pub fn is_loopback_url(url: &str) -> bool {
    url_host(url).is_some_and(is_loopback_host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_type_is_cut_at_colon_and_after_hash() {
        let e = parse_api_error(
            400,
            Some(
                "AuthorizationPendingException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/",
            ),
            r#"{"error":"authorization_pending","error_description":"Authorization is still pending"}"#,
        );
        assert_eq!(e.error_type, "AuthorizationPendingException");
        assert_eq!(e.code, "authorization_pending");
        assert_eq!(e.message, "Authorization is still pending");
        assert!(e.is("authorization_pending"));
        let e = parse_api_error(
            401,
            None,
            r#"{"__type":"com.amazon#UnauthorizedException","message":"x"}"#,
        );
        assert_eq!(e.error_type, "UnauthorizedException");
        assert_eq!(e.message, "x");
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        assert!(is_loopback_url("http://127.0.0.1:8080/x"));
        assert!(is_loopback_url("http://localhost"));
        assert!(is_loopback_url("http://[::1]:9/"));
        assert!(is_loopback_url("http://127.8.9.1"));
        assert!(!is_loopback_url("http://127.0.0.1.evil.com/"));
        assert!(!is_loopback_url("http://10.0.0.1/"));
        assert!(!is_loopback_url("https://oidc.us-east-1.amazonaws.com"));
        assert_eq!(url_host("http://user@host:1/p"), Some("host"));
    }

    #[test]
    fn backoff_honours_retry_after_and_stays_bounded() {
        assert_eq!(
            backoff(1, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(
            backoff(1, Some(Duration::from_secs(999))),
            Duration::from_millis(BACKOFF_CAP_MS)
        );
        for a in 1..20 {
            assert!(backoff(a, None) <= Duration::from_millis(BACKOFF_CAP_MS));
        }
        let d = backoff(1, None).as_millis() as u64;
        assert!((250..=500).contains(&d), "{d}");
    }
}
