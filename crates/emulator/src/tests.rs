//! The emulator over real HTTP: `Emulator::start` on port 0, ureq as the client.

use super::*;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn error_code(&self) -> String {
        self.json()["error"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
    fn error_type(&self) -> &str {
        self.header("x-amzn-ErrorType").unwrap_or("")
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

fn collect(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Resp {
    let mut r = r.expect("HTTP request failed");
    let status = r.status().as_u16();
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let body = r.body_mut().read_to_string().expect("read body");
    Resp {
        status,
        headers,
        body,
    }
}

fn post_raw(emu: &Emulator, path: &str, body: &str) -> Resp {
    collect(
        agent()
            .post(format!("{}{path}", emu.url()))
            .header("Content-Type", "application/json")
            .send(body),
    )
}

fn post(emu: &Emulator, path: &str, body: &Value) -> Resp {
    post_raw(emu, path, &body.to_string())
}

fn get(emu: &Emulator, path_and_query: &str, token: Option<&str>) -> Resp {
    let mut rq = agent().get(format!("{}{path_and_query}", emu.url()));
    if let Some(t) = token {
        rq = rq.header("x-amz-sso_bearer_token", t);
    }
    collect(rq.call())
}

fn logout(emu: &Emulator, token: Option<&str>) -> Resp {
    let mut rq = agent().post(format!("{}/logout", emu.url()));
    if let Some(t) = token {
        rq = rq.header("x-amz-sso_bearer_token", t);
    }
    collect(rq.send_empty())
}

fn start() -> Emulator {
    Emulator::start(EmulatorConfig::default()).expect("start emulator")
}

struct Client {
    id: String,
    secret: String,
}

fn register(emu: &Emulator, scopes: Option<&[&str]>) -> Client {
    let mut body = json!({"clientName": "botocore-client-test", "clientType": "public"});
    if let Some(s) = scopes {
        body["scopes"] = json!(s);
    }
    let r = post(emu, "/client/register", &body);
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    Client {
        id: v["clientId"].as_str().unwrap().to_string(),
        secret: v["clientSecret"].as_str().unwrap().to_string(),
    }
}

fn start_device(emu: &Emulator, c: &Client) -> Value {
    let r = post(
        emu,
        "/device_authorization",
        &json!({"clientId": c.id, "clientSecret": c.secret, "startUrl": "https://d-1234567890.awsapps.com/start"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

fn device_token(emu: &Emulator, c: &Client, device_code: &str) -> Resp {
    post(
        emu,
        "/token",
        &json!({"grantType": DEVICE_CODE_GRANT, "clientId": c.id, "clientSecret": c.secret, "deviceCode": device_code}),
    )
}

fn refresh(emu: &Emulator, c: &Client, refresh_token: &str) -> Resp {
    post(
        emu,
        "/token",
        &json!({"grantType": "refresh_token", "clientId": c.id, "clientSecret": c.secret, "refreshToken": refresh_token}),
    )
}

/// Register, start and poll until a token comes back; returns (client, token response).
fn login(emu: &Emulator, scopes: Option<&[&str]>) -> (Client, Value) {
    let c = register(emu, scopes);
    let dev = start_device(emu, &c);
    let code = dev["deviceCode"].as_str().unwrap();
    for _ in 0..10 {
        let r = device_token(emu, &c, code);
        if r.status == 200 {
            return (c, r.json());
        }
        assert_eq!(r.error_code(), "authorization_pending", "{}", r.body);
    }
    panic!("device code never approved");
}

fn access_token(v: &Value) -> String {
    v["accessToken"].as_str().unwrap().to_string()
}

const SCOPED: Option<&[&str]> = Some(&[ACCOUNT_ACCESS_SCOPE]);

fn now_secs() -> u64 {
    server::now()
}

// ------------------------------------------------------------------ device flow

#[test]
fn the_device_flow_registers_starts_is_pending_once_then_issues_a_token() {
    let emu = start();
    let r = post(
        &emu,
        "/client/register",
        &json!({"clientName": "botocore-client-my-sso", "clientType": "public"}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(r.header("x-amzn-RequestId").is_some_and(|v| v.len() == 36));
    let reg = r.json();
    let issued = reg["clientIdIssuedAt"].as_u64().unwrap();
    assert!(issued.abs_diff(now_secs()) < 5);
    assert_eq!(
        reg["clientSecretExpiresAt"].as_u64().unwrap(),
        issued + 90 * 24 * 3600
    );
    let c = Client {
        id: reg["clientId"].as_str().unwrap().into(),
        secret: reg["clientSecret"].as_str().unwrap().into(),
    };

    let dev = start_device(&emu, &c);
    let user_code = dev["userCode"].as_str().unwrap();
    assert_eq!(user_code.len(), 9);
    assert_eq!(&user_code[4..5], "-");
    assert_eq!(
        dev["verificationUri"],
        json!(format!("{}/start/#/device", emu.url()))
    );
    assert_eq!(
        dev["verificationUriComplete"],
        json!(format!(
            "{}/start/#/device?user_code={user_code}",
            emu.url()
        ))
    );
    assert_eq!(dev["expiresIn"], json!(600));
    assert_eq!(dev["interval"], json!(1));
    let code = dev["deviceCode"].as_str().unwrap();

    let pending = device_token(&emu, &c, code);
    assert_eq!(pending.status, 400);
    assert_eq!(
        pending.error_type(),
        "AuthorizationPendingException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/"
    );
    assert_eq!(pending.json()["error"], "authorization_pending");
    assert!(pending.json()["error_description"].is_string());

    let ok = device_token(&emu, &c, code);
    assert_eq!(ok.status, 200, "{}", ok.body);
    let tok = ok.json();
    assert!(access_token(&tok).starts_with("aoa"));
    assert_eq!(tok["tokenType"], "Bearer");
    assert_eq!(tok["expiresIn"], json!(28800));
    assert!(
        tok.get("refreshToken").is_none(),
        "no refresh token without the sso:account:access scope"
    );

    // A device code works once.
    let again = device_token(&emu, &c, code);
    assert_eq!(again.status, 400);
    assert_eq!(again.error_code(), "invalid_grant");

    let s = emu.stats();
    assert_eq!(s.register_client, 1);
    assert_eq!(s.start_device_authorization, 1);
    assert_eq!(s.create_token, 3);
    assert_eq!(s.create_token_device_code, 3);
    assert_eq!(s.create_token_refresh_token, 0);
    assert_eq!(s.tokens_issued, 1);
}

#[test]
fn approve_after_polls_sets_how_many_polls_stay_pending() {
    let emu = Emulator::start(EmulatorConfig {
        approve_after_polls: 0,
        interval: 0,
        ..Default::default()
    })
    .unwrap();
    let c = register(&emu, None);
    let dev = start_device(&emu, &c);
    assert_eq!(dev["interval"], json!(0));
    assert_eq!(
        device_token(&emu, &c, dev["deviceCode"].as_str().unwrap()).status,
        200
    );

    emu.set_approve_after_polls(3);
    let dev = start_device(&emu, &c);
    let code = dev["deviceCode"].as_str().unwrap();
    for _ in 0..3 {
        assert_eq!(
            device_token(&emu, &c, code).error_code(),
            "authorization_pending"
        );
    }
    assert_eq!(device_token(&emu, &c, code).status, 200);
}

#[test]
fn a_denying_user_gives_access_denied_and_expired_codes_give_expired_token() {
    let emu = start();
    let c = register(&emu, None);
    emu.set_deny(true);
    let code = start_device(&emu, &c)["deviceCode"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        device_token(&emu, &c, &code).error_code(),
        "authorization_pending"
    );
    let denied = device_token(&emu, &c, &code);
    assert_eq!(denied.status, 400);
    assert_eq!(denied.error_code(), "access_denied");
    assert!(denied.error_type().starts_with("AccessDeniedException:"));

    emu.set_deny(false);
    emu.set_expire_device_codes(true);
    let code = start_device(&emu, &c)["deviceCode"]
        .as_str()
        .unwrap()
        .to_string();
    let expired = device_token(&emu, &c, &code);
    assert_eq!(expired.status, 400);
    assert_eq!(expired.error_code(), "expired_token");
    assert!(expired.error_type().starts_with("ExpiredTokenException:"));
}

#[test]
fn a_device_code_past_its_ttl_is_expired() {
    let emu = Emulator::start(EmulatorConfig {
        device_code_ttl: 0,
        ..Default::default()
    })
    .unwrap();
    let c = register(&emu, None);
    let code = start_device(&emu, &c)["deviceCode"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(device_token(&emu, &c, &code).error_code(), "expired_token");
}

#[test]
fn bad_client_credentials_are_invalid_client_401() {
    let emu = start();
    let c = register(&emu, None);
    let r = post(
        &emu,
        "/device_authorization",
        &json!({"clientId": c.id, "clientSecret": "wrong", "startUrl": "https://x.awsapps.com/start"}),
    );
    assert_eq!(r.status, 401);
    assert_eq!(r.error_code(), "invalid_client");
    assert_eq!(
        r.error_type(),
        "InvalidClientException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/"
    );
    let r = device_token(
        &emu,
        &Client {
            id: "nope".into(),
            secret: c.secret.clone(),
        },
        "x",
    );
    assert_eq!(r.status, 401);

    // A registration past its expiry no longer works.
    let emu = Emulator::start(EmulatorConfig {
        registration_ttl: 0,
        ..Default::default()
    })
    .unwrap();
    let c = register(&emu, None);
    let r = post(
        &emu,
        "/device_authorization",
        &json!({"clientId": c.id, "clientSecret": c.secret, "startUrl": "https://x.awsapps.com/start"}),
    );
    assert_eq!(r.status, 401);
}

// ------------------------------------------------------------------ refresh

#[test]
fn refresh_tokens_rotate_and_a_used_one_is_invalid_grant() {
    let emu = start();
    let (c, tok) = login(&emu, SCOPED);
    let r1 = tok["refreshToken"]
        .as_str()
        .expect("scoped client gets a refresh token");
    assert!(r1.starts_with("aor"));

    let first = refresh(&emu, &c, r1);
    assert_eq!(first.status, 200, "{}", first.body);
    let first = first.json();
    let r2 = first["refreshToken"].as_str().unwrap();
    assert_ne!(r1, r2);
    assert_ne!(access_token(&first), access_token(&tok));
    assert_eq!(first["expiresIn"], json!(28800));

    let reused = refresh(&emu, &c, r1);
    assert_eq!(reused.status, 400);
    assert_eq!(reused.error_code(), "invalid_grant");
    assert!(reused.error_type().starts_with("InvalidGrantException:"));

    let second = refresh(&emu, &c, r2);
    assert_eq!(second.status, 200);
    assert_eq!(
        get(
            &emu,
            "/assignment/accounts",
            Some(&access_token(&second.json()))
        )
        .status,
        200
    );

    assert_eq!(
        refresh(&emu, &c, "aorUnknown").error_code(),
        "invalid_grant"
    );
    // Another client cannot use it.
    let other = register(&emu, SCOPED);
    let r3 = second.json()["refreshToken"].as_str().unwrap().to_string();
    assert_eq!(refresh(&emu, &other, &r3).error_code(), "invalid_grant");

    let s = emu.stats();
    assert_eq!(s.create_token_refresh_token, 5);
    assert_eq!(s.create_token_device_code, 2);
}

#[test]
fn refresh_tokens_are_only_issued_for_account_access_scope_and_can_be_turned_off() {
    let emu = start();
    let (_, tok) = login(&emu, Some(&["openid"]));
    assert!(tok.get("refreshToken").is_none());
    let emu = Emulator::start(EmulatorConfig {
        issue_refresh_tokens: false,
        ..Default::default()
    })
    .unwrap();
    let (_, tok) = login(&emu, SCOPED);
    assert!(tok.get("refreshToken").is_none());
}

#[test]
fn unsupported_grants_are_rejected() {
    let emu = start();
    let c = register(&emu, None);
    for grant in ["password", "implicit"] {
        let r = post(
            &emu,
            "/token",
            &json!({"grantType": grant, "clientId": c.id, "clientSecret": c.secret}),
        );
        assert_eq!(r.status, 400);
        assert_eq!(r.error_code(), "unsupported_grant_type");
    }
    // authorization_code is supported (PKCE), and wants its code.
    let r = post(
        &emu,
        "/token",
        &json!({"grantType": "authorization_code", "clientId": c.id, "clientSecret": c.secret}),
    );
    assert_eq!(r.error_code(), "invalid_request");
}

// ------------------------------------------------------------------ portal

#[test]
fn role_credentials_need_a_valid_token_and_an_assigned_role() {
    let emu = start();
    let (_, tok) = login(&emu, None);
    let t = access_token(&tok);
    let path = "/federation/credentials?role_name=ReadOnly&account_id=111111111111";

    let r = get(&emu, path, Some(&t));
    assert_eq!(r.status, 200, "{}", r.body);
    let rc = &r.json()["roleCredentials"];
    let key = rc["accessKeyId"].as_str().unwrap();
    assert!(key.starts_with("ASIA") && key.len() == 20);
    assert!(
        key[4..]
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    );
    assert_eq!(rc["secretAccessKey"].as_str().unwrap().len(), 40);
    assert!(rc["sessionToken"].as_str().unwrap().len() > 100);
    let exp = rc["expiration"].as_u64().unwrap();
    let want = (now_secs() + 3600) * 1000;
    assert!(exp.abs_diff(want) < 5000, "expiration is epoch ms");
    // The registry STS verifies signatures against.
    let issued = emu.issued_credentials(key).unwrap();
    assert_eq!(
        issued.secret_access_key,
        rc["secretAccessKey"].as_str().unwrap()
    );
    assert_eq!(issued.session_token, rc["sessionToken"].as_str().unwrap());
    assert_eq!(issued.expires_at * 1000, exp);
    assert!(!issued.chained);
    assert!(
        issued
            .arn
            .starts_with("arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_ReadOnly_"),
        "{}",
        issued.arn
    );
    assert_eq!(emu.credentials_valid(key), Some(true));
    assert_eq!(emu.issued_credentials("ASIANOTISSUED"), None);

    for token in [None, Some("aoaNotAToken")] {
        let r = get(&emu, path, token);
        assert_eq!(r.status, 401);
        assert_eq!(r.error_type(), "UnauthorizedException");
        assert_eq!(
            r.json(),
            json!({"message": "Session token not found or invalid"})
        );
    }

    let r = get(
        &emu,
        "/federation/credentials?role_name=AdministratorAccess&account_id=333333333333",
        Some(&t),
    );
    assert_eq!(r.status, 403);
    assert_eq!(r.error_type(), "ForbiddenException");
    assert_eq!(r.json(), json!({"message": "No access"}));

    let r = get(
        &emu,
        "/federation/credentials?role_name=ReadOnly&account_id=999999999999",
        Some(&t),
    );
    assert_eq!(r.status, 404);
    assert_eq!(r.error_type(), "ResourceNotFoundException");

    let r = get(&emu, "/federation/credentials?role_name=ReadOnly", Some(&t));
    assert_eq!(r.status, 400);
    assert_eq!(r.error_type(), "InvalidRequestException");

    assert_eq!(emu.stats().get_role_credentials, 6);
    assert_eq!(emu.stats().credentials_issued, 1);
}

#[test]
fn expired_and_revoked_tokens_are_unauthorized() {
    let emu = start();
    emu.set_token_ttl(0);
    let (_, tok) = login(&emu, None);
    assert_eq!(tok["expiresIn"], json!(0));
    assert_eq!(
        get(&emu, "/assignment/accounts", Some(&access_token(&tok))).status,
        401
    );

    emu.set_token_ttl(3600);
    let (c, tok) = login(&emu, SCOPED);
    let t = access_token(&tok);
    assert_eq!(get(&emu, "/assignment/accounts", Some(&t)).status, 200);
    emu.revoke_all_tokens();
    assert_eq!(get(&emu, "/assignment/accounts", Some(&t)).status, 401);
    assert_eq!(
        refresh(&emu, &c, tok["refreshToken"].as_str().unwrap()).error_code(),
        "invalid_grant"
    );
}

fn page_through(emu: &Emulator, base: &str, list: &str, token: &str) -> (Vec<Value>, usize) {
    let mut items = Vec::new();
    let mut pages = 0;
    let mut next: Option<String> = None;
    loop {
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = match &next {
            Some(n) => format!("{base}{sep}next_token={n}"),
            None => base.to_string(),
        };
        let r = get(emu, &url, Some(token));
        assert_eq!(r.status, 200, "{url}: {}", r.body);
        let v = r.json();
        items.extend(v[list].as_array().unwrap().iter().cloned());
        pages += 1;
        match v.get("nextToken") {
            Some(n) => next = Some(n.as_str().unwrap().to_string()),
            None => return (items, pages),
        }
        assert!(pages < 20);
    }
}

#[test]
fn accounts_and_roles_are_paginated() {
    let emu = start();
    let (_, tok) = login(&emu, None);
    let t = access_token(&tok);

    let (accounts, pages) = page_through(&emu, "/assignment/accounts", "accountList", &t);
    assert_eq!(pages, 2, "default page size is 2");
    assert_eq!(
        accounts[0],
        json!({"accountId": "111111111111", "accountName": "dev", "emailAddress": "dev@example.com"})
    );
    let ids: Vec<_> = accounts.iter().map(|a| a["accountId"].clone()).collect();
    assert_eq!(
        ids,
        [
            json!("111111111111"),
            json!("222222222222"),
            json!("333333333333")
        ]
    );

    let (_, pages) = page_through(&emu, "/assignment/accounts?max_result=1", "accountList", &t);
    assert_eq!(pages, 3);
    let (_, pages) = page_through(
        &emu,
        "/assignment/accounts?max_result=100",
        "accountList",
        &t,
    );
    assert_eq!(pages, 1);

    let (roles, pages) = page_through(
        &emu,
        "/assignment/roles?account_id=111111111111",
        "roleList",
        &t,
    );
    assert_eq!(pages, 2);
    assert_eq!(
        roles,
        [
            json!({"roleName": "AdministratorAccess", "accountId": "111111111111"}),
            json!({"roleName": "PowerUserAccess", "accountId": "111111111111"}),
            json!({"roleName": "ReadOnly", "accountId": "111111111111"}),
        ]
    );

    for bad in ["0", "101", "abc", "-1"] {
        let r = get(
            &emu,
            &format!("/assignment/accounts?max_result={bad}"),
            Some(&t),
        );
        assert_eq!(r.status, 400, "max_result={bad}");
        assert_eq!(r.error_type(), "InvalidRequestException");
    }
    let r = get(&emu, "/assignment/accounts?next_token=garbage", Some(&t));
    assert_eq!(r.status, 400);

    // A roles page token does not page through another account's roles.
    let first = get(&emu, "/assignment/roles?account_id=111111111111", Some(&t)).json();
    let n = first["nextToken"].as_str().unwrap();
    let r = get(
        &emu,
        &format!("/assignment/roles?account_id=222222222222&next_token={n}"),
        Some(&t),
    );
    assert_eq!(r.status, 400);

    assert_eq!(
        get(&emu, "/assignment/roles?account_id=999999999999", Some(&t)).status,
        404
    );
    assert_eq!(get(&emu, "/assignment/roles", Some(&t)).status, 400);
    assert_eq!(get(&emu, "/assignment/accounts", None).status, 401);
    assert_eq!(
        get(&emu, "/assignment/roles?account_id=111111111111", None).status,
        401
    );
}

#[test]
fn logout_revokes_the_session_and_answers_an_empty_200() {
    let emu = start();
    let (c, tok) = login(&emu, SCOPED);
    let t = access_token(&tok);
    let (_, other) = login(&emu, None);

    let r = logout(&emu, Some(&t));
    assert_eq!(r.status, 200);
    assert_eq!(r.body, "");
    assert_eq!(get(&emu, "/assignment/accounts", Some(&t)).status, 401);
    assert_eq!(
        refresh(&emu, &c, tok["refreshToken"].as_str().unwrap()).error_code(),
        "invalid_grant"
    );
    // Other sessions are untouched.
    assert_eq!(
        get(&emu, "/assignment/accounts", Some(&access_token(&other))).status,
        200
    );

    let again = logout(&emu, Some(&t));
    assert_eq!(again.status, 401);
    assert_eq!(logout(&emu, None).status, 401);
    let s = emu.stats();
    assert_eq!((s.logout, s.logouts), (3, 1));
}

// ------------------------------------------------------------------ faults

#[test]
fn server_error_faults_hit_the_next_n_matching_requests_only() {
    let emu = start();
    emu.add_fault(Fault::parse("token:500:2").unwrap());
    let c = register(&emu, None);
    let code = start_device(&emu, &c)["deviceCode"]
        .as_str()
        .unwrap()
        .to_string();
    for _ in 0..2 {
        let r = device_token(&emu, &c, &code);
        assert_eq!(r.status, 500);
        assert_eq!(r.error_code(), "server_error");
        assert_eq!(
            r.error_type(),
            "InternalServerException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/"
        );
    }
    assert_eq!(
        device_token(&emu, &c, &code).error_code(),
        "authorization_pending",
        "faulted polls do not count as pending polls"
    );
    assert_eq!(device_token(&emu, &c, &code).status, 200);
    assert!(emu.pending_faults().is_empty());
    assert_eq!(emu.stats().faults_injected, 2);

    // On the portal, a 500 has a `message` body.
    let (_, tok) = login(&emu, None);
    emu.add_fault(Fault::parse("accounts:500").unwrap());
    let r = get(&emu, "/assignment/accounts", Some(&access_token(&tok)));
    assert_eq!(r.status, 500);
    assert_eq!(r.error_type(), "InternalServerException");
    assert!(r.json()["message"].is_string());
}

#[test]
fn any_faults_apply_to_every_operation() {
    let emu = start();
    emu.add_fault(Fault::parse("any:500:2").unwrap());
    let r = post(
        &emu,
        "/client/register",
        &json!({"clientName": "x", "clientType": "public"}),
    );
    assert_eq!(r.status, 500);
    assert_eq!(get(&emu, "/assignment/accounts", None).status, 500);
    assert_eq!(get(&emu, "/assignment/accounts", None).status, 401);
}

#[test]
fn throttle_faults_answer_429_with_retry_after() {
    let emu = start();
    let (_, tok) = login(&emu, None);
    let t = access_token(&tok);
    emu.add_fault(Fault::parse("credentials:429=3:1").unwrap());
    let path = "/federation/credentials?role_name=ReadOnly&account_id=111111111111";
    let r = get(&emu, path, Some(&t));
    assert_eq!(r.status, 429);
    assert_eq!(r.error_type(), "TooManyRequestsException");
    assert_eq!(r.header("Retry-After"), Some("3"));
    assert!(r.json()["message"].is_string());
    assert_eq!(get(&emu, path, Some(&t)).status, 200);

    emu.add_fault(Fault::parse("token:429:1").unwrap());
    let c = register(&emu, None);
    let r = device_token(&emu, &c, "x");
    assert_eq!(r.status, 429);
    assert!(r.error_type().starts_with("TooManyRequestsException"));
    assert_eq!(r.header("Retry-After"), None);
}

#[test]
fn slow_faults_delay_only_their_own_request() {
    let emu = start();
    let (_, tok) = login(&emu, None);
    let t = access_token(&tok);
    emu.add_fault(Fault::parse("credentials:slow=800:1").unwrap());
    let began = Instant::now();
    std::thread::scope(|s| {
        let slow = s.spawn(|| {
            let r = get(
                &emu,
                "/federation/credentials?role_name=ReadOnly&account_id=111111111111",
                Some(&t),
            );
            (r.status, began.elapsed())
        });
        std::thread::sleep(Duration::from_millis(100));
        let fast = get(&emu, "/assignment/accounts", Some(&t));
        let fast_done = began.elapsed();
        let (status, slow_done) = slow.join().unwrap();
        assert_eq!(status, 200, "a slow request still succeeds");
        assert!(slow_done >= Duration::from_millis(800));
        assert_eq!(fast.status, 200);
        assert!(fast_done < slow_done, "other requests are not held up");
    });
}

#[test]
fn unauthorized_and_slow_down_faults() {
    let emu = start();
    let (_, tok) = login(&emu, None);
    emu.add_fault(Fault::parse("roles:401:1").unwrap());
    let r = get(
        &emu,
        "/assignment/roles?account_id=111111111111",
        Some(&access_token(&tok)),
    );
    assert_eq!(r.status, 401);
    assert_eq!(r.error_type(), "UnauthorizedException");

    emu.add_fault(Fault::parse("register:401").unwrap());
    let r = post(
        &emu,
        "/client/register",
        &json!({"clientName": "x", "clientType": "public"}),
    );
    assert_eq!(r.status, 401);
    assert_eq!(r.error_code(), "invalid_client");

    let c = register(&emu, None);
    let code = start_device(&emu, &c)["deviceCode"]
        .as_str()
        .unwrap()
        .to_string();
    emu.add_fault(Fault::parse("token:slow_down:1").unwrap());
    let r = device_token(&emu, &c, &code);
    assert_eq!(r.status, 400);
    assert_eq!(r.error_code(), "slow_down");
    assert!(r.error_type().starts_with("SlowDownException:"));
}

#[test]
fn hostile_answer_faults_patch_garble_trickle_and_reject() {
    let emu = start();
    let body = json!({"clientName": "x", "clientType": "public"});

    // Patch: fields of a successful answer replaced or added.
    emu.add_fault(Fault::new(
        Some(Op::RegisterClient),
        FaultKind::Patch {
            fields: vec![
                ("/clientSecret".into(), json!("a\u{0}b")),
                ("/extra".into(), json!(1)),
            ],
        },
        1,
    ));
    let v = post(&emu, "/client/register", &body).json();
    assert_eq!(v["clientSecret"], json!("a\u{0}b"));
    assert_eq!(v["extra"], json!(1));
    assert!(v["clientId"].is_string(), "other fields are untouched");

    // Garbage: 200 with a body that is not JSON.
    emu.add_fault(Fault::parse("register:garbage").unwrap());
    let r = post(&emu, "/client/register", &body);
    assert_eq!(r.status, 200);
    assert!(
        serde_json::from_str::<Value>(&r.body).is_err(),
        "{}",
        r.body
    );

    // Reject: an error with the message given.
    emu.add_fault(Fault::new(
        Some(Op::RegisterClient),
        FaultKind::Reject {
            status: 400,
            message: "no\u{1b}]0;x\u{7}".into(),
        },
        1,
    ));
    let r = post(&emu, "/client/register", &body);
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error_description"], json!("no\u{1b}]0;x\u{7}"));

    // Trickle: the normal answer, one byte per interval.
    emu.add_fault(Fault::parse("register:trickle=5").unwrap());
    let t = Instant::now();
    let r = post(&emu, "/client/register", &body);
    assert_eq!(r.status, 200);
    assert!(r.json()["clientId"].is_string());
    let min = Duration::from_millis(5 * r.body.len() as u64);
    assert!(t.elapsed() >= min, "{:?} < {min:?}", t.elapsed());
}

#[test]
fn faults_given_at_start_up_are_applied_in_order() {
    let emu = Emulator::start(EmulatorConfig {
        faults: Fault::parse_list("register:500:1,register:429:1").unwrap(),
        ..Default::default()
    })
    .unwrap();
    let body = json!({"clientName": "x", "clientType": "public"});
    assert_eq!(post(&emu, "/client/register", &body).status, 500);
    assert_eq!(post(&emu, "/client/register", &body).status, 429);
    assert_eq!(post(&emu, "/client/register", &body).status, 200);
}

// ------------------------------------------------------------------ control endpoints

#[test]
fn control_endpoints_report_stats_add_faults_and_reset() {
    let emu = start();
    login(&emu, None);
    let stats: Stats = serde_json::from_str(&get(&emu, "/_emulator/stats", None).body).unwrap();
    assert_eq!(stats, emu.stats());
    assert_eq!(stats.create_token_device_code, 2);

    let r = post(&emu, "/_emulator/faults", &json!({"spec": "token:500:1"}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(emu.pending_faults().len(), 1);
    let r = post(&emu, "/_emulator/faults", &json!({"spec": "token:teapot"}));
    assert_eq!(r.status, 400);
    assert!(r.json()["message"].as_str().unwrap().contains("teapot"));
    assert_eq!(post_raw(&emu, "/_emulator/faults", "{").status, 400);

    let r = post(
        &emu,
        "/_emulator/settings",
        &json!({"deny": true, "token_ttl": 5}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        post(&emu, "/_emulator/settings", &json!({"deny": "yes"})).status,
        400
    );

    assert_eq!(post(&emu, "/_emulator/reset", &json!({})).status, 200);
    assert!(emu.pending_faults().is_empty());
    assert_eq!(emu.stats(), Stats::default());
    let (_, tok) = login(&emu, None);
    assert_eq!(tok["expiresIn"], json!(28800), "reset restores settings");

    assert_eq!(post(&emu, "/_emulator/revoke", &json!({})).status, 200);
    assert_eq!(
        get(&emu, "/assignment/accounts", Some(&access_token(&tok))).status,
        401
    );
}

// ------------------------------------------------------------------ robustness

#[test]
fn malformed_requests_get_400_invalid_request_not_a_crash() {
    let emu = start();
    for path in ["/client/register", "/device_authorization", "/token"] {
        for body in ["", "{", "[]", "null", "\"x\"", "{\"clientName\": 5}"] {
            let r = post_raw(&emu, path, body);
            assert_eq!(r.status, 400, "{path} {body:?}: {}", r.body);
            assert_eq!(r.error_code(), "invalid_request", "{path} {body:?}");
            assert!(r.error_type().starts_with("InvalidRequestException:"));
        }
    }
    let cases = [
        json!({"clientType": "public"}),
        json!({"clientName": "", "clientType": "public"}),
        json!({"clientName": "x", "clientType": "public", "scopes": "sso:account:access"}),
        json!({"clientName": "x", "clientType": "public", "scopes": [1]}),
    ];
    for body in cases {
        let r = post(&emu, "/client/register", &body);
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.error_code(), "invalid_request");
    }
    let r = post(
        &emu,
        "/client/register",
        &json!({"clientName": "x", "clientType": "confidential"}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.error_code(), "invalid_client_metadata");

    let c = register(&emu, None);
    let r = post(
        &emu,
        "/device_authorization",
        &json!({"clientId": c.id, "clientSecret": c.secret}),
    );
    assert_eq!(r.error_code(), "invalid_request");
    let r = post(
        &emu,
        "/token",
        &json!({"grantType": DEVICE_CODE_GRANT, "clientId": c.id, "clientSecret": c.secret}),
    );
    assert_eq!(r.error_code(), "invalid_request");
    assert_eq!(
        device_token(&emu, &c, "unknown").error_code(),
        "invalid_grant"
    );

    let huge = format!("{{\"clientName\":\"{}\"}}", "x".repeat(2 << 20));
    assert_eq!(post_raw(&emu, "/client/register", &huge).status, 400);

    let r = get(&emu, "/nope", None);
    assert_eq!(r.status, 404);
    assert_eq!(r.error_type(), "UnknownOperationException");
    assert_eq!(get(&emu, "/token", None).status, 404, "wrong method");
    let r = get(
        &emu,
        "/federation/credentials?%%%=&&=&role_name=%ff",
        Some("x"),
    );
    assert_eq!(r.status, 400);

    // Still serving.
    register(&emu, None);
}

#[test]
fn the_verification_page_is_served() {
    let emu = start();
    let r = get(&emu, "/start/", None);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("emulator"));
}

#[test]
fn it_binds_127_0_0_1_only() {
    let emu = start();
    assert_eq!(emu.local_addr().ip().to_string(), "127.0.0.1");
    assert_ne!(emu.port(), 0);
    assert_eq!(emu.url(), format!("http://127.0.0.1:{}", emu.port()));
    // Through another local address the port is closed. Finding one sends no packet
    // (a connected UDP socket only picks a route); without a network, skip.
    let other = std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| s.connect("192.0.2.1:9").map(|_| s))
        .and_then(|s| s.local_addr())
        .map(|a| a.ip());
    if let Ok(ip) = other
        && !ip.is_loopback()
        && !ip.is_unspecified()
    {
        let r = std::net::TcpStream::connect_timeout(
            &std::net::SocketAddr::new(ip, emu.port()),
            Duration::from_secs(2),
        );
        assert!(r.is_err(), "reachable through {ip}");
    }
}

#[test]
fn concurrent_clients_are_all_served() {
    let emu = start();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|_| {
                s.spawn(|| {
                    let (_, tok) = login(&emu, SCOPED);
                    let t = access_token(&tok);
                    for _ in 0..5 {
                        let r = get(
                            &emu,
                            "/federation/credentials?role_name=ReadOnly&account_id=222222222222",
                            Some(&t),
                        );
                        assert_eq!(r.status, 200);
                        page_through(&emu, "/assignment/accounts", "accountList", &t);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    });
    let s = emu.stats();
    assert_eq!(s.register_client, 6);
    assert_eq!(s.create_token_device_code, 12);
    assert_eq!(s.get_role_credentials, 30);
    assert_eq!(s.list_accounts, 60);
    assert_eq!(s.tokens_issued, 6);
}

#[test]
fn shutdown_stops_the_server() {
    let emu = start();
    let port = emu.port();
    register(&emu, None);
    emu.shutdown();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let refused = std::net::TcpStream::connect(("127.0.0.1", port)).is_err();
        if refused {
            break;
        }
        assert!(Instant::now() < deadline, "still listening after shutdown");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The port is free again.
    assert!(
        Emulator::start(EmulatorConfig {
            port,
            ..Default::default()
        })
        .is_ok()
    );
}

#[test]
fn a_busy_port_is_an_error_not_a_panic() {
    let emu = start();
    let err = Emulator::start(EmulatorConfig {
        port: emu.port(),
        ..Default::default()
    })
    .err()
    .expect("second bind fails");
    assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
}

#[test]
fn added_latency_delays_each_answer_but_concurrent_requests_overlap() {
    let emu = Emulator::start(EmulatorConfig {
        fixture: Fixture::generated(16),
        ..EmulatorConfig::default()
    })
    .expect("start emulator");
    let (_, tok) = login(&emu, None);
    let t = access_token(&tok);
    emu.set_latency_ms(100);
    let start = Instant::now();
    let r = get(&emu, "/assignment/roles?account_id=100000000001", Some(&t));
    assert_eq!(r.status, 200);
    assert!(start.elapsed() >= Duration::from_millis(100));
    let start = Instant::now();
    std::thread::scope(|s| {
        for i in 1..=16 {
            let (emu, t) = (&emu, &t);
            s.spawn(move || {
                let path = format!("/assignment/roles?account_id={}", 100_000_000_000u64 + i);
                assert_eq!(get(emu, &path, Some(t)).status, 200);
            });
        }
    });
    let took = start.elapsed();
    assert!(
        took < Duration::from_millis(800),
        "16 requests of 100 ms took {took:?}: not served concurrently"
    );
    // The control endpoints are not delayed.
    let start = Instant::now();
    assert_eq!(get(&emu, "/_emulator/stats", None).status, 200);
    assert!(start.elapsed() < Duration::from_millis(100));
}

// ------------------------------------------------------------------ PKCE

/// `GET path` without following redirects.
fn get_no_redirect(emu: &Emulator, path_and_query: &str) -> Resp {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into();
    collect(agent.get(format!("{}{path_and_query}", emu.url())).call())
}

/// base64url(sha256(v)) without padding, computed here from RFC 7636's own vector.
const RFC_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const RFC_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn register_pkce(emu: &Emulator) -> Value {
    let r = post(
        emu,
        "/client/register",
        &json!({"clientName": "botocore-client-corp", "clientType": "public",
            "grantTypes": ["authorization_code", "refresh_token"],
            "redirectUris": ["http://127.0.0.1/oauth/callback"],
            "issuerUrl": "https://d-1234567890.awsapps.com/start",
            "scopes": ["sso:account:access"]}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

fn authorize_query(client_id: &str, redirect: &str, challenge: &str) -> String {
    format!(
        "/authorize?response_type=code&client_id={client_id}&redirect_uri={}&state=st%2B1&code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess&code_challenge={challenge}",
        redirect.replace(':', "%3A").replace('/', "%2F")
    )
}

/// The `code` of a callback Location, after checking it goes to `redirect` with the state.
fn code_of(location: &str, redirect: &str) -> String {
    let q = location
        .strip_prefix(&format!("{redirect}?"))
        .unwrap_or_else(|| panic!("{location}"));
    assert!(q.ends_with("&state=st%2B1"), "{q}");
    q.strip_prefix("code=")
        .and_then(|r| r.split('&').next())
        .unwrap_or_else(|| panic!("{q}"))
        .to_string()
}

#[test]
fn pkce_authorize_redirects_to_the_loopback_callback_and_the_code_needs_the_verifier() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let reg = register_pkce(&emu);
    let id = reg["clientId"].as_str().unwrap();
    let redirect = "http://127.0.0.1:40709/oauth/callback";
    let authorize = || {
        let r = get_no_redirect(&emu, &authorize_query(id, redirect, RFC_CHALLENGE));
        assert_eq!(r.status, 302, "{}", r.body);
        code_of(r.header("Location").unwrap(), redirect)
    };
    let token = |code: &str, verifier: &str, redirect: &str| {
        post(
            &emu,
            "/token",
            &json!({"grantType": "authorization_code", "clientId": id,
                "clientSecret": reg["clientSecret"], "redirectUri": redirect,
                "codeVerifier": verifier, "code": code}),
        )
    };
    // A verifier that is not the challenge's: refused, and the code is spent.
    let code = authorize();
    let wrong = token(&code, &RFC_VERIFIER.replace('d', "e"), redirect);
    assert_eq!(
        (wrong.status, wrong.error_code().as_str()),
        (400, "invalid_grant")
    );
    assert!(
        wrong.body.contains("Code verifier does not match"),
        "{}",
        wrong.body
    );
    let spent = token(&code, RFC_VERIFIER, redirect);
    assert_eq!(spent.error_code(), "invalid_grant");
    // Another port than the authorize call's: refused.
    let code = authorize();
    let moved = token(&code, RFC_VERIFIER, "http://127.0.0.1:40710/oauth/callback");
    assert_eq!(moved.error_code(), "invalid_grant");
    // The right verifier and redirect: tokens, with a refresh token (sso:account:access).
    let code = authorize();
    let ok = token(&code, RFC_VERIFIER, redirect);
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.json()["refreshToken"].is_string());
    assert!(ok.json()["accessToken"].is_string());
    let again = token(&code, RFC_VERIFIER, redirect);
    assert_eq!(again.error_code(), "invalid_grant");
    let s = emu.stats();
    assert_eq!(s.authorize, 3);
    assert_eq!(s.create_token_authorization_code, 5);
    assert_eq!(s.tokens_issued, 1);

    // Denied: back to the callback with the error and the state.
    emu.set_deny(true);
    let r = get_no_redirect(&emu, &authorize_query(id, redirect, RFC_CHALLENGE));
    assert_eq!(r.status, 302);
    let loc = r.header("Location").unwrap();
    assert!(
        loc.starts_with(&format!(
            "{redirect}?error=access_denied&error_description="
        )) && loc.ends_with("&state=st%2B1"),
        "{loc}"
    );
}

#[test]
fn pkce_authorize_redirects_nowhere_but_a_registered_loopback_callback() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let reg = register_pkce(&emu);
    let id = reg["clientId"].as_str().unwrap();
    for redirect in [
        "https://evil.example/oauth/callback",
        "http://127.0.0.1.evil.example:80/oauth/callback",
        "http://127.0.0.1:0/oauth/callback",
        "http://127.0.0.1:99999/oauth/callback",
        "http://127.0.0.1:8080/other",
        "http://127.0.0.1/oauth/callback",
    ] {
        let r = get_no_redirect(&emu, &authorize_query(id, redirect, RFC_CHALLENGE));
        assert_eq!(r.status, 400, "{redirect}: {}", r.body);
        assert!(r.header("Location").is_none(), "{redirect}");
        assert_eq!(r.error_code(), "invalid_redirect_uri", "{redirect}");
    }
    // A device-flow client (no authorization_code grant) gets no code either.
    let dev = post(
        &emu,
        "/client/register",
        &json!({"clientName": "d", "clientType": "public"}),
    )
    .json();
    let r = get_no_redirect(
        &emu,
        &authorize_query(
            dev["clientId"].as_str().unwrap(),
            "http://127.0.0.1:4000/oauth/callback",
            RFC_CHALLENGE,
        ),
    );
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (400, "unauthorized_client")
    );
    // Without S256 and a challenge: redirected back with invalid_request, no code.
    let redirect = "http://127.0.0.1:4000/oauth/callback";
    let r = get_no_redirect(&emu, &authorize_query(id, redirect, "short"));
    assert_eq!(r.status, 302);
    assert!(
        r.header("Location")
            .unwrap()
            .starts_with(&format!("{redirect}?error=invalid_request&")),
        "{:?}",
        r.header("Location")
    );
}

#[test]
fn a_pkce_registration_needs_redirect_uris_an_issuer_and_known_grant_types() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let reg = |extra: Value| {
        let mut body = json!({"clientName": "c", "clientType": "public"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        post(&emu, "/client/register", &body)
    };
    let r = reg(json!({"grantTypes": ["authorization_code"], "issuerUrl": "https://x"}));
    assert_eq!(r.error_code(), "invalid_client_metadata");
    let r = reg(json!({"grantTypes": ["authorization_code"],
        "redirectUris": ["http://127.0.0.1/oauth/callback"]}));
    assert_eq!(r.error_code(), "invalid_request");
    let r = reg(json!({"grantTypes": ["implicit"]}));
    assert_eq!(r.error_code(), "invalid_client_metadata");
    let r = reg(
        json!({"grantTypes": ["authorization_code"], "issuerUrl": "https://x",
        "redirectUris": ["http://example.com/cb"]}),
    );
    assert_eq!(r.error_code(), "invalid_redirect_uri");
}

// ------------------------------------------------------------------ sts

/// Portal role credentials for dev/ReadOnly: (access key, secret, token).
fn portal_credentials(emu: &Emulator) -> (String, String, String) {
    let (_, tok) = login(emu, None);
    let r = get(
        emu,
        "/federation/credentials?role_name=ReadOnly&account_id=111111111111",
        Some(&access_token(&tok)),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let rc = &r.json()["roleCredentials"];
    let s = |k: &str| rc[k].as_str().unwrap().to_string();
    (s("accessKeyId"), s("secretAccessKey"), s("sessionToken"))
}

/// botocore's view of STS: each step is either `{"client": PARAMS, "creds":
/// [AK, SK, TOKEN]}` (botocore's own `sts` client, `endpoint_url` = the
/// emulator) or `{"raw": BODY, "creds": …, "tamper": BODY?, "skew": SECS}`
/// (botocore's `SigV4Auth` signs BODY at now+SECS, then TAMPER is sent
/// instead). Each answer is `{"status", "code", "message"}` or, on success,
/// the credentials and assumed-role user botocore parsed.
const BOTOCORE_STS: &str = r#"
import json, sys, datetime, urllib.request, urllib.error
import botocore.session, botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
url, steps = sys.argv[1], json.loads(sys.argv[2])
session = botocore.session.get_session()
out = []
for step in steps:
    ak, sk, tok = step["creds"]
    if "client" in step:
        c = session.create_client("sts", region_name="eu-west-1", endpoint_url=url,
                                  aws_access_key_id=ak, aws_secret_access_key=sk,
                                  aws_session_token=tok)
        try:
            r = c.assume_role(**step["client"])
            cr = r["Credentials"]
            out.append({"status": 200, "AccessKeyId": cr["AccessKeyId"],
                        "SecretAccessKey": cr["SecretAccessKey"], "SessionToken": cr["SessionToken"],
                        "Expiration": int(cr["Expiration"].timestamp()),
                        "Arn": r["AssumedRoleUser"]["Arn"],
                        "AssumedRoleId": r["AssumedRoleUser"]["AssumedRoleId"],
                        "RequestId": r["ResponseMetadata"]["RequestId"],
                        "HeaderRequestId": r["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-requestid")})
        except ClientError as e:
            out.append({"status": e.response["ResponseMetadata"]["HTTPStatusCode"],
                        "code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]})
    else:
        at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=step.get("skew", 0))
        botocore.auth.get_current_datetime = lambda at=at: at.replace(tzinfo=None)
        req = AWSRequest(method="POST", url=url + "/", data=step["raw"],
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        SigV4Auth(Credentials(ak, sk, tok), "sts", "eu-west-1").add_auth(req)
        p = req.prepare()
        body = step.get("tamper") or step["raw"]
        hreq = urllib.request.Request(url + "/", data=body.encode(), method="POST", headers=dict(p.headers))
        try:
            with urllib.request.urlopen(hreq) as resp:
                out.append({"status": resp.status, "body": resp.read().decode()})
        except urllib.error.HTTPError as e:
            parsed = session.create_client("sts", region_name="eu-west-1", endpoint_url=url,
                aws_access_key_id="x", aws_secret_access_key="y")._response_parser
            body = e.read()
            err = parsed.parse({"status_code": e.code, "headers": {}, "body": body},
                session.get_service_model("sts").operation_model("AssumeRole").output_shape)
            out.append({"status": e.code, "code": err["Error"]["Code"], "message": err["Error"]["Message"],
                        "RequestId": err["ResponseMetadata"].get("RequestId"),
                        "HeaderRequestId": e.headers.get("x-amzn-RequestId")})
print(json.dumps(out))
"#;

/// Runs [`BOTOCORE_STS`]; None when botocore is not installed (not under CI).
fn botocore_sts(emu: &Emulator, steps: &Value) -> Option<Vec<Value>> {
    let home = tempfile::tempdir().unwrap();
    let ok = std::process::Command::new("python3")
        .args(["-c", "import botocore.session"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "botocore is required under CI"
        );
        return None;
    }
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(BOTOCORE_STS)
        .arg(emu.url())
        .arg(steps.to_string())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.path().join("none"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

const DEMO_ROLE: &str = "arn:aws:iam::222222222222:role/demo";

#[test]
fn botocore_assumes_a_role_with_portal_credentials_and_chains_from_the_session() {
    let emu = start();
    let (ak, sk, tok) = portal_credentials(&emu);
    let creds = json!([ak, sk, tok]);
    let t0 = now_secs();
    let Some(r) = botocore_sts(
        &emu,
        &json!([{"creds": creds, "client": {"RoleArn": DEMO_ROLE, "RoleSessionName": "alice",
                 "ExternalId": "ext-123", "DurationSeconds": 1800}}]),
    ) else {
        return;
    };
    let r = &r[0];
    assert_eq!(r["status"], 200, "{r}");
    assert_eq!(
        r["Arn"],
        "arn:aws:sts::222222222222:assumed-role/demo/alice"
    );
    let role_id = r["AssumedRoleId"].as_str().unwrap();
    assert!(
        role_id.starts_with("AROA") && role_id.ends_with(":alice"),
        "{role_id}"
    );
    assert_eq!(role_id.len(), "AROA".len() + 17 + ":alice".len());
    let exp = r["Expiration"].as_u64().unwrap();
    assert!(exp.abs_diff(t0 + 1800) < 5, "{exp} vs {}", t0 + 1800);
    // The body's RequestId is the header's.
    assert_eq!(r["RequestId"], r["HeaderRequestId"]);
    let key = r["AccessKeyId"].as_str().unwrap();
    let session = emu.issued_credentials(key).unwrap();
    assert!(session.chained);
    assert_eq!(session.arn, r["Arn"]);
    assert_eq!(session.expires_at, exp);
    let last = emu.last_assume_role().unwrap();
    assert_eq!(last.source_access_key_id, ak);
    assert_eq!(last.role_arn.as_deref(), Some(DEMO_ROLE));
    assert_eq!(last.role_session_name.as_deref(), Some("alice"));
    assert_eq!(last.external_id.as_deref(), Some("ext-123"));
    assert_eq!(last.duration_seconds.as_deref(), Some("1800"));
    assert_eq!((last.serial_number, last.token_code), (None, None));
    let stats = emu.stats();
    assert_eq!((stats.assume_role, stats.roles_assumed), (1, 1));

    // The new session can itself assume a role (chaining again), for an hour by default.
    let chained = json!([r["AccessKeyId"], r["SecretAccessKey"], r["SessionToken"]]);
    let r2 = botocore_sts(
        &emu,
        &json!([{"creds": chained, "client": {"RoleArn": "arn:aws:iam::333333333333:role/ops/Deploy", "RoleSessionName": "bob"}}]),
    )
    .unwrap();
    assert_eq!(r2[0]["status"], 200, "{}", r2[0]);
    assert_eq!(
        r2[0]["Arn"],
        "arn:aws:sts::333333333333:assumed-role/Deploy/bob"
    );
    let exp = r2[0]["Expiration"].as_u64().unwrap();
    assert!(exp.abs_diff(now_secs() + 3600) < 5);
}

#[test]
fn tampered_requests_and_bad_credentials_get_the_errors_aws_gives() {
    let emu = start();
    let (ak, sk, tok) = portal_credentials(&emu);
    let body = format!(
        "Action=AssumeRole&Version=2011-06-15&RoleArn={}&RoleSessionName=alice",
        DEMO_ROLE.replace(':', "%3A").replace('/', "%2F")
    );
    let steps = json!([
        {"creds": [ak, sk, tok], "raw": body},
        {"creds": [ak, sk, tok], "raw": body, "tamper": body.replace("alice", "mallory")},
        {"creds": [ak, "wrong-secret", tok], "raw": body},
        {"creds": [ak, sk, tok], "raw": body, "skew": -1200},
        {"creds": [ak, sk, tok], "raw": body, "skew": 1200},
        {"creds": [ak, sk, "not-the-token"], "raw": body},
        {"creds": [ak, sk, null], "raw": body},
        {"creds": ["ASIAUNKNOWNKEY000000", sk, tok], "raw": body},
    ]);
    let Some(r) = botocore_sts(&emu, &steps) else {
        return;
    };
    assert_eq!(r[0]["status"], 200, "{}", r[0]);
    assert!(
        r[0]["body"]
            .as_str()
            .unwrap()
            .contains("<AssumeRoleResponse")
    );
    let mismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
    for i in [1, 2] {
        assert_eq!(r[i]["status"], 403, "{}", r[i]);
        assert_eq!(r[i]["code"], "SignatureDoesNotMatch");
        assert_eq!(r[i]["message"], mismatch);
        assert_eq!(r[i]["RequestId"], r[i]["HeaderRequestId"]);
    }
    assert_eq!(r[3]["code"], "SignatureDoesNotMatch");
    assert!(
        r[3]["message"]
            .as_str()
            .unwrap()
            .starts_with("Signature expired: "),
        "{}",
        r[3]
    );
    assert_eq!(r[4]["code"], "SignatureDoesNotMatch");
    assert!(
        r[4]["message"]
            .as_str()
            .unwrap()
            .starts_with("Signature not yet current: "),
        "{}",
        r[4]
    );
    for i in [5, 6, 7] {
        assert_eq!(r[i]["status"], 403, "{}", r[i]);
        assert_eq!(r[i]["code"], "InvalidClientTokenId");
        assert_eq!(
            r[i]["message"],
            "The security token included in the request is invalid"
        );
    }
    // Unsigned: no Authorization at all.
    let r = collect(
        agent()
            .post(format!("{}/", emu.url()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(body.as_str()),
    );
    assert_eq!(r.status, 403);
    assert_eq!(r.header("content-type"), Some("text/xml"));
    assert!(
        r.body.contains("<Code>MissingAuthenticationToken</Code>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("<Type>Sender</Type>"), "{}", r.body);
    // A malformed Authorization header.
    let r = collect(
        agent()
            .post(format!("{}/", emu.url()))
            .header("Authorization", "AWS4-HMAC-SHA256 Credential=x")
            .header("X-Amz-Date", "20260101T000000Z")
            .send(body.as_str()),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("<Code>IncompleteSignature</Code>"),
        "{}",
        r.body
    );
    assert_eq!(emu.stats().roles_assumed, 1);
}

#[test]
fn expired_sources_denied_roles_mfa_external_ids_and_the_one_hour_cap() {
    let emu = start();
    let (ak, sk, tok) = portal_credentials(&emu);
    let creds = json!([ak, sk, tok]);
    let source_arn = emu.issued_credentials(&ak).unwrap().arn;
    let mfa_role = "arn:aws:iam::222222222222:role/mfa";
    let ext_role = "arn:aws:iam::222222222222:role/ext";
    let serial = "arn:aws:iam::111111111111:mfa/alice";
    emu.set_role_denied(DEMO_ROLE, true);
    emu.set_role_mfa(mfa_role, Some((serial, "123456")));
    emu.set_role_external_id(ext_role, Some("ext-123"));
    let call = |params: Value| json!({"creds": creds, "client": params});
    let Some(r) = botocore_sts(
        &emu,
        &json!([
            call(json!({"RoleArn": DEMO_ROLE, "RoleSessionName": "alice"})),
            call(json!({"RoleArn": mfa_role, "RoleSessionName": "alice"})),
            call(
                json!({"RoleArn": mfa_role, "RoleSessionName": "alice", "SerialNumber": serial, "TokenCode": "654321"})
            ),
            call(
                json!({"RoleArn": mfa_role, "RoleSessionName": "alice", "SerialNumber": "arn:aws:iam::111111111111:mfa/bob", "TokenCode": "123456"})
            ),
            call(
                json!({"RoleArn": mfa_role, "RoleSessionName": "alice", "SerialNumber": serial, "TokenCode": "123456"})
            ),
            call(json!({"RoleArn": ext_role, "RoleSessionName": "alice"})),
            call(json!({"RoleArn": ext_role, "RoleSessionName": "alice", "ExternalId": "ext-999"})),
            call(json!({"RoleArn": ext_role, "RoleSessionName": "alice", "ExternalId": "ext-123"})),
            call(
                json!({"RoleArn": ext_role, "RoleSessionName": "alice", "DurationSeconds": 3601, "ExternalId": "ext-123"})
            ),
            call(
                json!({"RoleArn": ext_role, "RoleSessionName": "alice", "DurationSeconds": 50000, "ExternalId": "ext-123"})
            ),
            call(json!({"RoleArn": "arn:aws:iam::123:role/x", "RoleSessionName": "alice"})),
            call(json!({"RoleArn": ext_role, "RoleSessionName": "a b", "ExternalId": "ext-123"})),
        ]),
    ) else {
        return;
    };
    let denied = |i: usize, role: &str| {
        assert_eq!(r[i]["status"], 403, "{i}: {}", r[i]);
        assert_eq!(r[i]["code"], "AccessDenied", "{i}");
        assert_eq!(
            r[i]["message"],
            format!(
                "User: {source_arn} is not authorized to perform: sts:AssumeRole on resource: {role}"
            ),
            "{i}"
        );
    };
    denied(0, DEMO_ROLE);
    denied(1, mfa_role);
    assert_eq!(r[2]["code"], "AccessDenied");
    assert_eq!(
        r[2]["message"],
        "MultiFactorAuthentication failed with invalid MFA one time pass code."
    );
    assert_eq!(r[3]["code"], "AccessDenied");
    assert_eq!(
        r[3]["message"],
        "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user."
    );
    assert_eq!(r[4]["status"], 200, "{}", r[4]);
    denied(5, ext_role);
    denied(6, ext_role);
    assert_eq!(r[7]["status"], 200, "{}", r[7]);
    for i in [8, 9, 10, 11] {
        assert_eq!(r[i]["status"], 400, "{i}: {}", r[i]);
        assert_eq!(r[i]["code"], "ValidationError", "{i}");
    }
    assert_eq!(
        r[8]["message"],
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
    );
    assert!(
        r[9]["message"]
            .as_str()
            .unwrap()
            .contains("less than or equal to 43200")
    );
    // The last request is recorded with what botocore sent.
    let last = emu.last_assume_role().unwrap();
    assert_eq!(last.role_session_name.as_deref(), Some("a b"));

    // The MFA parameters reached the emulator.
    let Some(r) = botocore_sts(
        &emu,
        &json!([call(
            json!({"RoleArn": mfa_role, "RoleSessionName": "alice", "SerialNumber": serial, "TokenCode": "123456"})
        )]),
    ) else {
        return;
    };
    assert_eq!(r[0]["status"], 200);
    let last = emu.last_assume_role().unwrap();
    assert_eq!(last.serial_number.as_deref(), Some(serial));
    assert_eq!(last.token_code.as_deref(), Some("123456"));

    // role_ttl caps sessions, so tests can make short ones.
    emu.set_role_ttl(60);
    emu.set_role_denied(DEMO_ROLE, false);
    let r = botocore_sts(
        &emu,
        &json!([call(
            json!({"RoleArn": DEMO_ROLE, "RoleSessionName": "alice"})
        )]),
    )
    .unwrap();
    assert!(
        r[0]["Expiration"]
            .as_u64()
            .unwrap()
            .abs_diff(now_secs() + 60)
            < 5
    );

    // Expired source credentials.
    assert!(emu.expire_credentials() >= 1);
    let r = botocore_sts(
        &emu,
        &json!([call(
            json!({"RoleArn": DEMO_ROLE, "RoleSessionName": "alice"})
        )]),
    )
    .unwrap();
    assert_eq!(r[0]["status"], 400, "{}", r[0]);
    assert_eq!(r[0]["code"], "ExpiredToken");
    assert_eq!(
        r[0]["message"],
        "The security token included in the request is expired"
    );
}

#[test]
fn sts_controls_and_faults_over_http() {
    let emu = start();
    let role = "arn:aws:iam::222222222222:role/ctl";
    let r = post(
        &emu,
        "/_emulator/sts",
        &json!({"role_arn": role, "deny": true, "mfa": {"serial_number": "s-123456789", "token_code": "000000"}, "external_id": "e1"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    for bad in [
        json!({"deny": true}),
        json!({"role_arn": role, "deny": "yes"}),
        json!({"role_arn": role, "mfa": {"serial_number": "s"}}),
        json!({"role_arn": role, "other": 1}),
    ] {
        assert_eq!(post(&emu, "/_emulator/sts", &bad).status, 400, "{bad}");
    }
    assert_eq!(get(&emu, "/_emulator/sts/last-request", None).status, 404);
    let (ak, sk, tok) = portal_credentials(&emu);
    let creds = json!([ak, sk, tok]);
    emu.add_fault(Fault::parse("assume-role:500:1").unwrap());
    emu.add_fault(Fault::parse("sts:429:1").unwrap());
    let Some(r) = botocore_sts(
        &emu,
        &json!([
            {"creds": creds, "client": {"RoleArn": role, "RoleSessionName": "alice", "ExternalId": "e1", "SerialNumber": "s-123456789", "TokenCode": "000000"}},
        ]),
    ) else {
        return;
    };
    // botocore retried the InternalFailure and the Throttling, then met the denial.
    assert_eq!(r[0]["code"], "AccessDenied", "{}", r[0]);
    let stats = emu.stats();
    assert_eq!((stats.assume_role, stats.faults_injected), (3, 2));
    let last = get(&emu, "/_emulator/sts/last-request", None);
    assert_eq!(last.status, 200);
    assert_eq!(last.json()["external_id"], "e1");
    assert_eq!(last.json()["token_code"], "000000");
    // reset lifts the controls.
    assert_eq!(post(&emu, "/_emulator/reset", &json!({})).status, 200);
    let r = botocore_sts(
        &emu,
        &json!([{"creds": creds, "client": {"RoleArn": role, "RoleSessionName": "alice"}}]),
    )
    .unwrap();
    assert_eq!(r[0]["status"], 200, "{}", r[0]);
}
