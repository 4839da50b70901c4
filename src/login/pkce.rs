//! The authorization-code flow with PKCE, as AWS CLI v2 runs it for an
//! sso-session (docs/sso-oidc.md#authorization-code-with-pkce): register
//! (or reuse) a client with the `authorization_code` grant, open the
//! authorize page in the browser, take the code the browser brings back to a
//! one-shot listener on 127.0.0.1, and exchange it (with the verifier) for a
//! token cached exactly as a device-code token.
//!
//! Where this differs from the CLI, on purpose:
//! - The callback listener (`callback.rs`) answers only this login's
//!   callback, and strangers cannot hold it up.
//! - The wait is bounded: [`TIMEOUT_VAR`] seconds, 600 by default (the CLI's
//!   overall limit too).

pub(crate) use super::callback::{Answer, Callback};
use super::device::{self, EXPIRED_AUTHORIZATION, EXPIRED_AUTHORIZATION_HINT};
use super::{Ctx, Subject, describe, unreachable_error};
use crate::aws::endpoint::Endpoints;
use crate::aws::http::HttpError;
use crate::aws::oidc::Oidc;
use crate::cache::{self, registration, token};
use crate::config::SsoSession;
use crate::env::{self, Env};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::text::printable;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

/// The variable bounding the wait for the browser, in seconds.
pub(crate) const TIMEOUT_VAR: &str = env::SSOENV_PKCE_TIMEOUT;
/// How long to wait for the browser by default (the CLI's limit, docs/sso-oidc.md#callback-listener).
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// The longest wait [`TIMEOUT_VAR`] may ask for: an hour.
const MAX_TIMEOUT_SECS: u64 = 3600;
/// The scopes a PKCE client registers and asks for when none are configured.
pub(crate) const DEFAULT_SCOPE: &str = "sso:account:access";
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
pub(crate) fn verifier() -> Result<Secret> {
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
    Ok(Secret::new(out))
}

/// `base64url(sha256(verifier))` without padding (S256, docs/sso-oidc.md#verifier-challenge-and-state).
pub(crate) fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A random UUID version 4 (`uuid.uuid4()` as the CLI's state).
pub(crate) fn uuid4() -> Result<String> {
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
pub(crate) fn authorize_url(
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
pub(crate) fn scopes(session: &SsoSession) -> Vec<String> {
    match &session.scopes {
        Some(s) if !s.is_empty() => s.clone(),
        _ => vec![DEFAULT_SCOPE.to_owned()],
    }
}

/// [`TIMEOUT_VAR`]: seconds (fractions allowed) above 0 and up to an hour;
/// unset or empty is 600. Anything else is a usage error naming the variable.
pub(crate) fn timeout(env: &Env) -> Result<Duration> {
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

/// The PKCE login on a bound listener (docs/sso-oidc.md#authorization-code-with-pkce), writing the token where
/// the AWS CLI writes it. The caller chose the flow and bound `callback`.
pub(crate) fn login(
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
        &challenge(verifier.expose()),
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
            reg.client_secret.expose(),
            &redirect_uri,
            verifier.expose(),
            code.expose(),
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
        let (a, b) = (verifier().unwrap(), verifier().unwrap());
        assert!(!format!("{a:?}").contains(a.expose()), "redacted in Debug");
        let a = a.expose();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| VERIFIER_ALPHABET.contains(&c)), "{a}");
        assert_ne!(a, b.expose());
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
}
