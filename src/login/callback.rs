//! The one-shot loopback listener of the PKCE login (docs/sso-oidc.md#callback-listener),
//! on `crate::loopback`: it waits for the browser's redirect to 127.0.0.1 and
//! brings back the authorization code, or the error, of this login only.
//!
//! Where this differs from the CLI, on purpose:
//! - The listener binds 127.0.0.1 only (the CLI binds every IPv4 interface):
//!   the redirect goes to 127.0.0.1, so nothing else needs to reach it.
//! - Only `GET /oauth/callback` is answered (the CLI answers any path): the
//!   browser's favicon request and strays get a 404.
//! - A callback whose `state` is not this login's is refused with a 400 page
//!   and the wait goes on (the CLI fails the login): the real redirect always
//!   carries our state, so a wrong one is a stale tab of an earlier login or
//!   another program or web page poking the port; failing would let any of
//!   them abort the login, waiting costs nothing. `error=` ends the wait
//!   only with this login's state too (the CLI ends on any error): anyone
//!   can call the port, and a stray `error=access_denied` would end the
//!   login with its own `error_description` on the terminal ("run curl … |
//!   sh"). A stray callback's text is never shown.
//! - Idle connections from anyone cannot block the redirect: up to
//!   [`MAX_WAITING`] connections may wait for their request head; past it
//!   the oldest one with no whole head waiting is closed for the new one
//!   ([`crate::loopback::Admission`]), and at most [`MAX_IN_FLIGHT`] are
//!   answered at once.

use crate::loopback::{self, Admission, Request};
use crate::secret::{Secret, constant_time_eq};
use std::io;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The callback path on the loopback listener.
pub(crate) const CALLBACK_PATH: &str = "/oauth/callback";
/// The most a request head may hold (request line and headers).
const MAX_HEAD: usize = 16 * 1024;
/// How long one connection may take to send its request head (the CLI waits
/// 10 s per request).
const PER_CONNECTION: Duration = Duration::from_secs(10);
/// Connections answered at once (each is answered as soon as its head is in).
const MAX_IN_FLIGHT: usize = 16;
/// Connections waiting for their request head; past it the oldest one still
/// waiting is closed for the newcomer.
const MAX_WAITING: usize = 128;

/// The one-shot loopback listener the browser is redirected to.
pub(crate) struct Callback {
    listener: TcpListener,
    port: u16,
}

/// What the browser brought back.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Answer {
    /// The authorization code, with our state.
    Code(Secret),
    /// `error=…` with our state: the login failed in the browser.
    Failed {
        error: String,
        description: Option<String>,
    },
}

/// The wait ended without an answer.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct TimedOut {
    /// Callbacks refused because they did not carry our state.
    pub(crate) wrong_state: u32,
}

/// What one request to the listener amounted to.
#[derive(Debug, PartialEq, Eq)]
enum Seen {
    Answer(Answer),
    WrongState,
    Other,
}

impl Callback {
    /// Listen on 127.0.0.1 on a port the system picks. Debug builds only:
    /// `SSOENV_TEST_PKCE_PORT` picks the port (the tests take one first to
    /// make the bind fail); release builds have no such knob.
    pub(crate) fn bind() -> io::Result<Callback> {
        #[allow(unused_mut)]
        let mut port = 0u16;
        #[cfg(debug_assertions)]
        if let Some(p) = std::env::var("SSOENV_TEST_PKCE_PORT")
            .ok()
            .and_then(|v| v.trim().parse::<u16>().ok())
        {
            port = p;
        }
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
        let port = listener.local_addr()?.port();
        listener.set_nonblocking(true)?;
        Ok(Callback { listener, port })
    }

    /// `http://127.0.0.1:<port>/oauth/callback`: the redirect URI of the
    /// authorize and token calls (the registration's has no port).
    pub(crate) fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}{CALLBACK_PATH}", self.port)
    }

    /// Answer requests until one brings the code (or an error) for `state`,
    /// or `deadline` passes. Each connection is read on a thread of its own
    /// (at most [`MAX_IN_FLIGHT`] at once, the oldest evicted for a new
    /// one), so neither a browser's idle speculative connection nor another
    /// user's idle ones hold up the one carrying the redirect.
    pub(crate) fn wait(
        &self,
        state: &str,
        deadline: Instant,
    ) -> std::result::Result<Answer, TimedOut> {
        let (tx, rx) = mpsc::channel::<Seen>();
        let admission = Admission::new(MAX_IN_FLIGHT, MAX_WAITING);
        let mut wrong_state = 0u32;
        loop {
            while let Ok(seen) = rx.try_recv() {
                match seen {
                    Seen::Answer(a) => return Ok(a),
                    Seen::WrongState => {
                        if wrong_state == 0 {
                            crate::output::note(
                                "refused a request to the login callback whose state is not this login's (an old browser tab, or another program); still waiting",
                            );
                        }
                        wrong_state = wrong_state.saturating_add(1);
                    }
                    Seen::Other => {}
                }
            }
            match self.listener.accept() {
                Ok((stream, _)) => {
                    // Every request is answered as soon as its head is read,
                    // so no place is ever held for long by a promoted one:
                    // a refusal (None) closes the newcomer unanswered.
                    let Some(mut slot) = admission.admit(&stream) else {
                        continue;
                    };
                    let (tx, state) = (tx.clone(), state.to_owned());
                    let _ = std::thread::Builder::new()
                        .name("ssoenv-pkce-callback".into())
                        .spawn(move || {
                            let _ = tx.send(serve(stream, &state, deadline, || slot.promote()));
                        });
                }
                // Nothing waiting (or a connection that went away before it
                // was accepted, or no file descriptor left for a moment).
                Err(_) => {
                    if Instant::now() >= deadline {
                        return Err(TimedOut { wrong_state });
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        }
    }
}

/// Read one request head within its deadline and answer it. `promote` is
/// called once the head is in (the connection can no longer be evicted).
fn serve(
    mut stream: TcpStream,
    state: &str,
    deadline: Instant,
    promote: impl FnOnce() -> bool,
) -> Seen {
    let until = deadline.min(Instant::now() + PER_CONNECTION);
    // Too large, malformed, slow, gone or evicted: closed unanswered.
    let Ok(head) = loopback::read_head(&mut stream, until, MAX_HEAD) else {
        return Seen::Other;
    };
    if !promote() {
        return Seen::Other;
    }
    let seen = judge(&head, state);
    let (status, body) = match &seen {
        Seen::Answer(Answer::Code(_)) => (200, PAGE_SIGNED_IN),
        Seen::Answer(Answer::Failed { .. }) => (200, PAGE_FAILED),
        Seen::WrongState => (400, PAGE_WRONG_STATE),
        Seen::Other if head.method != "GET" => (405, PAGE_NOT_FOUND),
        Seen::Other if head.path() != CALLBACK_PATH => (404, PAGE_NOT_FOUND),
        Seen::Other => (400, PAGE_NO_CODE),
    };
    let _ = loopback::respond(
        &mut stream,
        status,
        "text/html; charset=utf-8",
        body,
        Duration::from_secs(2),
    );
    seen
}

/// What a request means for the login waiting for `state`: only one that
/// carries `state` may end the wait, with a code or an error.
fn judge(head: &Request, state: &str) -> Seen {
    if head.method != "GET" || head.path() != CALLBACK_PATH {
        return Seen::Other;
    }
    let query = head.query();
    let got = |name: &str| {
        query
            .split('&')
            .filter_map(|p| p.split_once('=').or(Some((p, ""))))
            .find(|(k, _)| crate::percent::decode_form(k) == name)
            .map(|(_, v)| crate::percent::decode_form(v))
            .filter(|v| !v.is_empty())
    };
    let their_state = got("state");
    let ours = their_state
        .as_deref()
        .is_some_and(|s| constant_time_eq(s.as_bytes(), state.as_bytes()));
    if let Some(error) = got("error") {
        if !ours {
            // Missing or another login's: its text is not shown anywhere.
            return Seen::WrongState;
        }
        return Seen::Answer(Answer::Failed {
            error,
            description: got("error_description"),
        });
    }
    match got("code") {
        Some(_) if !ours => Seen::WrongState,
        Some(code) if code.len() <= 4096 && code.bytes().all(|b| b.is_ascii_graphic()) => {
            Seen::Answer(Answer::Code(code.into()))
        }
        _ => Seen::Other,
    }
}

const PAGE_SIGNED_IN: &str = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>ssoenv: signed in</title></head>\
<body><h1>ssoenv: signed in</h1><p>You can close this tab and go back to the terminal.</p></body></html>\n";
const PAGE_FAILED: &str = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>ssoenv: sign-in failed</title></head>\
<body><h1>ssoenv: sign-in failed</h1><p>The terminal says why. You can close this tab.</p></body></html>\n";
const PAGE_WRONG_STATE: &str = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>ssoenv: not this login</title></head>\
<body><h1>ssoenv: this answer is not for the login in progress</h1><p>Its state does not match: it comes from an older sign-in page. \
Use the page the terminal opened or printed last.</p></body></html>\n";
const PAGE_NO_CODE: &str = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>ssoenv: no code</title></head>\
<body><h1>ssoenv: this request brought no authorization code</h1></body></html>\n";
const PAGE_NOT_FOUND: &str =
    "<!doctype html>\n<html><head><title>Not found</title></head><body>Not found</body></html>\n";

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn req(target: &str) -> Request {
        Request {
            method: "GET".into(),
            target: target.into(),
            headers: Vec::new(),
        }
    }

    #[test]
    fn only_a_callback_with_this_logins_state_brings_the_code() {
        let s = "7db409d7-0298-489a-ae00-9a20c91e002b";
        assert_eq!(
            judge(&req(&format!("/oauth/callback?code=abc%2Bd&state={s}")), s),
            Seen::Answer(Answer::Code("abc+d".into()))
        );
        assert_eq!(
            judge(&req("/oauth/callback?code=abc&state=other"), s),
            Seen::WrongState
        );
        assert_eq!(judge(&req("/oauth/callback?code=abc"), s), Seen::WrongState);
        assert_eq!(
            judge(&req(&format!("/oauth/callback?state={s}")), s),
            Seen::Other
        );
        assert_eq!(
            judge(&req(&format!("/favicon.ico?code=abc&state={s}")), s),
            Seen::Other
        );
        assert_eq!(
            judge(
                &Request {
                    method: "POST".into(),
                    ..req(&format!("/oauth/callback?code=abc&state={s}"))
                },
                s
            ),
            Seen::Other
        );
        // A code that is not printable ASCII is nobody's code.
        assert_eq!(
            judge(&req(&format!("/oauth/callback?code=%1b%5b2J&state={s}")), s),
            Seen::Other
        );
    }

    #[test]
    fn an_error_ends_the_wait_only_with_this_logins_state() {
        let s = "st";
        assert_eq!(
            judge(
                &req("/oauth/callback?error=access_denied&error_description=User+said+no&state=st"),
                s
            ),
            Seen::Answer(Answer::Failed {
                error: "access_denied".into(),
                description: Some("User said no".into())
            })
        );
        // No state: a stray (anyone can call the port), refused, its text dropped.
        assert_eq!(
            judge(
                &req("/oauth/callback?error=access_denied&error_description=run+curl+x+%7C+sh"),
                s
            ),
            Seen::WrongState
        );
        assert_eq!(
            judge(&req("/oauth/callback?error=access_denied&state=zz"), s),
            Seen::WrongState
        );
    }

    #[test]
    fn the_listener_answers_strays_and_returns_the_code() {
        let cb = Callback::bind().unwrap();
        let port = cb.port;
        let client = std::thread::spawn(move || {
            let get = |target: &str| {
                let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
                write!(s, "GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
                let mut out = String::new();
                s.read_to_string(&mut out).unwrap();
                out
            };
            // A connection that sends nothing and goes away.
            drop(TcpStream::connect(("127.0.0.1", port)).unwrap());
            let favicon = get("/favicon.ico");
            let wrong = get("/oauth/callback?code=evil&state=other");
            let right = get("/oauth/callback?code=good&state=mine");
            (favicon, wrong, right)
        });
        let answer = cb.wait("mine", Instant::now() + Duration::from_secs(10));
        let (favicon, wrong, right) = client.join().unwrap();
        assert_eq!(answer, Ok(Answer::Code("good".into())));
        assert!(
            !format!("{answer:?}").contains("good"),
            "the code is redacted"
        );
        assert!(favicon.starts_with("HTTP/1.1 404"), "{favicon}");
        assert!(wrong.starts_with("HTTP/1.1 400"), "{wrong}");
        assert!(right.starts_with("HTTP/1.1 200"), "{right}");
        assert!(right.contains("signed in"), "{right}");
    }

    #[test]
    fn an_idle_or_oversized_connection_does_not_hold_up_the_callback() {
        let cb = Callback::bind().unwrap();
        let port = cb.port;
        let client = std::thread::spawn(move || {
            // A connection that sends nothing and stays open (a browser's speculative one).
            let idle = TcpStream::connect(("127.0.0.1", port)).unwrap();
            // A request head with no end, past the 16 KiB bound: closed unanswered.
            let mut big = TcpStream::connect(("127.0.0.1", port)).unwrap();
            let _ = big
                .write_all(format!("GET /oauth/callback?code={}", "a".repeat(40_000)).as_bytes());
            let mut answer = String::new();
            let _ = big.read_to_string(&mut answer);
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            write!(
                s,
                "GET /oauth/callback?code=good&state=mine HTTP/1.1\r\n\r\n"
            )
            .unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).unwrap();
            drop(idle);
            (answer, out)
        });
        let start = Instant::now();
        let answer = cb.wait("mine", Instant::now() + Duration::from_secs(30));
        let (big, right) = client.join().unwrap();
        assert_eq!(answer, Ok(Answer::Code("good".into())));
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(big, "");
        assert!(right.starts_with("HTTP/1.1 200"), "{right}");
    }

    #[test]
    fn the_listener_gives_up_at_the_deadline() {
        let cb = Callback::bind().unwrap();
        let start = Instant::now();
        let answer = cb.wait("s", Instant::now() + Duration::from_millis(100));
        assert_eq!(answer, Err(TimedOut { wrong_state: 0 }));
        assert!(start.elapsed() < Duration::from_secs(2));
    }
}
