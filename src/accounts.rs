//! Every account an sso-session can see, for `ssoenv accounts`, `populate`
//! and `configure`: a usable token from the login layer (logging in when
//! needed, and once more on a 401), the parallel listing of
//! [`crate::aws::listing`], and errors that say what to do. The names it
//! lists are kept for the profile picker (`crate::cache::account_names`).

pub(crate) use crate::aws::listing::{AccountRoles, sort};

use crate::aws::listing::list_all;

use crate::aws::endpoint::Endpoints;
use crate::aws::http::HttpError;
use crate::cache::account_names;
use crate::config::SsoSession;
use crate::error::{Error, Result};
use crate::login::{self, Ctx, EXPIRED_MESSAGE, Interaction, LoginOptions, Subject, describe};
use crate::text::printable;
use std::io::IsTerminal;

/// Whether to show progress: only to a person watching stderr.
pub(crate) fn progress_wanted() -> bool {
    std::io::stderr().is_terminal()
}

/// Everything `sso` can see, logging in first when needed (the policy
/// of `login`/`use`: a valid or refreshable token is used, else the
/// device-code flow when someone can approve it). A 401 from the portal (a
/// token revoked or expired server-side) leads to one fresh login, as `use`
/// does; without a terminal or browser it is a clear error instead.
pub(crate) fn fetch(
    ctx: &Ctx,
    sso: &SsoSession,
    endpoints: &Endpoints,
    subject: &Subject,
    opts: LoginOptions,
) -> Result<Vec<AccountRoles>> {
    let what = || format!("could not list the accounts of {}", describe(sso));
    let expired = |e: &crate::aws::http::ApiError| {
        format!("{EXPIRED_MESSAGE} ({})", printable(&e.to_string()))
    };
    let (tok, how) = login::obtain_token(ctx, sso, endpoints, opts, subject)?;
    let listed = login::with_token(
        sso,
        (tok.access_token, how.is_login()),
        |token| -> Result<_> {
            Ok(list_all(
                ctx.http()?,
                &endpoints.portal,
                token,
                progress_wanted(),
            ))
        },
        |e| match opts.interaction {
            Interaction::Refused(_) => Err(Error::runtime(what())
                .cause(expired(e))
                .hint(format!("run `{}` in a terminal", subject.login_command()))),
            _ => Ok(()),
        },
        || {
            let force = LoginOptions {
                force: true,
                ..opts
            };
            Ok(login::obtain_token(ctx, sso, endpoints, force, subject)?.0)
        },
    )?;
    let all = listed.map_err(|e| match e {
        // Rejected again, by a token from a login just now.
        HttpError::Api(e) if e.status == 401 => Error::runtime(what())
            .cause(expired(&e))
            .hint(format!("run `{} --force`", subject.login_command())),
        HttpError::Api(e) if e.status == 429 => Error::runtime(what())
            .cause(format!(
                "{} answered {}",
                endpoints.portal,
                printable(&e.to_string())
            ))
            .hint("the portal is throttling requests; try again in a minute"),
        HttpError::Timeout(d) => Error::runtime(what())
            .cause(format!(
                "no answer from {} after {}",
                endpoints.portal,
                crate::aws::http::secs(d)
            ))
            .hint(format!(
                "check your network connection, then try again ({} sets the limit in seconds)",
                crate::aws::http::HTTP_TIMEOUT_VAR
            )),
        HttpError::Invalid(t) => Error::runtime(what())
            .cause(printable(&t).into_owned())
            .hint("the portal (or a proxy in between) sent an answer ssoenv cannot use; try again later"),
        e => login::unreachable_error(what(), &endpoints.portal, e),
    })?;
    remember_names(ctx, sso, &all);
    Ok(all)
}

/// Keep the account names for the profile picker (in ssoenv's own cache,
/// `crate::cache::account_names`). The listing stands without them: a
/// failure is a warning.
fn remember_names(ctx: &Ctx, sso: &SsoSession, all: &[AccountRoles]) {
    let Some(path) = account_names::path(&ctx.env) else {
        return;
    };
    let named = all
        .iter()
        .map(|a| (a.account_id.as_str(), a.account_name.as_deref()));
    if let Err(e) = account_names::remember(&path, &sso.start_url, named) {
        crate::output::warn_error(&e);
    }
}
