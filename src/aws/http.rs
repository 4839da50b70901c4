//! The one HTTP client: ureq with one deadline per operation (retries
//! included), the proxy from `HTTPS_PROXY`/`NO_PROXY`, `AWS_CA_BUNDLE` as the
//! trust roots, and bounded retries with backoff and jitter for 429 and 5xx
//! (honouring `Retry-After`), as botocore's standard retry mode does (3
//! attempts). Each retry says on stderr what is retried and why.

use crate::env::{self, Env};
use crate::error::{Error, Result};
use crate::text::printable;
use std::time::{Duration, Instant};

// The wire format's half (errors, decoding, checks) lives in `wire.rs`; its names stay
// reachable here, where every client imports them with the transport.
pub(crate) use super::wire::{
    ApiError, check_credential, check_text, decode, invalid, parse_api_error,
};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The whole operation, every attempt and backoff included, ends within this
/// (`SSOENV_HTTP_TIMEOUT` seconds overrides it).
pub(crate) const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);
/// Bounds of `SSOENV_HTTP_TIMEOUT`, in seconds.
const MIN_DEADLINE_SECS: f64 = 0.1;
const MAX_DEADLINE_SECS: f64 = 3600.0;
pub(crate) const HTTP_TIMEOUT_VAR: &str = "SSOENV_HTTP_TIMEOUT";
/// Total attempts per request (botocore "standard" mode).
const MAX_ATTEMPTS: u32 = 3;
const BACKOFF_BASE_MS: u64 = 250;
const BACKOFF_CAP_MS: u64 = 20_000;

#[derive(Debug)]
pub(crate) enum HttpError {
    /// The service answered with an error.
    Api(ApiError),
    /// No usable answer: connection, TLS, unreadable body (the reason only;
    /// the caller names the URL).
    Transport(String),
    /// No (complete) answer within this long, retries included.
    Timeout(Duration),
    /// An answer, but not a usable one: malformed JSON, wrong shape, or a
    /// value that fails validation. The text names the operation.
    Invalid(String),
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HttpError::Api(e) => e.fmt(f),
            HttpError::Transport(s) | HttpError::Invalid(s) => f.write_str(&printable(s)),
            HttpError::Timeout(d) => write!(f, "no answer after {}", secs(*d)),
        }
    }
}

pub(crate) struct Http {
    proxied: ureq::Agent,
    direct: ureq::Agent,
    max_attempts: u32,
    deadline: Duration,
}

/// `SSOENV_HTTP_TIMEOUT`: seconds (decimals allowed) for one whole operation.
pub(crate) fn deadline_from_env(env: &Env) -> Result<Duration> {
    let Some(v) = env.non_empty(HTTP_TIMEOUT_VAR) else {
        return Ok(DEFAULT_DEADLINE);
    };
    match v.trim().parse::<f64>() {
        Ok(secs) if secs.is_finite() && (MIN_DEADLINE_SECS..=MAX_DEADLINE_SECS).contains(&secs) => {
            Ok(Duration::from_secs_f64(secs))
        }
        _ => Err(Error::config(format!(
            "{HTTP_TIMEOUT_VAR} is {}, which is not a number of seconds from {MIN_DEADLINE_SECS} to {MAX_DEADLINE_SECS}",
            printable(v)
        ))
        .hint(format!(
            "set {HTTP_TIMEOUT_VAR} to a number of seconds such as 60, or unset it"
        ))),
    }
}

/// `d` as people read it: `20 s`, `1.5 s`.
pub(crate) fn secs(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

pub(crate) enum Method {
    Get,
    Post,
}

impl Method {
    pub(crate) fn as_str(&self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A request body: JSON (the Identity Center APIs) or an HTML form
/// (`application/x-www-form-urlencoded`, the AWS query protocol of STS).
/// Bodies carry client secrets, tokens and codes: `Debug` shows only their
/// kind and length.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Body {
    Empty,
    Json(String),
    Form(String),
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Json(b) => write!(f, "Json({} bytes {})", b.len(), crate::secret::REDACTED),
            Body::Form(b) => write!(f, "Form({} bytes {})", b.len(), crate::secret::REDACTED),
        }
    }
}

impl Body {
    /// A JSON body from any serializable value.
    #[cfg(test)]
    pub(crate) fn json(value: &impl serde::Serialize) -> Body {
        Body::Json(serde_json::to_string(value).expect("plain data serializes"))
    }

    /// A form body, encoded as Python's `urlencode` does (botocore's query
    /// serializer): unreserved characters kept, space as `+`, the rest `%XX`.
    pub(crate) fn form<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Body {
        let encoded: Vec<String> = pairs
            .into_iter()
            .map(|(k, v)| format!("{}={}", crate::percent::form(k), crate::percent::form(v)))
            .collect();
        Body::Form(encoded.join("&"))
    }

    pub(crate) fn content_type(&self) -> Option<&'static str> {
        match self {
            Body::Empty => None,
            Body::Json(_) => Some("application/json"),
            Body::Form(_) => Some("application/x-www-form-urlencoded; charset=utf-8"),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            Body::Empty => "",
            Body::Json(b) | Body::Form(b) => b,
        }
    }
}

/// What a signer sees of a request, exactly as it will be sent.
pub(crate) struct Unsigned<'r> {
    pub(crate) method: &'static str,
    pub(crate) url: &'r str,
    pub(crate) query: &'r [(&'r str, &'r str)],
    /// The request's own headers (the content type included, when there is a body).
    pub(crate) headers: &'r [(String, String)],
    pub(crate) body: &'r str,
}

/// Signs each attempt (SigV4 for STS): called before every attempt, retries
/// included, since a signature carries the time. Returns the headers to add
/// (`Authorization`, `X-Amz-Date`, …), or why it cannot sign.
pub(crate) trait Signer: Send + Sync {
    fn sign(&self, req: &Unsigned) -> std::result::Result<Vec<(String, String)>, String>;
}

impl<F> Signer for F
where
    F: Fn(&Unsigned) -> std::result::Result<Vec<(String, String)>, String> + Send + Sync,
{
    fn sign(&self, req: &Unsigned) -> std::result::Result<Vec<(String, String)>, String> {
        self(req)
    }
}

pub(crate) struct Request<'a> {
    pub(crate) method: Method,
    pub(crate) url: String,
    pub(crate) query: Vec<(&'a str, &'a str)>,
    pub(crate) headers: Vec<(&'a str, &'a str)>,
    pub(crate) body: Body,
    /// Called before each attempt; None for the unsigned Identity Center APIs.
    pub(crate) signer: Option<&'a dyn Signer>,
}

impl Request<'_> {
    /// The headers of one attempt: the request's, the content type, then
    /// what the signer adds (signed afresh for each attempt).
    fn attempt_headers(&self) -> std::result::Result<Vec<(String, String)>, HttpError> {
        let mut headers = own(&self.headers);
        if let Some(ct) = self.body.content_type() {
            headers.push(("content-type".into(), ct.into()));
        }
        if let Some(signer) = self.signer {
            let added = signer
                .sign(&Unsigned {
                    method: self.method.as_str(),
                    url: &self.url,
                    query: &self.query,
                    headers: &headers,
                    body: self.body.as_str(),
                })
                .map_err(|why| {
                    HttpError::Transport(format!("could not sign the request: {why}"))
                })?;
            headers.extend(added);
        }
        Ok(headers)
    }
}

impl Http {
    pub(crate) fn new(env: &Env) -> Result<Http> {
        let tls = match env.non_empty(env::AWS_CA_BUNDLE) {
            Some(path) => Some(load_ca_bundle(path)?),
            None => None,
        };
        let deadline = deadline_from_env(env)?;
        let build = |proxy: Option<ureq::Proxy>| -> ureq::Agent {
            let mut b = ureq::Agent::config_builder()
                .timeout_connect(Some(CONNECT_TIMEOUT.min(deadline)))
                .timeout_global(Some(deadline))
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
            deadline,
        })
    }

    /// Send a request, retrying 429/5xx and transport failures a bounded
    /// number of times, all within one deadline for the whole operation
    /// (each attempt gets an equal share of it, or what is left). Returns the
    /// body of a 2xx answer.
    pub(crate) fn send(&self, req: &Request) -> Result<String, HttpError> {
        self.send_inner(req, &|s| s.to_owned(), false)
    }

    /// [`Http::send`] for a request that carries secrets in its query (the
    /// console's getSigninToken). A server may echo them back in any encoding
    /// or in part, which no redaction can catch, so nothing it sent is shown:
    /// an error answer keeps only its status (and a throttling code, which is
    /// one of a fixed list), and retry notes say no more. `redact` clears the
    /// transport failures' text, which is ssoenv's and the HTTP client's own.
    pub(crate) fn send_secret(
        &self,
        req: &Request,
        redact: &dyn Fn(&str) -> String,
    ) -> Result<String, HttpError> {
        self.send_inner(req, redact, true)
    }

    fn send_inner(
        &self,
        req: &Request,
        redact: &dyn Fn(&str) -> String,
        secret: bool,
    ) -> Result<String, HttpError> {
        let start = Instant::now();
        // A little slack (0.5 %) for ureq's timer granularity and the backoff
        // arithmetic, so that the whole operation really ends within the deadline.
        let end = start + self.deadline - self.deadline / 200;
        let share = self.deadline / self.max_attempts;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let remaining = end.saturating_duration_since(Instant::now());
            // The last attempt may use all that is left; earlier ones their share.
            let budget = if attempt >= self.max_attempts {
                remaining
            } else {
                share.min(remaining)
            };
            let (result, retry_after) = match req.attempt_headers() {
                Ok(headers) => self.attempt(req, headers, budget),
                Err(e) => return Err(e),
            };
            let result = match result {
                Err(HttpError::Api(e)) if secret => Err(HttpError::Api(e.without_server_text())),
                r => r,
            };
            let why = match &result {
                Ok(_) => None,
                Err(HttpError::Api(e))
                    if e.status == 429 || e.status >= 500 || e.is_throttling() =>
                {
                    Some(format!(
                        "{} answered {}",
                        req.url,
                        printable(&e.to_string())
                    ))
                }
                Err(HttpError::Api(_)) | Err(HttpError::Invalid(_)) => None,
                Err(HttpError::Transport(t)) => Some(format!(
                    "{} could not be reached: {}",
                    req.url,
                    printable(t)
                )),
                Err(HttpError::Timeout(d)) => {
                    Some(format!("no answer from {} after {}", req.url, secs(*d)))
                }
            };
            // A timeout reports the whole wait, not the last attempt's share.
            let result = match result {
                Err(HttpError::Timeout(_)) => Err(HttpError::Timeout(start.elapsed())),
                r => r,
            };
            let Some(why) = why else { return result };
            if attempt >= self.max_attempts {
                return result;
            }
            // The pause leaves most of what is left to the next attempt, and
            // there is no retry without a useful time left to run it.
            let left = end.saturating_duration_since(Instant::now());
            let pause = backoff(attempt, retry_after).min(left / 4);
            if left.saturating_sub(pause) < Duration::from_millis(100) {
                return result;
            }
            crate::output::note(&format!(
                "{}; retrying ({}/{})",
                redact(&why),
                attempt + 1,
                self.max_attempts
            ));
            std::thread::sleep(pause);
        }
    }

    /// `ssoenv doctor --network`: one plain GET of `url` (no retries, within
    /// `budget`), through the proxy as any request. Any HTTP answer counts:
    /// returns its status and its `Date` header.
    pub(crate) fn probe(
        &self,
        url: &str,
        budget: Duration,
    ) -> Result<(u16, Option<String>), HttpError> {
        let agent = if is_loopback_url(url) {
            self.direct.clone()
        } else {
            self.proxied.clone()
        };
        let url = url.to_owned();
        let (tx, rx) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("ssoenv-probe".into())
            .spawn(move || {
                let r = agent
                    .get(&url)
                    .config()
                    .timeout_global(Some(budget))
                    .build()
                    .call()
                    .map(|resp| {
                        let date = resp
                            .headers()
                            .get("date")
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned);
                        (resp.status().as_u16(), date)
                    })
                    .map_err(|e| HttpError::Transport(e.to_string()));
                let _ = tx.send(r);
            });
        if spawned.is_err() {
            return Err(HttpError::Transport("could not start a thread".into()));
        }
        rx.recv_timeout(budget)
            .unwrap_or(Err(HttpError::Timeout(budget)))
    }

    /// One attempt, abandoned after `budget` however the server behaves:
    /// ureq notices its own timeout only between reads, so a server trickling
    /// a byte a second could overrun it; the attempt runs on a thread and is
    /// left behind (to end at ureq's timeout) when the budget is spent.
    fn attempt(
        &self,
        req: &Request,
        headers: Vec<(String, String)>,
        budget: Duration,
    ) -> (Result<String, HttpError>, Option<Duration>) {
        let agent = if is_loopback_url(&req.url) {
            self.direct.clone()
        } else {
            self.proxied.clone()
        };
        let owned = Owned {
            post: matches!(req.method, Method::Post),
            url: req.url.clone(),
            query: own(&req.query),
            headers,
            body: match &req.body {
                Body::Empty => None,
                b => Some(b.as_str().to_owned()),
            },
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("ssoenv-http".into())
            .spawn(move || {
                let _ = tx.send(send_once(&agent, &owned, budget));
            });
        if spawned.is_err() {
            return (
                Err(HttpError::Transport("could not start a thread".into())),
                None,
            );
        }
        match rx.recv_timeout(budget) {
            Ok(r) => r,
            Err(_) => (Err(HttpError::Timeout(budget)), None),
        }
    }
}

/// A request the attempt thread owns.
struct Owned {
    post: bool,
    url: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<String>,
}

fn own(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn send_once(
    agent: &ureq::Agent,
    req: &Owned,
    budget: Duration,
) -> (Result<String, HttpError>, Option<Duration>) {
    let timeout = Some(budget.max(Duration::from_millis(1)));
    let resp = if !req.post {
        let mut r = agent.get(&req.url).config().timeout_global(timeout).build();
        for (k, v) in &req.query {
            r = r.query(k, v);
        }
        for (k, v) in &req.headers {
            r = r.header(k, v);
        }
        r.call()
    } else {
        let mut r = agent
            .post(&req.url)
            .config()
            .timeout_global(timeout)
            .build();
        for (k, v) in &req.query {
            r = r.query(k, v);
        }
        for (k, v) in &req.headers {
            r = r.header(k, v);
        }
        match &req.body {
            Some(b) => r.send(b.as_str()),
            None => r.send_empty(),
        }
    };
    let mut resp = match resp {
        Ok(r) => r,
        Err(e) => return (Err(transport(budget, e)), None),
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
        Err(e) => return (Err(transport(budget, e)), None),
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

/// A failed attempt in plain words (not ureq's `timeout: global`).
fn transport(budget: Duration, e: ureq::Error) -> HttpError {
    match e {
        ureq::Error::Timeout(_) => HttpError::Timeout(budget),
        ureq::Error::BodyExceedsLimit(n) => {
            HttpError::Transport(format!("the answer is larger than {n} bytes"))
        }
        e => HttpError::Transport(e.to_string()),
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

/// The largest `AWS_CA_BUNDLE` read (16 MiB; Mozilla's whole bundle is about
/// 200 KiB). A FIFO, a device or anything larger is an error, never a hang.
const CA_BUNDLE_LIMIT: u64 = 16 << 20;

fn load_ca_bundle(path: &str) -> Result<ureq::tls::TlsConfig> {
    let bytes =
        crate::fs::read_bounded(std::path::Path::new(path), CA_BUNDLE_LIMIT).map_err(|e| {
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
pub(crate) fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split_once(']').map(|(h, _)| h);
    }
    Some(authority.split(':').next().unwrap_or(authority))
}

pub(crate) fn is_loopback_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => false,
    }
}

pub(crate) fn is_loopback_url(url: &str) -> bool {
    url_host(url).is_some_and(is_loopback_host)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_http_timeout_is_parsed_safely() {
        let env = |v: &str| Env::from_pairs([(HTTP_TIMEOUT_VAR, v)]);
        assert_eq!(
            deadline_from_env(&Env::default()).unwrap(),
            DEFAULT_DEADLINE
        );
        assert_eq!(
            deadline_from_env(&env("2.5")).unwrap(),
            Duration::from_millis(2500)
        );
        assert_eq!(
            deadline_from_env(&env(" 60 ")).unwrap(),
            Duration::from_secs(60)
        );
        for bad in [
            "0",
            "-1",
            "0.01",
            "3601",
            "nan",
            "inf",
            "1e400",
            "x",
            "18446744073709551616",
        ] {
            let e = deadline_from_env(&env(bad)).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad}");
            assert!(e.message.contains(HTTP_TIMEOUT_VAR), "{bad}: {}", e.message);
        }
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

    #[test]
    fn form_bodies_are_encoded_as_pythons_urlencode() {
        let b = Body::form([("Action", "AssumeRole"), ("RoleSessionName", "a b/c+d=é~")]);
        assert_eq!(
            b.as_str(),
            "Action=AssumeRole&RoleSessionName=a+b%2Fc%2Bd%3D%C3%A9~"
        );
        assert_eq!(
            b.content_type(),
            Some("application/x-www-form-urlencoded; charset=utf-8")
        );
        assert_eq!(
            Body::json(&serde_json::json!({"a": 1})).as_str(),
            r#"{"a":1}"#
        );
        assert_eq!(
            Body::json(&serde_json::json!({})).content_type(),
            Some("application/json")
        );
        assert_eq!(Body::Empty.content_type(), None);
    }

    #[test]
    fn every_attempt_is_signed_afresh_with_what_will_be_sent() {
        use std::sync::Mutex;
        use std::sync::atomic::{AtomicU32, Ordering};
        // A minimal HTTP/1.1 server: 503 first, then 200, recording what it got.
        let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = server.local_addr().unwrap().port();
        let seen = std::thread::spawn(move || {
            use std::io::{BufRead, BufReader, Read, Write};
            let mut seen = Vec::new();
            for status in ["503 Service Unavailable", "200 OK"] {
                let (stream, _) = server.accept().unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut headers = Vec::new();
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    let line = line.trim_end().to_owned();
                    if line.is_empty() {
                        break;
                    }
                    if let Some((k, v)) = line.split_once(':') {
                        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
                    }
                }
                let header = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
                let len: usize = header("content-length").unwrap().parse().unwrap();
                let mut body = vec![0; len];
                reader.read_exact(&mut body).unwrap();
                seen.push((
                    header("x-signature"),
                    header("content-type"),
                    String::from_utf8(body).unwrap(),
                ));
                let mut stream = stream;
                write!(
                    stream,
                    "HTTP/1.1 {status}\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{{}}"
                )
                .unwrap();
            }
            seen
        });
        let calls = AtomicU32::new(0);
        let bodies = Mutex::new(Vec::new());
        let signer = |u: &Unsigned| {
            let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
            bodies
                .lock()
                .unwrap()
                .push((u.method, u.body.to_owned(), u.headers.len()));
            Ok(vec![("x-signature".to_owned(), format!("sig-{n}"))])
        };
        let env = Env::from_pairs([("SSOENV_HTTP_TIMEOUT", "20")]);
        let http = Http::new(&env).unwrap();
        let body = Body::form([("Action", "GetCallerIdentity"), ("Version", "2011-06-15")]);
        let url = format!("http://127.0.0.1:{port}/");
        let r = http.send(&Request {
            method: Method::Post,
            url,
            query: vec![],
            headers: vec![],
            body: body.clone(),
            signer: Some(&signer),
        });
        assert_eq!(r.unwrap(), "{}");
        let seen = seen.join().unwrap();
        let form = Some("application/x-www-form-urlencoded; charset=utf-8".to_owned());
        assert_eq!(
            seen,
            vec![
                (Some("sig-1".into()), form.clone(), body.as_str().to_owned()),
                (Some("sig-2".into()), form, body.as_str().to_owned()),
            ]
        );
        // The signer saw the method, the body and the content type it signs.
        assert_eq!(
            bodies.into_inner().unwrap(),
            vec![("POST", body.as_str().to_owned(), 1); 2]
        );
    }

    #[test]
    fn a_signer_that_fails_stops_the_request_before_sending() {
        let http = Http::new(&Env::default()).unwrap();
        let signer = |_: &Unsigned| Err("no credentials".to_owned());
        let r = http.send(&Request {
            method: Method::Get,
            url: "http://127.0.0.1:9/".into(),
            query: vec![],
            headers: vec![],
            body: Body::Empty,
            signer: Some(&signer),
        });
        assert!(
            matches!(&r, Err(HttpError::Transport(t)) if t.contains("no credentials")),
            "{r:?}"
        );
    }
}

#[cfg(test)]
mod body_tests {
    use super::*;

    #[test]
    fn debug_of_a_body_shows_its_kind_and_length_only() {
        let json = Body::json(&serde_json::json!({"clientSecret": "CLIENT-SECRET"}));
        let form = Body::form([("Session", "SECRET-SESSION")]);
        let shown = format!("{json:?} {form:?} {:?}", Body::Empty);
        assert!(
            !shown.contains("CLIENT-SECRET") && !shown.contains("SECRET-SESSION"),
            "{shown}"
        );
        assert!(shown.starts_with("Json(32 bytes"), "{shown}");
    }
}
