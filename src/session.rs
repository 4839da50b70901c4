//! From a resolved profile to role credentials: reuse cached credentials,
//! else (under a lock) reuse, refresh or obtain an SSO token through the
//! device-code flow, then call GetRoleCredentials and cache the result.
//! Every path shares the AWS CLI's caches (spec §4).

use crate::cache::{self, lock, registration, role, token};
use crate::config::{ResolvedProfile, SsoSession};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::interaction::Interaction;
use crate::sso::endpoint::{self, Endpoints};
use crate::sso::http::{ApiError, Http, HttpError};
use crate::sso::oidc::Oidc;
use crate::sso::portal::Portal;
use crate::text::printable;
use std::path::PathBuf;
use std::time::{Duration as StdDuration, Instant};
use time::{Duration, OffsetDateTime};

/// The longest lifetime accepted for anything the service issues (tokens,
/// credentials, client registrations): 10 years. Anything later is a bogus
/// answer, not a reason to trust a cache file until year 9999.
pub const MAX_LIFETIME: Duration = Duration::days(3653);

/// Device-code polling interval bounds (the service's `interval` is clamped).
const MIN_POLL: StdDuration = StdDuration::from_secs(1);
const MAX_POLL: StdDuration = StdDuration::from_secs(60);
/// `expiresIn` of a device code when the service gives none, and the most we wait.
const DEFAULT_DEVICE_TTL: u64 = 600;
const MAX_DEVICE_TTL: u64 = 3600;

/// Refresh an sso-session token when less than this remains (botocore's
/// advisory window, spec §4.1).
pub const REFRESH_WINDOW: Duration = Duration::minutes(15);

/// The message AWS users know (botocore UnauthorizedSSOTokenError), with our command.
pub const EXPIRED_MESSAGE: &str =
    "The SSO session associated with this profile has expired or is otherwise invalid.";

#[derive(Debug, Clone, Copy)]
pub struct LoginOptions {
    /// Never open a browser; print the URL and code only.
    pub no_browser: bool,
    /// Ignore cached tokens and role credentials; always run the device flow.
    pub force: bool,
    /// Whether a device-code login may start, as the command decided.
    pub interaction: Interaction,
}

/// What the core needs from the outside world, passed in (design: the clock
/// and the environment are parameters).
pub struct Ctx<'a> {
    pub env: &'a Env,
    pub home: PathBuf,
    pub now: fn() -> OffsetDateTime,
    /// Built on first use: the cached path never pays for TLS setup.
    http: std::cell::OnceCell<Http>,
}

impl<'a> Ctx<'a> {
    pub fn new(env: &'a Env) -> Result<Ctx<'a>> {
        Ok(Ctx {
            env,
            home: home(env)?,
            now: OffsetDateTime::now_utc,
            http: std::cell::OnceCell::new(),
        })
    }

    pub fn http(&self) -> Result<&Http> {
        if let Some(h) = self.http.get() {
            return Ok(h);
        }
        let h = Http::new(self.env)?;
        Ok(self.http.get_or_init(|| h))
    }
}

pub fn home(env: &Env) -> Result<PathBuf> {
    env.home().ok_or_else(|| {
        Error::config("could not find your home directory (HOME is not set)")
            .hint("set HOME to your home directory")
    })
}

/// The name to give in "run `ssoenv login …`" hints.
#[derive(Debug, Clone)]
pub enum Subject<'p> {
    Profile(&'p str),
    Session(&'p str),
}

impl Subject<'_> {
    fn login_command(&self) -> String {
        match self {
            Subject::Profile(p) => format!("ssoenv login {}", shell_words::quote(p)),
            Subject::Session(s) => format!("ssoenv login --sso-session {}", shell_words::quote(s)),
        }
    }
}

/// Role credentials for a profile: cached ones with more than 15 minutes
/// left, else fresh ones (logging in or refreshing as needed).
pub fn role_credentials(
    ctx: &Ctx,
    profile: &ResolvedProfile,
    opts: LoginOptions,
) -> Result<role::Credentials> {
    let now = (ctx.now)();
    if !opts.force
        && let Some(c) = role::load_fresh(&ctx.home, profile, now)
    {
        return Ok(c);
    }
    let endpoints = endpoint::resolve(&profile.sso.region, &profile.endpoints, ctx.env)?;
    let _lock = lock::acquire(ctx.env, &token::key(&profile.sso), "logging in")?;
    // Another process may have done the work while we waited for the lock.
    if !opts.force
        && let Some(c) = role::load_fresh(&ctx.home, profile, (ctx.now)())
    {
        return Ok(c);
    }
    let subject = Subject::Profile(&profile.name);
    let (tok, mut fresh_login) =
        ensure_token_locked(ctx, &profile.sso, &endpoints, opts, &subject)?;
    let portal = Portal {
        http: ctx.http()?,
        base: &endpoints.portal,
    };
    let mut access_token = tok.access_token;
    loop {
        match portal.get_role_credentials(&access_token, &profile.account_id, &profile.role_name) {
            Ok(rc) => {
                let now = (ctx.now)();
                let url = format!("{}/federation/credentials", endpoints.portal);
                let c = role::Credentials {
                    access_key_id: rc.access_key_id,
                    secret_access_key: rc.secret_access_key,
                    session_token: rc.session_token,
                    expiration: credential_expiration(rc.expiration, now, &url).map_err(|e| {
                        Error::runtime(format!(
                            "could not get credentials for role {} in account {} (profile \"{}\")",
                            profile.role_name, profile.account_id, profile.name
                        ))
                        .cause(e)
                        .hint("nothing was cached; try again later, or report the problem to your administrator")
                    })?,
                };
                if c.expiration <= now {
                    return Err(Error::runtime(format!(
                        "the credentials for profile \"{}\" expire at {}, which is already past by this machine's clock ({})",
                        profile.name,
                        cache::format_timestamp(c.expiration),
                        cache::format_timestamp(now)
                    ))
                    .cause("this machine's clock is probably wrong (clock skew)")
                    .hint("synchronize the clock (for example `sudo timedatectl set-ntp true`) and try again"));
                }
                role::save(&ctx.home, profile, &c)?;
                return Ok(c);
            }
            // The token was revoked or expired server-side: a fresh login, once.
            Err(HttpError::Api(e)) if e.status == 401 && !fresh_login => {
                token::note_rejected(&ctx.home, &profile.sso, &access_token, (ctx.now)());
                require_interaction(opts, &subject, true)?;
                eprintln!(
                    "ssoenv: the SSO session for {} was rejected by the portal ({}); logging in again",
                    describe(&profile.sso),
                    printable(&e.to_string())
                );
                access_token =
                    device_login(ctx, &profile.sso, &endpoints, opts, &subject)?.access_token;
                fresh_login = true;
            }
            Err(HttpError::Api(e)) if e.status == 401 => {
                token::note_rejected(&ctx.home, &profile.sso, &access_token, (ctx.now)());
                return Err(role_error(profile, &endpoints, HttpError::Api(e), &subject));
            }
            Err(e) => return Err(role_error(profile, &endpoints, e, &subject)),
        }
    }
}

fn role_error(
    profile: &ResolvedProfile,
    endpoints: &Endpoints,
    e: HttpError,
    subject: &Subject,
) -> Error {
    let what = format!(
        "could not get credentials for role {} in account {} (profile \"{}\")",
        profile.role_name, profile.account_id, profile.name
    );
    match e {
        HttpError::Api(ref a) if a.status == 401 => Error::runtime(what)
            .cause(format!("{EXPIRED_MESSAGE} ({})", printable(&a.to_string())))
            .hint(format!("run `{}`", subject.login_command())),
        HttpError::Api(ref a) if a.status == 403 || a.error_type == "ForbiddenException" => Error::runtime(what)
            .cause(printable(&a.to_string()))
            .hint("the role is not assigned to you in this account; check sso_account_id and sso_role_name, or ask your administrator"),
        HttpError::Api(ref a) if a.status == 404 => Error::runtime(what)
            .cause(printable(&a.to_string()))
            .hint("check sso_account_id and sso_role_name in the profile"),
        e => unreachable_error(what, &endpoints.portal, e),
    }
}

fn unreachable_error(what: String, url: &str, e: HttpError) -> Error {
    match e {
        HttpError::Transport(t) => Error::runtime(what)
            .cause(format!("{url} could not be reached: {}", printable(&t)))
            .hint("check your network connection, HTTPS_PROXY/NO_PROXY and AWS_CA_BUNDLE"),
        HttpError::Timeout(d) => Error::runtime(what)
            .cause(format!("no answer from {url} after {}", crate::sso::http::secs(d)))
            .hint(format!(
                "check your network connection and HTTPS_PROXY/NO_PROXY, then try again ({} sets the limit in seconds)",
                crate::sso::http::HTTP_TIMEOUT_VAR
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
fn expiry_after(
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

/// GetRoleCredentials' `expiration` (epoch milliseconds) as a time: not
/// before 2000 and at most [`MAX_LIFETIME`] ahead. A time already past is
/// left to the caller's clock-skew check.
fn credential_expiration(
    millis: i64,
    now: OffsetDateTime,
    url: &str,
) -> std::result::Result<OffsetDateTime, String> {
    let bad = |why: &str| {
        format!("{url} sent an invalid GetRoleCredentials answer: expiration {millis} {why}")
    };
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .map_err(|_| bad("is out of range"))?;
    if t < time::macros::datetime!(2000-01-01 0:00 UTC) {
        return Err(bad("is before the year 2000"));
    }
    match now.checked_add(MAX_LIFETIME) {
        Some(limit) if t > limit => Err(bad("is more than 10 years ahead")),
        _ => Ok(t),
    }
}

/// `sso-session "NAME"`, or the start URL of a legacy profile; escaped for
/// the terminal (config text is outside text).
pub fn describe(s: &SsoSession) -> String {
    match &s.name {
        Some(n) => format!("sso-session \"{}\"", printable(n)),
        None => printable(&s.start_url).into_owned(),
    }
}

/// A usable SSO token for the session (taking the session lock). Used by
/// `login`; `role_credentials` takes the lock itself.
pub fn ensure_token(
    ctx: &Ctx,
    session: &SsoSession,
    endpoints: &Endpoints,
    opts: LoginOptions,
    subject: &Subject,
) -> Result<(token::Token, bool)> {
    let _lock = lock::acquire(ctx.env, &token::key(session), "logging in")?;
    ensure_token_locked(ctx, session, endpoints, opts, subject)
}

/// The token logic, with the lock held. Returns the token and whether a
/// device-code login just produced it.
fn ensure_token_locked(
    ctx: &Ctx,
    session: &SsoSession,
    endpoints: &Endpoints,
    opts: LoginOptions,
    subject: &Subject,
) -> Result<(token::Token, bool)> {
    let now = (ctx.now)();
    let mut had_token = false;
    if !opts.force
        && let Some(tok) = token::load(&ctx.home, session)
    {
        had_token = true;
        let remaining = tok.expires_at - now;
        if remaining > REFRESH_WINDOW {
            return Ok((tok, false));
        }
        // Refresh: sso-session profiles only, as botocore (spec §4.1).
        if session.name.is_some() && tok.refresh_material(now).is_some() {
            match refresh(ctx, session, endpoints, &tok) {
                Ok(t) => return Ok((t, false)),
                Err(RefreshError::Refused(e)) => {
                    eprintln!(
                        "ssoenv: the SSO session for {} could not be refreshed ({})",
                        describe(session),
                        printable(&e.to_string())
                    );
                    // botocore keeps a token that still works; a login waits until it is gone.
                    if remaining > Duration::ZERO {
                        return Ok((tok, false));
                    }
                }
                Err(RefreshError::Failed(err)) => {
                    if remaining > Duration::ZERO {
                        eprintln!("ssoenv: warning: {}", err.message);
                        return Ok((tok, false));
                    }
                    return Err(err);
                }
            }
        } else if remaining > Duration::ZERO {
            return Ok((tok, false));
        }
    }
    require_interaction(opts, subject, had_token)?;
    if had_token && !opts.force {
        eprintln!(
            "ssoenv: the SSO session for {} has expired",
            describe(session)
        );
    }
    Ok((device_login(ctx, session, endpoints, opts, subject)?, true))
}

enum RefreshError {
    /// The service said no (invalid_grant, revoked client …): log in again.
    Refused(ApiError),
    /// Could not ask (network, 5xx): keep the old token while it lasts.
    Failed(Error),
}

fn refresh(
    ctx: &Ctx,
    session: &SsoSession,
    endpoints: &Endpoints,
    tok: &token::Token,
) -> Result<token::Token, RefreshError> {
    let now = (ctx.now)();
    let (refresh_token, client_id, client_secret) = tok
        .refresh_material(now)
        .expect("caller checked refresh_material");
    let oidc = Oidc {
        http: ctx.http().map_err(RefreshError::Failed)?,
        base: &endpoints.oidc,
    };
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
    let mut file = tok.file.clone();
    file.start_url = Some(session.start_url.clone());
    file.region = Some(session.region.clone());
    // Refresh tokens rotate: store the new one; never drop the one we have.
    if let Some(rt) = resp.refresh_token {
        file.refresh_token = Some(rt);
    }
    let url = format!("{}/token", endpoints.oidc);
    let expires_at = match expiry_after(now, resp.expires_in, "expiresIn", "CreateToken", &url) {
        Ok(t) => t,
        Err(why) => {
            // The old refresh token may be spent already: keep the rotated one
            // (with the old access token and expiry) before reporting.
            let saved = token::save(&ctx.home, session, &file);
            let mut err = Error::runtime(format!(
                "could not refresh the SSO session for {}: {why}",
                describe(session)
            ));
            if let Err(e) = saved {
                err = err.cause(e.message);
            }
            return Err(RefreshError::Failed(err.hint(
                "the new access token was not stored; try again later, or log in again",
            )));
        }
    };
    file.access_token = Some(resp.access_token.clone());
    file.expires_at = Some(cache::format_timestamp(expires_at));
    token::save(&ctx.home, session, &file).map_err(RefreshError::Failed)?;
    Ok(token::Token {
        access_token: resp.access_token,
        expires_at,
        file,
    })
}

/// Obey the command's decision: a refused login is an error saying why and
/// what to run instead.
fn require_interaction(opts: LoginOptions, subject: &Subject, had_token: bool) -> Result<()> {
    let Interaction::Refused(why) = opts.interaction else {
        return Ok(());
    };
    let msg = if had_token {
        EXPIRED_MESSAGE
    } else {
        "You are not logged in to this SSO session."
    };
    Err(Error::runtime(msg)
        .cause(why.cause())
        .hint(why.hint(&subject.login_command())))
}

/// The OIDC device-code flow (spec §2.5), writing the token where the AWS
/// CLI writes it. `subject` is what asked for it (named in the first line).
pub fn device_login(
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
    eprintln!("ssoenv: logging in to {}", login_target(session, subject));
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
            &reg.0.client_secret,
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
    let expired = || {
        Error::runtime(
            "The pending authorization to retrieve an SSO token has expired. The login flow to retrieve an SSO token must be restarted.",
        )
        .hint("run the command again and approve the request in the browser sooner")
    };
    let mut shown = false;
    let resp = loop {
        match oidc.create_token_device(&reg.client_id, &reg.client_secret, &auth.device_code) {
            Ok(t) => break t,
            Err(HttpError::Api(a)) if a.is("authorization_pending") => {}
            Err(HttpError::Api(a)) if a.is("slow_down") => {
                interval = interval
                    .saturating_add(StdDuration::from_secs(5))
                    .min(MAX_POLL);
            }
            Err(HttpError::Api(a)) if a.is("expired_token") => {
                return Err(expired().cause(printable(&a.to_string())));
            }
            Err(HttpError::Api(a)) if a.is("invalid_grant") => {
                return Err(Error::runtime(format!(
                    "the login for {} was refused (invalid_grant)",
                    describe(session)
                ))
                .cause(printable(&a.to_string()))
                .hint("run the command again to start a new login"));
            }
            Err(HttpError::Api(a)) if a.is("access_denied") => {
                return Err(Error::runtime(format!(
                    "the login for {} was denied in the browser",
                    describe(session)
                ))
                .cause(printable(&a.to_string()))
                .hint("run the command again and choose Allow on the authorization page"));
            }
            Err(e) => return Err(fail("complete the login", e)),
        }
        // The CLI makes one attempt before printing: the client may already be authorized.
        if !shown {
            show_instructions(ctx.env, &auth, opts);
            shown = true;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(expired().cause(format!(
                "the device code expired after {ttl} seconds without the request being approved"
            )));
        }
        std::thread::sleep(interval.min(left));
    };
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
    let file = token::new_file(
        session,
        resp.access_token,
        expires_at,
        &reg.client_id,
        &reg.client_secret,
        reg.expires_at,
        resp.refresh_token,
        Default::default(),
    );
    token::save(&ctx.home, session, &file)?;
    eprintln!(
        "Successfully logged into Start URL: {}",
        printable(&session.start_url)
    );
    token::parse_file(file, &token::path(&ctx.home, session))
        .ok_or_else(|| Error::runtime("the new SSO token could not be read back"))
}

fn register(
    ctx: &Ctx,
    oidc: &Oidc,
    session: &SsoSession,
) -> Result<registration::Registration, HttpError> {
    let now = (ctx.now)();
    let name = match &session.name {
        Some(n) => format!("botocore-client-{n}"),
        None => format!("botocore-client-{}", now.unix_timestamp()),
    };
    let r = oidc.register_client(&name, session.scopes.as_deref())?;
    let at = r.client_secret_expires_at;
    let url = format!("{}/client/register", oidc.base);
    let expires_at = OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .filter(|t| *t > now && now.checked_add(MAX_LIFETIME).is_some_and(|l| *t <= l))
        .ok_or_else(|| {
            crate::sso::http::invalid(
                "RegisterClient",
                &url,
                format!("clientSecretExpiresAt {at} is in the past or more than 10 years ahead"),
            )
        })?;
    let reg = registration::Registration {
        client_id: r.client_id,
        client_secret: r.client_secret,
        expires_at,
    };
    if let Err(e) = registration::save(&ctx.home, session, &reg) {
        eprintln!("ssoenv: warning: {}", e.message);
    }
    Ok(reg)
}

/// What a login is for, escaped: `sso-session "corp" (https://…/start) for
/// profile "dev"`; a legacy profile's session is its start URL alone, and a
/// login by `--sso-session` names no profile.
fn login_target(session: &SsoSession, subject: &Subject) -> String {
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
/// them clickable), in the AWS CLI's words (spec §6).
fn show_instructions(env: &Env, auth: &crate::sso::oidc::DeviceAuthorization, opts: LoginOptions) {
    let want = !opts.no_browser && crate::browser::available(env);
    // Only a URL that is safe to hand to a browser launcher is opened (item 9).
    let refused = want && !crate::browser::safe_to_open(&auth.verification_uri_complete);
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
    eprint!("{text}");
    if open && !crate::browser::open(env, &auth.verification_uri_complete) {
        eprintln!("ssoenv: could not open a browser; open the URL above yourself");
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
