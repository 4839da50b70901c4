//! SSO-OIDC client (spec §2): RegisterClient, StartDeviceAuthorization and
//! CreateToken (device-code and refresh-token grants). Unsigned rest-json.

use crate::sso::http::{Http, HttpError, Method, Request, decode};
use serde::Deserialize;
use serde_json::json;

pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
pub const REFRESH_GRANT: &str = "refresh_token";

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisterClientResponse {
    pub client_id: String,
    pub client_secret: String,
    /// Epoch seconds.
    pub client_secret_expires_at: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceAuthorization {
    pub device_code: String,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: String,
    #[serde(default)]
    pub expires_in: Option<u64>,
    #[serde(default)]
    pub interval: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenResponse {
    pub access_token: String,
    /// Seconds.
    pub expires_in: i64,
    #[serde(default)]
    pub refresh_token: Option<String>,
}

pub struct Oidc<'a> {
    pub http: &'a Http,
    pub base: &'a str,
}

impl Oidc<'_> {
    fn post(&self, path: &str, body: serde_json::Value) -> Result<String, HttpError> {
        self.http.send(&Request {
            method: Method::Post,
            url: format!("{}{}", self.base, path),
            query: vec![],
            headers: vec![],
            body: Some(body.to_string()),
        })
    }

    /// `clientName` is `botocore-client-<session>` (or `-<epoch>` for legacy
    /// profiles) and `scopes` is sent only when configured, as the CLI does (§2.1).
    pub fn register_client(
        &self,
        client_name: &str,
        scopes: Option<&[String]>,
    ) -> Result<RegisterClientResponse, HttpError> {
        let mut body = json!({"clientName": client_name, "clientType": "public"});
        if let Some(s) = scopes {
            body["scopes"] = json!(s);
        }
        decode(&self.post("/client/register", body)?, "RegisterClient")
    }

    pub fn start_device_authorization(
        &self,
        client_id: &str,
        client_secret: &str,
        start_url: &str,
    ) -> Result<DeviceAuthorization, HttpError> {
        let body =
            json!({"clientId": client_id, "clientSecret": client_secret, "startUrl": start_url});
        decode(
            &self.post("/device_authorization", body)?,
            "StartDeviceAuthorization",
        )
    }

    pub fn create_token_device(
        &self,
        client_id: &str,
        client_secret: &str,
        device_code: &str,
    ) -> Result<TokenResponse, HttpError> {
        let body = json!({"grantType": DEVICE_GRANT, "clientId": client_id, "clientSecret": client_secret, "deviceCode": device_code});
        decode(&self.post("/token", body)?, "CreateToken")
    }

    pub fn create_token_refresh(
        &self,
        client_id: &str,
        client_secret: &str,
        refresh_token: &str,
    ) -> Result<TokenResponse, HttpError> {
        let body = json!({"grantType": REFRESH_GRANT, "clientId": client_id, "clientSecret": client_secret, "refreshToken": refresh_token});
        decode(&self.post("/token", body)?, "CreateToken")
    }
}
