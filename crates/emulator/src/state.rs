//! The emulator's memory, split by service: [`Oidc`] (registrations, device codes,
//! sessions and tokens) and [`Portal`] (pages of accounts and roles; role credentials
//! come from the fixture), beside what they share: the settings, the counters and the
//! identifier generator. Nothing here does I/O or reads the clock: every operation
//! takes the parsed request and `now` (epoch seconds) and returns a JSON value or an
//! [`ApiError`], so `server.rs` only translates between HTTP and these calls. STS and
//! sign-in would be two more services beside these.

use crate::EmulatorConfig;
use crate::api::{ApiError, Query};
use crate::fault::{FOREVER, Fault, FaultKind, Op};
use crate::ids::Ids;
use crate::oidc::{DEVICE_CODE_GRANT, Oidc, REFRESH_TOKEN_GRANT};
use crate::portal::Portal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

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
    pub get_role_credentials: u64,
    pub list_accounts: u64,
    pub list_account_roles: u64,
    /// Logout requests received.
    pub logout: u64,
    /// Logouts that revoked a session (valid token, no fault).
    pub logouts: u64,
    /// Access tokens issued (device grant or refresh).
    pub tokens_issued: u64,
    /// Role credentials issued.
    pub credentials_issued: u64,
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
        };
        *c += 1;
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
        }
    }

    /// Counts a request and takes the fault it meets, if any.
    pub fn begin(&mut self, op: Op, grant_type: Option<&str>) -> Option<FaultKind> {
        self.stats.bump(op);
        if op == Op::CreateToken {
            match grant_type {
                Some(DEVICE_CODE_GRANT) => self.stats.create_token_device_code += 1,
                Some(REFRESH_TOKEN_GRANT) => self.stats.create_token_refresh_token += 1,
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

    /// Forgets faults and counters and restores the start-up settings (deny, TTLs, …).
    /// Registered clients and issued tokens stay valid.
    pub fn reset(&mut self) {
        self.cfg = EmulatorConfig {
            faults: Vec::new(),
            ..self.initial.clone()
        };
        self.stats = Stats::default();
    }

    pub fn revoke_all_tokens(&mut self) {
        self.oidc.revoke_all_tokens();
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
            Op::GetRoleCredentials => portal.get_role_credentials(cx, oidc, token, query)?,
            Op::ListAccounts => portal.list_accounts(cx, oidc, token, query)?,
            Op::ListAccountRoles => portal.list_account_roles(cx, oidc, token, query)?,
            Op::Logout => {
                portal.logout(cx, oidc, token)?;
                return Ok(None);
            }
        };
        Ok(Some(v))
    }
}
