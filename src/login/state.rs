//! The state of a cached SSO token, as one pure function of (token, session,
//! now), and what to do about it: `obtain_token`, `status`, `status --check`
//! and the session lists all read the same [`TokenState`].

use super::{RefreshError, describe};
use crate::aws::REFRESH_WINDOW;
use crate::cache::token::Token;
use crate::config::SsoSession;
use crate::error::Result;
use crate::text::printable;
use time::{Duration, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenState {
    /// No token cached (or none readable).
    Missing,
    /// Usable as is: more than the refresh window left, or less but with no
    /// way to refresh (a legacy profile, no refresh token).
    Valid,
    /// Expired or within the refresh window, with what a refresh needs
    /// (sso-session profiles only, as botocore, docs/caches.md#token-refresh). `still_valid`:
    /// not expired yet (kept if the refresh fails).
    Refreshable { still_valid: bool },
    /// Expired and not refreshable: a login is needed.
    Expired,
    /// The portal refused it (401); `refreshable` says whether refresh
    /// material is there (a refresh is tried, then a login).
    Rejected { refreshable: bool },
}

impl TokenState {
    pub(crate) fn of(
        token: Option<&Token>,
        session: &SsoSession,
        now: OffsetDateTime,
    ) -> TokenState {
        let Some(tok) = token else {
            return TokenState::Missing;
        };
        let refreshable = session.name.is_some() && tok.refresh_material(now).is_some();
        let remaining = tok.expires_at - now;
        if tok.rejected() {
            TokenState::Rejected { refreshable }
        } else if remaining > REFRESH_WINDOW {
            TokenState::Valid
        } else if refreshable {
            TokenState::Refreshable {
                still_valid: remaining > Duration::ZERO,
            }
        } else if remaining > Duration::ZERO {
            TokenState::Valid
        } else {
            TokenState::Expired
        }
    }

    /// The name `status --json` gives it.
    pub(crate) fn label(self) -> &'static str {
        match self {
            TokenState::Missing => "absent",
            TokenState::Valid => "valid",
            TokenState::Refreshable { .. } => "refreshable",
            TokenState::Expired => "expired",
            TokenState::Rejected { .. } => "rejected",
        }
    }

    /// Whether credentials can be had without a person (`status --check`):
    /// a rejected token is dead even with refresh material (a revoked
    /// session's refresh token is refused too).
    pub(crate) fn usable_unattended(self) -> bool {
        matches!(self, TokenState::Valid | TokenState::Refreshable { .. })
    }
}

/// What `obtain_token` does next (built once per command: size does not matter).
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub(crate) enum Next {
    /// The cached token, as it is.
    Use(Token),
    /// A new access token from the cached one's refresh token.
    Renewed(Token),
    Login,
}

/// The reuse/refresh/fallback rules: a valid token is used; a refreshable
/// one is refreshed with `refresh`; a refusal keeps a token that still works
/// (botocore does), else a login; a failure to ask keeps a working token
/// with a warning, else is the error. Missing, expired and rejected tokens
/// without refresh material need a login.
pub(crate) fn next(
    token: Option<Token>,
    session: &SsoSession,
    now: OffsetDateTime,
    refresh: impl FnOnce(&Token) -> std::result::Result<Token, RefreshError>,
) -> Result<Next> {
    let state = TokenState::of(token.as_ref(), session, now);
    let Some(tok) = token else {
        return Ok(Next::Login);
    };
    let still_valid = match state {
        TokenState::Valid => return Ok(Next::Use(tok)),
        TokenState::Refreshable { still_valid } => still_valid,
        TokenState::Rejected { refreshable: true } => false,
        TokenState::Missing | TokenState::Expired | TokenState::Rejected { .. } => {
            return Ok(Next::Login);
        }
    };
    match refresh(&tok) {
        Ok(t) => Ok(Next::Renewed(t)),
        Err(RefreshError::Refused(e)) => {
            crate::output::note(&format!(
                "the SSO session for {} could not be refreshed ({})",
                describe(session),
                printable(&e.to_string())
            ));
            Ok(if still_valid {
                Next::Use(tok)
            } else {
                Next::Login
            })
        }
        Err(RefreshError::Failed(err)) if still_valid => {
            crate::output::warn_error(&err);
            Ok(Next::Use(tok))
        }
        Err(RefreshError::Failed(err)) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::http::ApiError;
    use crate::cache::token::{TokenFile, new_file, parse_file};
    use std::cell::Cell;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-27 10:00 UTC);

    /// A token with `left` to live, with refresh material or not.
    fn token(access: &str, left: Duration, refreshable: bool) -> Token {
        let f: TokenFile = new_file(
            &SsoSession::example(Some("corp")),
            access.into(),
            NOW + left,
            "CID",
            &"CS".into(),
            NOW + Duration::days(90),
            refreshable.then(|| "RT".into()),
            Default::default(),
        );
        parse_file(f, std::path::Path::new("t.json")).unwrap()
    }

    fn refused() -> RefreshError {
        RefreshError::Refused(ApiError {
            status: 400,
            error_type: "InvalidGrantException".into(),
            code: "invalid_grant".into(),
            message: String::new(),
        })
    }

    /// Run `next`, recording whether a refresh was attempted.
    fn run(
        tok: Token,
        s: &SsoSession,
        refresh: std::result::Result<Token, RefreshError>,
    ) -> (Result<Next>, bool) {
        let called = Cell::new(false);
        let r = next(Some(tok), s, NOW, |_| {
            called.set(true);
            refresh
        });
        (r, called.get())
    }

    fn used(r: Result<Next>) -> String {
        match r {
            Ok(Next::Use(t)) => t.access_token.into_exposed(),
            Ok(Next::Renewed(t)) => format!("RENEWED {}", t.access_token.expose()),
            Ok(Next::Login) => "LOGIN".into(),
            Err(e) => format!("ERROR {}", e.message),
        }
    }

    #[test]
    fn a_token_with_20_minutes_left_is_used_as_is() {
        let corp = SsoSession::example(Some("corp"));
        let (r, refreshed) = run(
            token("OLD", Duration::minutes(20), true),
            &corp,
            Err(refused()),
        );
        assert_eq!((used(r), refreshed), ("OLD".into(), false));
    }

    #[test]
    fn a_token_with_10_minutes_left_is_refreshed() {
        let corp = SsoSession::example(Some("corp"));
        let (r, refreshed) = run(
            token("OLD", Duration::minutes(10), true),
            &corp,
            Ok(token("NEW", Duration::hours(8), true)),
        );
        assert_eq!((used(r), refreshed), ("RENEWED NEW".into(), true));
    }

    #[test]
    fn a_refused_refresh_keeps_a_token_that_still_works() {
        let corp = SsoSession::example(Some("corp"));
        let (r, _) = run(
            token("OLD", Duration::minutes(10), true),
            &corp,
            Err(refused()),
        );
        assert_eq!(used(r), "OLD");
    }

    #[test]
    fn a_refused_refresh_of_an_expired_token_needs_a_login() {
        let corp = SsoSession::example(Some("corp"));
        let (r, refreshed) = run(
            token("OLD", -Duration::minutes(1), true),
            &corp,
            Err(refused()),
        );
        assert_eq!((used(r), refreshed), ("LOGIN".into(), true));
    }

    #[test]
    fn a_failed_refresh_keeps_a_working_token_and_reports_an_expired_one() {
        let corp = SsoSession::example(Some("corp"));
        let failed = || RefreshError::Failed(crate::error::Error::runtime("offline"));
        let (r, _) = run(
            token("OLD", Duration::minutes(5), true),
            &corp,
            Err(failed()),
        );
        assert_eq!(used(r), "OLD");
        let (r, _) = run(
            token("OLD", -Duration::minutes(5), true),
            &corp,
            Err(failed()),
        );
        assert_eq!(used(r), "ERROR offline");
    }

    #[test]
    fn a_legacy_profile_never_refreshes() {
        let legacy = SsoSession::example(None);
        let (r, refreshed) = run(
            token("OLD", Duration::minutes(10), true),
            &legacy,
            Ok(token("NEW", Duration::hours(8), true)),
        );
        assert_eq!((used(r), refreshed), ("OLD".into(), false));
        let (r, refreshed) = run(
            token("OLD", -Duration::minutes(10), true),
            &legacy,
            Ok(token("NEW", Duration::hours(8), true)),
        );
        assert_eq!((used(r), refreshed), ("LOGIN".into(), false));
    }

    #[test]
    fn a_rejected_token_is_refreshed_if_possible_else_logged_in() {
        let corp = SsoSession::example(Some("corp"));
        let mut tok = token("OLD", Duration::ZERO, true);
        tok.file.extra.insert(
            crate::cache::token::REJECTED_AT.into(),
            crate::cache::format_timestamp(NOW).into(),
        );
        assert_eq!(
            TokenState::of(Some(&tok), &corp, NOW),
            TokenState::Rejected { refreshable: true }
        );
        assert!(!TokenState::of(Some(&tok), &corp, NOW).usable_unattended());
        let (r, _) = run(tok.clone(), &corp, Err(refused()));
        assert_eq!(used(r), "LOGIN");
        let (r, refreshed) = run(
            tok.clone(),
            &corp,
            Ok(token("NEW", Duration::hours(8), true)),
        );
        assert_eq!((used(r), refreshed), ("RENEWED NEW".into(), true));
        tok.file.refresh_token = None;
        let (r, refreshed) = run(tok, &corp, Ok(token("NEW", Duration::hours(8), true)));
        assert_eq!((used(r), refreshed), ("LOGIN".into(), false));
    }

    #[test]
    fn no_token_means_a_login() {
        let r = next(
            None,
            &SsoSession::example(Some("corp")),
            NOW,
            |_| unreachable!(),
        );
        assert!(matches!(r, Ok(Next::Login)));
    }

    #[test]
    fn states_and_labels_match_status() {
        let corp = SsoSession::example(Some("corp"));
        let of = |t: Token| TokenState::of(Some(&t), &corp, NOW);
        assert_eq!(TokenState::of(None, &corp, NOW).label(), "absent");
        assert_eq!(of(token("A", Duration::hours(1), false)).label(), "valid");
        assert_eq!(of(token("A", Duration::minutes(5), false)).label(), "valid");
        assert_eq!(
            of(token("A", Duration::minutes(5), true)),
            TokenState::Refreshable { still_valid: true }
        );
        assert_eq!(
            of(token("A", -Duration::minutes(5), true)).label(),
            "refreshable"
        );
        assert_eq!(
            of(token("A", -Duration::minutes(5), false)).label(),
            "expired"
        );
        assert!(!TokenState::Expired.usable_unattended());
        assert!(TokenState::Refreshable { still_valid: false }.usable_unattended());
    }
}
