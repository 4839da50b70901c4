//! The container-credentials endpoint of `ssoenv exec --server` (spec
//! aws-credentials-more §2): a small HTTP/1.1 server on 127.0.0.1 that every
//! AWS SDK's container provider can ask for the profile's role credentials,
//! so a long-running child gets fresh credentials instead of static keys that
//! expire under it.
//!
//! Why std and not a crate: the server answers one `GET` with a fixed path
//! and a bearer header, closes the connection after each answer, and must be
//! bounded in every direction (header size, time, threads). ~200 lines of std
//! do that with no new dependency and nothing added to the binary; tiny_http
//! (the emulator's server) would add a dependency tree for features we turn
//! off (chunked bodies, keep-alive, pipelining).
//!
//! Bounds: at most [`MAX_CONNECTIONS`] connections are served at once (one
//! thread each; past that a connection gets `503` at once), a request head
//! may be [`MAX_HEAD`] bytes, and a client has [`IO_TIMEOUT`] to send it.
//! The `Authorization` header must equal the token exactly (compared in
//! constant time); anything else gets `401`/`403`/`404`/`405` with a JSON
//! `{"Message": …}` and nothing else.

use super::Credentials;
use crate::config::Profile;
use crate::error::{Error, Result};
use crate::login::interaction::{Interaction, Refusal};
use crate::login::{Ctx, LoginOptions};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use time::OffsetDateTime;

/// Connections served at once; more get `503 Service Unavailable`.
pub const MAX_CONNECTIONS: usize = 64;
/// The most bytes of request line and headers read from a client.
pub const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send its whole request head (and to read the answer).
pub const IO_TIMEOUT: Duration = Duration::from_secs(5);
/// Stack of a thread answering a request (a warm answer needs little).
const REQUEST_STACK: usize = 256 * 1024;
/// The path credentials are served on.
pub const PATH: &str = "/ssoenv/credentials";
/// Cached credentials are served while they have more than this left
/// (botocore's advisory refresh window, spec §1.5).
const FRESH_FOR: time::Duration = time::Duration::minutes(15);

/// Where the credentials come from: a cache in memory, else
/// [`super::profile_credentials`] (role or assume-role cache file, refresh,
/// GetRoleCredentials or AssumeRole) with logins refused.
pub struct Source {
    ctx: Ctx,
    profile: Profile,
    /// The credentials held and their JSON, serialized once.
    cached: Mutex<Option<(Credentials, String)>>,
    /// The user was told about a failure once already.
    warned: AtomicBool,
}

impl Source {
    /// A source that starts with `creds` (the ones `exec` got up front).
    pub fn new(ctx: Ctx, profile: Profile, creds: Option<Credentials>) -> Source {
        Source {
            ctx,
            profile,
            cached: Mutex::new(creds.map(|c| {
                let json = c.container_json();
                (c, json)
            })),
            warned: AtomicBool::new(false),
        }
    }

    /// The container-credentials JSON, or the error message for a `500`.
    fn credentials_json(&self) -> std::result::Result<String, String> {
        // One request at a time fetches; the others wait and get its result.
        let mut cached = self.cached.lock().unwrap_or_else(|e| e.into_inner());
        let now = (self.ctx.now)();
        if let Some((c, json)) = cached.as_ref()
            && fresh(c, now)
        {
            return Ok(json.clone());
        }
        let opts = LoginOptions {
            no_browser: true,
            force: false,
            interaction: Interaction::Refused(Refusal::Server),
            flow: None,
        };
        // On a thread with the default stack: HTTP and TLS need more than a
        // request thread has. Rare (once per credential lifetime).
        let fetched = std::thread::scope(|s| {
            std::thread::Builder::new()
                .name("ssoenv-credential-fetch".into())
                .spawn_scoped(s, || {
                    super::profile_credentials(&self.ctx, &self.profile, opts)
                })
                .map_err(|e| Error::runtime("could not start a thread").cause(e))
                .and_then(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(Error::runtime("getting credentials failed")))
                })
        });
        match fetched {
            Ok(c) => {
                let json = c.container_json();
                *cached = Some((c, json.clone()));
                if self.warned.swap(false, Ordering::Relaxed) {
                    crate::output::note(&format!(
                        "the credential server has credentials for profile \"{}\" again",
                        self.profile.name()
                    ));
                }
                Ok(json)
            }
            Err(e) => {
                if !self.warned.swap(true, Ordering::Relaxed) {
                    crate::output::note(&format!(
                        "the credential server could not get credentials for profile \"{}\" (said once until it can again):",
                        self.profile.name()
                    ));
                    crate::output::note_error(&e);
                }
                Err(e.message.clone())
            }
        }
    }
}

fn fresh(c: &Credentials, now: OffsetDateTime) -> bool {
    c.expiration - now > FRESH_FOR
}

/// A running server. It stops when the process exits (it lives as long as
/// the `exec` that started it).
pub struct Server {
    addr: SocketAddr,
    token: String,
}

impl Server {
    /// Binds 127.0.0.1 on a free port, with a fresh random token, and serves
    /// on a background thread.
    pub fn start(source: Source) -> Result<Server> {
        let token = random_token()?;
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|e| {
            Error::runtime("could not start the credential server on 127.0.0.1").cause(e)
        })?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::runtime("could not start the credential server").cause(e))?;
        let shared = Arc::new(Shared {
            source,
            token: token.clone(),
            active: AtomicUsize::new(0),
        });
        std::thread::Builder::new()
            .name("ssoenv-credential-server".into())
            .spawn(move || accept_loop(&listener, &shared))
            .map_err(|e| Error::runtime("could not start the credential server").cause(e))?;
        Ok(Server { addr, token })
    }

    /// `http://127.0.0.1:PORT/ssoenv/credentials`: AWS_CONTAINER_CREDENTIALS_FULL_URI.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}{PATH}", self.addr.port())
    }

    /// AWS_CONTAINER_AUTHORIZATION_TOKEN: sent verbatim as `Authorization`.
    pub fn token(&self) -> &str {
        &self.token
    }
}

struct Shared {
    source: Source,
    token: String,
    active: AtomicUsize,
}

/// 256 bits from the operating system's generator, as 64 hex digits (no
/// `\r`/`\n`, which botocore refuses in a header value, §2.1).
fn random_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| {
        Error::runtime("could not get random bytes for the credential server's token").cause(e)
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for conn in listener.incoming() {
        let Ok(stream) = conn else {
            // EMFILE and the like: wait a little rather than spin.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let _ = stream.set_nodelay(true);
        if shared.active.fetch_add(1, Ordering::AcqRel) >= MAX_CONNECTIONS {
            shared.active.fetch_sub(1, Ordering::AcqRel);
            let mut stream = stream;
            let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
            let _ = respond(&mut stream, 503, &message("too many connections"));
            continue;
        }
        let shared2 = Arc::clone(shared);
        // A small stack halves the cost of a warm request (measured: p50
        // 0.114 → 0.057 ms); fetches run on a thread of their own (`fetch`).
        let spawned = std::thread::Builder::new()
            .name("ssoenv-credential-request".into())
            .stack_size(REQUEST_STACK)
            .spawn(move || {
                serve(stream, &shared2);
                shared2.active.fetch_sub(1, Ordering::AcqRel);
            });
        if spawned.is_err() {
            shared.active.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

fn message(text: &str) -> String {
    serde_json::json!({ "Message": text }).to_string()
}

fn serve(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let (status, body) = match read_head(&mut stream) {
        Ok(head) => answer(&head, shared),
        Err(HeadError::TooLarge) => (431, message("request headers too large")),
        Err(HeadError::Malformed) => (400, message("malformed request")),
        // Timed out or gone: nobody to answer.
        Err(HeadError::Io) => return,
    };
    let _ = respond(&mut stream, status, &body);
}

enum HeadError {
    TooLarge,
    Malformed,
    Io,
}

/// The request line and headers, up to the blank line, within [`MAX_HEAD`]
/// bytes and the stream's read timeout. A body (there should be none) is ignored.
fn read_head(stream: &mut TcpStream) -> std::result::Result<String, HeadError> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    // One deadline for the whole head: a client sending a byte now and then
    // cannot hold its thread longer than IO_TIMEOUT.
    let deadline = std::time::Instant::now() + IO_TIMEOUT;
    loop {
        let left = deadline
            .checked_duration_since(std::time::Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or(HeadError::Io)?;
        stream
            .set_read_timeout(Some(left))
            .map_err(|_| HeadError::Io)?;
        let n = stream.read(&mut chunk).map_err(|_| HeadError::Io)?;
        if n == 0 {
            return Err(if buf.is_empty() {
                HeadError::Io
            } else {
                HeadError::Malformed
            });
        }
        let start = buf.len().saturating_sub(3);
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = find_blank_line(&buf[start..]) {
            let end = start + end;
            if end > MAX_HEAD {
                return Err(HeadError::TooLarge);
            }
            buf.truncate(end);
            return String::from_utf8(buf).map_err(|_| HeadError::Malformed);
        }
        if buf.len() > MAX_HEAD {
            return Err(HeadError::TooLarge);
        }
    }
}

fn find_blank_line(b: &[u8]) -> Option<usize> {
    b.windows(4).position(|w| w == b"\r\n\r\n")
}

/// The status and JSON body for a request head.
fn answer(head: &str, shared: &Shared) -> (u16, String) {
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return (400, message("malformed request line"));
    };
    if !version.starts_with("HTTP/1.") {
        return (400, message("unsupported HTTP version"));
    }
    let mut authorization = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return (400, message("malformed header"));
        };
        if name.eq_ignore_ascii_case("authorization") {
            if authorization.is_some() {
                return (400, message("more than one Authorization header"));
            }
            authorization = Some(value.trim_matches([' ', '\t']));
        }
    }
    let path = target.split_once('?').map_or(target, |(p, _)| p);
    if path != PATH {
        return (404, message("not found"));
    }
    if method != "GET" {
        return (405, message("only GET is supported"));
    }
    match authorization {
        None => return (401, message("missing Authorization header")),
        Some(v) if !constant_time_eq(v.as_bytes(), shared.token.as_bytes()) => {
            return (403, message("invalid Authorization token"));
        }
        Some(_) => {}
    }
    match shared.source.credentials_json() {
        Ok(json) => (200, json),
        Err(why) => (500, message(&why)),
    }
}

/// Equal bytes, in time that depends only on the lengths.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

fn respond(stream: &mut TcpStream, status: u16, body: &str) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
    let out = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(out.as_bytes())?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_equal_only_when_identical() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(!constant_time_eq(b"", b"a"));
    }

    #[test]
    fn random_tokens_are_64_hex_digits_and_differ() {
        let a = random_token().unwrap();
        let b = random_token().unwrap();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn the_blank_line_is_found_across_reads() {
        assert_eq!(find_blank_line(b"GET / HTTP/1.1\r\n\r\n"), Some(14));
        assert_eq!(find_blank_line(b"GET / HTTP/1.1\r\n"), None);
    }
}
