//! The authorization-code flow with PKCE, as AWS CLI v2 runs it for an
//! sso-session (docs/sso-oidc.md#authorization-code-with-pkce): register
//! (or reuse) a client with the `authorization_code` grant, open the
//! authorize page in the browser, take the code the browser brings back to a
//! one-shot listener on 127.0.0.1, and exchange it (with the verifier) for a
//! token cached exactly as a device-code token.
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
//! - Idle connections from anyone cannot block the redirect: at
//!   [`MAX_IN_FLIGHT`] the oldest connection still reading its head is
//!   closed for the new one ([`crate::loopback::Admission`]).
//! - The wait is bounded: [`TIMEOUT_VAR`] seconds, 600 by default (the CLI's
//!   overall limit too).

use super::device::{self, EXPIRED_AUTHORIZATION, EXPIRED_AUTHORIZATION_HINT};
use super::{Ctx, Subject, describe, unreachable_error};
use crate::aws::endpoint::Endpoints;
use crate::aws::http::HttpError;
use crate::aws::oidc::Oidc;
use crate::cache::{self, registration, token};
use crate::config::SsoSession;
use crate::env::{self, Env};
use crate::error::{Error, Result};
use crate::loopback::{self, Admission, Request};
use crate::text::printable;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::io;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The variable bounding the wait for the browser, in seconds.
pub const TIMEOUT_VAR: &str = env::SSOENV_PKCE_TIMEOUT;
/// How long to wait for the browser by default (the CLI's limit, docs/sso-oidc.md#callback-listener).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// The longest wait [`TIMEOUT_VAR`] may ask for: an hour.
const MAX_TIMEOUT_SECS: u64 = 3600;
/// The scopes a PKCE client registers and asks for when none are configured.
pub const DEFAULT_SCOPE: &str = "sso:account:access";
/// The callback path on the loopback listener.
pub const CALLBACK_PATH: &str = "/oauth/callback";
/// The most a request head may hold (request line and headers).
const MAX_HEAD: usize = 16 * 1024;
/// How long one connection may take to send its request head (the CLI waits
/// 10 s per request).
const PER_CONNECTION: Duration = Duration::from_secs(10);
/// Connections read at once; past it the oldest one still reading its head is
/// closed for the newcomer.
const MAX_IN_FLIGHT: usize = 16;

/// RFC 7636's unreserved characters, the verifier's alphabet (docs/sso-oidc.md#verifier-challenge-and-state).
const VERIFIER_ALPHABET: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

fn random(buf: &mut [u8]) -> Result<()> {
    getrandom::getrandom(buf).map_err(|e| {
        Error::runtime("could not start the PKCE login")
            .cause(format!("the operating system gave no random bytes: {e}"))
    })
}

/// A code verifier: 64 characters drawn uniformly from `A-Za-z0-9-._~`
/// (bytes at or above 198 = 3 × 66 are dropped, so no character is favoured).
pub fn verifier() -> Result<String> {
    let n = VERIFIER_ALPHABET.len();
    let limit = (256 / n * n) as u8;
    let mut out = String::with_capacity(64);
    let mut buf = [0u8; 96];
    while out.len() < 64 {
        random(&mut buf)?;
        for b in buf.iter().filter(|b| **b < limit) {
            if out.len() == 64 {
                break;
            }
            out.push(VERIFIER_ALPHABET[*b as usize % n] as char);
        }
    }
    Ok(out)
}

/// `base64url(sha256(verifier))` without padding (S256, docs/sso-oidc.md#verifier-challenge-and-state).
pub fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A random UUID version 4 (`uuid.uuid4()` as the CLI's state).
pub fn uuid4() -> Result<String> {
    let mut b = [0u8; 16];
    random(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    ))
}

/// `scheme://host[:port]` of the resolved OIDC endpoint: the authorize page
/// moves with an endpoint override, and loses its path (docs/sso-oidc.md#authorize-url).
fn origin(oidc_base: &str) -> &str {
    let Some((scheme, rest)) = oidc_base.split_once("://") else {
        return oidc_base;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    &oidc_base[..scheme.len() + 3 + end]
}

/// The authorize URL, parameters in the CLI's order with `code_challenge`
/// last (docs/sso-oidc.md#authorize-url).
pub fn authorize_url(
    oidc_base: &str,
    client_id: &str,
    redirect_uri: &str,
    state: &str,
    scopes: &[String],
    challenge: &str,
) -> String {
    let params = [
        ("response_type", "code".to_owned()),
        ("client_id", client_id.to_owned()),
        ("redirect_uri", redirect_uri.to_owned()),
        ("state", state.to_owned()),
        ("code_challenge_method", "S256".to_owned()),
        ("scopes", scopes.join(" ")),
        ("code_challenge", challenge.to_owned()),
    ];
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::percent::component(v)))
        .collect();
    format!("{}/authorize?{}", origin(oidc_base), query.join("&"))
}

/// The configured registration scopes, else `sso:account:access`.
pub fn scopes(session: &SsoSession) -> Vec<String> {
    match &session.scopes {
        Some(s) if !s.is_empty() => s.clone(),
        _ => vec![DEFAULT_SCOPE.to_owned()],
    }
}

/// [`TIMEOUT_VAR`]: seconds (fractions allowed) above 0 and up to an hour;
/// unset or empty is 600. Anything else is a usage error naming the variable.
pub fn timeout(env: &Env) -> Result<Duration> {
    let Some(raw) = env.non_empty(TIMEOUT_VAR) else {
        return Ok(DEFAULT_TIMEOUT);
    };
    match raw.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= MAX_TIMEOUT_SECS as f64 => {
            Ok(Duration::from_secs_f64(v))
        }
        _ => Err(Error::config(format!(
            "{TIMEOUT_VAR} is \"{}\", which is not a number of seconds above 0 and up to {MAX_TIMEOUT_SECS}",
            printable(raw)
        ))
        .hint(format!(
            "set {TIMEOUT_VAR} to how many seconds to wait for the browser (default {}), or unset it",
            DEFAULT_TIMEOUT.as_secs()
        ))),
    }
}

/// Equal, in time that depends on the lengths only.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// The one-shot loopback listener the browser is redirected to.
pub struct Callback {
    listener: TcpListener,
    port: u16,
}

/// What the browser brought back.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// The authorization code, with our state.
    Code(String),
    /// `error=…` with our state: the login failed in the browser.
    Failed {
        error: String,
        description: Option<String>,
    },
}

/// The wait ended without an answer.
#[derive(Debug, PartialEq, Eq)]
pub struct TimedOut {
    /// Callbacks refused because they did not carry our state.
    pub wrong_state: u32,
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
    pub fn bind() -> io::Result<Callback> {
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
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}{CALLBACK_PATH}", self.port)
    }

    /// Answer requests until one brings the code (or an error) for `state`,
    /// or `deadline` passes. Each connection is read on a thread of its own
    /// (at most [`MAX_IN_FLIGHT`] at once, the oldest evicted for a new
    /// one), so neither a browser's idle speculative connection nor another
    /// user's idle ones hold up the one carrying the redirect.
    pub fn wait(&self, state: &str, deadline: Instant) -> std::result::Result<Answer, TimedOut> {
        let (tx, rx) = mpsc::channel::<Seen>();
        let admission = Admission::new(MAX_IN_FLIGHT);
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
    let ours = their_state.as_deref().is_some_and(|s| same(s, state));
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
            Seen::Answer(Answer::Code(code))
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

/// The PKCE login on a bound listener (docs/sso-oidc.md#authorization-code-with-pkce), writing the token where
/// the AWS CLI writes it. The caller chose the flow and bound `callback`.
pub fn login(
    ctx: &Ctx,
    session: &SsoSession,
    endpoints: &Endpoints,
    callback: Callback,
    subject: &Subject,
) -> Result<token::Token> {
    cache::check_writable(&cache::sso_cache_dir(&ctx.home))?;
    let wait_for = timeout(&ctx.env)?;
    let oidc = Oidc {
        http: ctx.http()?,
        base: &endpoints.oidc,
    };
    crate::output::note(&format!(
        "logging in to {} in the browser (authorization code with PKCE)",
        device::login_target(session, subject)
    ));
    let fail = |what: &str, e: HttpError| {
        unreachable_error(
            format!("could not {what} for {}", describe(session)),
            &endpoints.oidc,
            e,
        )
    };
    let scopes = scopes(session);
    let now = (ctx.now)();
    let reg = match registration::load_reusable_for(
        &ctx.home,
        session,
        now,
        registration::Kind::AuthCode,
    ) {
        Some(r) => r,
        None => {
            let r = oidc
                .register_client_auth_code(
                    &device::client_name(session, now),
                    &scopes,
                    &session.start_url,
                )
                .and_then(|r| device::checked_registration(&oidc, r, now))
                .map_err(|e| fail("register the client", e))?;
            if let Err(e) = registration::save_auth_code(&ctx.home, session, &r, &scopes) {
                crate::output::warn_error(&e);
            }
            r
        }
    };
    let verifier = verifier()?;
    let state = uuid4()?;
    let redirect_uri = callback.redirect_uri();
    let url = authorize_url(
        &endpoints.oidc,
        &reg.client_id,
        &redirect_uri,
        &state,
        &scopes,
        &challenge(&verifier),
    );
    // The page holding the URL goes when the login ends (the browser has read it by then).
    let _page = show_and_open(&ctx.env, &url, subject);
    let deadline = Instant::now() + wait_for;
    let code = match callback.wait(&state, deadline) {
        Ok(Answer::Code(c)) => c,
        Ok(Answer::Failed { error, description }) => {
            let mut cause = format!("the browser came back with error={}", printable(&error));
            if let Some(d) = description {
                cause.push_str(&format!(": {}", printable(&d)));
            }
            let (message, hint) = if error == "access_denied" {
                (
                    format!(
                        "the login for {} was denied in the browser",
                        describe(session)
                    ),
                    "run the command again and choose Allow on the authorization page",
                )
            } else {
                (
                    format!("the login for {} failed in the browser", describe(session)),
                    "run the command again; if it fails the same way, try the device code (`ssoenv login --use-device-code`)",
                )
            };
            return Err(Error::runtime(message).cause(cause).hint(hint));
        }
        Err(t) => {
            let mut e = Error::runtime(EXPIRED_AUTHORIZATION).cause(format!(
                "no answer from the browser at {redirect_uri} within {}",
                crate::aws::http::secs(wait_for)
            ));
            if t.wrong_state > 0 {
                e = e.cause(format!(
                    "{} request(s) to it carried another login's state and were refused",
                    t.wrong_state
                ));
            }
            return Err(e.hint(format!(
                "{EXPIRED_AUTHORIZATION_HINT} ({TIMEOUT_VAR} sets the wait in seconds), or log in with a code instead: `ssoenv login --use-device-code` or SSOENV_LOGIN_FLOW=device"
            )));
        }
    };
    let resp = oidc
        .create_token_auth_code(
            &reg.client_id,
            &reg.client_secret,
            &redirect_uri,
            &verifier,
            &code,
        )
        .map_err(|e| match e {
            HttpError::Api(a) => match device::poll_error(&a) {
                Some(pe) => pe.error(session, &a),
                None => fail("complete the login", HttpError::Api(a)),
            },
            e => fail("complete the login", e),
        })?;
    device::store_login(ctx, session, endpoints, &reg, resp)
}

/// The CLI's words (docs/sso-oidc.md#what-the-cli-prints, 2.34.22+; the way to a device code is ours:
/// `use` and `exec` have no `--use-device-code`), the URL on a line of its
/// own, then the browser opened on it when that is safe, through a private
/// page (the `state` stays off every command line).
fn show_and_open(env: &Env, url: &str, subject: &Subject) -> Option<super::browser::Page> {
    let safe = super::browser::safe_to_open(url);
    let mut text = String::new();
    if safe {
        text.push_str(&format!(
            "Attempting to open your default browser. If the browser does not open, open the following URL.\nIf you are unable to open the URL on this device, run `{} --use-device-code` instead.\n\n",
            printable(&subject.login_command())
        ));
    } else {
        text.push_str("ssoenv: not opening a browser: the authorization URL is not an https:// address; open it yourself only if you trust it\n\n");
    }
    text.push_str(&format!(
        "{}\n\nwaiting for the browser… (Ctrl-C to cancel)\n",
        printable(url)
    ));
    crate::output::stderr_text(&text);
    if !safe {
        return None;
    }
    let page = super::browser::open_private(env, url);
    if page.is_none() {
        crate::output::note("could not open a browser; open the URL above yourself");
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn the_challenge_of_rfc_7636_appendix_b_is_computed() {
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        // The AWS CLI's live example (docs/sso-oidc.md#verifier-challenge-and-state).
        assert_eq!(
            challenge("nrlRio7_.4DBKFhz0YV2amOB60-VHzJSMS.p_wzti-rn7_NN7l2f-yPMv_~D9EUU").len(),
            43
        );
    }

    #[test]
    fn verifiers_are_64_unreserved_characters_and_differ() {
        let a = verifier().unwrap();
        let b = verifier().unwrap();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| VERIFIER_ALPHABET.contains(&c)), "{a}");
        assert_ne!(a, b);
    }

    #[test]
    fn the_state_is_a_version_4_uuid() {
        let s = uuid4().unwrap();
        let parts: Vec<&str> = s.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert!("89ab".contains(&parts[3][..1]));
        assert_ne!(s, uuid4().unwrap());
    }

    #[test]
    fn the_authorize_url_is_the_one_the_cli_opens() {
        // The AWS CLI's live example (docs/sso-oidc.md#authorize-url).
        let url = authorize_url(
            "http://127.0.0.1:18445",
            "exampleClientId",
            "http://127.0.0.1:40709/oauth/callback",
            "7db409d7-0298-489a-ae00-9a20c91e002b",
            &["sso:account:access".into()],
            "tVZ5W3xiaqwZUAkNuv2tz6bnxZ4WHMfltlpPpSyJE_I",
        );
        assert_eq!(
            url,
            "http://127.0.0.1:18445/authorize?response_type=code&client_id=exampleClientId&redirect_uri=http%3A%2F%2F127.0.0.1%3A40709%2Foauth%2Fcallback&state=7db409d7-0298-489a-ae00-9a20c91e002b&code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess&code_challenge=tVZ5W3xiaqwZUAkNuv2tz6bnxZ4WHMfltlpPpSyJE_I"
        );
        // Several scopes are joined by a space, sent as %20; an override's path is dropped.
        let url = authorize_url(
            "https://oidc.eu-west-1.amazonaws.com/some/path",
            "c",
            "r",
            "s",
            &["a:b".into(), "c".into()],
            "x",
        );
        assert!(
            url.starts_with("https://oidc.eu-west-1.amazonaws.com/authorize?response_type=code"),
            "{url}"
        );
        assert!(url.contains("&scopes=a%3Ab%20c&"), "{url}");
    }

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
    fn the_timeout_variable_takes_seconds_up_to_an_hour() {
        let env = |v: &str| Env::from_pairs([(TIMEOUT_VAR, v)]);
        assert_eq!(timeout(&Env::default()).unwrap(), DEFAULT_TIMEOUT);
        assert_eq!(timeout(&env("1.5")).unwrap(), Duration::from_millis(1500));
        for bad in ["0", "-1", "3601", "soon", "inf", "NaN"] {
            let e = timeout(&env(bad)).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad}");
            assert!(e.message.contains(TIMEOUT_VAR), "{}", e.message);
        }
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
