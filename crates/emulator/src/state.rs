//! The emulator's memory, split by service: [`Oidc`] (registrations, device codes,
//! sessions and tokens) and [`Portal`] (pages of accounts and roles; role credentials
//! come from the fixture), beside what they share: the settings, the counters and the
//! identifier generator. Nothing here does I/O or reads the clock: every operation
//! takes the parsed request and `now` (epoch seconds) and returns a JSON value or an
//! [`ApiError`], so `server.rs` only translates between HTTP and these calls. STS
//! (`sts.rs`) verifies signatures against the [`Issued`] registry, and sign-in
//! (`signin.rs`) takes back the credentials it holds.

use crate::EmulatorConfig;
use crate::api::{ApiError, Query};
use crate::fault::{FOREVER, Fault, FaultKind, Op};
use crate::ids::Ids;
use crate::oidc::{AUTHORIZATION_CODE_GRANT, DEVICE_CODE_GRANT, Oidc, REFRESH_TOKEN_GRANT};
use crate::portal::Portal;
use crate::signin::{Signin, SigninRequest};
use crate::sts::{SignedRequest, Sts};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;

/// Request counters. Every request to an operation is counted, including the ones
/// that met a fault or failed validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stats {
    pub register_client: u64,
    pub start_device_authorization: u64,
    /// All CreateToken calls, whatever the grant.
    pub create_token: u64,
    /// CreateToken calls with the device_code grant (including `authorization_pending` polls).
    pub create_token_device_code: u64,
    /// CreateToken calls with the refresh_token grant.
    pub create_token_refresh_token: u64,
    /// CreateToken calls with the authorization_code grant (PKCE).
    pub create_token_authorization_code: u64,
    /// `GET /authorize` requests (the PKCE flow's browser page).
    pub authorize: u64,
    pub get_role_credentials: u64,
    pub list_accounts: u64,
    pub list_account_roles: u64,
    /// Logout requests received.
    pub logout: u64,
    /// Logouts that revoked a session (valid token, no fault).
    pub logouts: u64,
    /// STS AssumeRole requests received (`POST /`).
    pub assume_role: u64,
    /// Role sessions AssumeRole issued.
    pub roles_assumed: u64,
    /// Access tokens issued (device grant or refresh).
    pub tokens_issued: u64,
    /// Role credentials issued.
    pub credentials_issued: u64,
    /// getSigninToken requests received (sign-in federation endpoint).
    pub get_signin_token: u64,
    /// Console logins (`Action=login`) redirected to their destination.
    pub console_logins: u64,
    /// Requests that met an injected fault (including `slow`).
    pub faults_injected: u64,
}

impl Stats {
    /// Requests received for one operation.
    pub fn count(&self, op: Op) -> u64 {
        match op {
            Op::RegisterClient => self.register_client,
            Op::StartDeviceAuthorization => self.start_device_authorization,
            Op::CreateToken => self.create_token,
            Op::GetRoleCredentials => self.get_role_credentials,
            Op::ListAccounts => self.list_accounts,
            Op::ListAccountRoles => self.list_account_roles,
            Op::Logout => self.logout,
            Op::AssumeRole => self.assume_role,
            Op::GetSigninToken => self.get_signin_token,
        }
    }

    fn bump(&mut self, op: Op) {
        let c = match op {
            Op::RegisterClient => &mut self.register_client,
            Op::StartDeviceAuthorization => &mut self.start_device_authorization,
            Op::CreateToken => &mut self.create_token,
            Op::GetRoleCredentials => &mut self.get_role_credentials,
            Op::ListAccounts => &mut self.list_accounts,
            Op::ListAccountRoles => &mut self.list_account_roles,
            Op::Logout => &mut self.logout,
            Op::AssumeRole => &mut self.assume_role,
            Op::GetSigninToken => &mut self.get_signin_token,
        };
        *c += 1;
    }
}

/// Credentials the emulator issued: the portal's role credentials and the
/// role sessions AssumeRole hands out. STS checks signatures against these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCredentials {
    pub secret_access_key: String,
    pub session_token: String,
    /// Epoch seconds; the credentials are valid while `now < expires_at`.
    pub expires_at: u64,
    /// False for the portal's credentials, true for those of AssumeRole
    /// (role chaining).
    pub chained: bool,
    /// The session's identity: `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    pub arn: String,
}

/// Every credential issued, by access key id.
#[derive(Default)]
pub(crate) struct Issued(HashMap<String, IssuedCredentials>);

impl Issued {
    pub fn insert(&mut self, access_key_id: String, c: IssuedCredentials) {
        self.0.insert(access_key_id, c);
    }

    pub fn get(&self, access_key_id: &str) -> Option<&IssuedCredentials> {
        self.0.get(access_key_id)
    }

    /// Every credential still valid expires at `now`. Returns how many were.
    pub fn expire_all(&mut self, now: u64) -> usize {
        let mut n = 0;
        for c in self.0.values_mut() {
            if c.expires_at > now {
                c.expires_at = now;
                n += 1;
            }
        }
        n
    }
}

/// What an operation of any service may use besides its own state.
pub(crate) struct Ctx<'a> {
    pub cfg: &'a EmulatorConfig,
    pub ids: &'a mut Ids,
    pub stats: &'a mut Stats,
    /// Epoch seconds.
    pub now: u64,
}

pub(crate) struct State {
    /// The configuration the emulator started with (for `reset`).
    initial: EmulatorConfig,
    pub cfg: EmulatorConfig,
    pub stats: Stats,
    pub ids: Ids,
    oidc: Oidc,
    portal: Portal,
    /// The credentials issued by the portal and by STS.
    issued: Issued,
    pub sts: Sts,
    signin: Signin,
}

impl State {
    /// `seed` makes the identifiers handed out (see [`Ids`]).
    pub fn new(cfg: EmulatorConfig, base_url: String, seed: [u8; 32]) -> State {
        State {
            initial: cfg.clone(),
            cfg,
            stats: Stats::default(),
            ids: Ids::new(seed),
            oidc: Oidc::new(base_url),
            portal: Portal::default(),
            issued: Issued::default(),
            sts: Sts::default(),
            signin: Signin::default(),
        }
    }

    /// Counts a request and takes the fault it meets, if any.
    pub fn begin(&mut self, op: Op, grant_type: Option<&str>) -> Option<FaultKind> {
        self.stats.bump(op);
        if op == Op::CreateToken {
            match grant_type {
                Some(DEVICE_CODE_GRANT) => self.stats.create_token_device_code += 1,
                Some(REFRESH_TOKEN_GRANT) => self.stats.create_token_refresh_token += 1,
                Some(AUTHORIZATION_CODE_GRANT) => self.stats.create_token_authorization_code += 1,
                _ => {}
            }
        }
        let i = self.cfg.faults.iter().position(|f| f.matches(op))?;
        let fault = &mut self.cfg.faults[i];
        let kind = fault.kind.clone();
        if fault.times != FOREVER {
            fault.times -= 1;
        }
        if fault.times == 0 {
            self.cfg.faults.remove(i);
        }
        self.stats.faults_injected += 1;
        Some(kind)
    }

    pub fn add_fault(&mut self, fault: Fault) {
        if fault.times > 0 {
            self.cfg.faults.push(fault);
        }
    }

    /// Forgets faults and counters and restores the start-up settings (deny, TTLs,
    /// the STS controls, …). Registered clients, issued tokens and credentials stay valid.
    pub fn reset(&mut self) {
        self.cfg = EmulatorConfig {
            faults: Vec::new(),
            ..self.initial.clone()
        };
        self.stats = Stats::default();
        self.sts.reset();
    }

    /// STS AssumeRole (see [`Sts::assume_role`]): the XML answer.
    pub fn assume_role(
        &mut self,
        req: &SignedRequest,
        request_id: &str,
        now: u64,
    ) -> Result<String, ApiError> {
        let State {
            cfg,
            stats,
            ids,
            issued,
            sts,
            ..
        } = self;
        let cx = &mut Ctx {
            cfg,
            ids,
            stats,
            now,
        };
        sts.assume_role(cx, issued, req, request_id)
    }

    /// Expires every credential issued so far, by the portal or by STS.
    /// Returns how many were still valid.
    pub fn expire_credentials(&mut self, now: u64) -> usize {
        self.issued.expire_all(now)
    }

    /// The expiry of credentials the emulator issued, by access key id.
    pub fn credential_expiry(&self, access_key_id: &str) -> Option<u64> {
        self.issued.get(access_key_id).map(|c| c.expires_at)
    }

    /// What the emulator issued under this access key id (portal or STS).
    pub(crate) fn issued_credentials(&self, access_key_id: &str) -> Option<&IssuedCredentials> {
        self.issued.get(access_key_id)
    }

    /// Registers credentials as issued (tests of services that take them back).
    #[cfg(test)]
    pub fn insert_issued(&mut self, access_key_id: &str, c: IssuedCredentials) {
        self.issued.insert(access_key_id.to_string(), c);
    }

    /// The last getSigninToken request that reached the sign-in service.
    pub fn last_signin_request(&self) -> Option<SigninRequest> {
        self.signin.last_request.clone()
    }

    /// Whether a SigninToken was issued and is still within its 15 minutes.
    pub fn signin_token_valid(&self, token: &str, now: u64) -> bool {
        self.signin.token_valid(token, now)
    }

    /// `GET /federation?Action=login…`: the destination to redirect to.
    pub fn console_login(&mut self, query: &Query, now: u64) -> Result<String, ApiError> {
        let to = self.signin.login(query, now)?;
        self.stats.console_logins += 1;
        Ok(to)
    }

    pub fn revoke_all_tokens(&mut self) {
        self.oidc.revoke_all_tokens();
    }

    /// `GET /authorize` at time `now`, counted: where to redirect the browser, or
    /// an error to show instead (see [`Oidc::authorize`]).
    pub fn authorize(&mut self, query: &Query, now: u64) -> Result<String, ApiError> {
        self.stats.authorize += 1;
        let State {
            cfg,
            stats,
            ids,
            oidc,
            ..
        } = self;
        oidc.authorize(
            &mut Ctx {
                cfg,
                ids,
                stats,
                now,
            },
            query,
        )
    }

    /// Answers operation `op` at time `now`: a JSON body, or `None` for an empty 200.
    /// `body` is the parsed JSON body of an SSO-OIDC request; `token` the portal's
    /// bearer token.
    pub fn answer(
        &mut self,
        op: Op,
        body: Result<Value, ApiError>,
        query: &Query,
        token: Option<&str>,
        now: u64,
    ) -> Result<Option<Value>, ApiError> {
        let State {
            cfg,
            stats,
            ids,
            oidc,
            portal,
            signin,
            issued,
            ..
        } = self;
        let cx = &mut Ctx {
            cfg,
            ids,
            stats,
            now,
        };
        let v = match op {
            Op::RegisterClient => oidc.register_client(cx, &body?)?,
            Op::StartDeviceAuthorization => oidc.start_device_authorization(cx, &body?)?,
            Op::CreateToken => oidc.create_token(cx, &body?)?,
            Op::GetRoleCredentials => {
                portal.get_role_credentials(cx, oidc, issued, token, query)?
            }
            Op::ListAccounts => portal.list_accounts(cx, oidc, token, query)?,
            Op::ListAccountRoles => portal.list_account_roles(cx, oidc, token, query)?,
            Op::Logout => {
                portal.logout(cx, oidc, token)?;
                return Ok(None);
            }
            // Answered in XML by `assume_role`, from the signed request.
            Op::AssumeRole => {
                return Err(ApiError::invalid_request(
                    "AssumeRole needs the signed request",
                ));
            }
            Op::GetSigninToken => signin.get_signin_token(cx, issued, query)?,
        };
        Ok(Some(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The services run without a server or a clock: the test says what time it is.
    #[test]
    fn the_services_run_on_the_time_they_are_given() {
        let cfg = EmulatorConfig {
            token_ttl: 100,
            ..EmulatorConfig::default()
        };
        let mut st = State::new(cfg, "http://emulator".to_string(), [1; 32]);
        let q = Query::default();
        let t0 = 1_000_000;
        let call = |st: &mut State, op, body: Value, token: Option<&str>, now| {
            st.begin(op, body.get("grantType").and_then(Value::as_str));
            st.answer(op, Ok(body), &q, token, now)
        };
        let reg = call(
            &mut st,
            Op::RegisterClient,
            json!({"clientName": "t", "clientType": "public", "scopes": ["sso:account:access"]}),
            None,
            t0,
        )
        .unwrap()
        .unwrap();
        assert_eq!(reg["clientIdIssuedAt"], t0);
        let client = json!({"clientId": reg["clientId"], "clientSecret": reg["clientSecret"]});
        let with = |extra: Value| {
            let mut b = client.clone();
            b.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            b
        };
        let dev = call(
            &mut st,
            Op::StartDeviceAuthorization,
            with(json!({"startUrl": "https://x.awsapps.com/start"})),
            None,
            t0,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            dev["verificationUri"], "http://emulator/start/#/device",
            "{dev}"
        );
        let poll = with(json!({"grantType": DEVICE_CODE_GRANT, "deviceCode": dev["deviceCode"]}));
        let pending = call(&mut st, Op::CreateToken, poll.clone(), None, t0).unwrap_err();
        assert_eq!(pending.code, "authorization_pending");
        let tok = call(&mut st, Op::CreateToken, poll, None, t0 + 1)
            .unwrap()
            .unwrap();
        let access = tok["accessToken"].as_str().unwrap().to_string();
        assert!(tok["refreshToken"].is_string());

        let list =
            |st: &mut State, now| call(st, Op::ListAccounts, Value::Null, Some(&access), now);
        assert!(list(&mut st, t0 + 100).unwrap().unwrap()["accountList"].is_array());
        // Issued at t0+1 for 100 s: expired at t0+101, not a moment before.
        assert_eq!(list(&mut st, t0 + 101).unwrap_err().status, 401);
        assert_eq!(st.stats.list_accounts, 2);
        assert_eq!(st.stats.tokens_issued, 1);
    }
}
