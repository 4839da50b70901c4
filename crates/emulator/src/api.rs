//! What every service shares: AWS errors, query strings and JSON body fields.
//! Pure functions and data; no I/O.

use crate::fault::{FaultKind, Op};
use serde_json::Value;

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
    /// The portal's answer to a missing, unknown, expired or revoked token (docs/portal.md#errors).
    pub fn unauthorized() -> Self {
        Self::new(
            401,
            "Unauthorized",
            "unauthorized",
            "Session token not found or invalid",
        )
    }

    /// The error an injected fault produces for `op` (`Slow`, `Garbage`, `Trickle`
    /// and `Patch` produce none: they alter a normal answer; the server builds
    /// `Echo`'s from the raw request).
    pub fn from_fault(op: Op, kind: &FaultKind) -> Option<Self> {
        let e = match kind {
            FaultKind::Slow { .. }
            | FaultKind::Garbage
            | FaultKind::Trickle { .. }
            | FaultKind::Patch { .. }
            | FaultKind::Echo { .. } => return None,
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

// ---------------------------------------------------------------- body helpers

pub(crate) type Object = serde_json::Map<String, Value>;

pub(crate) fn object(body: &Value) -> Result<&Object, ApiError> {
    body.as_object()
        .ok_or_else(|| ApiError::invalid_request("The request body must be a JSON object"))
}

pub(crate) fn optional_str<'a>(body: &'a Object, field: &str) -> Result<Option<&'a str>, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::invalid_request(format!(
            "{field} must be a string"
        ))),
    }
}

pub(crate) fn required_str<'a>(body: &'a Object, field: &str) -> Result<&'a str, ApiError> {
    match optional_str(body, field)? {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(ApiError::invalid_request(format!(
            "Missing required parameter: {field}"
        ))),
    }
}

pub(crate) fn optional_str_list(body: &Object, field: &str) -> Result<Vec<String>, ApiError> {
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
