//! STS AssumeRole over the Query API (docs/sts-sigv4.md): a form
//! POST signed with SigV4 by the source credentials, answered in XML. Every
//! member of the answer is validated before anyone uses it (as the portal's
//! role credentials are); errors come back as [`HttpError::Api`] with the
//! XML error code (`AccessDenied`, `ExpiredToken`, `ValidationError`, …),
//! parsed by the HTTP layer, which also retries 5xx and throttling.

use crate::aws::credentials::Credentials;
use crate::aws::http::{Body, Http, HttpError, Method, Request, check_credential, invalid};
use crate::aws::implausible_expiration;
use crate::aws::sigv4::{SigV4, SigningCredentials};
use time::OffsetDateTime;

pub(crate) const API_VERSION: &str = "2011-06-15";
/// The signing name of STS.
pub(crate) const SIGNING_NAME: &str = "sts";
const WHAT: &str = "AssumeRole";
/// The longest ARN IAM allows (the model's `arnType`).
const MAX_ARN_LEN: usize = 2048;
/// An identifier, request id or source identity longer than this is not one.
const MAX_ID_LEN: usize = 2048;
/// An answer with more XML nodes than this is not an AssumeRole answer.
const MAX_XML_NODES: u32 = 10_000;

/// The parameters of one AssumeRole call (docs/sts-sigv4.md#assumerole-request). Optional ones are
/// sent only when set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AssumeRoleRequest<'a> {
    pub(crate) role_arn: &'a str,
    pub(crate) role_session_name: &'a str,
    pub(crate) external_id: Option<&'a str>,
    pub(crate) duration_seconds: Option<u32>,
    /// The MFA device (`mfa_serial`).
    pub(crate) serial_number: Option<&'a str>,
    /// The MFA code; never part of a cache key.
    pub(crate) token_code: Option<&'a str>,
}

/// A validated AssumeRole answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AssumeRoleOutput {
    pub(crate) credentials: Credentials,
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    pub(crate) assumed_role_arn: String,
    /// `AROA…:SESSION`.
    pub(crate) assumed_role_id: String,
    pub(crate) packed_policy_size: Option<u64>,
    pub(crate) source_identity: Option<String>,
    pub(crate) request_id: Option<String>,
}

impl AssumeRoleOutput {
    /// The 12-digit account of the assumed-role ARN (its fifth `:` field),
    /// as botocore adds it to the cached credentials; None when the ARN has
    /// no such field.
    pub(crate) fn account_id(&self) -> Option<&str> {
        account_of_arn(&self.assumed_role_arn)
    }
}

/// The account field of an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:…`)
/// when it is 12 digits.
pub(crate) fn account_of_arn(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    if parts.next() != Some("arn") {
        return None;
    }
    let account = parts.nth(3)?;
    parts.next()?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

/// An STS endpoint: the URL (see `endpoint::sts_endpoint`), the signing
/// region and the clock the signature uses.
pub(crate) struct Sts<'a> {
    pub(crate) http: &'a Http,
    pub(crate) url: &'a str,
    /// The signing region: the client's region (us-east-1 for the global endpoint).
    pub(crate) region: &'a str,
    pub(crate) now: fn() -> OffsetDateTime,
}

impl Sts<'_> {
    /// AssumeRole with `source` (docs/sts-sigv4.md#assumerole-request): the form body in botocore's order
    /// (`Action`, `Version`, then the parameters), signed per attempt.
    pub(crate) fn assume_role(
        &self,
        source: &Credentials,
        req: &AssumeRoleRequest,
    ) -> Result<AssumeRoleOutput, HttpError> {
        let duration = req.duration_seconds.map(|d| d.to_string());
        let mut params: Vec<(&str, &str)> = vec![
            ("Action", "AssumeRole"),
            ("Version", API_VERSION),
            ("RoleArn", req.role_arn),
            ("RoleSessionName", req.role_session_name),
        ];
        let optional = [
            ("ExternalId", req.external_id),
            ("DurationSeconds", duration.as_deref()),
            ("SerialNumber", req.serial_number),
            ("TokenCode", req.token_code),
        ];
        params.extend(optional.iter().filter_map(|(k, v)| v.map(|v| (*k, v))));
        let signer = SigV4 {
            credentials: SigningCredentials {
                access_key_id: &source.access_key_id,
                secret_access_key: source.secret_access_key.expose(),
                session_token: Some(source.session_token.expose()).filter(|t| !t.is_empty()),
            },
            region: self.region,
            service: SIGNING_NAME,
            now: self.now,
        };
        let url = post_url(self.url);
        let body = self.http.send(&Request {
            method: Method::Post,
            url: url.clone(),
            query: vec![],
            headers: vec![],
            body: Body::form(params),
            signer: Some(&signer),
        })?;
        parse_assume_role(&body, &url, (self.now)())
    }
}

/// The URL posted to: the endpoint itself, with `/` as the path when it has none.
fn post_url(endpoint: &str) -> String {
    let rest = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
    if rest.contains('/') {
        endpoint.to_owned()
    } else {
        format!("{endpoint}/")
    }
}

/// Parse an XML document with the limits an answer gets: no DTD (so no
/// entity expansion) and a bounded number of nodes.
pub(crate) fn parse_xml(body: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    roxmltree::Document::parse_with_options(
        body,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: MAX_XML_NODES,
            ..roxmltree::ParsingOptions::default()
        },
    )
}

/// The only child element of `node` named `name` (namespaces ignored):
/// None when absent, an error when repeated.
fn child<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    name: &str,
) -> Result<Option<roxmltree::Node<'a, 'i>>, String> {
    let mut found = node
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == name);
    let first = found.next();
    if first.is_some() && found.next().is_some() {
        return Err(format!("{name} appears more than once"));
    }
    Ok(first)
}

fn required<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    name: &str,
) -> Result<roxmltree::Node<'a, 'i>, String> {
    child(node, name)?.ok_or_else(|| format!("{name} is missing"))
}

/// The text of a leaf element (an element with children is not a value).
fn text<'a>(node: roxmltree::Node<'a, '_>, field: &str) -> Result<&'a str, String> {
    if node.children().any(|n| n.is_element()) {
        return Err(format!("{field} is not a value"));
    }
    Ok(node.text().unwrap_or(""))
}

/// A value that must be printable ASCII without spaces, at most `max` bytes.
fn bounded(field: &str, value: &str, max: usize) -> Result<(), String> {
    if value.len() > max {
        return Err(format!(
            "{field} is {} bytes long, more than the {max} allowed",
            value.len()
        ));
    }
    check_credential(field, value)
}

/// The `Expiration` of an answer: ISO 8601 in UTC, with or without
/// fractional seconds; after 2000 and at most 10 years after `now`.
fn expiration(value: &str, now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    if value.len() > 64 {
        return Err("Expiration is too long to be a timestamp".into());
    }
    let t = OffsetDateTime::parse(value.trim(), &time::format_description::well_known::Rfc3339)
        .map_err(|_| "Expiration is not an ISO 8601 timestamp with a zone".to_owned())?;
    match implausible_expiration(t, now) {
        Some(why) => Err(format!("Expiration {why}")),
        None => Ok(t),
    }
}

/// Parse and validate an AssumeRole answer (docs/sts-sigv4.md#assumerole-response) from `url`; `now`
/// bounds the expiration. An expiration already past is left for the caller
/// to report (it is a clock problem, not a bad answer).
pub(crate) fn parse_assume_role(
    body: &str,
    url: &str,
    now: OffsetDateTime,
) -> Result<AssumeRoleOutput, HttpError> {
    let doc = parse_xml(body).map_err(|e| invalid(WHAT, url, format!("not XML ({e})")))?;
    parse_document(&doc, now).map_err(|why| invalid(WHAT, url, why))
}

fn parse_document(
    doc: &roxmltree::Document,
    now: OffsetDateTime,
) -> Result<AssumeRoleOutput, String> {
    let root = doc.root_element();
    if root.tag_name().name() != "AssumeRoleResponse" {
        return Err(format!(
            "the document is {}, not AssumeRoleResponse",
            crate::text::printable(&truncate(root.tag_name().name(), 64))
        ));
    }
    let result = required(root, "AssumeRoleResult")?;
    let creds = required(result, "Credentials")?;
    let field = |node, name: &str| -> Result<String, String> {
        let v = text(required(node, name)?, name)?;
        check_credential(name, v)?;
        Ok(v.to_owned())
    };
    let access_key_id = field(creds, "AccessKeyId")?;
    let secret_access_key = field(creds, "SecretAccessKey")?;
    let session_token = field(creds, "SessionToken")?;
    let expiration = expiration(text(required(creds, "Expiration")?, "Expiration")?, now)?;
    let user = required(result, "AssumedRoleUser")?;
    let arn = text(required(user, "Arn")?, "Arn")?;
    bounded("Arn", arn, MAX_ARN_LEN)?;
    let role_id = text(required(user, "AssumedRoleId")?, "AssumedRoleId")?;
    bounded("AssumedRoleId", role_id, MAX_ID_LEN)?;
    let packed_policy_size = match child(result, "PackedPolicySize")? {
        None => None,
        Some(n) => {
            let v = text(n, "PackedPolicySize")?.trim();
            Some(
                v.parse::<u64>()
                    .map_err(|_| "PackedPolicySize is not a whole number".to_owned())?,
            )
        }
    };
    let optional = |node, name: &str| -> Result<Option<String>, String> {
        match child(node, name)? {
            None => Ok(None),
            Some(n) => {
                let v = text(n, name)?;
                bounded(name, v, MAX_ID_LEN)?;
                Ok(Some(v.to_owned()))
            }
        }
    };
    let source_identity = optional(result, "SourceIdentity")?;
    let request_id = match child(root, "ResponseMetadata")? {
        Some(meta) => optional(meta, "RequestId")?,
        None => None,
    };
    Ok(AssumeRoleOutput {
        credentials: Credentials {
            access_key_id,
            secret_access_key: secret_access_key.into(),
            session_token: session_token.into(),
            expiration,
        },
        assumed_role_arn: arn.to_owned(),
        assumed_role_id: role_id.to_owned(),
        packed_policy_size,
        source_identity,
        request_id,
    })
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::aws::http::parse_api_error;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-01-01 12:00 UTC);
    const URL: &str = "https://sts.eu-west-1.amazonaws.com/";

    fn answer(expiration: &str, extra_result: &str) -> String {
        format!(
            r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    {extra_result}
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/alice</Arn>
      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:alice</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>FQoGZXIvYXdzEXAMPLETOKEN</SessionToken>
      <Expiration>{expiration}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</AssumeRoleResponse>"#
        )
    }

    fn parse(body: &str) -> Result<AssumeRoleOutput, String> {
        parse_assume_role(body, URL, NOW).map_err(|e| e.to_string())
    }

    #[test]
    fn a_successful_answer_parses_with_whole_or_fractional_seconds() {
        let out = parse(&answer("2026-01-01T13:00:00Z", "")).unwrap();
        assert_eq!(out.credentials.access_key_id, "ASIAIOSFODNN7EXAMPLE");
        assert_eq!(
            out.credentials.secret_access_key,
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
        );
        assert_eq!(out.credentials.session_token, "FQoGZXIvYXdzEXAMPLETOKEN");
        assert_eq!(out.credentials.expiration, datetime!(2026-01-01 13:00 UTC));
        assert_eq!(
            out.assumed_role_arn,
            "arn:aws:sts::123456789012:assumed-role/demo/alice"
        );
        assert_eq!(out.assumed_role_id, "AROA3XFRBF535PLBIFPI4:alice");
        assert_eq!(out.account_id(), Some("123456789012"));
        assert_eq!(
            out.request_id.as_deref(),
            Some("c6104cbe-af31-11e0-8154-cbc7ccf896c7")
        );
        assert_eq!((out.packed_policy_size, out.source_identity), (None, None));
        // botocore's STS fixture has milliseconds.
        let out = parse(&answer("2026-01-01T19:55:29.611Z", "")).unwrap();
        assert_eq!(
            out.credentials.expiration,
            datetime!(2026-01-01 19:55:29.611 UTC)
        );
    }

    #[test]
    fn optional_members_are_read_when_present() {
        let out = parse(&answer(
            "2026-01-01T13:00:00Z",
            "<SourceIdentity>DevUser123</SourceIdentity><PackedPolicySize>6</PackedPolicySize>",
        ))
        .unwrap();
        assert_eq!(out.packed_policy_size, Some(6));
        assert_eq!(out.source_identity.as_deref(), Some("DevUser123"));
        // No ResponseMetadata at all: no request id, still valid.
        let body = answer("2026-01-01T13:00:00Z", "").replace(
            "<ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>",
            "",
        );
        assert_eq!(parse(&body).unwrap().request_id, None);
    }

    #[test]
    fn missing_members_are_invalid_answers_naming_the_field_and_url() {
        for member in [
            "AccessKeyId",
            "SecretAccessKey",
            "SessionToken",
            "Expiration",
            "Arn",
            "AssumedRoleId",
        ] {
            let good = answer("2026-01-01T13:00:00Z", "");
            let start = good.find(&format!("<{member}>")).unwrap();
            let end_tag = format!("</{member}>");
            let end = good.find(&end_tag).unwrap() + end_tag.len();
            let body = format!("{}{}", &good[..start], &good[end..]);
            let e = parse(&body).unwrap_err();
            assert!(e.contains(&format!("{member} is missing")), "{e}");
            assert!(e.contains(URL), "{e}");
        }
        let e = parse("<AssumeRoleResponse/>").unwrap_err();
        assert!(e.contains("AssumeRoleResult is missing"), "{e}");
    }

    #[test]
    fn hostile_values_are_refused_without_being_quoted() {
        let good = answer("2026-01-01T13:00:00Z", "");
        let swap = |from: &str, to: &str| good.replace(from, to);
        let huge = "A".repeat(70_000);
        for (body, why) in [
            (
                swap("FQoGZXIvYXdzEXAMPLETOKEN", "tok&#9;en"),
                "SessionToken contains the control character 0x09 at byte 3",
            ),
            (
                swap("FQoGZXIvYXdzEXAMPLETOKEN", "tok\u{7f}]0;en"),
                "SessionToken contains the control character 0x7f",
            ),
            (
                swap("ASIAIOSFODNN7EXAMPLE", "ASIA EXAMPLE"),
                "AccessKeyId contains a space",
            ),
            (
                swap("FQoGZXIvYXdzEXAMPLETOKEN", &huge),
                "SessionToken is 70000 bytes long",
            ),
            (
                swap(
                    "<SessionToken>FQoGZXIvYXdzEXAMPLETOKEN</SessionToken>",
                    "<SessionToken/>",
                ),
                "SessionToken is empty",
            ),
            (
                swap("AROA3XFRBF535PLBIFPI4:alice", &"R".repeat(3000)),
                "AssumedRoleId is 3000 bytes long",
            ),
            (
                swap("arn:aws:sts::", "arn:aws:sts\u{e9}::"),
                "Arn contains a character that is not printable ASCII",
            ),
            (
                answer(
                    "2026-01-01T13:00:00Z",
                    "<PackedPolicySize>-1</PackedPolicySize>",
                ),
                "PackedPolicySize is not a whole number",
            ),
            (
                answer(
                    "2026-01-01T13:00:00Z",
                    "<PackedPolicySize>99999999999999999999999</PackedPolicySize>",
                ),
                "PackedPolicySize is not a whole number",
            ),
            (
                swap(
                    "<SessionToken>FQoGZXIvYXdzEXAMPLETOKEN</SessionToken>",
                    "<SessionToken>a</SessionToken><SessionToken>b</SessionToken>",
                ),
                "SessionToken appears more than once",
            ),
            (
                swap(
                    "<SessionToken>FQoGZXIvYXdzEXAMPLETOKEN</SessionToken>",
                    "<SessionToken><x>a</x></SessionToken>",
                ),
                "SessionToken is not a value",
            ),
        ] {
            let e = parse(&body).unwrap_err();
            assert!(e.contains(why), "{why}: {e}");
            assert!(!e.contains("tok") && !e.contains(&huge[..100]), "{e}");
        }
    }

    #[test]
    fn expirations_must_be_zoned_timestamps_within_ten_years() {
        for (exp, why) in [
            ("9999-12-31T23:59:59Z", "more than 10 years ahead"),
            ("1970-01-01T00:00:00Z", "before the year 2000"),
            ("2026-01-01T13:00:00", "not an ISO 8601 timestamp"),
            ("tomorrow", "not an ISO 8601 timestamp"),
            ("", "not an ISO 8601 timestamp"),
            ("1767272400", "not an ISO 8601 timestamp"),
        ] {
            let e = parse(&answer(exp, "")).unwrap_err();
            assert!(e.contains(why), "{exp}: {e}");
        }
        let long = "2".repeat(100);
        assert!(parse(&answer(&long, "")).unwrap_err().contains("too long"));
        // Already past is valid here: the caller reports it as clock skew.
        assert!(parse(&answer("2025-06-01T00:00:00Z", "")).is_ok());
    }

    #[test]
    fn what_is_not_an_assume_role_document_is_invalid() {
        for (body, why) in [
            ("", "not XML"),
            ("{\"Credentials\": {}}", "not XML"),
            ("<AssumeRoleResponse>", "not XML"),
            (
                "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><AssumeRoleResponse>&a;</AssumeRoleResponse>",
                "not XML",
            ),
            (
                "<GetSessionTokenResponse/>",
                "GetSessionTokenResponse, not AssumeRoleResponse",
            ),
        ] {
            let e = parse(body).unwrap_err();
            assert!(e.contains(why), "{body:?}: {e}");
        }
        let many = format!(
            "<AssumeRoleResponse>{}</AssumeRoleResponse>",
            "<x/>".repeat(20_000)
        );
        assert!(parse(&many).unwrap_err().contains("not XML"));
    }

    #[test]
    fn xml_errors_become_api_errors_with_the_sts_code() {
        let body = r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>InvalidClientTokenId</Code>
    <Message>The security token included in the request is invalid</Message>
  </Error>
  <RequestId>16fc956c-311e-4199-bee1-1680236e9698</RequestId>
</ErrorResponse>"#;
        let e = parse_api_error(403, None, body);
        assert_eq!(e.status, 403);
        assert!(e.is("InvalidClientTokenId"));
        assert_eq!(e.code, "InvalidClientTokenId");
        assert_eq!(
            e.message,
            "The security token included in the request is invalid"
        );
        assert_eq!(
            e.to_string(),
            "HTTP 403 InvalidClientTokenId: The security token included in the request is invalid"
        );
        let e = parse_api_error(
            400,
            None,
            "<ErrorResponse><Error><Code>ValidationError</Code><Message>a\u{7f}b&#x85;</Message></Error></ErrorResponse>",
        );
        assert!(e.is("ValidationError"));
        let shown = e.to_string();
        assert!(
            !shown.contains('\u{7f}') && !shown.contains('\u{85}'),
            "{shown}"
        );
        // Throttling comes as a 400 and is retried like a 429.
        let e = parse_api_error(
            400,
            None,
            "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>",
        );
        assert!(e.is_throttling());
        assert!(!parse_api_error(403, None, body).is_throttling());
        // Not XML, not JSON: an empty code, the status still says what happened.
        let e = parse_api_error(502, None, "<html><body>Bad gateway</body>");
        assert_eq!((e.status, e.code.as_str()), (502, ""));
    }

    #[test]
    fn account_ids_come_from_the_fifth_field_of_the_arn() {
        assert_eq!(
            account_of_arn("arn:aws:sts::123456789012:assumed-role/demo/alice"),
            Some("123456789012")
        );
        assert_eq!(
            account_of_arn("arn:aws-cn:sts::000000000000:assumed-role/r/s"),
            Some("000000000000")
        );
        for bad in [
            "",
            "arn:aws:sts::12345:assumed-role/x",
            "arn:aws:sts::123456789012",
            "nra:aws:sts::123456789012:x",
            "arn:aws:sts::12345678901x:x",
        ] {
            assert_eq!(account_of_arn(bad), None, "{bad}");
        }
    }

    /// A one-connection-per-answer HTTP server on 127.0.0.1 answering
    /// `answers` in turn; returns its URL and what it received (head, body).
    fn fake_sts(
        answers: Vec<(&'static str, String)>,
    ) -> (String, std::thread::JoinHandle<Vec<(String, String)>>) {
        use std::io::{BufRead, BufReader, Read, Write};
        let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://127.0.0.1:{}", server.local_addr().unwrap().port());
        let seen = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for (status, body) in answers {
                let (stream, _) = server.accept().unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut head = String::new();
                let mut len = 0;
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    if line.trim_end().is_empty() {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        len = v.trim().parse().unwrap();
                    }
                    head.push_str(&line);
                }
                let mut got = vec![0; len];
                reader.read_exact(&mut got).unwrap();
                seen.push((head, String::from_utf8(got).unwrap()));
                let mut stream = stream;
                write!(
                    stream,
                    "HTTP/1.1 {status}\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                )
                .unwrap();
            }
            seen
        });
        (url, seen)
    }

    fn source() -> Credentials {
        Credentials {
            access_key_id: "ASIASOURCE".into(),
            secret_access_key: "source/secret".into(),
            session_token: "source-token".into(),
            expiration: datetime!(2026-01-01 13:00 UTC),
        }
    }

    fn error_xml(code: &str, message: &str) -> String {
        format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"
        )
    }

    #[test]
    fn assume_role_posts_a_signed_form_in_botocores_order() {
        let (url, seen) = fake_sts(vec![("200 OK", answer("2026-01-01T13:00:00Z", ""))]);
        let http = Http::new(&crate::env::Env::default()).unwrap();
        let sts = Sts {
            http: &http,
            url: &url,
            region: "eu-west-1",
            now: || NOW,
        };
        let out = sts
            .assume_role(
                &source(),
                &AssumeRoleRequest {
                    role_arn: "arn:aws:iam::123456789012:role/demo",
                    role_session_name: "alice",
                    external_id: Some("ext 1"),
                    duration_seconds: Some(1800),
                    serial_number: Some("arn:aws:iam::111122223333:mfa/alice"),
                    token_code: Some("123456"),
                },
            )
            .unwrap();
        assert_eq!(out.credentials.access_key_id, "ASIAIOSFODNN7EXAMPLE");
        let seen = seen.join().unwrap();
        let (head, body) = &seen[0];
        assert!(head.starts_with("POST / HTTP/1.1\r\n"), "{head}");
        assert_eq!(
            body,
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=alice&ExternalId=ext+1&DurationSeconds=1800&SerialNumber=arn%3Aaws%3Aiam%3A%3A111122223333%3Amfa%2Falice&TokenCode=123456"
        );
        let head = head.to_ascii_lowercase();
        let port = url.rsplit(':').next().unwrap();
        assert!(
            head.contains(&format!("host: 127.0.0.1:{port}\r\n")),
            "{head}"
        );
        assert!(head.contains("x-amz-date: 20260101t120000z\r\n"), "{head}");
        assert!(
            head.contains("x-amz-security-token: source-token\r\n"),
            "{head}"
        );
        assert!(
            head.contains("authorization: aws4-hmac-sha256 credential=asiasource/20260101/eu-west-1/sts/aws4_request, signedheaders=content-type;host;x-amz-date;x-amz-security-token, signature="),
            "{head}"
        );
    }

    #[test]
    fn sts_errors_are_api_errors_and_only_throttling_is_retried() {
        let (url, seen) = fake_sts(vec![
            ("400 Bad Request", error_xml("Throttling", "Rate exceeded")),
            (
                "403 Forbidden",
                error_xml("AccessDenied", "User: x is not authorized"),
            ),
        ]);
        let env = crate::env::Env::from_pairs([("SSOENV_HTTP_TIMEOUT", "20")]);
        let http = Http::new(&env).unwrap();
        let sts = Sts {
            http: &http,
            url: &url,
            region: "eu-west-1",
            now: || NOW,
        };
        let req = AssumeRoleRequest {
            role_arn: "arn:aws:iam::123456789012:role/demo",
            role_session_name: "alice",
            external_id: None,
            duration_seconds: None,
            serial_number: None,
            token_code: None,
        };
        let e = sts.assume_role(&source(), &req).unwrap_err();
        match e {
            HttpError::Api(a) => {
                assert_eq!(a.status, 403);
                assert!(a.is("AccessDenied"), "{a:?}");
                assert_eq!(a.message, "User: x is not authorized");
            }
            other => panic!("{other:?}"),
        }
        // Two requests: the throttled one was retried, the 403 was not.
        assert_eq!(seen.join().unwrap().len(), 2);
    }

    /// Role credentials from the emulator's portal (device flow approved at
    /// the first poll), through ssoenv's own HTTP client.
    pub(crate) fn emulator_role_credentials(
        emu: &ssoenv_emulator::Emulator,
        http: &Http,
    ) -> Credentials {
        use crate::aws::http::decode;
        let post = |path: &str, body: serde_json::Value| -> serde_json::Value {
            let url = format!("{}{path}", emu.url());
            let text = http
                .send(&Request {
                    method: Method::Post,
                    url: url.clone(),
                    query: vec![],
                    headers: vec![],
                    body: Body::json(&body),
                    signer: None,
                })
                .unwrap();
            decode(&text, path, &url).unwrap()
        };
        emu.set_approve_after_polls(0);
        let reg = post(
            "/client/register",
            serde_json::json!({"clientName": "t", "clientType": "public"}),
        );
        let client =
            serde_json::json!({"clientId": reg["clientId"], "clientSecret": reg["clientSecret"]});
        let mut dev = client.clone();
        dev["startUrl"] = "https://d-1234567890.awsapps.com/start".into();
        let dev = post("/device_authorization", dev);
        let mut poll = client;
        poll["grantType"] = "urn:ietf:params:oauth:grant-type:device_code".into();
        poll["deviceCode"] = dev["deviceCode"].clone();
        let token = post("/token", poll)["accessToken"]
            .as_str()
            .unwrap()
            .to_owned();
        let portal = crate::aws::portal::Portal {
            http,
            base: &emu.url(),
        };
        let rc = portal
            .get_role_credentials(&token, "111111111111", "ReadOnly")
            .unwrap();
        Credentials {
            access_key_id: rc.access_key_id,
            secret_access_key: rc.secret_access_key,
            session_token: rc.session_token,
            expiration: OffsetDateTime::from_unix_timestamp(rc.expiration / 1000).unwrap(),
        }
    }

    /// The AssumeRole the emulator tests make: role `demo`, session `alice`.
    pub(crate) const ALICE: AssumeRoleRequest<'static> = AssumeRoleRequest {
        role_arn: "arn:aws:iam::222222222222:role/demo",
        role_session_name: "alice",
        external_id: None,
        duration_seconds: None,
        serial_number: None,
        token_code: None,
    };

    #[test]
    fn the_emulators_refusals_reach_the_caller_as_api_errors() {
        let emu = ssoenv_emulator::Emulator::start(Default::default()).unwrap();
        let http = Http::new(&crate::env::Env::default()).unwrap();
        let source = emulator_role_credentials(&emu, &http);
        let url = emu.url();
        let sts = Sts {
            http: &http,
            url: &url,
            region: "eu-west-1",
            now: OffsetDateTime::now_utc,
        };
        let req = ALICE;
        let code = |r: Result<AssumeRoleOutput, HttpError>| match r {
            Err(HttpError::Api(a)) => (a.status, a.code),
            other => panic!("{other:?}"),
        };
        let wrong_token = Credentials {
            session_token: "not-the-token".into(),
            ..source.clone()
        };
        assert_eq!(
            code(sts.assume_role(&wrong_token, &req)),
            (403, "InvalidClientTokenId".into())
        );
        let wrong_secret = Credentials {
            secret_access_key: "wrong".into(),
            ..source.clone()
        };
        assert_eq!(
            code(sts.assume_role(&wrong_secret, &req)),
            (403, "SignatureDoesNotMatch".into())
        );
        let skewed = Sts {
            now: || OffsetDateTime::now_utc() - time::Duration::minutes(20),
            ..sts
        };
        assert_eq!(
            code(skewed.assume_role(&source, &req)),
            (403, "SignatureDoesNotMatch".into())
        );
        let sts = Sts {
            now: OffsetDateTime::now_utc,
            ..skewed
        };
        let long = AssumeRoleRequest {
            duration_seconds: Some(7200),
            ..req
        };
        let Err(HttpError::Api(e)) = sts.assume_role(&source, &long) else {
            panic!("7200 s accepted");
        };
        assert!(e.is("ValidationError"));
        assert!(e.message.contains("1 hour session limit"), "{}", e.message);
        emu.set_role_denied(req.role_arn, true);
        assert_eq!(
            code(sts.assume_role(&source, &req)),
            (403, "AccessDenied".into())
        );
        emu.expire_credentials();
        assert_eq!(
            code(sts.assume_role(&source, &req)),
            (400, "ExpiredToken".into())
        );
        assert_eq!(emu.stats().roles_assumed, 0);
    }

    #[test]
    fn server_errors_and_throttling_from_the_emulator_are_retried_and_garbage_is_invalid() {
        use ssoenv_emulator::{Fault, Op};
        let emu = ssoenv_emulator::Emulator::start(Default::default()).unwrap();
        let env = crate::env::Env::from_pairs([("SSOENV_HTTP_TIMEOUT", "30")]);
        let http = Http::new(&env).unwrap();
        let source = emulator_role_credentials(&emu, &http);
        let url = emu.url();
        let sts = Sts {
            http: &http,
            url: &url,
            region: "eu-west-1",
            now: OffsetDateTime::now_utc,
        };
        let req = ALICE;
        emu.add_fault(Fault::parse("assume-role:500:1").unwrap());
        emu.add_fault(Fault::parse("assume-role:429:1").unwrap());
        assert!(sts.assume_role(&source, &req).is_ok());
        assert_eq!(emu.stats().count(Op::AssumeRole), 3);
        emu.add_fault(Fault::parse("assume-role:garbage:1").unwrap());
        match sts.assume_role(&source, &req) {
            Err(HttpError::Invalid(why)) => {
                assert!(why.contains("invalid AssumeRole answer: not XML"), "{why}");
                assert!(why.contains(&url), "{why}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_post_goes_to_the_endpoint_root_unless_it_has_a_path() {
        assert_eq!(
            post_url("https://sts.eu-west-1.amazonaws.com"),
            "https://sts.eu-west-1.amazonaws.com/"
        );
        assert_eq!(post_url("http://127.0.0.1:9/"), "http://127.0.0.1:9/");
        assert_eq!(post_url("http://127.0.0.1:9/sts"), "http://127.0.0.1:9/sts");
    }
}
