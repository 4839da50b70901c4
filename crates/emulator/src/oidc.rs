//! SSO-OIDC (spec §2): client registrations, device authorizations, and the sessions
//! with their access and refresh tokens. The portal asks it whose a bearer token is.

use crate::api::{ApiError, OpResult, object, optional_str, optional_str_list, required_str};
use crate::state::Ctx;
use serde_json::{Value, json};
use std::collections::HashMap;

/// The scope for which real Identity Center issues refresh tokens (spec §9.11).
pub const ACCOUNT_ACCESS_SCOPE: &str = "sso:account:access";
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
pub const REFRESH_TOKEN_GRANT: &str = "refresh_token";

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

/// The state of the SSO-OIDC service.
pub(crate) struct Oidc {
    /// Where the device verification page is (`verificationUri`).
    base_url: String,
    clients: HashMap<String, Client>,
    devices: HashMap<String, DeviceAuth>,
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, RefreshGrant>,
    next_session: u64,
}

impl Oidc {
    pub fn new(base_url: String) -> Oidc {
        Oidc {
            base_url,
            clients: HashMap::new(),
            devices: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            next_session: 1,
        }
    }

    /// `POST /client/register` (spec §2.1).
    pub fn register_client(&mut self, cx: &mut Ctx, body: &Value) -> OpResult {
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
        let id = cx.ids.client_id();
        let secret = cx.ids.client_secret();
        let expires = cx.now + cx.cfg.registration_ttl;
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
            "clientIdIssuedAt": cx.now,
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
    pub fn start_device_authorization(&mut self, cx: &mut Ctx, body: &Value) -> OpResult {
        let body = object(body)?;
        let client_id = self.check_client(body, cx.now)?;
        let start_url = required_str(body, "startUrl")?;
        if !(start_url.starts_with("https://") || start_url.starts_with("http://")) {
            return Err(ApiError::invalid_request(format!(
                "Invalid start URL: {start_url}"
            )));
        }
        let device_code = cx.ids.device_code();
        let user_code = cx.ids.user_code();
        self.devices.insert(
            device_code.clone(),
            DeviceAuth {
                client_id,
                expires_at: cx.now + cx.cfg.device_code_ttl,
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
            "expiresIn": cx.cfg.device_code_ttl,
            "interval": cx.cfg.interval,
        }))
    }

    /// `POST /token` (spec §2.3): the device_code and refresh_token grants.
    pub fn create_token(&mut self, cx: &mut Ctx, body: &Value) -> OpResult {
        let body = object(body)?;
        let grant = required_str(body, "grantType")?;
        let client_id = self.check_client(body, cx.now)?;
        match grant {
            DEVICE_CODE_GRANT => {
                let code = required_str(body, "deviceCode")?;
                let approve_after = cx.cfg.approve_after_polls;
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
                if cx.cfg.expire_device_codes || cx.now >= dev.expires_at {
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
                if cx.cfg.deny {
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
                Ok(self.issue_tokens(cx, &client_id, session))
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
                Ok(self.issue_tokens(cx, &client_id, old.session))
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

    fn issue_tokens(&mut self, cx: &mut Ctx, client_id: &str, session: u64) -> Value {
        let access = cx.ids.access_token();
        let ttl = cx.cfg.token_ttl;
        self.access.insert(
            access.clone(),
            AccessToken {
                session,
                expires_at: cx.now + ttl,
            },
        );
        cx.stats.tokens_issued += 1;
        let mut out = json!({
            "accessToken": access,
            "tokenType": "Bearer",
            "expiresIn": ttl,
        });
        let scoped = self
            .clients
            .get(client_id)
            .is_some_and(|c| c.scopes.iter().any(|s| s == ACCOUNT_ACCESS_SCOPE));
        if cx.cfg.issue_refresh_tokens && scoped {
            let refresh = cx.ids.refresh_token();
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

    // ---------------------------------------------------------------- sessions

    /// The session an access token belongs to, if it is known and not expired.
    pub fn session_of(&self, token: Option<&str>, now: u64) -> Result<u64, ApiError> {
        match token.and_then(|t| self.access.get(t)) {
            Some(t) if now < t.expires_at => Ok(t.session),
            _ => Err(ApiError::unauthorized()),
        }
    }

    /// Ends a session: its access tokens and refresh token stop working.
    pub fn end_session(&mut self, session: u64) {
        self.access.retain(|_, t| t.session != session);
        self.refresh.retain(|_, r| r.session != session);
    }

    /// Every access and refresh token issued so far stops working; clients stay registered.
    pub fn revoke_all_tokens(&mut self) {
        self.access.clear();
        self.refresh.clear();
    }
}
