//! The SSO portal (docs/portal.md): accounts, roles and role credentials of the fixture,
//! for a bearer token SSO-OIDC issued; and logout, which ends that token's session.

use crate::EmulatorConfig;
use crate::api::{ApiError, OpResult, Query};
use crate::oidc::Oidc;
use crate::state::{Ctx, Issued, IssuedCredentials};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The session name of the emulated user in the ARNs of its sessions.
pub(crate) const SSO_USER: &str = "emulator-user";

#[derive(PartialEq, Eq)]
enum PageOf {
    Accounts,
    Roles(String),
}

struct Page {
    of: PageOf,
    offset: usize,
}

/// The state of the portal: where each page handed out continues (the role
/// credentials issued are in the shared [`Issued`] registry).
#[derive(Default)]
pub(crate) struct Portal {
    pages: HashMap<String, Page>,
}

impl Portal {
    /// `GET /federation/credentials` (docs/portal.md#getrolecredentials).
    pub fn get_role_credentials(
        &mut self,
        cx: &mut Ctx,
        oidc: &Oidc,
        issued: &mut Issued,
        token: Option<&str>,
        q: &Query,
    ) -> OpResult {
        let role = q.get("role_name");
        let account = q.get("account_id");
        let (Some(role), Some(account)) = (role, account) else {
            return Err(ApiError::invalid_request(
                "role_name and account_id are required",
            ));
        };
        oidc.session_of(token, cx.now)?;
        let Some(acct) = cx.cfg.fixture.account(account) else {
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
        cx.stats.credentials_issued += 1;
        let access_key_id = cx.ids.access_key_id();
        let expires = cx.now.saturating_add(cx.cfg.role_ttl);
        let secret = cx.ids.secret_access_key();
        let session_token = cx.ids.session_token();
        // IAM Identity Center sessions are sessions of an AWSReservedSSO_ role.
        let suffix = cx.ids.chars_from(16, b"0123456789abcdef");
        issued.insert(
            access_key_id.clone(),
            IssuedCredentials {
                secret_access_key: secret.clone(),
                session_token: session_token.clone(),
                expires_at: expires,
                chained: false,
                arn: format!(
                    "arn:aws:sts::{account}:assumed-role/AWSReservedSSO_{role}_{suffix}/{SSO_USER}"
                ),
            },
        );
        Ok(json!({
            "roleCredentials": {
                "accessKeyId": access_key_id,
                "secretAccessKey": secret,
                "sessionToken": session_token,
                "expiration": expires.saturating_mul(1000),
            }
        }))
    }

    fn page_params(
        &self,
        cfg: &EmulatorConfig,
        q: &Query,
        of: &PageOf,
    ) -> Result<(usize, usize), ApiError> {
        let size = match q.get("max_result") {
            None => cfg.page_size.clamp(1, 100) as usize,
            Some(m) => match m.parse::<u32>() {
                Ok(n) if (1..=100).contains(&n) => n as usize,
                _ => {
                    return Err(ApiError::invalid_request(format!(
                        "max_result must be an integer from 1 to 100, not {m}"
                    )));
                }
            },
        };
        let size = size.min(cfg.max_page_size.max(1) as usize);
        let offset = match q.get("next_token") {
            None => 0,
            Some(t) => match self.pages.get(t) {
                Some(p) if &p.of == of => p.offset,
                _ => return Err(ApiError::invalid_request("Invalid next token")),
            },
        };
        Ok((offset, size))
    }

    fn next_token(&mut self, cx: &mut Ctx, of: PageOf, end: usize, total: usize) -> Option<String> {
        if end >= total {
            return None;
        }
        let t = cx.ids.next_token();
        self.pages.insert(t.clone(), Page { of, offset: end });
        Some(t)
    }

    /// `GET /assignment/accounts` (docs/portal.md#listaccounts), paginated.
    pub fn list_accounts(
        &mut self,
        cx: &mut Ctx,
        oidc: &Oidc,
        token: Option<&str>,
        q: &Query,
    ) -> OpResult {
        let (offset, size) = self.page_params(cx.cfg, q, &PageOf::Accounts)?;
        oidc.session_of(token, cx.now)?;
        let all = &cx.cfg.fixture.accounts;
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
        if let Some(t) = self.next_token(cx, PageOf::Accounts, end, total) {
            out["nextToken"] = json!(t);
        }
        Ok(out)
    }

    /// `GET /assignment/roles` (docs/portal.md#listaccountroles), paginated.
    pub fn list_account_roles(
        &mut self,
        cx: &mut Ctx,
        oidc: &Oidc,
        token: Option<&str>,
        q: &Query,
    ) -> OpResult {
        let Some(account) = q.get("account_id").map(str::to_string) else {
            return Err(ApiError::invalid_request("account_id is required"));
        };
        let of = PageOf::Roles(account.clone());
        let (offset, size) = self.page_params(cx.cfg, q, &of)?;
        oidc.session_of(token, cx.now)?;
        let Some(acct) = cx.cfg.fixture.account(&account) else {
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
        if let Some(t) = self.next_token(cx, of, end, total) {
            out["nextToken"] = json!(t);
        }
        Ok(out)
    }

    /// `POST /logout` (docs/portal.md#logout): ends the token's session, so its access tokens and
    /// refresh token stop working.
    pub fn logout(
        &mut self,
        cx: &mut Ctx,
        oidc: &mut Oidc,
        token: Option<&str>,
    ) -> Result<(), ApiError> {
        let session = oidc.session_of(token, cx.now)?;
        oidc.end_session(session);
        cx.stats.logouts += 1;
        Ok(())
    }
}
