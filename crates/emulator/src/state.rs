//! The emulator's memory (clients, device codes, sessions, tokens, counters) and the
//! logic of each operation. Nothing here does I/O: every operation takes the parsed
//! request and `now` (epoch seconds) and returns a JSON value or an [`ApiError`], so
//! `server.rs` only translates between HTTP and these calls.

use super::EmulatorConfig;
use super::fault::{FOREVER, Fault, FaultKind, Op};
use super::ids;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The scope for which real Identity Center issues refresh tokens (spec §9.11).
pub const ACCOUNT_ACCESS_SCOPE: &str = "sso:account:access";
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
pub const REFRESH_TOKEN_GRANT: &str = "refresh_token";

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

/// An AWS error. `name` is the exception name without the `Exception` suffix;
/// `code` is the SSO-OIDC `error` field (unused by the portal, whose body is `{"message"}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub status: u16,
    pub name: &'static str,
    pub code: &'static str,
    pub message: String,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(
        status: u16,
        name: &'static str,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            name,
            code,
            message: message.into(),
            retry_after: None,
        }
    }
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(400, "InvalidRequest", "invalid_request", message)
    }
    pub fn invalid_client(message: impl Into<String>) -> Self {
        Self::new(401, "InvalidClient", "invalid_client", message)
    }
    pub fn invalid_grant(message: impl Into<String>) -> Self {
        Self::new(400, "InvalidGrant", "invalid_grant", message)
    }
    /// The portal's answer to a missing, unknown, expired or revoked token (spec §3).
    pub fn unauthorized() -> Self {
        Self::new(
            401,
            "Unauthorized",
            "unauthorized",
            "Session token not found or invalid",
        )
    }

    /// The error an injected fault produces for `op` (`Slow`, `Garbage`, `Trickle`
    /// and `Patch` produce none: they alter a normal answer).
    pub fn from_fault(op: Op, kind: &FaultKind) -> Option<Self> {
        let e = match kind {
            FaultKind::Slow { .. }
            | FaultKind::Garbage
            | FaultKind::Trickle { .. }
            | FaultKind::Patch { .. } => return None,
            FaultKind::Reject { status, message } => Self::new(
                *status,
                "InvalidRequest",
                "invalid_request",
                message.clone(),
            ),
            FaultKind::ServerError => Self::new(
                500,
                "InternalServer",
                "server_error",
                "An internal error occurred (injected fault)",
            ),
            FaultKind::Throttle { retry_after } => ApiError {
                retry_after: *retry_after,
                ..Self::new(429, "TooManyRequests", "too_many_requests", "Rate exceeded")
            },
            FaultKind::Unauthorized if op.is_oidc() => {
                Self::invalid_client("Invalid client (injected fault)")
            }
            FaultKind::Unauthorized => Self::unauthorized(),
            FaultKind::SlowDown if op.is_oidc() => Self::new(
                400,
                "SlowDown",
                "slow_down",
                "Client is polling too quickly",
            ),
            FaultKind::SlowDown => {
                Self::new(429, "TooManyRequests", "too_many_requests", "Rate exceeded")
            }
        };
        Some(e)
    }
}

pub(crate) type OpResult = Result<Value, ApiError>;

/// Query parameters, percent-decoded, in order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Query(pub Vec<(String, String)>);

impl Query {
    pub fn parse(q: &str) -> Query {
        Query(
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (percent_decode(k), percent_decode(v)),
                    None => (percent_decode(p), String::new()),
                })
                .collect(),
        )
    }
    /// The first value of `name`, treating an empty value as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

struct Client {
    secret: String,
    scopes: Vec<String>,
    secret_expires_at: u64,
}

struct DeviceAuth {
    client_id: String,
    expires_at: u64,
    pending_polls: u32,
    used: bool,
}

struct AccessToken {
    session: u64,
    expires_at: u64,
}

struct RefreshGrant {
    client_id: String,
    session: u64,
}

#[derive(PartialEq, Eq)]
enum PageOf {
    Accounts,
    Roles(String),
}

struct Page {
    of: PageOf,
    offset: usize,
}

pub(crate) struct State {
    /// The configuration the emulator started with (for `reset`).
    initial: EmulatorConfig,
    pub cfg: EmulatorConfig,
    base_url: String,
    clients: HashMap<String, Client>,
    devices: HashMap<String, DeviceAuth>,
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, RefreshGrant>,
    pages: HashMap<String, Page>,
    next_session: u64,
    pub stats: Stats,
}

impl State {
    pub fn new(cfg: EmulatorConfig, base_url: String) -> State {
        State {
            initial: cfg.clone(),
            cfg,
            base_url,
            clients: HashMap::new(),
            devices: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            pages: HashMap::new(),
            next_session: 1,
            stats: Stats::default(),
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
        self.access.clear();
        self.refresh.clear();
    }

    // ---------------------------------------------------------------- SSO-OIDC

    /// `POST /client/register` (spec §2.1).
    pub fn register_client(&mut self, body: &Value, now: u64) -> OpResult {
        let body = object(body)?;
        required_str(body, "clientName")?;
        let client_type = required_str(body, "clientType")?;
        if client_type != "public" {
            return Err(ApiError::new(
                400,
                "InvalidClientMetadata",
                "invalid_client_metadata",
                format!("Invalid client type: {client_type}; only public clients are supported"),
            ));
        }
        let scopes = optional_str_list(body, "scopes")?;
        optional_str_list(body, "grantTypes")?;
        optional_str_list(body, "redirectUris")?;
        optional_str(body, "issuerUrl")?;
        let id = ids::client_id();
        let secret = ids::client_secret();
        let expires = now + self.cfg.registration_ttl;
        self.clients.insert(
            id.clone(),
            Client {
                secret: secret.clone(),
                scopes,
                secret_expires_at: expires,
            },
        );
        Ok(json!({
            "clientId": id,
            "clientSecret": secret,
            "clientIdIssuedAt": now,
            "clientSecretExpiresAt": expires,
        }))
    }

    fn check_client(
        &self,
        body: &serde_json::Map<String, Value>,
        now: u64,
    ) -> Result<String, ApiError> {
        let id = required_str(body, "clientId")?;
        let secret = required_str(body, "clientSecret")?;
        match self.clients.get(id) {
            Some(c) if c.secret == secret => {
                if now >= c.secret_expires_at {
                    Err(ApiError::invalid_client("Client secret has expired"))
                } else {
                    Ok(id.to_string())
                }
            }
            _ => Err(ApiError::invalid_client("Invalid client provided")),
        }
    }

    /// `POST /device_authorization` (spec §2.2).
    pub fn start_device_authorization(&mut self, body: &Value, now: u64) -> OpResult {
        let body = object(body)?;
        let client_id = self.check_client(body, now)?;
        let start_url = required_str(body, "startUrl")?;
        if !(start_url.starts_with("https://") || start_url.starts_with("http://")) {
            return Err(ApiError::invalid_request(format!(
                "Invalid start URL: {start_url}"
            )));
        }
        let device_code = ids::device_code();
        let user_code = ids::user_code();
        self.devices.insert(
            device_code.clone(),
            DeviceAuth {
                client_id,
                expires_at: now + self.cfg.device_code_ttl,
                pending_polls: 0,
                used: false,
            },
        );
        let verification_uri = format!("{}/start/#/device", self.base_url);
        Ok(json!({
            "deviceCode": device_code,
            "userCode": user_code,
            "verificationUri": verification_uri,
            "verificationUriComplete": format!("{verification_uri}?user_code={user_code}"),
            "expiresIn": self.cfg.device_code_ttl,
            "interval": self.cfg.interval,
        }))
    }

    /// `POST /token` (spec §2.3): the device_code and refresh_token grants.
    pub fn create_token(&mut self, body: &Value, now: u64) -> OpResult {
        let body = object(body)?;
        let grant = required_str(body, "grantType")?;
        let client_id = self.check_client(body, now)?;
        match grant {
            DEVICE_CODE_GRANT => {
                let code = required_str(body, "deviceCode")?;
                let approve_after = self.cfg.approve_after_polls;
                let Some(dev) = self.devices.get_mut(code) else {
                    return Err(ApiError::invalid_grant("Invalid device code provided"));
                };
                if dev.client_id != client_id {
                    return Err(ApiError::invalid_grant(
                        "Device code was issued to another client",
                    ));
                }
                if dev.used {
                    return Err(ApiError::invalid_grant("Device code has already been used"));
                }
                if self.cfg.expire_device_codes || now >= dev.expires_at {
                    return Err(ApiError::new(
                        400,
                        "ExpiredToken",
                        "expired_token",
                        "Device code has expired",
                    ));
                }
                if dev.pending_polls < approve_after {
                    dev.pending_polls += 1;
                    return Err(ApiError::new(
                        400,
                        "AuthorizationPending",
                        "authorization_pending",
                        "Authorization is still pending",
                    ));
                }
                if self.cfg.deny {
                    dev.used = true;
                    return Err(ApiError::new(
                        400,
                        "AccessDenied",
                        "access_denied",
                        "The user denied the authorization request",
                    ));
                }
                dev.used = true;
                let session = self.next_session;
                self.next_session += 1;
                Ok(self.issue_tokens(&client_id, session, now))
            }
            REFRESH_TOKEN_GRANT => {
                let token = required_str(body, "refreshToken")?;
                match self.refresh.get(token) {
                    Some(r) if r.client_id == client_id => {}
                    Some(_) => {
                        return Err(ApiError::invalid_grant(
                            "Refresh token was issued to another client",
                        ));
                    }
                    None => return Err(ApiError::invalid_grant("Invalid refresh token provided")),
                }
                // Rotation: the old refresh token is spent.
                let Some(old) = self.refresh.remove(token) else {
                    return Err(ApiError::invalid_grant("Invalid refresh token provided"));
                };
                Ok(self.issue_tokens(&client_id, old.session, now))
            }
            "authorization_code" => Err(ApiError::new(
                400,
                "UnsupportedGrantType",
                "unsupported_grant_type",
                "The emulator supports the device_code and refresh_token grants only",
            )),
            other => Err(ApiError::new(
                400,
                "UnsupportedGrantType",
                "unsupported_grant_type",
                format!("Unsupported grant type: {other}"),
            )),
        }
    }

    fn issue_tokens(&mut self, client_id: &str, session: u64, now: u64) -> Value {
        let access = ids::access_token();
        let ttl = self.cfg.token_ttl;
        self.access.insert(
            access.clone(),
            AccessToken {
                session,
                expires_at: now + ttl,
            },
        );
        self.stats.tokens_issued += 1;
        let mut out = json!({
            "accessToken": access,
            "tokenType": "Bearer",
            "expiresIn": ttl,
        });
        let scoped = self
            .clients
            .get(client_id)
            .is_some_and(|c| c.scopes.iter().any(|s| s == ACCOUNT_ACCESS_SCOPE));
        if self.cfg.issue_refresh_tokens && scoped {
            let refresh = ids::refresh_token();
            self.refresh.insert(
                refresh.clone(),
                RefreshGrant {
                    client_id: client_id.to_string(),
                    session,
                },
            );
            out["refreshToken"] = Value::String(refresh);
        }
        out
    }

    // ---------------------------------------------------------------- portal

    fn session_of(&self, token: Option<&str>, now: u64) -> Result<u64, ApiError> {
        match token.and_then(|t| self.access.get(t)) {
            Some(t) if now < t.expires_at => Ok(t.session),
            _ => Err(ApiError::unauthorized()),
        }
    }

    /// `GET /federation/credentials` (spec §3).
    pub fn get_role_credentials(&mut self, token: Option<&str>, q: &Query, now: u64) -> OpResult {
        let role = q.get("role_name");
        let account = q.get("account_id");
        let (Some(role), Some(account)) = (role, account) else {
            return Err(ApiError::invalid_request(
                "role_name and account_id are required",
            ));
        };
        self.session_of(token, now)?;
        let Some(acct) = self.cfg.fixture.account(account) else {
            return Err(ApiError::new(
                404,
                "ResourceNotFound",
                "resource_not_found",
                "Could not find account",
            ));
        };
        if !acct.roles.iter().any(|r| r == role) {
            return Err(ApiError::new(403, "Forbidden", "forbidden", "No access"));
        }
        self.stats.credentials_issued += 1;
        Ok(json!({
            "roleCredentials": {
                "accessKeyId": ids::access_key_id(),
                "secretAccessKey": ids::secret_access_key(),
                "sessionToken": ids::session_token(),
                "expiration": (now + self.cfg.role_ttl) * 1000,
            }
        }))
    }

    fn page_params(&self, q: &Query, of: &PageOf) -> Result<(usize, usize), ApiError> {
        let size = match q.get("max_result") {
            None => self.cfg.page_size.clamp(1, 100) as usize,
            Some(m) => match m.parse::<u32>() {
                Ok(n) if (1..=100).contains(&n) => n as usize,
                _ => {
                    return Err(ApiError::invalid_request(format!(
                        "max_result must be an integer from 1 to 100, not {m}"
                    )));
                }
            },
        };
        let size = size.min(self.cfg.max_page_size.max(1) as usize);
        let offset = match q.get("next_token") {
            None => 0,
            Some(t) => match self.pages.get(t) {
                Some(p) if &p.of == of => p.offset,
                _ => return Err(ApiError::invalid_request("Invalid next token")),
            },
        };
        Ok((offset, size))
    }

    fn next_token(&mut self, of: PageOf, end: usize, total: usize) -> Option<String> {
        if end >= total {
            return None;
        }
        let t = ids::next_token();
        self.pages.insert(t.clone(), Page { of, offset: end });
        Some(t)
    }

    /// `GET /assignment/accounts` (spec §3), paginated.
    pub fn list_accounts(&mut self, token: Option<&str>, q: &Query, now: u64) -> OpResult {
        let (offset, size) = self.page_params(q, &PageOf::Accounts)?;
        self.session_of(token, now)?;
        let all = &self.cfg.fixture.accounts;
        let total = all.len();
        let end = (offset + size).min(total);
        let list: Vec<Value> = all[offset.min(total)..end]
            .iter()
            .map(|a| {
                let mut v = json!({ "accountId": a.account_id });
                if let Some(n) = &a.account_name {
                    v["accountName"] = json!(n);
                }
                if let Some(e) = &a.email_address {
                    v["emailAddress"] = json!(e);
                }
                v
            })
            .collect();
        let mut out = json!({ "accountList": list });
        if let Some(t) = self.next_token(PageOf::Accounts, end, total) {
            out["nextToken"] = json!(t);
        }
        Ok(out)
    }

    /// `GET /assignment/roles` (spec §3), paginated.
    pub fn list_account_roles(&mut self, token: Option<&str>, q: &Query, now: u64) -> OpResult {
        let Some(account) = q.get("account_id").map(str::to_string) else {
            return Err(ApiError::invalid_request("account_id is required"));
        };
        let of = PageOf::Roles(account.clone());
        let (offset, size) = self.page_params(q, &of)?;
        self.session_of(token, now)?;
        let Some(acct) = self.cfg.fixture.account(&account) else {
            return Err(ApiError::new(
                404,
                "ResourceNotFound",
                "resource_not_found",
                "Could not find account",
            ));
        };
        let total = acct.roles.len();
        let end = (offset + size).min(total);
        let list: Vec<Value> = acct.roles[offset.min(total)..end]
            .iter()
            .map(|r| json!({ "roleName": r, "accountId": account }))
            .collect();
        let mut out = json!({ "roleList": list });
        if let Some(t) = self.next_token(of, end, total) {
            out["nextToken"] = json!(t);
        }
        Ok(out)
    }

    /// `POST /logout` (spec §3): ends the token's session, so its access tokens and
    /// refresh token stop working.
    pub fn logout(&mut self, token: Option<&str>, now: u64) -> Result<(), ApiError> {
        let session = self.session_of(token, now)?;
        self.access.retain(|_, t| t.session != session);
        self.refresh.retain(|_, r| r.session != session);
        self.stats.logouts += 1;
        Ok(())
    }
}

// ---------------------------------------------------------------- body helpers

type Object = serde_json::Map<String, Value>;

fn object(body: &Value) -> Result<&Object, ApiError> {
    body.as_object()
        .ok_or_else(|| ApiError::invalid_request("The request body must be a JSON object"))
}

fn optional_str<'a>(body: &'a Object, field: &str) -> Result<Option<&'a str>, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::invalid_request(format!(
            "{field} must be a string"
        ))),
    }
}

fn required_str<'a>(body: &'a Object, field: &str) -> Result<&'a str, ApiError> {
    match optional_str(body, field)? {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(ApiError::invalid_request(format!(
            "Missing required parameter: {field}"
        ))),
    }
}

fn optional_str_list(body: &Object, field: &str) -> Result<Vec<String>, ApiError> {
    let bad = || ApiError::invalid_request(format!("{field} must be a list of strings"));
    match body.get(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string).ok_or_else(bad))
            .collect(),
        Some(_) => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_are_percent_decoded_and_empty_values_are_absent() {
        let q = Query::parse("role_name=Read%20Only&account_id=1&next_token=&x=a+b&bad=%zz%4");
        assert_eq!(q.get("role_name"), Some("Read Only"));
        assert_eq!(q.get("account_id"), Some("1"));
        assert_eq!(q.get("next_token"), None);
        assert_eq!(q.get("x"), Some("a b"));
        assert_eq!(q.get("bad"), Some("%zz%4"));
        assert_eq!(q.get("missing"), None);
    }
}
