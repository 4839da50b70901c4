//! The login layer: the context a command hands down (owned and `Sync`, so
//! a server thread or a parallel listing can share it), the state of a cached
//! SSO token ([`TokenState`]), ensuring a usable token (reuse, refresh or
//! log in, under the session lock) and the interaction policy the command
//! decided. Which flow a login runs is decided in one place, [`log_in`]; the
//! flows themselves are in [`device`] and [`pkce`]. Every path shares the
//! AWS CLI's caches (docs/caches.md).

pub(crate) mod browser;
pub(crate) mod callback;
pub(crate) mod device;
pub(crate) mod interaction;
pub(crate) mod pkce;
pub(crate) mod state;

pub(crate) use interaction::Interaction;
pub(crate) use state::{Next, TokenState};

use crate::aws::endpoint::Endpoints;
use crate::aws::http::{ApiError, Http, HttpError};
use crate::aws::oidc::Oidc;
use crate::cache::{lock, token};
use crate::config::SsoSession;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::text::printable;
use std::path::PathBuf;
use std::sync::OnceLock;
use time::{Duration, OffsetDateTime};

use crate::aws::MAX_LIFETIME;

/// The message AWS users know (botocore UnauthorizedSSOTokenError), with our command.
pub(crate) const EXPIRED_MESSAGE: &str =
    "The SSO session associated with this profile has expired or is otherwise invalid.";

/// The login flows (docs/sso-oidc.md#authorization-code-with-pkce, docs/sso-oidc.md#device-flow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    /// The device code: a URL and a code, approved on any device.
    Device,
    /// Authorization code with PKCE: the browser on this machine brings the
    /// code back to a listener on 127.0.0.1.
    Pkce,
}

impl Flow {
    /// `SSOENV_LOGIN_FLOW`: `pkce` or `device` (any case); unset or empty is
    /// None. Anything else is a usage error naming the variable.
    pub(crate) fn from_env(env: &Env) -> Result<Option<Flow>> {
        let Some(raw) = env.non_empty(crate::env::SSOENV_LOGIN_FLOW) else {
            return Ok(None);
        };
        match raw.trim().to_ascii_lowercase().as_str() {
            "pkce" => Ok(Some(Flow::Pkce)),
            "device" => Ok(Some(Flow::Device)),
            _ => Err(Error::config(format!(
                "{} is \"{}\", which is not a login flow",
                crate::env::SSOENV_LOGIN_FLOW,
                printable(raw)
            ))
            .hint(format!(
                "set {} to `pkce` (the browser on this machine) or `device` (a code), or unset it",
                crate::env::SSOENV_LOGIN_FLOW
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct LoginOptions {
    /// Never open a browser; print the URL and code only.
    pub(crate) no_browser: bool,
    /// Ignore cached tokens and role credentials; always log in.
    pub(crate) force: bool,
    /// Whether a login may start, as the command decided.
    pub(crate) interaction: Interaction,
    /// The flow the command line asked for (`login --pkce`,
    /// `--use-device-code`); None: `SSOENV_LOGIN_FLOW`, else the device code.
    pub(crate) flow: Option<Flow>,
}

impl LoginOptions {
    /// `ssoenv login`: always logs in when it must, wherever its output goes,
    /// as `aws sso login` does.
    pub(crate) fn for_login(no_browser: bool, force: bool) -> LoginOptions {
        LoginOptions {
            no_browser,
            force,
            interaction: Interaction::for_login(),
            flow: None,
        }
    }

    /// Commands that need credentials (`use`, `exec`, `accounts`,
    /// `populate`): log in only when someone can complete it.
    pub(crate) fn for_credentials(env: &Env, no_browser: bool, force: bool) -> LoginOptions {
        LoginOptions {
            no_browser,
            force,
            interaction: Interaction::for_credentials(env, no_browser),
            flow: None,
        }
    }
}

/// Why a PKCE login cannot work here, so the device code is used instead
/// (the CLI has no such fallback; the issue asks for one). None: PKCE it is.
pub(crate) fn pkce_unusable(
    env: &Env,
    session: &SsoSession,
    no_browser: bool,
) -> Option<&'static str> {
    use crate::env::{SSH_CONNECTION, SSH_TTY};
    if session.name.is_none() {
        return Some(
            "PKCE needs an [sso-session]; a profile with its own sso_start_url logs in with a code, as the AWS CLI does",
        );
    }
    if no_browser {
        return Some("--no-browser was given");
    }
    if env.non_empty(SSH_CONNECTION).is_some() || env.non_empty(SSH_TTY).is_some() {
        return Some(
            "this is an SSH session: a browser on your own machine cannot reach this one's 127.0.0.1",
        );
    }
    if !browser::available(env) {
        return Some(
            "there is no display to open a browser on (DISPLAY and WAYLAND_DISPLAY are unset)",
        );
    }
    None
}

/// Log in now, with the flow decided here and only here: the command line's
/// choice, else `SSOENV_LOGIN_FLOW`, else the device code; PKCE falls back
/// to the device code (with a note saying why) where it cannot work:
/// [`pkce_unusable`], or no listener on 127.0.0.1. Every login of every
/// command comes through here; the caller holds the session lock.
pub(crate) fn log_in(
    ctx: &Ctx,
    session: &SsoSession,
    endpoints: &Endpoints,
    opts: LoginOptions,
    subject: &Subject,
) -> Result<token::Token> {
    let flow = match opts.flow {
        Some(f) => f,
        None => Flow::from_env(&ctx.env)?.unwrap_or(Flow::Device),
    };
    if flow == Flow::Device {
        return device::login(ctx, session, endpoints, opts, subject);
    }
    if let Some(why) = pkce_unusable(&ctx.env, session, opts.no_browser) {
        crate::output::note(&format!("using the device code instead of PKCE: {why}"));
        return device::login(ctx, session, endpoints, opts, subject);
    }
    // Checked before anything is registered or opened: a bad value is a usage error.
    pkce::timeout(&ctx.env)?;
    match pkce::Callback::bind() {
        Ok(cb) => pkce::login(ctx, session, endpoints, cb, subject),
        Err(e) => {
            crate::output::note(&format!(
                "using the device code instead of PKCE: could not listen on 127.0.0.1 for the browser's answer ({})",
                printable(&e.to_string())
            ));
            device::login(ctx, session, endpoints, opts, subject)
        }
    }
}

/// What the core needs from the outside world, passed in (design: the clock
/// and the environment are parameters). Owns its data and is `Sync`.
pub(crate) struct Ctx {
    pub(crate) env: Env,
    pub(crate) home: PathBuf,
    pub(crate) now: fn() -> OffsetDateTime,
    /// Built on first use: the cached path never pays for TLS setup.
    http: OnceLock<Http>,
}

impl Ctx {
    pub(crate) fn new(env: &Env) -> Result<Ctx> {
        Ok(Ctx {
            home: crate::env::home_dir(env)?,
            env: env.clone(),
            now: OffsetDateTime::now_utc,
            http: OnceLock::new(),
        })
    }

    pub(crate) fn http(&self) -> Result<&Http> {
        if let Some(h) = self.http.get() {
            return Ok(h);
        }
        let h = Http::new(&self.env)?;
        Ok(self.http.get_or_init(|| h))
    }
}

/// The name to give in "run `ssoenv login …`" hints.
#[derive(Debug, Clone)]
pub(crate) enum Subject<'p> {
    Profile(&'p str),
    Session(&'p str),
}

impl Subject<'_> {
    pub(crate) fn login_command(&self) -> String {
        match self {
            Subject::Profile(p) => format!("ssoenv login {}", shell_words::quote(p)),
            Subject::Session(s) => format!("ssoenv login --sso-session {}", shell_words::quote(s)),
        }
    }
}

/// `sso-session "NAME"`, or the start URL of a legacy profile; escaped for
/// the terminal (config text is outside text).
pub(crate) fn describe(s: &SsoSession) -> String {
    match &s.name {
        Some(n) => format!("sso-session \"{}\"", printable(n)),
        None => printable(&s.start_url).into_owned(),
    }
}

/// A service that could not be asked (or answered nonsense), as an error about `what`.
pub(crate) fn unreachable_error(what: String, url: &str, e: HttpError) -> Error {
    match e {
        HttpError::Transport(t) => Error::runtime(what)
            .cause(format!("{url} could not be reached: {}", printable(&t)))
            .hint("check your network connection, HTTPS_PROXY/NO_PROXY and AWS_CA_BUNDLE"),
        HttpError::Timeout(d) => Error::runtime(what)
            .cause(format!("no answer from {url} after {}", crate::aws::http::secs(d)))
            .hint(format!(
                "check your network connection and HTTPS_PROXY/NO_PROXY, then try again ({} sets the limit in seconds)",
                crate::aws::http::HTTP_TIMEOUT_VAR
            )),
        HttpError::Invalid(t) => Error::runtime(what)
            .cause(printable(&t).into_owned())
            .hint("nothing was stored; the service (or a proxy in between) sent an answer ssoenv cannot use: try again later, and check AWS_ENDPOINT_URL_* and HTTPS_PROXY"),
        HttpError::Api(a) => Error::runtime(what)
            .cause(format!("{url} answered {}", printable(&a.to_string()))),
    }
}

/// A time `seconds` from `now`, for an `expiresIn` the service sent: at least
/// 1 second and at most [`MAX_LIFETIME`], with checked arithmetic.
pub(crate) fn expiry_after(
    now: OffsetDateTime,
    seconds: i64,
    field: &str,
    what: &str,
    url: &str,
) -> std::result::Result<OffsetDateTime, String> {
    let bad = |why: &str| {
        printable(&format!(
            "{url} sent an invalid {what} answer: {field} is {seconds} seconds, {why}"
        ))
        .into_owned()
    };
    if seconds <= 0 {
        return Err(bad("not a positive number"));
    }
    if seconds > MAX_LIFETIME.whole_seconds() {
        return Err(bad("more than 10 years"));
    }
    now.checked_add(Duration::seconds(seconds))
        .ok_or_else(|| bad("out of range"))
}

/// How [`obtain_token`] came by its token, for `login` to say what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Obtained {
    /// The cached token, used as it is.
    Cached,
    /// A new access token from the cached refresh token; `after_rejection`:
    /// the portal had refused the cached one (401).
    Renewed { after_rejection: bool },
    /// A login just now.
    LoggedIn,
}

impl Obtained {
    /// Whether a login just now produced the token (a token the portal then
    /// refuses is not retried with another login).
    pub(crate) fn is_login(self) -> bool {
        self == Obtained::LoggedIn
    }
}

/// A usable SSO token for the session, taking the session lock, and how it
/// was had (`login` reports it; `accounts` uses it).
pub(crate) fn obtain_token(
    ctx: &Ctx,
    session: &SsoSession,
    endpoints: &Endpoints,
    opts: LoginOptions,
    subject: &Subject,
) -> Result<(token::Token, Obtained)> {
    let _lock = lock::acquire(&ctx.env, &token::key(session), "logging in")?;
    obtain_token_locked(ctx, session, endpoints, opts, subject)
}

/// The token logic, with the session lock held (the role credentials take
/// the lock themselves): the token and how it was had.
pub(crate) fn obtain_token_locked(
    ctx: &Ctx,
    session: &SsoSession,
    endpoints: &Endpoints,
    opts: LoginOptions,
    subject: &Subject,
) -> Result<(token::Token, Obtained)> {
    let cached = if opts.force {
        None
    } else {
        token::load(&ctx.home, session)
    };
    let had_token = cached.is_some();
    let after_rejection = cached.as_ref().is_some_and(|t| t.rejected());
    match state::next(cached, session, (ctx.now)(), |tok| {
        refresh(ctx, session, endpoints, tok)
    })? {
        Next::Use(tok) => return Ok((tok, Obtained::Cached)),
        Next::Renewed(tok) => return Ok((tok, Obtained::Renewed { after_rejection })),
        Next::Login => {}
    }
    // With --force nothing was loaded: whether there is a session to go on with.
    let has_session = had_token || (opts.force && token::load(&ctx.home, session).is_some());
    require_interaction(opts, subject, has_session)?;
    if had_token {
        crate::output::note(&format!(
            "the SSO session for {} has expired",
            describe(session)
        ));
    }
    Ok((
        log_in(ctx, session, endpoints, opts, subject)?,
        Obtained::LoggedIn,
    ))
}

/// Call the SSO portal with a token, once more after a fresh login when it
/// answers 401 (the token revoked or expired server-side) and the token did
/// not come from a login just now. `call` makes the request (its outer
/// `Result` is a failure before any request: no retry); `may_log_in` gets
/// the 401 and refuses with the error to return when no new login may start;
/// `log_in` gets the new token. The portal's last answer is returned as it
/// is, for the caller to put in its own words. Shared by GetRoleCredentials
/// (`use`, `exec`) and the account listing (`accounts`, `populate`).
pub(crate) fn with_token<T>(
    session: &SsoSession,
    (token, fresh): (Secret, bool),
    mut call: impl FnMut(&str) -> Result<std::result::Result<T, HttpError>>,
    may_log_in: impl FnOnce(&ApiError) -> Result<()>,
    log_in: impl FnOnce() -> Result<token::Token>,
) -> Result<std::result::Result<T, HttpError>> {
    match call(token.expose())? {
        Err(HttpError::Api(e)) if e.status == 401 && !fresh => {
            may_log_in(&e)?;
            crate::output::note(&format!(
                "the SSO session for {} was rejected by the portal ({}); logging in again",
                describe(session),
                printable(&e.to_string())
            ));
            call(log_in()?.access_token.expose())
        }
        answer => Ok(answer),
    }
}

/// Why a refresh gave no token.
#[derive(Debug)]
pub(crate) enum RefreshError {
    /// The service said no (invalid_grant, revoked client …): log in again.
    Refused(ApiError),
    /// Could not ask (network, 5xx): keep the old token while it lasts.
    Failed(Error),
}

/// Exchange the token's refresh token (CreateToken, grant refresh_token) and
/// store the result.
fn refresh(
    ctx: &Ctx,
    session: &SsoSession,
    endpoints: &Endpoints,
    tok: &token::Token,
) -> Result<token::Token, RefreshError> {
    let now = (ctx.now)();
    let (refresh_token, client_id, client_secret) = tok
        .refresh_material(now)
        .expect("TokenState::of checked refresh_material");
    let oidc = Oidc {
        http: ctx.http().map_err(RefreshError::Failed)?,
        base: &endpoints.oidc,
    };
    // From the request on, the service may have rotated the refresh token:
    // the background renewal's watchdog lets the new one reach the disk.
    let _critical = crate::cache::Critical::enter();
    let resp = match oidc.create_token_refresh(client_id, client_secret, refresh_token) {
        Ok(r) => r,
        Err(HttpError::Api(a)) if (400..500).contains(&a.status) && a.status != 429 => {
            return Err(RefreshError::Refused(a));
        }
        Err(e) => {
            return Err(RefreshError::Failed(unreachable_error(
                format!(
                    "could not refresh the SSO session for {}",
                    describe(session)
                ),
                &endpoints.oidc,
                e,
            )));
        }
    };
    let url = format!("{}/token", endpoints.oidc);
    let expires_at = expiry_after(now, resp.expires_in, "expiresIn", "CreateToken", &url);
    // An unusable expiry still stores the rotated refresh token (the old one
    // may be spent already), with the old access token and expiry.
    let stored = token::save_refreshed(
        &ctx.home,
        session,
        tok,
        resp.access_token,
        resp.refresh_token,
        expires_at.as_ref().ok().copied(),
    );
    match (stored, expires_at) {
        (Ok(t), Ok(_)) => Ok(t),
        (Err(e), Ok(_)) => Err(RefreshError::Failed(e)),
        (stored, Err(why)) => {
            let mut err = Error::runtime(format!(
                "could not refresh the SSO session for {}: {why}",
                describe(session)
            ));
            if let Err(e) = stored {
                err.causes.push(e.message);
                err.causes.extend(e.causes);
            }
            Err(RefreshError::Failed(err.hint(
                "the new access token was not stored; try again later, or log in again",
            )))
        }
    }
}

/// Obey the command's decision: a refused login is an error saying why and
/// what to run instead.
pub(crate) fn require_interaction(
    opts: LoginOptions,
    subject: &Subject,
    had_token: bool,
) -> Result<()> {
    let Interaction::Refused(why) = opts.interaction else {
        return Ok(());
    };
    let login = subject.login_command();
    if opts.force {
        // The session may be fine: what cannot happen is the login asked for.
        return Err(
            Error::runtime("--force asks for a new login, and a login cannot start here")
                .cause(why.cause())
                .hint(if had_token {
                    format!(
                        "{}; or leave out --force to go on with the current session",
                        why.hint(&format!("{login} --force"))
                    )
                } else {
                    why.hint(&login)
                }),
        );
    }
    let msg = if had_token {
        EXPIRED_MESSAGE
    } else {
        "You are not logged in to this SSO session."
    };
    Err(Error::runtime(msg)
        .cause(why.cause())
        .hint(why.hint(&login)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[test]
    fn the_context_can_be_shared_between_threads() {
        fn sync_and_send<T: Sync + Send + 'static>() {}
        sync_and_send::<super::Ctx>();
    }

    fn session() -> SsoSession {
        SsoSession {
            name: Some("corp".into()),
            start_url: "https://d-1234567890.awsapps.com/start".into(),
            region: "us-east-1".into(),
            scopes: None,
        }
    }

    fn unauthorized() -> HttpError {
        HttpError::Api(ApiError {
            status: 401,
            error_type: "UnauthorizedException".into(),
            code: String::new(),
            message: "Session token not found or invalid".into(),
        })
    }

    fn new_token(access_token: &str) -> Result<token::Token> {
        let at = time::macros::datetime!(2030-01-01 0:00 UTC);
        let file = token::new_file(
            &session(),
            access_token.into(),
            at,
            "c",
            &"s".into(),
            at,
            None,
            Default::default(),
        );
        Ok(token::Token {
            access_token: access_token.into(),
            expires_at: at,
            file,
        })
    }

    /// The tokens `call` was given, answering 401 to "old" and Ok to the rest.
    fn run(
        fresh: bool,
        allowed: bool,
    ) -> (Result<std::result::Result<(), HttpError>>, Vec<String>) {
        let calls = RefCell::new(Vec::new());
        let answer = with_token(
            &session(),
            ("old".into(), fresh),
            |t| {
                calls.borrow_mut().push(t.to_owned());
                Ok(if t == "old" {
                    Err(unauthorized())
                } else {
                    Ok(())
                })
            },
            |_| {
                if allowed {
                    Ok(())
                } else {
                    Err(Error::runtime("refused"))
                }
            },
            || new_token("new"),
        );
        (answer, calls.into_inner())
    }

    #[test]
    fn a_rejected_token_leads_to_one_login_and_one_more_call() {
        let (answer, calls) = run(false, true);
        assert!(matches!(answer, Ok(Ok(()))));
        assert_eq!(calls, ["old", "new"]);
    }

    #[test]
    fn a_token_from_a_login_just_now_is_not_retried() {
        let (answer, calls) = run(true, true);
        assert!(matches!(answer, Ok(Err(HttpError::Api(ref e))) if e.status == 401));
        assert_eq!(calls, ["old"]);
    }

    #[test]
    fn ssoenv_login_flow_is_pkce_or_device_and_nothing_else() {
        let env = |v: &str| Env::from_pairs([(crate::env::SSOENV_LOGIN_FLOW, v)]);
        assert_eq!(Flow::from_env(&Env::default()).unwrap(), None);
        assert_eq!(Flow::from_env(&env("")).unwrap(), None);
        assert_eq!(Flow::from_env(&env(" PKCE ")).unwrap(), Some(Flow::Pkce));
        assert_eq!(Flow::from_env(&env("device")).unwrap(), Some(Flow::Device));
        let e = Flow::from_env(&env("browser\x1b[2J")).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.message.contains("SSOENV_LOGIN_FLOW"), "{}", e.message);
        assert!(!e.message.contains('\x1b'), "{}", e.message);
    }

    #[test]
    fn pkce_gives_way_to_the_device_code_where_it_cannot_work() {
        let browser = [("BROWSER", "firefox")];
        let ok = Env::from_pairs(browser);
        assert_eq!(pkce_unusable(&ok, &session(), false), None);
        assert!(pkce_unusable(&ok, &session(), true).is_some_and(|w| w.contains("--no-browser")));
        let legacy = SsoSession {
            name: None,
            ..session()
        };
        assert!(pkce_unusable(&ok, &legacy, false).is_some_and(|w| w.contains("sso-session")));
        for ssh in [crate::env::SSH_CONNECTION, crate::env::SSH_TTY] {
            let env = Env::from_pairs([browser[0], (ssh, "x")]);
            assert!(pkce_unusable(&env, &session(), false).is_some_and(|w| w.contains("SSH")));
        }
        if cfg!(target_os = "linux")
            && !std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .unwrap_or_default()
                .to_ascii_lowercase()
                .contains("microsoft")
        {
            let none = Env::default();
            assert!(
                pkce_unusable(&none, &session(), false).is_some_and(|w| w.contains("no display"))
            );
            let x = Env::from_pairs([(crate::env::DISPLAY, ":0")]);
            assert_eq!(pkce_unusable(&x, &session(), false), None);
        }
    }

    #[test]
    fn a_refused_login_is_the_callers_error_and_no_second_call() {
        let (answer, calls) = run(false, false);
        assert_eq!(answer.unwrap_err().message, "refused");
        assert_eq!(calls, ["old"]);
    }
}
