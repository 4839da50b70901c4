//! The container-credentials endpoint of `ssoenv exec --server` (docs/credential-process.md#container-endpoint): a small HTTP/1.1 server on 127.0.0.1 that every
//! AWS SDK's container provider can ask for the profile's role credentials,
//! so a long-running child gets fresh credentials instead of static keys that
//! expire under it.
//!
//! Why std and not a crate: the server answers one `GET` with a fixed path
//! and a bearer header, closes the connection after each answer, and must be
//! bounded in every direction (header size, time, threads). The loopback
//! module (std and httparse) does that with nothing added to the binary;
//! tiny_http (the emulator's server) would add a dependency tree for
//! features we turn off (chunked bodies, keep-alive, pipelining).
//!
//! Bounds: at most [`MAX_CONNECTIONS`] authorised requests served at once
//! and [`MAX_PENDING`] connections waiting for their request (one thread
//! each). Any local user can connect, so a connection that has not sent an
//! authorised request is only *pending*: when the pending pool is full a new
//! connection evicts the oldest pending one that has no whole request
//! waiting unread ([`crate::loopback::Admission`]), and only when every
//! serving place is taken does a newcomer get `503`. A
//! request head may be [`MAX_HEAD`] bytes, and a client has [`IO_TIMEOUT`]
//! to send it. The `Authorization` header must equal the token exactly
//! (compared in constant time); anything else gets `401`/`403`/`404`/`405`
//! with a JSON `{"Message": …}` and nothing else.

use super::{Credentials, Plan};
use crate::error::{Error, Result};
use crate::login::interaction::{Interaction, Refusal};
use crate::login::{Ctx, LoginOptions};
use crate::loopback::{self, Admission, HeadError, Request, Slot};
use crate::secret::Secret;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// Authorised requests served at once; past it a newcomer gets `503`.
pub(crate) const MAX_CONNECTIONS: usize = 64;
/// Connections that have not sent an authorised request yet; past it the
/// oldest of them is closed for the newcomer. Large, because it is the margin
/// a real client has against a flood reconnecting as fast as it can.
pub(crate) const MAX_PENDING: usize = 512;
/// The most bytes of request line and headers read from a client.
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send its whole request head (and to read the answer).
pub(crate) const IO_TIMEOUT: Duration = Duration::from_secs(5);
/// Stack of a thread answering a request (a warm answer needs little).
const REQUEST_STACK: usize = 256 * 1024;
/// The path credentials are served on.
pub(crate) const PATH: &str = "/ssoenv/credentials";

/// Where the credentials come from: a cache in memory, else
/// [`Plan::credentials`] (role or assume-role cache file, refresh,
/// GetRoleCredentials or AssumeRole) with logins refused.
pub(crate) struct Source {
    ctx: Ctx,
    profile: Plan,
    /// The credentials held and their JSON, serialized once.
    cached: Mutex<Option<(Credentials, String)>>,
    /// What the user was last told about a failure (`None`: nothing is
    /// failing), so a failure is said once, and again only when it changes.
    told: Mutex<Option<String>>,
}

impl Source {
    /// A source that starts with `creds` (the ones `exec` got up front).
    pub(crate) fn new(ctx: Ctx, profile: Plan, creds: Option<Credentials>) -> Source {
        Source {
            ctx,
            profile,
            cached: Mutex::new(creds.map(|c| {
                let json = c.container_json();
                (c, json)
            })),
            told: Mutex::new(None),
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
        // request thread has. Rare (once per credential lifetime). What the
        // fetch says on stderr (a refused refresh, …) is kept, not written:
        // every request after a failure fetches again and would repeat it.
        let (fetched, said) = std::thread::scope(|s| {
            std::thread::Builder::new()
                .name("ssoenv-credential-fetch".into())
                .spawn_scoped(s, || {
                    crate::output::captured(|| self.profile.credentials(&self.ctx, opts))
                })
                .map_err(|e| Error::runtime("could not start a thread").cause(e))
                .and_then(|h| {
                    h.join()
                        .map_err(|_| Error::runtime("getting credentials failed"))
                })
                .map_or_else(|e| (Err(e), String::new()), |(r, said)| (r, said))
        });
        let mut told = self.told.lock().unwrap_or_else(|e| e.into_inner());
        match fetched {
            Ok(c) => {
                let json = c.container_json();
                *cached = Some((c, json.clone()));
                if told.take().is_some() {
                    crate::output::note(&format!(
                        "the credential server has credentials for profile \"{}\" again",
                        self.profile.name()
                    ));
                }
                // Warnings of a fetch that worked (a refresh that failed while
                // the token still works, …): rare, and each fetch is one
                // credential lifetime apart.
                crate::output::stderr_text(&said);
                Ok(json)
            }
            Err(e) => {
                // The error decides whether this is news; what the fetch said
                // on the way (a refused refresh) goes with it, not alone.
                let error = e.to_string();
                if told.as_deref() != Some(error.as_str()) {
                    crate::output::note(&format!(
                        "the credential server could not get credentials for profile \"{}\" (said once, and again when the cause changes or it can again):",
                        self.profile.name()
                    ));
                    crate::output::stderr_text(&format!("{said}{error}\n"));
                    *told = Some(error);
                }
                Err(e.message.clone())
            }
        }
    }
}

fn fresh(c: &Credentials, now: OffsetDateTime) -> bool {
    c.fresh_at(now)
}

/// A running server. It stops when the process exits (it lives as long as
/// the `exec` that started it).
pub(crate) struct Server {
    addr: SocketAddr,
    token: Secret,
}

impl Server {
    /// Binds 127.0.0.1 on a free port, with a fresh random token, and serves
    /// on a background thread.
    pub(crate) fn start(source: Source) -> Result<Server> {
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
            admission: Admission::new(MAX_CONNECTIONS, MAX_PENDING),
        });
        std::thread::Builder::new()
            .name("ssoenv-credential-server".into())
            .spawn(move || accept_loop(&listener, &shared))
            .map_err(|e| Error::runtime("could not start the credential server").cause(e))?;
        Ok(Server { addr, token })
    }

    /// `http://127.0.0.1:PORT/ssoenv/credentials`: AWS_CONTAINER_CREDENTIALS_FULL_URI.
    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}{PATH}", self.addr.port())
    }

    /// AWS_CONTAINER_AUTHORIZATION_TOKEN: sent verbatim as `Authorization`
    /// (the value itself, for the child's environment).
    pub(crate) fn token(&self) -> &str {
        self.token.expose()
    }
}

struct Shared {
    source: Source,
    token: Secret,
    admission: Arc<Admission>,
}

/// 256 bits from the operating system's generator, as 64 hex digits (no
/// `\r`/`\n`, which botocore refuses in a header value, docs/credential-process.md#container-endpoint).
fn random_token() -> Result<Secret> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| {
        Error::runtime("could not get random bytes for the credential server's token").cause(e)
    })?;
    Ok(Secret::new(
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>(),
    ))
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for conn in listener.incoming() {
        let Ok(mut stream) = conn else {
            // EMFILE and the like: wait a little rather than spin.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let Some(slot) = shared.admission.admit(&stream) else {
            // Every place serves an authorised request.
            let _ = loopback::respond(
                &mut stream,
                503,
                JSON,
                &message("too many connections"),
                Duration::from_millis(100),
            );
            continue;
        };
        let shared2 = Arc::clone(shared);
        // A small stack halves the cost of a warm request (measured: p50
        // 0.114 → 0.057 ms); fetches run on a thread of their own (`fetch`).
        // The slot goes with the closure: its place is freed however the
        // thread ends (or if it never starts).
        let _ = std::thread::Builder::new()
            .name("ssoenv-credential-request".into())
            .stack_size(REQUEST_STACK)
            .spawn(move || serve(stream, slot, &shared2));
    }
}

const JSON: &str = "application/json";

fn message(text: &str) -> String {
    serde_json::json!({ "Message": text }).to_string()
}

fn serve(mut stream: TcpStream, mut slot: Slot, shared: &Shared) {
    let (status, body) =
        match loopback::read_head(&mut stream, Instant::now() + IO_TIMEOUT, MAX_HEAD) {
            Ok(head) => answer(&head, &mut slot, shared),
            Err(HeadError::TooLarge) => (431, message("request headers too large")),
            Err(HeadError::Malformed) => (400, message("malformed request")),
            // Timed out, gone or evicted: nobody to answer.
            Err(HeadError::Io) => return,
        };
    let _ = loopback::respond(&mut stream, status, JSON, &body, IO_TIMEOUT);
}

/// The status and JSON body for a request head. An authorised request
/// takes its place for good (`slot.promote`) before credentials are fetched.
fn answer(head: &Request, slot: &mut Slot, shared: &Shared) -> (u16, String) {
    let mut authorization = head.header_values("authorization");
    let first = authorization.next();
    if authorization.next().is_some() {
        return (400, message("more than one Authorization header"));
    }
    if head.path() != PATH {
        return (404, message("not found"));
    }
    if head.method != "GET" {
        return (405, message("only GET is supported"));
    }
    match first {
        None => return (401, message("missing Authorization header")),
        Some(v) if !shared.token.matches(v) => {
            return (403, message("invalid Authorization token"));
        }
        Some(_) => {}
    }
    if !slot.promote() {
        // Evicted while its head was read: the socket is closed already.
        return (503, message("too many connections"));
    }
    match shared.source.credentials_json() {
        Ok(json) => (200, json),
        Err(why) => (500, message(&why)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_tokens_are_64_hex_digits_and_differ() {
        let a = random_token().unwrap();
        let b = random_token().unwrap();
        assert_eq!(a.expose().len(), 64);
        assert!(!format!("{a:?}").contains(a.expose()), "redacted in Debug");
        assert!(a.expose().bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
