//! Injected faults: "the next N requests to operation X fail in way Y".
//! They let tests (and `ssoenv emulator --fault …`) exercise retries, throttling
//! and slow networks without a real outage.

use std::fmt;
use std::str::FromStr;

/// The AWS operations the emulator serves (docs/sso-oidc.md, docs/portal.md, docs/sts-sigv4.md, docs/signin.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    RegisterClient,
    StartDeviceAuthorization,
    CreateToken,
    GetRoleCredentials,
    ListAccounts,
    ListAccountRoles,
    Logout,
    /// STS AssumeRole (`POST /`, form body).
    AssumeRole,
    /// The sign-in federation endpoint's `Action=getSigninToken` (console URLs).
    GetSigninToken,
}

impl Op {
    pub const ALL: [Op; 9] = [
        Op::RegisterClient,
        Op::StartDeviceAuthorization,
        Op::CreateToken,
        Op::GetRoleCredentials,
        Op::ListAccounts,
        Op::ListAccountRoles,
        Op::Logout,
        Op::AssumeRole,
        Op::GetSigninToken,
    ];

    /// The AWS operation name, e.g. `CreateToken`.
    pub fn aws_name(self) -> &'static str {
        match self {
            Op::RegisterClient => "RegisterClient",
            Op::StartDeviceAuthorization => "StartDeviceAuthorization",
            Op::CreateToken => "CreateToken",
            Op::GetRoleCredentials => "GetRoleCredentials",
            Op::ListAccounts => "ListAccounts",
            Op::ListAccountRoles => "ListAccountRoles",
            Op::Logout => "Logout",
            Op::AssumeRole => "AssumeRole",
            Op::GetSigninToken => "getSigninToken",
        }
    }

    /// The short name used in fault specs, e.g. `token`.
    pub fn short_name(self) -> &'static str {
        match self {
            Op::RegisterClient => "register",
            Op::StartDeviceAuthorization => "device",
            Op::CreateToken => "token",
            Op::GetRoleCredentials => "credentials",
            Op::ListAccounts => "accounts",
            Op::ListAccountRoles => "roles",
            Op::Logout => "logout",
            Op::AssumeRole => "assume-role",
            Op::GetSigninToken => "signin",
        }
    }

    /// True for the SSO-OIDC operations (error bodies `{"error","error_description"}`),
    /// false for the portal ones (error bodies `{"message"}`).
    pub fn is_oidc(self) -> bool {
        matches!(
            self,
            Op::RegisterClient | Op::StartDeviceAuthorization | Op::CreateToken
        )
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.aws_name())
    }
}

impl FromStr for Op {
    type Err = String;
    /// Accepts the short names of the fault grammar and the AWS operation names
    /// (case-insensitive).
    fn from_str(s: &str) -> Result<Op, String> {
        let op = match s.to_ascii_lowercase().as_str() {
            "register" | "registerclient" => Op::RegisterClient,
            "device"
            | "start"
            | "authorize"
            | "device_authorization"
            | "startdeviceauthorization" => Op::StartDeviceAuthorization,
            "token" | "createtoken" => Op::CreateToken,
            "credentials" | "creds" | "role_credentials" | "getrolecredentials" => {
                Op::GetRoleCredentials
            }
            "accounts" | "listaccounts" => Op::ListAccounts,
            "roles" | "listaccountroles" => Op::ListAccountRoles,
            "logout" => Op::Logout,
            "assume-role" | "assume_role" | "assumerole" | "sts" => Op::AssumeRole,
            "signin" | "getsignintoken" => Op::GetSigninToken,
            _ => {
                return Err(format!(
                    "unknown operation `{s}` (expected one of: any, register, device, token, credentials, accounts, roles, logout, assume-role, signin)"
                ));
            }
        };
        Ok(op)
    }
}

/// What happens to a request that meets a fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// HTTP 500: `InternalServerException` (`server_error` for SSO-OIDC).
    ServerError,
    /// HTTP 429 `TooManyRequestsException`, with `Retry-After: <secs>` when given.
    Throttle { retry_after: Option<u64> },
    /// Sleep this long, then answer normally.
    Slow { millis: u64 },
    /// HTTP 401: `UnauthorizedException` on the portal, `InvalidClientException` on SSO-OIDC.
    Unauthorized,
    /// HTTP 400 `SlowDownException` (`slow_down`) on SSO-OIDC; a 429 on the portal,
    /// which has no slow_down error.
    SlowDown,
    /// Answer 200 with a body that is not JSON (a truncated object).
    Garbage,
    /// Answer normally, but send the response one byte every `millis` ms.
    Trickle { millis: u64 },
    /// A hostile answer: a successful response with the JSON value at each
    /// `pointer` (RFC 6901, e.g. `/roleCredentials/secretAccessKey`) replaced by
    /// its value (added when absent). Error answers are left alone. Built in
    /// code only: the `OP:KIND` grammar has no room for JSON.
    Patch {
        fields: Vec<(String, serde_json::Value)>,
    },
    /// An error answer with this status and message (`InvalidRequestException`,
    /// `invalid_request`), to test how server text is shown. Built in code only.
    Reject { status: u16, message: String },
    /// An error answer with this status whose message (JSON, for every
    /// operation) quotes the request as a careless server might: its query
    /// re-encoded with lower-case percent escapes, then a raw piece of each
    /// value. Built in code only.
    Echo { status: u16 },
}

/// A fault: the next `times` requests to `op` (every operation when `None`) get `kind`.
/// `times == u32::MAX` means "every request, forever".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub op: Option<Op>,
    pub kind: FaultKind,
    pub times: u32,
}

/// `times` value for a fault that never runs out (`*` in a spec).
pub const FOREVER: u32 = u32::MAX;

impl Fault {
    pub fn new(op: Option<Op>, kind: FaultKind, times: u32) -> Fault {
        Fault { op, kind, times }
    }

    /// Parses `OP:KIND[:TIMES]`:
    /// - OP: `any` (or `*`), `register`, `device` (or `start`), `token`, `credentials`
    ///   (or `creds`), `accounts`, `roles`, `logout`, `assume-role` (or `sts`), `signin`, or an
    ///   AWS operation name.
    /// - KIND: `500` (or `error`), `429` / `throttle` with an optional `=SECS` for a
    ///   `Retry-After` header (`429=2`), `slow=MILLIS`, `401` (or `unauthorized`),
    ///   `slow_down` (or `slowdown`), `garbage` (200 with a body that is not JSON),
    ///   `trickle=MILLIS` (one byte of the answer every MILLIS ms), `hang` (no
    ///   answer for an hour).
    /// - TIMES: a positive count (default 1), or `*` for every request.
    ///
    /// Examples: `token:500:2`, `token:429:1`, `credentials:slow=3000:1`, `any:500:1`.
    pub fn parse(spec: &str) -> Result<Fault, String> {
        let spec = spec.trim();
        let parts: Vec<&str> = spec.split(':').collect();
        if parts.len() < 2 || parts.len() > 3 {
            return Err(format!(
                "invalid fault `{spec}`: expected OP:KIND[:TIMES], e.g. `token:500:2`"
            ));
        }
        let op = match parts[0].trim() {
            "any" | "*" | "all" => None,
            other => Some(
                other
                    .parse::<Op>()
                    .map_err(|e| format!("invalid fault `{spec}`: {e}"))?,
            ),
        };
        let kind =
            parse_kind(parts[1].trim()).map_err(|e| format!("invalid fault `{spec}`: {e}"))?;
        let times = match parts.get(2).map(|t| t.trim()) {
            None => 1,
            Some("*") => FOREVER,
            Some(t) => match t.parse::<u32>() {
                Ok(n) if n > 0 => n,
                _ => {
                    return Err(format!(
                        "invalid fault `{spec}`: TIMES must be a positive number or `*`, not `{t}`"
                    ));
                }
            },
        };
        Ok(Fault { op, kind, times })
    }

    /// Parses several specs separated by commas (`token:500:1,credentials:429:1`).
    pub fn parse_list(specs: &str) -> Result<Vec<Fault>, String> {
        specs
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(Fault::parse)
            .collect()
    }

    pub(crate) fn matches(&self, op: Op) -> bool {
        self.times > 0 && self.op.is_none_or(|o| o == op)
    }
}

impl FromStr for Fault {
    type Err = String;
    fn from_str(s: &str) -> Result<Fault, String> {
        Fault::parse(s)
    }
}

fn parse_kind(kind: &str) -> Result<FaultKind, String> {
    let (name, arg) = match kind.split_once('=') {
        Some((n, a)) => (n.trim(), Some(a.trim())),
        None => (kind, None),
    };
    let number = |what: &str| -> Result<u64, String> {
        match arg {
            Some(a) => a
                .parse::<u64>()
                .map_err(|_| format!("`{name}=` needs a number of {what}, not `{a}`")),
            None => Err(format!("`{name}` needs `={what}`, e.g. `{name}=3000`")),
        }
    };
    let no_arg = |k: FaultKind| -> Result<FaultKind, String> {
        match arg {
            None => Ok(k),
            Some(_) => Err(format!("`{name}` takes no `=` value")),
        }
    };
    match name.to_ascii_lowercase().as_str() {
        "500" | "error" | "server_error" => no_arg(FaultKind::ServerError),
        "429" | "throttle" => Ok(FaultKind::Throttle {
            retry_after: match arg {
                Some(_) => Some(number("seconds")?),
                None => None,
            },
        }),
        "slow" | "delay" => Ok(FaultKind::Slow {
            millis: number("milliseconds")?,
        }),
        "401" | "unauthorized" => no_arg(FaultKind::Unauthorized),
        "slow_down" | "slowdown" => no_arg(FaultKind::SlowDown),
        "garbage" | "malformed" => no_arg(FaultKind::Garbage),
        "trickle" => Ok(FaultKind::Trickle {
            millis: number("milliseconds")?,
        }),
        "hang" => no_arg(FaultKind::Slow { millis: 3_600_000 }),
        _ => Err(format!(
            "unknown fault kind `{kind}` (expected 500, 429[=SECS], slow=MILLIS, 401, slow_down, garbage, trickle=MILLIS or hang)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_from_the_cli_parse_into_faults() {
        assert_eq!(
            Fault::parse("token:500:2").unwrap(),
            Fault::new(Some(Op::CreateToken), FaultKind::ServerError, 2)
        );
        assert_eq!(
            Fault::parse("token:429:1").unwrap(),
            Fault::new(
                Some(Op::CreateToken),
                FaultKind::Throttle { retry_after: None },
                1
            )
        );
        assert_eq!(
            Fault::parse("credentials:slow=3000:1").unwrap(),
            Fault::new(
                Some(Op::GetRoleCredentials),
                FaultKind::Slow { millis: 3000 },
                1
            )
        );
        assert_eq!(
            Fault::parse("any:500:1").unwrap(),
            Fault::new(None, FaultKind::ServerError, 1)
        );
        assert_eq!(
            Fault::parse("accounts:429=7").unwrap(),
            Fault::new(
                Some(Op::ListAccounts),
                FaultKind::Throttle {
                    retry_after: Some(7)
                },
                1
            )
        );
        assert_eq!(
            Fault::parse("CreateToken:slow_down:*").unwrap(),
            Fault::new(Some(Op::CreateToken), FaultKind::SlowDown, FOREVER)
        );
        assert_eq!(
            Fault::parse("roles:401:3").unwrap(),
            Fault::new(Some(Op::ListAccountRoles), FaultKind::Unauthorized, 3)
        );
        assert_eq!(
            Fault::parse_list("token:500:1, logout:401").unwrap().len(),
            2
        );
        assert_eq!(
            Fault::parse("credentials:garbage").unwrap().kind,
            FaultKind::Garbage
        );
        assert_eq!(
            Fault::parse("credentials:trickle=200:*").unwrap(),
            Fault::new(
                Some(Op::GetRoleCredentials),
                FaultKind::Trickle { millis: 200 },
                FOREVER
            )
        );
        assert_eq!(
            Fault::parse("any:hang").unwrap().kind,
            FaultKind::Slow { millis: 3_600_000 }
        );
    }

    #[test]
    fn bad_specs_are_rejected_with_a_reason() {
        for bad in [
            "",
            "token",
            "tokn:500:1",
            "token:404:1",
            "token:500:0",
            "token:500:-1",
            "token:500:x",
            "token:slow:1",
            "token:slow=abc:1",
            "token:500=3:1",
            "token:500:1:1",
        ] {
            let err = Fault::parse(bad).unwrap_err();
            assert!(err.contains("invalid fault"), "{bad}: {err}");
        }
    }
}
