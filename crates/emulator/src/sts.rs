//! STS AssumeRole (docs/sts-sigv4.md): `POST /` with a form
//! body, authenticated by a SigV4 signature that this module verifies with its
//! own implementation (the emulator shares no code with the client), answered
//! in XML as STS does. Every credential the emulator issues is a role session
//! (the portal's are sessions of `AWSReservedSSO_*` roles), so every
//! AssumeRole here is role chaining: sessions last at most one hour.
//!
//! Controls: deny a role, require MFA (a serial number and a code) or an
//! external id for a role; the last request's parameters are recorded.
//! Nothing here does I/O or reads the clock.

use crate::api::{ApiError, Query};
use crate::state::{Ctx, Issued, IssuedCredentials};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

pub(crate) const NAMESPACE: &str = "https://sts.amazonaws.com/doc/2011-06-15/";
const VERSION: &str = "2011-06-15";
/// How far `X-Amz-Date` may be from the emulator's clock (AWS: 15 minutes).
const MAX_SKEW: u64 = 15 * 60;
/// The role-chaining limit on DurationSeconds.
const CHAINED_MAX: u64 = 3600;

/// A request as received: the method, the path and query as sent, the
/// headers (names lower-cased, in order) and the body.
pub(crate) struct SignedRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

impl SignedRequest<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The parameters of the last AssumeRole request that passed authentication.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AssumeRoleCall {
    /// The access key id that signed the request.
    pub source_access_key_id: String,
    pub role_arn: Option<String>,
    pub role_session_name: Option<String>,
    pub external_id: Option<String>,
    /// As sent (not parsed), so a test sees exactly what the client sent.
    pub duration_seconds: Option<String>,
    pub serial_number: Option<String>,
    pub token_code: Option<String>,
    /// The region of the signature's credential scope (`AKID/DATE/REGION/sts/aws4_request`):
    /// which region the client signed for.
    pub signing_region: String,
}

/// The MFA a role requires.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mfa {
    serial_number: String,
    token_code: String,
}

/// STS's state: the controls and what it remembers.
#[derive(Default)]
pub(crate) struct Sts {
    denied: HashSet<String>,
    mfa: HashMap<String, Mfa>,
    external_ids: HashMap<String, String>,
    /// The stable `AROA…` id of each role assumed so far.
    role_ids: HashMap<String, String>,
    pub last: Option<AssumeRoleCall>,
    /// Every AssumeRole request that passed authentication, oldest first.
    pub calls: Vec<AssumeRoleCall>,
}

impl Sts {
    pub fn set_denied(&mut self, role_arn: &str, denied: bool) {
        if denied {
            self.denied.insert(role_arn.to_string());
        } else {
            self.denied.remove(role_arn);
        }
    }

    pub fn set_mfa(&mut self, role_arn: &str, mfa: Option<(&str, &str)>) {
        match mfa {
            Some((serial, code)) => {
                self.mfa.insert(
                    role_arn.to_string(),
                    Mfa {
                        serial_number: serial.to_string(),
                        token_code: code.to_string(),
                    },
                );
            }
            None => {
                self.mfa.remove(role_arn);
            }
        }
    }

    pub fn set_external_id(&mut self, role_arn: &str, external_id: Option<&str>) {
        match external_id {
            Some(id) => {
                self.external_ids
                    .insert(role_arn.to_string(), id.to_string());
            }
            None => {
                self.external_ids.remove(role_arn);
            }
        }
    }

    /// Forgets the controls and the last request (issued sessions stay valid).
    pub fn reset(&mut self) {
        let role_ids = std::mem::take(&mut self.role_ids);
        *self = Sts {
            role_ids,
            ..Sts::default()
        };
    }

    /// `POST /` with `Action=AssumeRole`: authenticate, validate, apply the
    /// controls, issue a chained role session. Returns the XML answer.
    pub fn assume_role(
        &mut self,
        cx: &mut Ctx,
        issued: &mut Issued,
        req: &SignedRequest,
        request_id: &str,
    ) -> Result<String, ApiError> {
        let (access_key_id, source, signing_region) = authenticate(issued, req, cx.now)?;
        let form = Query::parse(std::str::from_utf8(req.body).map_err(|_| {
            ApiError::new(400, "MalformedInput", "", "The request body is not UTF-8")
        })?);
        let get = |name: &str| {
            form.0
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        match (get("Action").as_deref(), get("Version").as_deref()) {
            (Some("AssumeRole"), Some(VERSION)) => {}
            (Some(action), Some(VERSION)) => {
                return Err(ApiError::new(
                    400,
                    "InvalidAction",
                    "",
                    format!("Could not find operation {action} for version {VERSION}"),
                ));
            }
            (None, _) => {
                return Err(ApiError::new(400, "MissingAction", "", "Missing Action"));
            }
            (Some(_), _) => {
                return Err(ApiError::new(
                    400,
                    "InvalidAction",
                    "",
                    format!("The Version parameter must be {VERSION}"),
                ));
            }
        }
        let call = AssumeRoleCall {
            source_access_key_id: access_key_id.clone(),
            role_arn: get("RoleArn"),
            role_session_name: get("RoleSessionName"),
            external_id: get("ExternalId"),
            duration_seconds: get("DurationSeconds"),
            serial_number: get("SerialNumber"),
            token_code: get("TokenCode"),
            signing_region,
        };
        self.last = Some(call.clone());
        self.calls.push(call.clone());

        let role_arn = required(&call.role_arn, "RoleArn")?;
        let session = required(&call.role_session_name, "RoleSessionName")?;
        let role = parse_role_arn(role_arn)?;
        check_session_name(session)?;
        let duration = match &call.duration_seconds {
            None => None,
            Some(d) => Some(check_duration(d)?),
        };
        if let Some(code) = &call.token_code
            && !(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(validation(format!(
                "1 validation error detected: Value '{code}' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*"
            )));
        }
        if let Some(id) = &call.external_id
            && !(2..=1224).contains(&id.len())
        {
            return Err(validation(format!(
                "1 validation error detected: Value '{id}' at 'externalId' failed to satisfy constraint: Member must have length between 2 and 1224"
            )));
        }
        // Every session the emulator issues is a role session: chaining.
        if duration.is_some_and(|d| d > CHAINED_MAX) {
            return Err(validation(
                "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
            ));
        }
        let not_authorized = || {
            ApiError::new(
                403,
                "AccessDenied",
                "",
                format!(
                    "User: {} is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
                    source.arn
                ),
            )
        };
        if self.denied.contains(role_arn) {
            return Err(not_authorized());
        }
        if let Some(want) = self.external_ids.get(role_arn)
            && call.external_id.as_deref() != Some(want.as_str())
        {
            return Err(not_authorized());
        }
        // AWS's wordings (as seen in the wild): a wrong code, and a serial
        // number that is not the user's device (two spaces after "code.").
        if let Some(mfa) = self.mfa.get(role_arn) {
            match (&call.serial_number, &call.token_code) {
                // Without MFA the trust policy's condition is not met.
                (None, _) | (_, None) => return Err(not_authorized()),
                (Some(serial), Some(_)) if *serial != mfa.serial_number => {
                    return Err(ApiError::new(
                        403,
                        "AccessDenied",
                        "",
                        "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.",
                    ));
                }
                (Some(_), Some(code)) if *code != mfa.token_code => {
                    return Err(ApiError::new(
                        403,
                        "AccessDenied",
                        "",
                        "MultiFactorAuthentication failed with invalid MFA one time pass code.",
                    ));
                }
                _ => {}
            }
        }

        let lifetime = duration.unwrap_or(CHAINED_MAX).min(cx.cfg.role_ttl);
        let expires = cx.now.saturating_add(lifetime);
        let new_key = cx.ids.access_key_id();
        let secret = cx.ids.secret_access_key();
        let token = cx.ids.session_token();
        let role_id = self
            .role_ids
            .entry(role_arn.to_string())
            .or_insert_with(|| {
                format!(
                    "AROA{}",
                    cx.ids.chars_from(17, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
                )
            })
            .clone();
        let arn = format!(
            "arn:{}:sts::{}:assumed-role/{}/{session}",
            role.partition, role.account, role.name
        );
        issued.insert(
            new_key.clone(),
            IssuedCredentials {
                secret_access_key: secret.clone(),
                session_token: token.clone(),
                expires_at: expires,
                chained: true,
                arn: arn.clone(),
            },
        );
        cx.stats.roles_assumed += 1;
        Ok(format!(
            "<AssumeRoleResponse xmlns=\"{NAMESPACE}\">\n  <AssumeRoleResult>\n    <AssumedRoleUser>\n      <Arn>{}</Arn>\n      <AssumedRoleId>{}:{}</AssumedRoleId>\n    </AssumedRoleUser>\n    <Credentials>\n      <AccessKeyId>{new_key}</AccessKeyId>\n      <SecretAccessKey>{}</SecretAccessKey>\n      <SessionToken>{}</SessionToken>\n      <Expiration>{}</Expiration>\n    </Credentials>\n  </AssumeRoleResult>\n  <ResponseMetadata>\n    <RequestId>{request_id}</RequestId>\n  </ResponseMetadata>\n</AssumeRoleResponse>\n",
            xml_escape(&arn),
            role_id,
            xml_escape(session),
            xml_escape(&secret),
            xml_escape(&token),
            iso8601(expires),
        ))
    }
}

fn validation(message: impl Into<String>) -> ApiError {
    ApiError::new(400, "ValidationError", "", message)
}

fn required<'a>(v: &'a Option<String>, name: &str) -> Result<&'a str, ApiError> {
    v.as_deref().filter(|s| !s.is_empty()).ok_or_else(|| {
        validation(format!(
            "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
            lower_first(name)
        ))
    })
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_lowercase().to_string() + c.as_str())
        .unwrap_or_default()
}

struct RoleArn<'a> {
    partition: &'a str,
    account: &'a str,
    /// The role name, without its path.
    name: &'a str,
}

/// `arn:PARTITION:iam::ACCOUNT(12 digits):role/[PATH/]NAME`.
fn parse_role_arn(arn: &str) -> Result<RoleArn<'_>, ApiError> {
    let bad = || {
        validation(format!(
            "{arn} is not a valid role ARN: expected arn:PARTITION:iam::ACCOUNT:role/NAME"
        ))
    };
    if !(20..=2048).contains(&arn.len()) {
        return Err(validation(format!(
            "1 validation error detected: Value '{arn}' at 'roleArn' failed to satisfy constraint: Member must have length between 20 and 2048"
        )));
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, resource] = parts[..] else {
        return Err(bad());
    };
    let name = resource
        .strip_prefix("role/")
        .and_then(|p| p.rsplit('/').next())
        .unwrap_or("");
    let name_ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b));
    let partition_ok = !partition.is_empty()
        && partition
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'-');
    if prefix != "arn"
        || !partition_ok
        || service != "iam"
        || !region.is_empty()
        || account.len() != 12
        || !account.bytes().all(|b| b.is_ascii_digit())
        || !name_ok
    {
        return Err(bad());
    }
    Ok(RoleArn {
        partition,
        account,
        name,
    })
}

/// 2–64 characters of `[\w+=,.@-]`.
fn check_session_name(name: &str) -> Result<(), ApiError> {
    if !(2..=64).contains(&name.len()) {
        return Err(validation(format!(
            "1 validation error detected: Value '{name}' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64"
        )));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b))
    {
        return Err(validation(format!(
            "1 validation error detected: Value '{name}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"
        )));
    }
    Ok(())
}

/// An integer from 900 to 43200.
fn check_duration(d: &str) -> Result<u64, ApiError> {
    let n: u64 = d.trim().parse().map_err(|_| {
        validation(format!(
            "1 validation error detected: Value '{d}' at 'durationSeconds' failed to satisfy constraint: Member must be a number"
        ))
    })?;
    if n < 900 {
        return Err(validation(format!(
            "1 validation error detected: Value '{n}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"
        )));
    }
    if n > 43200 {
        return Err(validation(format!(
            "1 validation error detected: Value '{n}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"
        )));
    }
    Ok(n)
}

// ------------------------------------------------------------------ SigV4

fn incomplete(message: impl Into<String>) -> ApiError {
    ApiError::new(400, "IncompleteSignature", "", message)
}

fn signature_mismatch(message: impl Into<String>) -> ApiError {
    ApiError::new(403, "SignatureDoesNotMatch", "", message)
}

const SIGNATURE_MESSAGE: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

fn invalid_token() -> ApiError {
    ApiError::new(
        403,
        "InvalidClientTokenId",
        "",
        "The security token included in the request is invalid",
    )
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 …` header.
struct Authorization<'a> {
    access_key_id: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Result<Authorization<'_>, ApiError> {
    let Some(rest) = value.strip_prefix("AWS4-HMAC-SHA256 ") else {
        return Err(incomplete(format!(
            "Unsupported AWS 'algorithm': '{}'",
            value.split(' ').next().unwrap_or("")
        )));
    };
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        }
    }
    let missing = |what: &str| {
        incomplete(format!(
            "Authorization header requires '{what}' parameter. Authorization={value}"
        ))
    };
    let credential = credential.ok_or_else(|| missing("Credential"))?;
    let signed = signed.ok_or_else(|| missing("SignedHeaders"))?;
    let signature = signature.ok_or_else(|| missing("Signature"))?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, terminator] = scope[..] else {
        return Err(incomplete(format!(
            "Credential should be scoped to a valid region. Credential={credential}"
        )));
    };
    if terminator != "aws4_request" {
        return Err(signature_mismatch(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'."
        )));
    }
    if service != "sts" {
        return Err(signature_mismatch(format!(
            "Credential should be scoped to correct service: 'sts'. Credential={credential}"
        )));
    }
    Ok(Authorization {
        access_key_id,
        date,
        region,
        service,
        signed_headers: signed.split(';').collect(),
        signature,
    })
}

/// Checks the request's SigV4 signature against the credentials the
/// emulator issued; returns the signing access key id and what it was issued.
fn authenticate(
    issued: &Issued,
    req: &SignedRequest,
    now: u64,
) -> Result<(String, IssuedCredentials, String), ApiError> {
    let Some(authz) = req.header("authorization") else {
        return Err(ApiError::new(
            403,
            "MissingAuthenticationToken",
            "",
            "Request is missing Authentication Token",
        ));
    };
    let a = parse_authorization(authz)?;
    let Some(amz_date) = req.header("x-amz-date") else {
        return Err(incomplete(format!(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={authz}"
        )));
    };
    let Some(signed_at) = parse_amz_date(amz_date) else {
        return Err(incomplete(format!(
            "Date must be in ISO-8601 'basic format'. Got '{amz_date}'. See http://en.wikipedia.org/wiki/ISO_8601"
        )));
    };
    if !amz_date.starts_with(a.date) || a.date.len() != 8 {
        return Err(signature_mismatch(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{amz_date}'.",
            a.date,
            &amz_date[..8]
        )));
    }
    if signed_at + MAX_SKEW < now {
        return Err(signature_mismatch(format!(
            "Signature expired: {amz_date} is now earlier than {} ({} - 15 min.)",
            amz_basic(now - MAX_SKEW),
            amz_basic(now)
        )));
    }
    if signed_at > now + MAX_SKEW {
        return Err(signature_mismatch(format!(
            "Signature not yet current: {amz_date} is still later than {} ({} + 15 min.)",
            amz_basic(now + MAX_SKEW),
            amz_basic(now)
        )));
    }
    let Some(creds) = issued.get(a.access_key_id) else {
        return Err(invalid_token());
    };
    if !a.signed_headers.contains(&"host") {
        return Err(signature_mismatch(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    // Every header the client says it signed must be there, in order, lower case.
    let mut sorted = a.signed_headers.clone();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted != a.signed_headers || a.signed_headers.iter().any(|h| h.is_empty()) {
        return Err(signature_mismatch(SIGNATURE_MESSAGE));
    }
    let mut canonical_headers = String::new();
    for name in &a.signed_headers {
        let values: Vec<String> = req
            .headers
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        if values.is_empty() {
            return Err(signature_mismatch(SIGNATURE_MESSAGE));
        }
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let canonical = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method,
        canonical_path(req.path),
        canonical_query(req.query),
        canonical_headers,
        a.signed_headers.join(";"),
        hex(&Sha256::digest(req.body))
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{}/{}/{}/aws4_request\n{}",
        a.date,
        a.region,
        a.service,
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac(
        format!("AWS4{}", creds.secret_access_key).as_bytes(),
        a.date,
    );
    for part in [a.region, a.service, "aws4_request"] {
        key = hmac(&key, part);
    }
    let expected = hex(&hmac(&key, &string_to_sign));
    if !constant_time_eq(expected.as_bytes(), a.signature.as_bytes()) {
        return Err(signature_mismatch(SIGNATURE_MESSAGE));
    }
    if req.header("x-amz-security-token") != Some(creds.session_token.as_str()) {
        return Err(invalid_token());
    }
    if creds.expires_at <= now {
        return Err(ApiError::new(
            400,
            "ExpiredToken",
            "",
            "The security token included in the request is expired",
        ));
    }
    Ok((
        a.access_key_id.to_string(),
        creds.clone(),
        a.region.to_string(),
    ))
}

fn hmac(key: &[u8], data: impl AsRef<[u8]>) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(data.as_ref());
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// RFC 3986 encoding, unreserved characters kept (and `/` when `keep_slash`).
fn encode(s: &[u8], keep_slash: bool) -> String {
    let mut out = String::new();
    for &b in s {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The path as received, dot segments and empty segments removed, encoded
/// once more (a `%20` in the path is `%2520` here, as for every service but S3).
fn canonical_path(path: &str) -> String {
    let mut segs: Vec<&str> = Vec::new();
    for s in path.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    let mut p = format!("/{}", segs.join("/"));
    if path.ends_with('/') && p != "/" {
        p.push('/');
    }
    encode(p.as_bytes(), true)
}

fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (encode(&unescape(k), false), encode(&unescape(v), false))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// `%XX` decoding (a `+` stays a `+` in a SigV4 query).
fn unescape(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (
                (b[i + 1] as char).to_digit(16),
                (b[i + 2] as char).to_digit(16),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

// ------------------------------------------------------------------ time

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn split_time(t: u64) -> (i64, u32, u32, u64, u64, u64) {
    let days = (t / 86400) as i64;
    let secs = t % 86400;
    let (y, m, d) = civil_from_days(days);
    (y, m, d, secs / 3600, secs % 3600 / 60, secs % 60)
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn iso8601(t: u64) -> String {
    let (y, mo, d, h, mi, s) = split_time(t);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// `YYYYMMDDTHHMMSSZ`.
fn amz_basic(t: u64) -> String {
    let (y, mo, d, h, mi, s) = split_time(t);
    format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
}

/// Epoch seconds of `YYYYMMDDTHHMMSSZ`.
fn parse_amz_date(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, sec) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let days = days_from_civil(i64::from(y), mo, d);
    let t = days * 86400 + i64::from(h * 3600 + mi * 60 + sec);
    u64::try_from(t).ok()
}

// ------------------------------------------------------------------ XML

pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// An STS error body (docs/sts-sigv4.md#sts-errors): `Sender` for 4xx, `Receiver` for 5xx.
pub(crate) fn error_xml(e: &ApiError, request_id: &str) -> String {
    let kind = if e.status >= 500 {
        "Receiver"
    } else {
        "Sender"
    };
    format!(
        "<ErrorResponse xmlns=\"{NAMESPACE}\">\n  <Error>\n    <Type>{kind}</Type>\n    <Code>{}</Code>\n    <Message>{}</Message>\n  </Error>\n  <RequestId>{request_id}</RequestId>\n</ErrorResponse>\n",
        e.name,
        xml_escape(&e.message)
    )
}

/// An injected fault as STS would answer it: throttling is a 400
/// `Throttling`, a server error `InternalFailure`, an authentication failure
/// `InvalidClientTokenId`.
pub(crate) fn fault_error(e: ApiError) -> ApiError {
    match e.name {
        "InternalServer" => ApiError {
            name: "InternalFailure",
            ..e
        },
        "TooManyRequests" | "SlowDown" => ApiError {
            status: 400,
            name: "Throttling",
            message: "Rate exceeded".into(),
            ..e
        },
        "Unauthorized" | "InvalidClient" => ApiError {
            retry_after: e.retry_after,
            ..invalid_token()
        },
        _ => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_convert_both_ways() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_440_938_160), "2015-08-30T12:36:00Z");
        assert_eq!(parse_amz_date("20150830T123600Z"), Some(1_440_938_160));
        assert_eq!(amz_basic(1_440_938_160), "20150830T123600Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        for bad in [
            "2015-08-30T12:36:00Z",
            "20151330T123600Z",
            "2015083xT123600Z",
            "",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
    }

    /// The worked example of docs/sts-sigv4.md#worked-example, verified by this implementation.
    #[test]
    fn the_worked_example_of_the_spec_verifies() {
        let mut issued = Issued::default();
        issued.insert(
            "AKIDEXAMPLE".into(),
            IssuedCredentials {
                secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
                session_token: "IQoJb3JpZ2luX2VjEXAMPLETOKEN/+=".into(),
                expires_at: 1_440_938_160 + 3600,
                chained: false,
                arn: "arn:aws:sts::123456789012:assumed-role/x/y".into(),
            },
        );
        let headers = |sig: &str| {
            vec![
                (
                    "content-type".to_string(),
                    "application/x-www-form-urlencoded; charset=utf-8".to_string(),
                ),
                ("host".into(), "sts.eu-west-1.amazonaws.com".into()),
                ("x-amz-date".into(), "20150830T123600Z".into()),
                (
                    "x-amz-security-token".into(),
                    "IQoJb3JpZ2luX2VjEXAMPLETOKEN/+=".into(),
                ),
                ("user-agent".into(), "not signed".into()),
                (
                    "authorization".into(),
                    format!(
                        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature={sig}"
                    ),
                ),
            ]
        };
        let body = b"Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=ssoenv-alice&DurationSeconds=3600";
        let good = headers("6bf1d0f7296713bccfadd02bf479818d4a3d83010500ac04df0407d4a0f2b64b");
        fn req<'a>(h: &'a [(String, String)], body: &'a [u8]) -> SignedRequest<'a> {
            SignedRequest {
                method: "POST",
                path: "/",
                query: "",
                headers: h,
                body,
            }
        }
        let now = 1_440_938_160 + 60;
        assert!(authenticate(&issued, &req(&good, body), now).is_ok());
        let bad = headers("7bf1d0f7296713bccfadd02bf479818d4a3d83010500ac04df0407d4a0f2b64b");
        let e = authenticate(&issued, &req(&bad, body), now).unwrap_err();
        assert_eq!(e.name, "SignatureDoesNotMatch");
        let e = authenticate(&issued, &req(&good, b"Action=AssumeRole"), now).unwrap_err();
        assert_eq!(e.name, "SignatureDoesNotMatch");
        let e = authenticate(&issued, &req(&good, body), now + 3600).unwrap_err();
        assert_eq!(e.name, "SignatureDoesNotMatch");
        assert!(
            e.message
                .starts_with("Signature expired: 20150830T123600Z is now earlier than"),
            "{}",
            e.message
        );
    }

    #[test]
    fn role_arns_and_session_names_are_validated() {
        assert!(parse_role_arn("arn:aws:iam::123456789012:role/demo").is_ok());
        let r = parse_role_arn("arn:aws-cn:iam::123456789012:role/path/to/demo").unwrap();
        assert_eq!((r.partition, r.name), ("aws-cn", "demo"));
        for bad in [
            "arn:aws:iam::12345678901:role/demo",
            "arn:aws:iam::123456789012:user/demo",
            "arn:aws:sts::123456789012:role/demo",
            "arn:aws:iam:us-east-1:123456789012:role/demo",
            "arn:aws:iam::123456789012:role/",
            "xyz",
        ] {
            assert_eq!(
                parse_role_arn(bad).err().map(|e| e.name),
                Some("ValidationError"),
                "{bad}"
            );
        }
        assert!(check_session_name("alice@example.com").is_ok());
        for bad in ["a", "has space", &"x".repeat(65), "é-é"] {
            assert!(check_session_name(bad).is_err(), "{bad}");
        }
        assert_eq!(check_duration("900").unwrap(), 900);
        for bad in ["899", "43201", "1h", "-5"] {
            assert!(check_duration(bad).is_err(), "{bad}");
        }
    }
}
