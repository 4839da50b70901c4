//! SSO-OIDC (docs/sso-oidc.md): client registrations, device authorizations, the authorize
//! page of the PKCE flow with its authorization codes (docs/sso-oidc.md#authorization-code-with-pkce),
//! and the sessions with their access and refresh tokens. The portal asks it whose a
//! bearer token is.

use crate::api::{
    ApiError, OpResult, Query, object, optional_str, optional_str_list, required_str,
};
use crate::state::Ctx;
use serde_json::{Value, json};
use std::collections::HashMap;

/// The scope for which real Identity Center issues refresh tokens (docs/sso-oidc.md#scopes-and-refresh-tokens).
pub const ACCOUNT_ACCESS_SCOPE: &str = "sso:account:access";
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
pub const REFRESH_TOKEN_GRANT: &str = "refresh_token";
pub const AUTHORIZATION_CODE_GRANT: &str = "authorization_code";
/// How long an authorization code can be exchanged, in seconds (RFC 6749 §4.1.2
/// recommends at most 10 minutes).
pub const AUTH_CODE_TTL: u64 = 300;

struct Client {
    secret: String,
    scopes: Vec<String>,
    secret_expires_at: u64,
    grant_types: Vec<String>,
    redirect_uris: Vec<String>,
}

/// An authorization code the authorize page handed out.
struct AuthCode {
    client_id: String,
    redirect_uri: String,
    challenge: String,
    expires_at: u64,
    used: bool,
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
    codes: HashMap<String, AuthCode>,
    next_session: u64,
}

/// Percent-encoding for a redirect's query: all but `A-Za-z0-9-._~`.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `http://127.0.0.1:<port>/oauth/callback` with a port from 1 to 65535 (the only
/// redirect the authorize page follows); without the port (the form the CLI
/// registers) when `port` is false.
fn is_loopback_callback(uri: &str, port: bool) -> bool {
    let Some(rest) = uri.strip_prefix("http://127.0.0.1") else {
        return false;
    };
    if !port {
        return rest == "/oauth/callback";
    }
    let Some((p, path)) = rest.strip_prefix(':').and_then(|r| r.split_once('/')) else {
        return false;
    };
    path == "oauth/callback"
        && !p.is_empty()
        && p.len() <= 5
        && p.bytes().all(|b| b.is_ascii_digit())
        && p.parse::<u16>().is_ok_and(|n| n > 0)
}

/// `base64url(sha256(verifier))` without padding (RFC 7636 S256).
fn s256(verifier: &str) -> String {
    use sha2::{Digest, Sha256};
    crate::ids::base64(&Sha256::digest(verifier.as_bytes()), crate::ids::B64_URL)
}

/// RFC 7636 §4.1: 43 to 128 characters of `A-Za-z0-9-._~`.
fn valid_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

impl Oidc {
    pub fn new(base_url: String) -> Oidc {
        Oidc {
            base_url,
            clients: HashMap::new(),
            devices: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            codes: HashMap::new(),
            next_session: 1,
        }
    }

    /// `POST /client/register` (docs/sso-oidc.md#registerclient).
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
        let grant_types = optional_str_list(body, "grantTypes")?;
        let redirect_uris = optional_str_list(body, "redirectUris")?;
        let issuer = optional_str(body, "issuerUrl")?;
        let metadata = |message: String| {
            ApiError::new(
                400,
                "InvalidClientMetadata",
                "invalid_client_metadata",
                message,
            )
        };
        if let Some(g) = grant_types.iter().find(|g| {
            ![
                AUTHORIZATION_CODE_GRANT,
                REFRESH_TOKEN_GRANT,
                DEVICE_CODE_GRANT,
            ]
            .contains(&g.as_str())
        }) {
            return Err(metadata(format!("Invalid grant type: {g}")));
        }
        if grant_types.iter().any(|g| g == AUTHORIZATION_CODE_GRANT) {
            if redirect_uris.is_empty() {
                return Err(metadata(
                    "redirectUris is required for the authorization_code grant".to_string(),
                ));
            }
            if issuer.is_none_or(|i| !i.starts_with("https://") && !i.starts_with("http://")) {
                return Err(ApiError::invalid_request(
                    "issuerUrl is required for the authorization_code grant",
                ));
            }
        }
        if let Some(bad) = redirect_uris
            .iter()
            .find(|u| !(u.starts_with("https://") || u.starts_with("http://127.0.0.1")))
        {
            return Err(ApiError::new(
                400,
                "InvalidRedirectUri",
                "invalid_redirect_uri",
                format!(
                    "Invalid redirect URI: {bad}; only https:// and loopback http:// URIs are allowed"
                ),
            ));
        }
        let id = cx.ids.client_id();
        let secret = cx.ids.client_secret();
        let expires = cx.now + cx.cfg.registration_ttl;
        self.clients.insert(
            id.clone(),
            Client {
                secret: secret.clone(),
                scopes,
                secret_expires_at: expires,
                grant_types,
                redirect_uris,
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

    /// `POST /device_authorization` (docs/sso-oidc.md#startdeviceauthorization).
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

    /// `GET /authorize` (docs/sso-oidc.md#authorize-url): the user signs in and
    /// approves at once. `Ok` is where to redirect the browser: the callback with
    /// `code` and `state`, or with `error=…` (a bad request, or `deny`). `Err` is a
    /// request that must not be redirected anywhere: an unknown client, one not
    /// registered for the authorization_code grant, or a redirect_uri other than
    /// `http://127.0.0.1:<port>/oauth/callback` among its registered ones.
    pub fn authorize(&mut self, cx: &mut Ctx, query: &Query) -> Result<String, ApiError> {
        let client_id = query
            .get("client_id")
            .ok_or_else(|| ApiError::invalid_request("Missing required parameter: client_id"))?;
        let Some(client) = self.clients.get(client_id) else {
            return Err(ApiError::invalid_client("Invalid client provided"));
        };
        if cx.now >= client.secret_expires_at {
            return Err(ApiError::invalid_client("Client secret has expired"));
        }
        if !client
            .grant_types
            .iter()
            .any(|g| g == AUTHORIZATION_CODE_GRANT)
        {
            return Err(ApiError::new(
                400,
                "UnauthorizedClient",
                "unauthorized_client",
                "The client is not registered for the authorization_code grant",
            ));
        }
        let redirect_uri = query.get("redirect_uri").unwrap_or_default();
        // RFC 8252 §7.3: the loopback port is the client's choice; the rest must match.
        let registered = client
            .redirect_uris
            .iter()
            .any(|u| is_loopback_callback(u, false) || is_loopback_callback(u, true));
        if !is_loopback_callback(redirect_uri, true) || !registered {
            return Err(ApiError::new(
                400,
                "InvalidRedirectUri",
                "invalid_redirect_uri",
                format!("Invalid redirect URI: {redirect_uri}"),
            ));
        }
        let state = query.get("state");
        let back = |params: Vec<(&str, &str)>| {
            let mut q: Vec<String> = params
                .into_iter()
                .map(|(k, v)| format!("{k}={}", encode(v)))
                .collect();
            if let Some(s) = state {
                q.push(format!("state={}", encode(s)));
            }
            format!("{redirect_uri}?{}", q.join("&"))
        };
        if query.get("response_type") != Some("code") {
            return Ok(back(vec![
                ("error", "unsupported_response_type"),
                ("error_description", "response_type must be code"),
            ]));
        }
        let challenge = query.get("code_challenge").unwrap_or_default();
        let challenge_ok = challenge.len() == 43
            && challenge
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if query.get("code_challenge_method") != Some("S256") || !challenge_ok {
            return Ok(back(vec![
                ("error", "invalid_request"),
                (
                    "error_description",
                    "PKCE is required: code_challenge_method=S256 and a 43-character code_challenge",
                ),
            ]));
        }
        if let Some(scopes) = query.get("scopes")
            && let Some(bad) = scopes
                .split(' ')
                .find(|s| !s.is_empty() && !client.scopes.iter().any(|c| c == s))
        {
            let why = format!("The client was not registered for scope {bad}");
            return Ok(back(vec![
                ("error", "invalid_scope"),
                ("error_description", &why),
            ]));
        }
        if cx.cfg.deny {
            return Ok(back(vec![
                ("error", "access_denied"),
                (
                    "error_description",
                    "The user denied the authorization request",
                ),
            ]));
        }
        let code = cx.ids.auth_code();
        self.codes.insert(
            code.clone(),
            AuthCode {
                client_id: client_id.to_string(),
                redirect_uri: redirect_uri.to_string(),
                challenge: challenge.to_string(),
                expires_at: cx.now + AUTH_CODE_TTL,
                used: false,
            },
        );
        Ok(back(vec![("code", &code)]))
    }

    /// `POST /token` (docs/sso-oidc.md#createtoken): the device_code, authorization_code and
    /// refresh_token grants.
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
            AUTHORIZATION_CODE_GRANT => {
                let code = required_str(body, "code")?;
                let redirect_uri = required_str(body, "redirectUri")?;
                let verifier = required_str(body, "codeVerifier")?;
                let Some(c) = self.codes.get_mut(code) else {
                    return Err(ApiError::invalid_grant(
                        "Invalid authorization code provided",
                    ));
                };
                if c.used {
                    return Err(ApiError::invalid_grant(
                        "Authorization code has already been used",
                    ));
                }
                // One attempt per code, right or wrong: a verifier cannot be guessed at.
                c.used = true;
                if c.client_id != client_id {
                    return Err(ApiError::invalid_grant(
                        "Authorization code was issued to another client",
                    ));
                }
                if cx.now >= c.expires_at {
                    return Err(ApiError::invalid_grant("Authorization code has expired"));
                }
                if c.redirect_uri != redirect_uri {
                    return Err(ApiError::invalid_grant(
                        "redirectUri does not match the authorization request",
                    ));
                }
                if !valid_verifier(verifier) {
                    return Err(ApiError::invalid_request(
                        "codeVerifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~",
                    ));
                }
                if s256(verifier) != c.challenge {
                    return Err(ApiError::invalid_grant(
                        "Code verifier does not match the code challenge",
                    ));
                }
                let session = self.next_session;
                self.next_session += 1;
                Ok(self.issue_tokens(cx, &client_id, session))
            }
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
