//! `ssoenv console [PROFILE]`: the AWS console, signed in with the profile's
//! role (docs/signin.md). Credentials as `use` gets them, a
//! SigninToken from the partition's federation endpoint, then the login URL:
//! handed to the browser, or with `--print` written to stdout and nowhere
//! else. The URL is a bearer secret (anyone opening it within 15 minutes is
//! signed in), so it never reaches stderr or a command line (the browser gets
//! a private page that redirects to it), and neither do the credentials or
//! the token, whatever fails.

use crate::aws::credentials::Credentials;
use crate::aws::endpoint::{self, Service};
use crate::aws::http::{Http, HttpError};
use crate::aws::signin::{self, Federation, Partition};
use crate::cli::ConsoleArgs;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::login::{Ctx, LoginOptions, browser};
use crate::text::printable;

pub(crate) fn run(args: ConsoleArgs, env: &Env) -> Result<i32> {
    let Some(profile) = super::pick::choose_profile(args.profile, env, |config| {
        super::pick::no_profile_named(config, "name one: `ssoenv console PROFILE`")
    })?
    else {
        return Ok(crate::tty::CANCELLED);
    };
    // Everything that can be checked without the network is checked first.
    let region = args.region.as_deref().or(profile.region());
    // Without a region, the SSO region tells the partition (a China or
    // GovCloud Identity Center serves roles in its own partition).
    // A chain that starts from static keys has no SSO region: the aws partition then.
    let partition_region = region
        .or(profile.login_session().map(|p| p.sso.region.as_str()))
        .unwrap_or("us-east-1");
    let federation =
        endpoint::resolve_service(Service::Signin, partition_region, profile.endpoints(), env)?;
    let destination = signin::destination(
        args.destination.as_deref(),
        Partition::of(partition_region),
        region,
    )?;
    if !args.print && !browser::available(env) {
        return Err(Error::runtime(
            "no browser to open the console in (no DISPLAY, no BROWSER, or a remote session)",
        )
        .hint(format!(
            "run `{}` and open the URL yourself; it signs anyone in for {} minutes, so keep it private",
            print_command(profile.name()),
            signin::LOGIN_URL_MINUTES
        )));
    }
    let ctx = Ctx::new(env)?;
    let opts = LoginOptions::for_credentials(env, args.no_browser, args.force);
    let creds = profile.credentials(&ctx, opts)?;
    // AssumeRole with a role session's credentials: no `SessionDuration` then.
    let chained = profile.is_role_chain();
    let duration = args.duration.unwrap_or(signin::DEFAULT_SESSION_DURATION);
    if chained && args.duration.is_some() {
        crate::output::warn(
            "--duration is not sent for chained role credentials (AWS refuses it): the console session lasts as long as the credentials",
        );
    }
    let url = sign_in(
        ctx.http()?,
        &SignIn {
            federation: &federation,
            creds: &creds,
            chained,
            duration,
            issuer: profile
                .login_session()
                .map_or(ISSUER_WITHOUT_SSO, |p| p.sso.start_url.as_str()),
            destination: &destination,
        },
    )?;
    if args.print {
        super::emit(&format!("{url}\n"))?;
        return Ok(0);
    }
    // Never on a command line (another user reads those): a private page
    // that redirects to it, kept for a browser that may still be starting.
    let Some(page) = browser::open_private(env, &url) else {
        return Err(
            Error::runtime("could not open a browser for the console sign-in URL").hint(format!(
                "run `{}` and open the URL yourself; it signs anyone in for {} minutes, so keep it private",
                print_command(profile.name()),
                signin::LOGIN_URL_MINUTES
            )),
        );
    };
    page.remove_later();
    // A `role_arn` of another shape is shown whole.
    let d = profile.describe();
    let (account, role) = d
        .account_id
        .zip(d.role_name)
        .unwrap_or(("?", d.role_arn.unwrap_or_default()));
    crate::output::note(&format!(
        "opened the AWS console in your browser as role {} in account {} (profile \"{}\")",
        printable(role),
        printable(account),
        printable(profile.name())
    ));
    Ok(0)
}

/// The `Issuer` of the login URL when the chain starts from static keys (no
/// access portal to link back to): aws-vault sends its own name the same way.
const ISSUER_WITHOUT_SSO: &str = "ssoenv";

/// What a console sign-in needs, all resolved.
pub(crate) struct SignIn<'a> {
    /// The federation URL (`…/federation`), used for both calls.
    pub(crate) federation: &'a str,
    pub(crate) creds: &'a Credentials,
    /// Chained credentials get no `SessionDuration` (docs/signin.md#session-duration-and-role-chaining).
    pub(crate) chained: bool,
    /// The console session asked for, in seconds (ignored when chained).
    pub(crate) duration: u32,
    /// Where the console sends a person whose session ended: the start URL.
    pub(crate) issuer: &'a str,
    pub(crate) destination: &'a str,
}

/// getSigninToken, then the login URL (docs/signin.md#getsignintoken, docs/signin.md#login-url). Errors name the
/// federation URL and say what went wrong, never a secret: server text is
/// escaped and cleared of anything the request carried.
pub(crate) fn sign_in(http: &Http, s: &SignIn) -> Result<String> {
    let fed = Federation {
        http,
        url: s.federation,
    };
    let token = fed
        .get_signin_token(s.creds, s.chained, s.duration)
        .map_err(|e| {
            let why = signin::redact(&e.to_string(), s.creds, None);
            let base = Error::runtime(format!(
                "could not get a console sign-in token from {}",
                s.federation
            ))
            .cause(why);
            match e {
                HttpError::Api(a) if a.status == 400 || a.status == 403 => base.cause(
                    "the endpoint refused the credentials (AWS answers 400 \"Invalid credentials parameter\" to expired or revoked ones)",
                ).hint("run the command again with --force for fresh credentials"),
                HttpError::Api(_) | HttpError::Transport(_) | HttpError::Timeout(_) => {
                    base.hint("try again in a moment; AWS_ENDPOINT_URL_SIGNIN, if set, must point at a federation endpoint")
                }
                HttpError::Invalid(_) => base.hint(
                    "the endpoint is not a sign-in federation endpoint: check AWS_ENDPOINT_URL_SIGNIN, or your proxy",
                ),
            }
        })?;
    Ok(signin::login_url(
        s.federation,
        s.issuer,
        s.destination,
        token.expose(),
    ))
}

fn print_command(profile: &str) -> String {
    format!("ssoenv console {} --print", shell_words::quote(profile))
}
