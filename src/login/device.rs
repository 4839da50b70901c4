//! The OIDC device-code flow (docs/sso-oidc.md#device-flow) and the client registration it
//! needs: register (or reuse the cached registration), start the device
//! authorization, show the code, poll CreateToken, store the token where the
//! AWS CLI stores it. The answers that end a poll are one table,
//! [`POLL_ERRORS`].

use super::{Ctx, LoginOptions, Subject, describe, expiry_after, unreachable_error};
use crate::aws::endpoint::Endpoints;
use crate::aws::http::{ApiError, HttpError};
use crate::aws::oidc::Oidc;
use crate::cache::{self, registration, token};
use crate::config::SsoSession;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::text::printable;
use std::time::{Duration as StdDuration, Instant};
use time::OffsetDateTime;

/// Device-code polling interval bounds (the service's `interval` is clamped).
const MIN_POLL: StdDuration = StdDuration::from_secs(1);
const MAX_POLL: StdDuration = StdDuration::from_secs(60);
/// `expiresIn` of a device code when the service gives none, and the most we wait.
const DEFAULT_DEVICE_TTL: u64 = 600;
const MAX_DEVICE_TTL: u64 = 3600;

/// botocore's words when the device code runs out.
pub(super) const EXPIRED_AUTHORIZATION: &str = "The pending authorization to retrieve an SSO token has expired. The login flow to retrieve an SSO token must be restarted.";
pub(super) const EXPIRED_AUTHORIZATION_HINT: &str =
    "run the command again and approve the request in the browser sooner";

/// An OIDC error that ends the poll: its code, the message (`{}` is the
/// session, described) and the hint.
pub(crate) struct PollError {
    pub(crate) code: &'static str,
    pub(crate) message: &'static str,
    pub(crate) hint: &'static str,
}

/// Keep polling on `authorization_pending`; slow down on `slow_down`
/// (both handled in the loop). These end it, with a message and a hint;
/// any other error is reported as the service's answer.
pub(crate) const POLL_ERRORS: &[PollError] = &[
    PollError {
        code: "expired_token",
        message: EXPIRED_AUTHORIZATION,
        hint: EXPIRED_AUTHORIZATION_HINT,
    },
    PollError {
        code: "invalid_grant",
        message: "the login for {} was refused (invalid_grant)",
        hint: "run the command again to start a new login",
    },
    PollError {
        code: "access_denied",
        message: "the login for {} was denied in the browser",
        hint: "run the command again and choose Allow on the authorization page",
    },
];

/// The table entry for an error, if it ends the poll.
pub(crate) fn poll_error(a: &ApiError) -> Option<&'static PollError> {
    POLL_ERRORS.iter().find(|e| a.is(e.code))
}

impl PollError {
    pub(super) fn error(&self, session: &SsoSession, a: &ApiError) -> Error {
        Error::runtime(self.message.replace("{}", &describe(session)))
            .cause(printable(&a.to_string()))
            .hint(self.hint)
    }
}

/// The OIDC device-code flow (docs/sso-oidc.md#device-flow), writing the token where the AWS
/// CLI writes it. `subject` is what asked for it (named in the first line).
pub(crate) fn login(
    ctx: &Ctx,
    session: &SsoSession,
    endpoints: &Endpoints,
    opts: LoginOptions,
    subject: &Subject,
) -> Result<token::Token> {
    // A login whose token cannot be stored is a wasted trip to the browser.
    cache::check_writable(&cache::sso_cache_dir(&ctx.home))?;
    let oidc = Oidc {
        http: ctx.http()?,
        base: &endpoints.oidc,
    };
    crate::output::note(&format!("logging in to {}", login_target(session, subject)));
    let fail = |what: &str, e: HttpError| {
        unreachable_error(
            format!("could not {what} for {}", describe(session)),
            &endpoints.oidc,
            e,
        )
    };
    let mut reg = match registration::load_reusable(&ctx.home, session, (ctx.now)()) {
        Some(r) => (r, true),
        None => (
            register(ctx, &oidc, session).map_err(|e| fail("register the client", e))?,
            false,
        ),
    };
    let auth = loop {
        match oidc.start_device_authorization(
            &reg.0.client_id,
            reg.0.client_secret.expose(),
            &session.start_url,
        ) {
            Ok(a) => break a,
            // A cached registration the service no longer knows: register again, once.
            Err(HttpError::Api(a)) if reg.1 && (a.is("invalid_client") || a.status == 401) => {
                reg = (
                    register(ctx, &oidc, session).map_err(|e| fail("register the client", e))?,
                    false,
                );
            }
            Err(e) => return Err(fail("start the device authorization", e)),
        }
    };
    let reg = reg.0;
    // botocore polls until the device code's `expiresIn`; we also bound it.
    let ttl = auth
        .expires_in
        .unwrap_or(DEFAULT_DEVICE_TTL)
        .clamp(1, MAX_DEVICE_TTL);
    let deadline = Instant::now() + StdDuration::from_secs(ttl);
    let floor = poll_floor();
    let mut interval = StdDuration::from_secs(auth.interval.unwrap_or(5)).clamp(floor, MAX_POLL);
    let mut shown = false;
    let resp = loop {
        match oidc.create_token_device(
            &reg.client_id,
            reg.client_secret.expose(),
            auth.device_code.expose(),
        ) {
            Ok(t) => break t,
            Err(HttpError::Api(a)) if a.is("authorization_pending") => {}
            Err(HttpError::Api(a)) if a.is("slow_down") => {
                interval = interval
                    .saturating_add(StdDuration::from_secs(5))
                    .min(MAX_POLL);
            }
            Err(HttpError::Api(a)) => match poll_error(&a) {
                Some(e) => return Err(e.error(session, &a)),
                None => return Err(fail("complete the login", HttpError::Api(a))),
            },
            Err(e) => return Err(fail("complete the login", e)),
        }
        // The CLI makes one attempt before printing: the client may already be authorized.
        if !shown {
            show_instructions(&ctx.env, &auth, opts);
            shown = true;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Error::runtime(EXPIRED_AUTHORIZATION)
                .cause(format!(
                    "the device code expired after {ttl} seconds without the request being approved"
                ))
                .hint(EXPIRED_AUTHORIZATION_HINT));
        }
        std::thread::sleep(interval.min(left));
    };
    store_login(ctx, session, endpoints, &reg, resp)
}

/// The end of either flow: CreateToken's answer checked (its lifetime) and
/// cached as the AWS CLI caches it, and the CLI's success line.
pub(super) fn store_login(
    ctx: &Ctx,
    session: &SsoSession,
    endpoints: &Endpoints,
    reg: &registration::Registration,
    resp: crate::aws::oidc::TokenResponse,
) -> Result<token::Token> {
    let now = (ctx.now)();
    let expires_at = expiry_after(
        now,
        resp.expires_in,
        "expiresIn",
        "CreateToken",
        &format!("{}/token", endpoints.oidc),
    )
    .map_err(|why| {
        Error::runtime(format!("could not complete the login for {}", describe(session)))
            .cause(why)
            .hint("nothing was stored; run the command again, or report the problem to your administrator")
    })?;
    let tok = token::save_new(
        &ctx.home,
        session,
        resp.access_token,
        expires_at,
        reg,
        resp.refresh_token,
    )?;
    // The AWS CLI's words, without our prefix.
    crate::output::stderr_text(&format!(
        "Successfully logged into Start URL: {}\n",
        printable(&session.start_url)
    ));
    Ok(tok)
}

fn register(
    ctx: &Ctx,
    oidc: &Oidc,
    session: &SsoSession,
) -> Result<registration::Registration, HttpError> {
    let now = (ctx.now)();
    let r = oidc.register_client(&client_name(session, now), session.scopes.as_deref())?;
    let reg = checked_registration(oidc, r, now)?;
    if let Err(e) = registration::save(&ctx.home, session, &reg) {
        crate::output::warn_error(&e);
    }
    Ok(reg)
}

/// `botocore-client-<session>`, or `botocore-client-<epoch seconds>` for a
/// legacy profile, as the CLI names its clients (docs/sso-oidc.md#registerclient).
pub(super) fn client_name(session: &SsoSession, now: OffsetDateTime) -> String {
    match &session.name {
        Some(n) => format!("botocore-client-{n}"),
        None => format!("botocore-client-{}", now.unix_timestamp()),
    }
}

/// A RegisterClient answer as a registration to cache: its
/// `clientSecretExpiresAt` must lie ahead, and within 10 years.
pub(super) fn checked_registration(
    oidc: &Oidc,
    r: crate::aws::oidc::RegisterClientResponse,
    now: OffsetDateTime,
) -> Result<registration::Registration, HttpError> {
    let at = r.client_secret_expires_at;
    let url = format!("{}/client/register", oidc.base);
    let expires_at = OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .filter(|t| *t > now && !crate::aws::too_far_ahead(*t, now))
        .ok_or_else(|| {
            crate::aws::http::invalid(
                "RegisterClient",
                &url,
                format!("clientSecretExpiresAt {at} is in the past or more than 10 years ahead"),
            )
        })?;
    Ok(registration::Registration {
        client_id: r.client_id,
        client_secret: r.client_secret,
        expires_at,
    })
}

/// What a login is for, escaped: `sso-session "corp" (https://…/start) for
/// profile "dev"`; a legacy profile's session is its start URL alone, and a
/// login by `--sso-session` names no profile.
pub(super) fn login_target(session: &SsoSession, subject: &Subject) -> String {
    let mut s = describe(session);
    if session.name.is_some() {
        s.push_str(&format!(" ({})", printable(&session.start_url)));
    }
    if let Subject::Profile(p) = subject {
        s.push_str(&format!(" for profile \"{}\"", printable(p)));
    }
    s
}

/// The device-flow instructions on stderr: URL, code and the autofill URL
/// each on a line of its own with no trailing punctuation (so terminals make
/// them clickable), in the AWS CLI's words (docs/sso-oidc.md#what-the-cli-prints).
fn show_instructions(env: &Env, auth: &crate::aws::oidc::DeviceAuthorization, opts: LoginOptions) {
    let want = !opts.no_browser && super::browser::available(env);
    // Only a URL that is safe to hand to a browser launcher is opened (item 9).
    let refused = want && !super::browser::safe_to_open(&auth.verification_uri_complete);
    let open = want && !refused;
    let mut text = String::new();
    if refused {
        text.push_str("ssoenv: not opening a browser: the URL the service sent is not an https:// address; open it yourself only if you trust it\n");
    }
    if open {
        text.push_str("Attempting to open your default browser.\nIf the browser does not open or you wish to use a different device to authorize this request, open the following URL:\n\n");
    } else {
        text.push_str(
            "Browser will not be automatically opened.\nPlease visit the following URL:\n\n",
        );
    }
    text.push_str(&format!(
        "{}\n\nThen enter the code:\n\n{}\n\nAlternatively, you may visit the following URL which will autofill the code upon loading:\n{}\n\nwaiting for approval in the browser… (Ctrl-C to cancel)\n",
        printable(&auth.verification_uri),
        printable(&auth.user_code),
        printable(&auth.verification_uri_complete)
    ));
    crate::output::stderr_text(&text);
    if open && !super::browser::open(env, &auth.verification_uri_complete) {
        crate::output::note("could not open a browser; open the URL above yourself");
    }
}

/// The shortest pause between CreateToken polls: 1 s. Debug builds only:
/// `SSOENV_TEST_POLL_INTERVAL_MS` (0–1000) lowers it so the test suite does
/// not wait a second per login; release builds have no such knob.
fn poll_floor() -> StdDuration {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("SSOENV_TEST_POLL_INTERVAL_MS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        return StdDuration::from_millis(ms.min(1000));
    }
    MIN_POLL
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: &str) -> ApiError {
        ApiError {
            status: 400,
            error_type: String::new(),
            code: code.into(),
            message: "m".into(),
        }
    }

    #[test]
    fn pending_and_slow_down_keep_polling_the_rest_end_it_with_a_hint() {
        assert!(poll_error(&api("authorization_pending")).is_none());
        assert!(poll_error(&api("slow_down")).is_none());
        assert!(poll_error(&api("something_else")).is_none());
        let s = SsoSession {
            name: Some("corp".into()),
            start_url: "u".into(),
            region: "r".into(),
            scopes: None,
        };
        let e = poll_error(&api("access_denied"))
            .unwrap()
            .error(&s, &api("access_denied"));
        assert_eq!(
            e.message,
            "the login for sso-session \"corp\" was denied in the browser"
        );
        for code in ["expired_token", "invalid_grant", "access_denied"] {
            assert!(
                poll_error(&api(code)).is_some_and(|e| !e.hint.is_empty()),
                "{code}"
            );
        }
    }
}
