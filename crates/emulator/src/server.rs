//! HTTP glue: routes a tiny_http request to an operation in `state.rs`, applies
//! injected faults, and writes the answer the way AWS does (JSON bodies,
//! `x-amzn-ErrorType`, `x-amzn-RequestId`). The clock is read here, and only here.

use crate::api::{ApiError, Query};
use crate::fault::{Fault, FaultKind, Op};
use crate::state::State;
use crate::sts::SignedRequest;
use serde_json::{Value, json};
use std::io::Read;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tiny_http::{Header, Method, Request, Response};

pub(crate) type Shared = Arc<Mutex<State>>;

const REQUEST_ID: &str = "x-amzn-RequestId";

/// Bodies larger than this are refused: nothing the API takes comes close.
const MAX_BODY: u64 = 1 << 20;

/// The suffix AWS puts after SSO-OIDC error names in `x-amzn-ErrorType` (docs/sso-oidc.md#errors).
const OIDC_ERROR_NAMESPACE: &str = "http://internal.amazon.com/coral/com.amazonaws.sso.oidc/";

pub(crate) fn lock(shared: &Shared) -> MutexGuard<'_, State> {
    // A panic in one handler must not take the whole emulator down with it.
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The request as received, for what must see it unparsed (STS signatures).
struct Received<'a> {
    /// Names lower-cased, in the order received.
    headers: &'a [(String, String)],
    /// The query string, still encoded.
    query: &'a str,
}

/// An answer, before it becomes a tiny_http response.
struct Out {
    status: u16,
    body: Vec<u8>,
    content_type: Option<&'static str>,
    headers: Vec<(&'static str, String)>,
    /// Send the body one byte per this many milliseconds (a `trickle` fault).
    trickle: Option<u64>,
}

/// A body that arrives one byte at a time, slowly.
struct Trickle {
    data: Vec<u8>,
    pos: usize,
    delay: Duration,
}

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.data.len() || buf.is_empty() {
            return Ok(0);
        }
        std::thread::sleep(self.delay);
        buf[0] = self.data[self.pos];
        self.pos += 1;
        Ok(1)
    }
}

impl Out {
    fn json(status: u16, v: &Value) -> Out {
        Out {
            status,
            body: serde_json::to_vec(v).unwrap_or_default(),
            content_type: Some("application/json"),
            headers: Vec::new(),
            trickle: None,
        }
    }

    fn empty() -> Out {
        Out {
            status: 200,
            body: Vec::new(),
            content_type: None,
            headers: Vec::new(),
            trickle: None,
        }
    }

    /// An AWS error in the shape of the API `op` belongs to (docs/sso-oidc.md#errors, docs/portal.md#errors).
    fn error(oidc: bool, e: &ApiError) -> Out {
        let (ty, body) = if oidc {
            (
                format!("{}Exception:{OIDC_ERROR_NAMESPACE}", e.name),
                json!({"error": e.code, "error_description": e.message}),
            )
        } else {
            (
                format!("{}Exception", e.name),
                json!({"message": e.message}),
            )
        };
        let mut out = Out::json(e.status, &body);
        out.headers.push(("x-amzn-ErrorType", ty));
        if let Some(secs) = e.retry_after {
            out.headers.push(("Retry-After", secs.to_string()));
        }
        out
    }

    fn not_found(path: &str) -> Out {
        let mut out = Out::json(404, &json!({"message": format!("No operation at {path}")}));
        out.headers
            .push(("x-amzn-ErrorType", "UnknownOperationException".to_string()));
        out
    }

    /// An STS answer: XML, its request id also in `x-amzn-RequestId`.
    fn xml(status: u16, body: String, request_id: String) -> Out {
        Out {
            status,
            body: body.into_bytes(),
            content_type: Some("text/xml"),
            headers: vec![(REQUEST_ID, request_id)],
            trickle: None,
        }
    }

    /// The sign-in endpoint's errors: a status and a line of text, not JSON.
    fn text(status: u16, body: &str) -> Out {
        Out {
            status,
            body: format!("{body}\n").into_bytes(),
            content_type: Some("text/plain; charset=utf-8"),
            headers: Vec::new(),
            trickle: None,
        }
    }

    fn sts_error(shared: &Shared, e: &ApiError) -> Out {
        let request_id = lock(shared).ids.request_id();
        let mut out = Out::xml(e.status, crate::sts::error_xml(e, &request_id), request_id);
        if let Some(secs) = e.retry_after {
            out.headers.push(("Retry-After", secs.to_string()));
        }
        out
    }

    /// An error in the shape of `op`'s service.
    fn error_for(op: Op, e: &ApiError) -> Out {
        if op == Op::GetSigninToken {
            return Out::text(e.status, &e.message);
        }
        Out::error(op.is_oidc(), e)
    }

    fn html(body: &str) -> Out {
        Out {
            status: 200,
            body: body.as_bytes().to_vec(),
            content_type: Some("text/html; charset=utf-8"),
            headers: Vec::new(),
            trickle: None,
        }
    }
}

/// Answers one request; runs on its own thread.
pub(crate) fn handle(shared: &Shared, mut rq: Request) {
    let url = rq.url().to_string();
    let (path, raw_query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    let query = Query::parse(raw_query);
    let token = rq
        .headers()
        .iter()
        .find(|h| h.field.equiv("x-amz-sso_bearer_token"))
        .map(|h| h.value.as_str().trim().to_string())
        .filter(|t| !t.is_empty());
    let mut body = Vec::new();
    let too_big = rq
        .as_reader()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body)
        .map(|n| n as u64 > MAX_BODY);
    let method = rq.method().clone();
    // Every header, names lower-cased, in the order received (STS checks signatures).
    let headers: Vec<(String, String)> = rq
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_ascii_lowercase(),
                h.value.as_str().to_string(),
            )
        })
        .collect();

    let mut out = match too_big {
        Err(_) => return, // The client went away mid-body.
        Ok(true) => Out::error(
            true,
            &ApiError::invalid_request("The request body is too large"),
        ),
        Ok(false) => {
            let raw = Received {
                headers: &headers,
                query: raw_query,
            };
            route(shared, &method, path, &query, token.as_deref(), &body, &raw)
        }
    };
    // An answer that carries its request id in its body (STS) sets the header too.
    let request_id = match out.headers.iter().position(|(k, _)| *k == REQUEST_ID) {
        Some(i) => out.headers.remove(i).1,
        None => lock(shared).ids.request_id(),
    };
    respond(rq, out, &request_id);
}

fn respond(rq: Request, out: Out, request_id: &str) {
    let mut headers = Vec::new();
    let mut add = |name: &str, value: &str| {
        if let Ok(h) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            headers.push(h);
        }
    };
    add(REQUEST_ID, request_id);
    if let Some(ct) = out.content_type {
        add("Content-Type", ct);
    }
    for (name, value) in &out.headers {
        add(name, value);
    }
    let len = out.body.len();
    // The client may have gone away; there is no one left to tell.
    let _ = match out.trickle {
        Some(ms) => {
            let body = Trickle {
                data: out.body,
                pos: 0,
                delay: Duration::from_millis(ms),
            };
            rq.respond(Response::new(
                out.status.into(),
                headers,
                body,
                Some(len),
                None,
            ))
        }
        None => {
            let mut resp = Response::from_data(out.body).with_status_code(out.status);
            for h in headers {
                resp.add_header(h);
            }
            rq.respond(resp)
        }
    };
}

fn operation(method: &Method, path: &str) -> Option<Op> {
    let op = match (method, path) {
        (Method::Post, "/client/register") => Op::RegisterClient,
        (Method::Post, "/device_authorization") => Op::StartDeviceAuthorization,
        (Method::Post, "/token") => Op::CreateToken,
        (Method::Get, "/federation/credentials") => Op::GetRoleCredentials,
        (Method::Get, "/assignment/accounts") => Op::ListAccounts,
        (Method::Get, "/assignment/roles") => Op::ListAccountRoles,
        (Method::Post, "/logout") => Op::Logout,
        // STS: the Query protocol posts every action to `/`.
        (Method::Post, "/") => Op::AssumeRole,
        // Only `Action=getSigninToken` gets here; `route` serves `Action=login`.
        (Method::Get, "/federation") => Op::GetSigninToken,
        _ => return None,
    };
    Some(op)
}

fn route(
    shared: &Shared,
    method: &Method,
    path: &str,
    query: &Query,
    token: Option<&str>,
    body: &[u8],
    raw: &Received,
) -> Out {
    if let Some(control) = path.strip_prefix("/_emulator/") {
        return control_endpoint(shared, method, control, query, body);
    }
    if *method == Method::Get && (path == "/start" || path.starts_with("/start/")) {
        return Out::html(START_PAGE);
    }
    if *method == Method::Get && path == "/authorize" {
        return authorize(shared, query);
    }
    if *method == Method::Get && path == "/federation" {
        match query.get("Action") {
            Some("getSigninToken") => {}
            Some("login") => return console_login(shared, query),
            _ => return Out::text(400, "Unknown or missing Action"),
        }
    }
    let Some(op) = operation(method, path) else {
        return Out::not_found(path);
    };
    let oidc = op.is_oidc();
    // SSO-OIDC bodies are parsed before counting so CreateToken can be counted per grant.
    let parsed: Result<Value, ApiError> = if oidc {
        serde_json::from_slice(body).map_err(|e| {
            ApiError::invalid_request(format!("The request body is not valid JSON: {e}"))
        })
    } else {
        Ok(Value::Null)
    };
    let grant = parsed
        .as_ref()
        .ok()
        .and_then(|v| v.get("grantType"))
        .and_then(Value::as_str);

    let (fault, latency) = {
        let mut st = lock(shared);
        (st.begin(op, grant), st.cfg.latency_ms)
    };
    // Every request sleeps on its own thread: concurrent requests overlap.
    if latency > 0 {
        std::thread::sleep(Duration::from_millis(latency));
    }
    if let Some(kind) = &fault {
        if let FaultKind::Slow { millis } = kind {
            std::thread::sleep(Duration::from_millis(*millis));
        } else if let FaultKind::Echo { status } = kind {
            let e = ApiError::new(
                *status,
                "InvalidRequest",
                "invalid_request",
                echo(raw.query),
            );
            if op == Op::AssumeRole {
                return Out::sts_error(shared, &crate::sts::fault_error(e));
            }
            // JSON even for the sign-in endpoint (whose own errors are plain
            // text): an echo that a client reads as the error's message.
            return Out::error(op.is_oidc(), &e);
        } else if let Some(e) = ApiError::from_fault(op, kind) {
            if op == Op::AssumeRole {
                return Out::sts_error(shared, &crate::sts::fault_error(e));
            }
            return Out::error_for(op, &e);
        }
    }
    let mut out = if op == Op::AssumeRole {
        sts_answer(
            shared,
            &SignedRequest {
                method: method.as_str(),
                path,
                query: raw.query,
                headers: raw.headers,
                body,
            },
        )
    } else {
        answer(shared, op, parsed, query, token)
    };
    match fault {
        Some(FaultKind::Garbage) if out.status == 200 => {
            out.body = b"{\"roleCredentials\": {\"accessKeyId\": \"ASIA".to_vec();
        }
        Some(FaultKind::Trickle { millis }) => out.trickle = Some(millis),
        Some(FaultKind::Patch { fields }) if out.status == 200 => {
            if let Ok(mut v) = serde_json::from_slice::<Value>(&out.body) {
                for (pointer, value) in fields {
                    patch(&mut v, &pointer, value);
                }
                out.body = serde_json::to_vec(&v).unwrap_or_default();
            }
        }
        _ => {}
    }
    out
}

/// What an echoing server says about a request whose query is `raw`: the
/// query with every escape in lower case (`%2F` → `%2f`), then the middle
/// third of each decoded value, raw.
fn echo(raw: &str) -> String {
    let mut lower = String::with_capacity(raw.len());
    let mut hex_left = 0;
    for c in raw.chars() {
        if hex_left > 0 {
            lower.push(c.to_ascii_lowercase());
            hex_left -= 1;
        } else {
            if c == '%' {
                hex_left = 2;
            }
            lower.push(c);
        }
    }
    let pieces: Vec<String> = Query::parse(raw)
        .0
        .iter()
        .map(|(k, v)| {
            let chars: Vec<char> = v.chars().collect();
            let n = chars.len();
            let piece: String = chars[n / 3..2 * n / 3].iter().collect();
            format!("{k} has …{piece}…")
        })
        .collect();
    format!("cannot parse {lower}; {}", pieces.join("; "))
}

/// The PKCE authorize page (approved at once): a 302 to the loopback callback,
/// or the error as JSON when there is nowhere safe to redirect.
fn authorize(shared: &Shared, query: &Query) -> Out {
    match lock(shared).authorize(query, now()) {
        Ok(location) => Out {
            status: 302,
            body: Vec::new(),
            content_type: None,
            headers: vec![("Location", location)],
            trickle: None,
        },
        Err(e) => Out::error(true, &e),
    }
}

/// Sets the value at JSON pointer `pointer`, adding the last key when absent.
fn patch(v: &mut Value, pointer: &str, value: Value) {
    if let Some(slot) = v.pointer_mut(pointer) {
        *slot = value;
        return;
    }
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    if let Some(Value::Object(m)) = v.pointer_mut(parent) {
        m.insert(key.to_string(), value);
    }
}

/// The operation's own answer.
fn answer(
    shared: &Shared,
    op: Op,
    parsed: Result<Value, ApiError>,
    query: &Query,
    token: Option<&str>,
) -> Out {
    let result = lock(shared).answer(op, parsed, query, token, now());
    match result {
        Ok(Some(v)) => Out::json(200, &v),
        Ok(None) => Out::empty(),
        Err(e) => Out::error_for(op, &e),
    }
}

/// `GET /federation?Action=login…`: a 302 to the destination for a fresh
/// SigninToken, else a 400.
fn console_login(shared: &Shared, query: &Query) -> Out {
    match lock(shared).console_login(query, now()) {
        Ok(to) => {
            let mut out = Out::text(302, "Redirecting to the console");
            out.headers.push(("Location", to));
            out
        }
        Err(e) => Out::text(e.status, &e.message),
    }
}

/// STS AssumeRole, from the request as received: XML, with the request id
/// of the body in the header too.
fn sts_answer(shared: &Shared, req: &SignedRequest) -> Out {
    let mut st = lock(shared);
    let request_id = st.ids.request_id();
    match st.assume_role(req, &request_id, now()) {
        Ok(xml) => Out::xml(200, xml, request_id),
        Err(e) => Out::xml(e.status, crate::sts::error_xml(&e, &request_id), request_id),
    }
}

/// `/_emulator/*`: control for out-of-process users (`ssoenv emulator`, tests running
/// the binary). Bodies and answers are JSON with snake_case keys.
fn control_endpoint(
    shared: &Shared,
    method: &Method,
    what: &str,
    query: &Query,
    body: &[u8],
) -> Out {
    let bad = |msg: String| Out::json(400, &json!({"message": msg}));
    let parse_body = || -> Result<Value, String> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(json!({}));
        }
        serde_json::from_slice::<Value>(body)
            .map_err(|e| format!("invalid JSON body: {e}"))
            .and_then(|v| {
                if v.is_object() {
                    Ok(v)
                } else {
                    Err("the body must be a JSON object".to_string())
                }
            })
    };
    match (method, what) {
        (Method::Get, "stats") => {
            let stats = lock(shared).stats.clone();
            Out::json(200, &serde_json::to_value(stats).unwrap_or(Value::Null))
        }
        (Method::Post, "faults") => {
            let v = match parse_body() {
                Ok(v) => v,
                Err(e) => return bad(e),
            };
            let Some(spec) = v.get("spec").and_then(Value::as_str) else {
                return bad("expected {\"spec\":\"OP:KIND[:TIMES]\"}".to_string());
            };
            match Fault::parse_list(spec) {
                Ok(faults) => {
                    let mut st = lock(shared);
                    for f in faults {
                        st.add_fault(f);
                    }
                    Out::json(200, &json!({"pending_faults": st.cfg.faults.len()}))
                }
                Err(e) => bad(e),
            }
        }
        (Method::Post, "reset") => {
            lock(shared).reset();
            Out::json(200, &json!({}))
        }
        (Method::Post, "expire-credentials") => {
            let n = lock(shared).expire_credentials(now());
            Out::json(200, &json!({"expired": n}))
        }
        (Method::Get, "credentials") => {
            let Some(key) = query.get("access_key_id") else {
                return bad("expected ?access_key_id=ASIA...".to_string());
            };
            match lock(shared).credential_expiry(key) {
                Some(exp) => Out::json(
                    200,
                    &json!({"access_key_id": key, "expiration": exp, "valid": exp > now()}),
                ),
                None => Out::json(
                    404,
                    &json!({"message": "the emulator did not issue these credentials"}),
                ),
            }
        }
        (Method::Post, "sts") => {
            let v = match parse_body() {
                Ok(v) => v,
                Err(e) => return bad(e),
            };
            match sts_control(shared, &v) {
                Ok(()) => Out::json(200, &json!({})),
                Err(e) => bad(e),
            }
        }
        (Method::Get, "sts/last-request") => match lock(shared).sts.last.clone() {
            Some(call) => Out::json(200, &serde_json::to_value(call).unwrap_or(Value::Null)),
            None => Out::json(404, &json!({"message": "no AssumeRole request yet"})),
        },
        (Method::Post, "revoke") => {
            lock(shared).revoke_all_tokens();
            Out::json(200, &json!({}))
        }
        (Method::Post, "settings") => {
            let v = match parse_body() {
                Ok(v) => v,
                Err(e) => return bad(e),
            };
            let mut st = lock(shared);
            let mut cfg = st.cfg.clone();
            for (key, val) in v.as_object().into_iter().flatten() {
                let ok = match key.as_str() {
                    "deny" => val.as_bool().map(|b| cfg.deny = b),
                    "expire_device_codes" => val.as_bool().map(|b| cfg.expire_device_codes = b),
                    "token_ttl" => val.as_u64().map(|n| cfg.token_ttl = n),
                    "role_ttl" => val.as_u64().map(|n| cfg.role_ttl = n),
                    "latency_ms" => val.as_u64().map(|n| cfg.latency_ms = n),
                    "approve_after_polls" => val
                        .as_u64()
                        .and_then(|n| u32::try_from(n).ok())
                        .map(|n| cfg.approve_after_polls = n),
                    _ => return bad(format!("unknown setting `{key}`")),
                };
                if ok.is_none() {
                    return bad(format!("invalid value for `{key}`: {val}"));
                }
            }
            st.cfg = cfg;
            Out::json(200, &json!({}))
        }
        _ => Out::not_found(&format!("/_emulator/{what}")),
    }
}

/// `POST /_emulator/sts`: `{"role_arn": ARN}` with any of `"deny": bool`,
/// `"mfa": {"serial_number", "token_code"}` (null lifts it) and
/// `"external_id": "…"` (null lifts it). Checked whole before anything changes.
fn sts_control(shared: &Shared, v: &Value) -> Result<(), String> {
    let Some(role) = v.get("role_arn").and_then(Value::as_str) else {
        return Err("expected {\"role_arn\": \"arn:aws:iam::…:role/…\", …}".to_string());
    };
    for key in v.as_object().into_iter().flatten().map(|(k, _)| k) {
        if !["role_arn", "deny", "mfa", "external_id"].contains(&key.as_str()) {
            return Err(format!("unknown STS control `{key}`"));
        }
    }
    let deny = match v.get("deny") {
        None => None,
        Some(d) => Some(d.as_bool().ok_or("`deny` must be true or false")?),
    };
    let mfa = match v.get("mfa") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(m) => {
            let field = |k: &str| m.get(k).and_then(Value::as_str);
            match (field("serial_number"), field("token_code")) {
                (Some(serial), Some(code)) => Some(Some((serial, code))),
                _ => return Err("`mfa` must be {\"serial_number\", \"token_code\"} or null".into()),
            }
        }
    };
    let external_id = match v.get("external_id") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(id)) => Some(Some(id.as_str())),
        Some(_) => return Err("`external_id` must be a string or null".into()),
    };
    let mut st = lock(shared);
    if let Some(d) = deny {
        st.sts.set_denied(role, d);
    }
    if let Some(m) = mfa {
        st.sts.set_mfa(role, m);
    }
    if let Some(id) = external_id {
        st.sts.set_external_id(role, id);
    }
    Ok(())
}

/// What a browser opened on `verificationUriComplete` shows.
const START_PAGE: &str = "<!doctype html>\n<html><head><title>ssoenv emulator</title></head>\
<body><h1>ssoenv IAM Identity Center emulator</h1>\
<p>Device authorization requests are approved automatically. You can close this tab.</p>\
</body></html>\n";
