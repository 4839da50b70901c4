//! The sign-in federation endpoint (docs/signin.md): `getSigninToken`
//! takes back credentials another service issued and answers a SigninToken;
//! `login` redirects a browser holding a fresh token to its destination.
//! As AWS: `SessionDuration` must be 900–43200 and is refused (HTTP 400
//! "Invalid credentials parameter") with chained role credentials; a login
//! URL works for 15 minutes.

use crate::api::{ApiError, OpResult, Query};
use crate::state::{Ctx, Issued};
use serde_json::{Value, json};
use std::collections::HashMap;

/// How long a SigninToken can be used to log in (docs/signin.md#login-url).
pub const SIGNIN_TOKEN_TTL: u64 = 15 * 60;
const MIN_SESSION_DURATION: u64 = 900;
const MAX_SESSION_DURATION: u64 = 43_200;

/// What the last getSigninToken request asked, for tests to check what a
/// client sent (`Emulator::last_signin_request`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigninRequest {
    /// `sessionId` of the Session JSON (not secret).
    pub access_key_id: String,
    /// `SessionDuration`, when the request had one.
    pub session_duration: Option<u64>,
}

#[derive(Default)]
pub(crate) struct Signin {
    /// SigninToken → when it was issued (epoch seconds).
    tokens: HashMap<String, u64>,
    pub last_request: Option<SigninRequest>,
}

/// The answer AWS gives to any credentials it does not take.
fn invalid_credentials() -> ApiError {
    ApiError::new(
        400,
        "InvalidCredentials",
        "invalid_credentials",
        "Invalid credentials parameter",
    )
}

impl Signin {
    /// `GET /federation?Action=getSigninToken&Session=…[&SessionDuration=N]`.
    pub fn get_signin_token(&mut self, cx: &mut Ctx, issued: &Issued, q: &Query) -> OpResult {
        let duration = match q.get("SessionDuration") {
            None => None,
            Some(d) => match d.parse::<u64>() {
                Ok(n) if (MIN_SESSION_DURATION..=MAX_SESSION_DURATION).contains(&n) => Some(n),
                _ => return Err(invalid_credentials()),
            },
        };
        let session: Value = q
            .get("Session")
            .and_then(|s| serde_json::from_str(s).ok())
            .ok_or_else(invalid_credentials)?;
        let field = |k: &str| session.get(k).and_then(Value::as_str);
        let (Some(id), Some(key), Some(token)) = (
            field("sessionId"),
            field("sessionKey"),
            field("sessionToken"),
        ) else {
            return Err(invalid_credentials());
        };
        self.last_request = Some(SigninRequest {
            access_key_id: id.to_string(),
            session_duration: duration,
        });
        let Some(issued) = issued.get(id) else {
            return Err(invalid_credentials());
        };
        if issued.secret_access_key != key
            || issued.session_token != token
            || issued.expires_at <= cx.now
            || (issued.chained && duration.is_some())
        {
            return Err(invalid_credentials());
        }
        let signin_token = cx.ids.b64url(384);
        self.tokens.insert(signin_token.clone(), cx.now);
        Ok(json!({ "SigninToken": signin_token }))
    }

    pub fn token_valid(&self, token: &str, now: u64) -> bool {
        self.tokens
            .get(token)
            .is_some_and(|&at| now < at.saturating_add(SIGNIN_TOKEN_TTL))
    }

    /// `GET /federation?Action=login&Issuer=…&Destination=…&SigninToken=…`:
    /// the destination to redirect to, for a known token under 15 minutes old
    /// and an https:// destination.
    pub fn login(&self, q: &Query, now: u64) -> Result<String, ApiError> {
        let bad = |m: &str| ApiError::new(400, "InvalidRequest", "invalid_request", m);
        let token = q
            .get("SigninToken")
            .ok_or_else(|| bad("SigninToken is missing"))?;
        if !self.token_valid(token, now) {
            return Err(bad("The sign-in token is invalid or has expired"));
        }
        match q.get("Destination") {
            Some(d) if d.starts_with("https://") => Ok(d.to_string()),
            _ => Err(bad("Destination must be an https:// URL")),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::EmulatorConfig;
    use crate::api::{ApiError, Query};
    use crate::fault::Op;
    use crate::state::{IssuedCredentials, State};
    use serde_json::{Value, json};

    const NOW: u64 = 2_000_000;

    fn state(chained: bool) -> State {
        let mut st = State::new(EmulatorConfig::default(), "http://e".into(), [2; 32]);
        st.insert_issued(
            "ASIAONE",
            IssuedCredentials {
                secret_access_key: "secret".into(),
                session_token: "token".into(),
                expires_at: NOW + 3600,
                chained,
                arn: "arn:aws:sts::111111111111:assumed-role/R/s".into(),
            },
        );
        st
    }

    fn session(id: &str, key: &str, token: &str) -> String {
        json!({"sessionId": id, "sessionKey": key, "sessionToken": token}).to_string()
    }

    fn ask(
        st: &mut State,
        session: &str,
        duration: Option<&str>,
        now: u64,
    ) -> Result<String, ApiError> {
        let mut q = vec![("Action".to_string(), "getSigninToken".to_string())];
        if let Some(d) = duration {
            q.push(("SessionDuration".into(), d.into()));
        }
        q.push(("Session".into(), session.into()));
        st.begin(Op::GetSigninToken, None);
        let v = st.answer(Op::GetSigninToken, Ok(Value::Null), &Query(q), None, now)?;
        Ok(v.unwrap()["SigninToken"].as_str().unwrap().to_string())
    }

    fn login(st: &mut State, token: &str, dest: &str, now: u64) -> Result<String, ApiError> {
        let q = Query(vec![
            ("Action".into(), "login".into()),
            ("Issuer".into(), "https://d-1.awsapps.com/start".into()),
            ("Destination".into(), dest.into()),
            ("SigninToken".into(), token.into()),
        ]);
        st.console_login(&q, now)
    }

    #[test]
    fn issued_credentials_get_a_token_that_logs_in_for_fifteen_minutes() {
        let mut st = state(false);
        let good = session("ASIAONE", "secret", "token");
        let t = ask(&mut st, &good, Some("3600"), NOW).unwrap();
        assert!(t.len() > 400, "{t}");
        let last = st.last_signin_request().unwrap();
        assert_eq!(last.access_key_id, "ASIAONE");
        assert_eq!(last.session_duration, Some(3600));
        assert!(ask(&mut st, &good, None, NOW).is_ok());
        assert_eq!(st.last_signin_request().unwrap().session_duration, None);
        assert_eq!(st.stats.get_signin_token, 2);
        let dest = "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1";
        assert_eq!(login(&mut st, &t, dest, NOW + 899).unwrap(), dest);
        assert_eq!(st.stats.console_logins, 1);
        assert_eq!(login(&mut st, &t, dest, NOW + 900).unwrap_err().status, 400);
        assert_eq!(
            login(&mut st, "unknown", dest, NOW).unwrap_err().status,
            400
        );
        assert_eq!(
            login(&mut st, &t, "http://evil.example/", NOW)
                .unwrap_err()
                .status,
            400
        );
    }

    #[test]
    fn wrong_unknown_or_expired_credentials_are_an_invalid_credentials_parameter() {
        let mut st = state(false);
        for (s, now) in [
            (session("ASIAONE", "nope", "token"), NOW),
            (session("ASIAONE", "secret", "nope"), NOW),
            (session("ASIATWO", "secret", "token"), NOW),
            (session("ASIAONE", "secret", "token"), NOW + 3600),
            ("{not json".to_string(), NOW),
            (json!({"sessionId": "ASIAONE"}).to_string(), NOW),
        ] {
            let e = ask(&mut st, &s, None, now).unwrap_err();
            assert_eq!(
                (e.status, e.message.as_str()),
                (400, "Invalid credentials parameter"),
                "{s}"
            );
        }
    }

    #[test]
    fn session_duration_is_bounded_and_refused_with_chained_credentials() {
        let mut st = state(false);
        let good = session("ASIAONE", "secret", "token");
        for bad in ["899", "43201", "x", "-1"] {
            assert_eq!(
                ask(&mut st, &good, Some(bad), NOW).unwrap_err().status,
                400,
                "{bad}"
            );
        }
        assert!(ask(&mut st, &good, Some("43200"), NOW).is_ok());
        let mut st = state(true);
        assert_eq!(
            ask(&mut st, &good, Some("3600"), NOW).unwrap_err().status,
            400
        );
        assert!(ask(&mut st, &good, None, NOW).is_ok());
    }
}
