//! SSO portal client (docs/portal.md): GetRoleCredentials, ListAccounts,
//! ListAccountRoles and Logout, authenticated by `x-amz-sso_bearer_token`.

use crate::aws::http::{Body, Http, HttpError, Method, Request, check_credential, decode, invalid};
use crate::secret::Secret;
use serde::Deserialize;

pub(crate) const BEARER_HEADER: &str = "x-amz-sso_bearer_token";

/// The largest page ListAccounts and ListAccountRoles allow (docs/portal.md#pagination).
const MAX_RESULT: &str = "100";
/// A listing longer than this many pages (a million items) is a server
/// that never stops, not an organisation.
const MAX_PAGES: usize = 10_000;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RoleCredentials {
    pub(crate) access_key_id: String,
    pub(crate) secret_access_key: Secret,
    pub(crate) session_token: Secret,
    /// Epoch milliseconds (docs/portal.md#getrolecredentials).
    pub(crate) expiration: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Account {
    pub(crate) account_id: String,
    #[serde(default)]
    pub(crate) account_name: Option<String>,
    #[serde(default)]
    pub(crate) email_address: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Role {
    pub(crate) role_name: String,
    /// Not read, but required: an answer without it is malformed.
    #[allow(dead_code)]
    account_id: String,
}

pub(crate) struct Portal<'a> {
    pub(crate) http: &'a Http,
    pub(crate) base: &'a str,
}

impl Portal<'_> {
    fn get(&self, path: &str, token: &str, query: Vec<(&str, &str)>) -> Result<String, HttpError> {
        self.http.send(&Request {
            method: Method::Get,
            url: format!("{}{}", self.base, path),
            query,
            headers: vec![(BEARER_HEADER, token)],
            body: Body::Empty,
            signer: None,
        })
    }

    pub(crate) fn get_role_credentials(
        &self,
        token: &str,
        account_id: &str,
        role_name: &str,
    ) -> Result<RoleCredentials, HttpError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Out {
            role_credentials: RoleCredentials,
        }
        const WHAT: &str = "GetRoleCredentials";
        let url = format!("{}/federation/credentials", self.base);
        let body = self.get(
            "/federation/credentials",
            token,
            vec![("role_name", role_name), ("account_id", account_id)],
        )?;
        let rc = decode::<Out>(&body, WHAT, &url)?.role_credentials;
        check_credential("accessKeyId", &rc.access_key_id)
            .and_then(|_| check_credential("secretAccessKey", rc.secret_access_key.expose()))
            .and_then(|_| check_credential("sessionToken", rc.session_token.expose()))
            .map_err(|why| invalid(WHAT, &url, why))?;
        Ok(rc)
    }

    /// ListAccounts page by page: `each` gets every page as it arrives, so a
    /// caller can start on the first accounts while the rest are listed.
    pub(crate) fn list_accounts_each(
        &self,
        token: &str,
        each: impl FnMut(Vec<Account>),
    ) -> Result<(), HttpError> {
        self.paginate_each(
            "/assignment/accounts",
            token,
            vec![],
            "accountList",
            "ListAccounts",
            each,
        )
    }

    pub(crate) fn list_account_roles(
        &self,
        token: &str,
        account_id: &str,
    ) -> Result<Vec<Role>, HttpError> {
        let mut all = Vec::new();
        self.paginate_each(
            "/assignment/roles",
            token,
            vec![("account_id", account_id)],
            "roleList",
            "ListAccountRoles",
            |page| all.extend(page),
        )?;
        Ok(all)
    }

    /// Follow `nextToken` until it is absent (docs/portal.md#pagination), asking for the
    /// largest page the model allows (`max_result` 100), and hand each page
    /// of `list_key` to `each`. A `nextToken` seen twice is an invalid answer,
    /// not an endless loop.
    fn paginate_each<T: for<'de> Deserialize<'de>>(
        &self,
        path: &str,
        token: &str,
        query: Vec<(&str, &str)>,
        list_key: &str,
        what: &str,
        mut each: impl FnMut(Vec<T>),
    ) -> Result<(), HttpError> {
        let mut next: Option<String> = None;
        let mut seen = std::collections::HashSet::new();
        loop {
            let mut q = query.clone();
            q.push(("max_result", MAX_RESULT));
            if let Some(n) = &next {
                q.push(("next_token", n.as_str()));
            }
            let url = format!("{}{}", self.base, path);
            let mut page: serde_json::Value = decode(&self.get(path, token, q)?, what, &url)?;
            if let Some(items) = page.get_mut(list_key).map(serde_json::Value::take)
                && !items.is_null()
            {
                let items: Vec<T> =
                    serde_json::from_value(items).map_err(|e| invalid(what, &url, e))?;
                each(items);
            }
            match page.get("nextToken").and_then(|v| v.as_str()) {
                Some(n) if !n.is_empty() => {
                    if seen.len() >= MAX_PAGES {
                        return Err(invalid(what, &url, format!("more than {MAX_PAGES} pages")));
                    }
                    if !seen.insert(n.to_owned()) {
                        return Err(invalid(what, &url, "the same nextToken came back twice"));
                    }
                    next = Some(n.to_owned());
                }
                _ => return Ok(()),
            }
        }
    }

    pub(crate) fn logout(&self, token: &str) -> Result<(), HttpError> {
        self.http
            .send(&Request {
                method: Method::Post,
                url: format!("{}/logout", self.base),
                query: vec![],
                headers: vec![(BEARER_HEADER, token)],
                body: Body::Empty,
                signer: None,
            })
            .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_role_credentials_shows_the_key_id_only() {
        let rc: RoleCredentials = serde_json::from_str(
            r#"{"accessKeyId": "ASIAEXAMPLE", "secretAccessKey": "SECRET-KEY", "sessionToken": "SESSION-TOKEN", "expiration": 1}"#,
        )
        .unwrap();
        let shown = format!("{rc:?}");
        assert!(shown.contains("ASIAEXAMPLE"), "{shown}");
        assert!(
            !shown.contains("SECRET-KEY") && !shown.contains("SESSION-TOKEN"),
            "{shown}"
        );
    }
}
