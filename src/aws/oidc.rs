//! SSO-OIDC client (docs/sso-oidc.md): RegisterClient, StartDeviceAuthorization and
//! CreateToken (device-code, authorization-code and refresh-token grants).
//! Unsigned rest-json.

use crate::aws::http::{
    Body, Http, HttpError, Method, Request, check_credential, check_text, decode, invalid,
};
use crate::secret::Secret;
use serde::Deserialize;
use serde_json::json;

pub(crate) const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
pub(crate) const REFRESH_GRANT: &str = "refresh_token";
pub(crate) const AUTH_CODE_GRANT: &str = "authorization_code";
/// The grant types of a PKCE registration (docs/sso-oidc.md#registerclient), as the CLI sends them.
pub(crate) const AUTH_CODE_GRANT_TYPES: [&str; 2] = [AUTH_CODE_GRANT, REFRESH_GRANT];
/// The redirect URI a PKCE client registers: loopback, **without** a port
/// (the authorize and token calls add it; docs/sso-oidc.md#redirect-uri).
pub(crate) const REGISTERED_REDIRECT_URI: &str = "http://127.0.0.1/oauth/callback";

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RegisterClientResponse {
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    /// Epoch seconds.
    pub(crate) client_secret_expires_at: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DeviceAuthorization {
    pub(crate) device_code: Secret,
    pub(crate) user_code: String,
    pub(crate) verification_uri: String,
    pub(crate) verification_uri_complete: String,
    #[serde(default)]
    pub(crate) expires_in: Option<u64>,
    #[serde(default)]
    pub(crate) interval: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenResponse {
    pub(crate) access_token: Secret,
    /// Seconds.
    pub(crate) expires_in: i64,
    #[serde(default)]
    pub(crate) refresh_token: Option<Secret>,
}

pub(crate) struct Oidc<'a> {
    pub(crate) http: &'a Http,
    pub(crate) base: &'a str,
}

/// Longest user code and verification URL accepted (AWS sends ~9 and ~80 bytes).
const MAX_USER_CODE: usize = 256;
const MAX_URL: usize = 8 * 1024;

impl RegisterClientResponse {
    fn validate(&self) -> Result<(), String> {
        check_credential("clientId", &self.client_id)?;
        check_credential("clientSecret", self.client_secret.expose())
    }
}

impl DeviceAuthorization {
    fn validate(&self) -> Result<(), String> {
        check_credential("deviceCode", self.device_code.expose())?;
        check_text("userCode", &self.user_code, MAX_USER_CODE)?;
        check_text("verificationUri", &self.verification_uri, MAX_URL)?;
        check_text(
            "verificationUriComplete",
            &self.verification_uri_complete,
            MAX_URL,
        )
    }
}

impl TokenResponse {
    fn validate(&self) -> Result<(), String> {
        check_credential("accessToken", self.access_token.expose())?;
        if let Some(rt) = &self.refresh_token {
            check_credential("refreshToken", rt.expose())?;
        }
        Ok(())
    }
}

impl Oidc<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn post(&self, path: &str, body: serde_json::Value) -> Result<String, HttpError> {
        self.http.send(&Request {
            method: Method::Post,
            url: self.url(path),
            query: vec![],
            headers: vec![],
            body: Body::Json(body.to_string()),
            signer: None,
        })
    }

    /// POST, decode the answer as `T` and validate it; a failure names `what` and the URL.
    fn call<T: for<'de> Deserialize<'de>>(
        &self,
        path: &str,
        body: serde_json::Value,
        what: &str,
        validate: fn(&T) -> Result<(), String>,
    ) -> Result<T, HttpError> {
        let url = self.url(path);
        let out: T = decode(&self.post(path, body)?, what, &url)?;
        validate(&out).map_err(|why| invalid(what, &url, why))?;
        Ok(out)
    }

    /// `clientName` is `botocore-client-<session>` (or `-<epoch>` for legacy
    /// profiles) and `scopes` is sent only when configured, as the CLI does (docs/sso-oidc.md#registerclient).
    pub(crate) fn register_client(
        &self,
        client_name: &str,
        scopes: Option<&[String]>,
    ) -> Result<RegisterClientResponse, HttpError> {
        let mut body = json!({"clientName": client_name, "clientType": "public"});
        if let Some(s) = scopes {
            body["scopes"] = json!(s);
        }
        self.call(
            "/client/register",
            body,
            "RegisterClient",
            RegisterClientResponse::validate,
        )
    }

    /// RegisterClient for the authorization-code (PKCE) flow, as the CLI sends
    /// it (docs/sso-oidc.md#registerclient): the two grant types, the loopback
    /// redirect URI without a port, the start URL as `issuerUrl` and `scopes`
    /// (configured, else `sso:account:access`, chosen by the caller).
    pub(crate) fn register_client_auth_code(
        &self,
        client_name: &str,
        scopes: &[String],
        issuer_url: &str,
    ) -> Result<RegisterClientResponse, HttpError> {
        let body = json!({
            "clientName": client_name,
            "clientType": "public",
            "grantTypes": AUTH_CODE_GRANT_TYPES,
            "redirectUris": [REGISTERED_REDIRECT_URI],
            "issuerUrl": issuer_url,
            "scopes": scopes,
        });
        self.call(
            "/client/register",
            body,
            "RegisterClient",
            RegisterClientResponse::validate,
        )
    }

    pub(crate) fn start_device_authorization(
        &self,
        client_id: &str,
        client_secret: &str,
        start_url: &str,
    ) -> Result<DeviceAuthorization, HttpError> {
        let body =
            json!({"clientId": client_id, "clientSecret": client_secret, "startUrl": start_url});
        self.call(
            "/device_authorization",
            body,
            "StartDeviceAuthorization",
            DeviceAuthorization::validate,
        )
    }

    pub(crate) fn create_token_device(
        &self,
        client_id: &str,
        client_secret: &str,
        device_code: &str,
    ) -> Result<TokenResponse, HttpError> {
        let body = json!({"grantType": DEVICE_GRANT, "clientId": client_id, "clientSecret": client_secret, "deviceCode": device_code});
        self.call("/token", body, "CreateToken", TokenResponse::validate)
    }

    /// CreateToken with the authorization code the browser brought back
    /// (docs/sso-oidc.md#createtoken): `redirectUri` is the one of the authorize call, with its port.
    pub(crate) fn create_token_auth_code(
        &self,
        client_id: &str,
        client_secret: &str,
        redirect_uri: &str,
        code_verifier: &str,
        code: &str,
    ) -> Result<TokenResponse, HttpError> {
        let body = json!({"grantType": AUTH_CODE_GRANT, "clientId": client_id, "clientSecret": client_secret, "redirectUri": redirect_uri, "codeVerifier": code_verifier, "code": code});
        self.call("/token", body, "CreateToken", TokenResponse::validate)
    }

    pub(crate) fn create_token_refresh(
        &self,
        client_id: &str,
        client_secret: &str,
        refresh_token: &str,
    ) -> Result<TokenResponse, HttpError> {
        let body = json!({"grantType": REFRESH_GRANT, "clientId": client_id, "clientSecret": client_secret, "refreshToken": refresh_token});
        self.call("/token", body, "CreateToken", TokenResponse::validate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_a_client_secret_token_or_device_code() {
        let reg: RegisterClientResponse = serde_json::from_str(
            r#"{"clientId": "CID", "clientSecret": "CLIENT-SECRET", "clientSecretExpiresAt": 1}"#,
        )
        .unwrap();
        let auth: DeviceAuthorization = serde_json::from_str(
            r#"{"deviceCode": "DEVICE-CODE", "userCode": "ABCD-EFGH", "verificationUri": "u", "verificationUriComplete": "u?c"}"#,
        )
        .unwrap();
        let tok: TokenResponse = serde_json::from_str(
            r#"{"accessToken": "ACCESS-TOKEN", "expiresIn": 28800, "refreshToken": "REFRESH-TOKEN"}"#,
        )
        .unwrap();
        let shown = format!("{reg:?} {auth:?} {tok:?} {reg:#?} {tok:#?}");
        for secret in [
            "CLIENT-SECRET",
            "DEVICE-CODE",
            "ACCESS-TOKEN",
            "REFRESH-TOKEN",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        // What the person must see stays visible.
        assert!(
            shown.contains("CID") && shown.contains("ABCD-EFGH"),
            "{shown}"
        );
    }
}
