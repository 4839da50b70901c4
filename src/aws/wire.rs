//! The wire format of AWS answers, apart from the transport (`http.rs`): service
//! errors as botocore reads them (JSON's `x-amzn-ErrorType`/`__type`, the OIDC
//! `error`, STS's XML), JSON decoding into typed answers, the checks every
//! value a service sends must pass, and the cap on server text shown.

use super::http::HttpError;
use crate::text::printable;

/// The largest value ssoenv stores or exports from a service answer (64 KiB).
pub(crate) const MAX_VALUE_LEN: usize = 64 * 1024;

/// An AWS service error: HTTP status, the error name (from `x-amzn-ErrorType`,
/// cut at `:` and after `#`, docs/sso-oidc.md#errors), the body's snake-case `error` code
/// (OIDC) and the human message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: u16,
    pub(crate) error_type: String,
    pub(crate) code: String,
    pub(crate) message: String,
}

impl ApiError {
    /// True when the error is `name`, given as the OIDC snake code
    /// (`authorization_pending`) or the exception name (`UnauthorizedException`).
    pub(crate) fn is(&self, name: &str) -> bool {
        self.code == name || self.error_type == name
    }

    /// A throttling error sent with a status other than 429 (STS answers
    /// `Throttling` with a 400): retried as a 429 is (botocore's throttling codes).
    pub(crate) fn is_throttling(&self) -> bool {
        self.throttling_code().is_some()
    }

    fn throttling_code(&self) -> Option<&'static str> {
        const CODES: [&str; 6] = [
            "Throttling",
            "ThrottlingException",
            "ThrottledException",
            "RequestThrottledException",
            "RequestLimitExceeded",
            "RequestThrottled",
        ];
        CODES.iter().copied().find(|c| self.is(c))
    }

    /// The error with nothing the server wrote but its status (and its
    /// throttling code, one of a fixed list): for answers to requests that
    /// carry secrets, which an echoing server could quote.
    pub(crate) fn without_server_text(self) -> ApiError {
        ApiError {
            status: self.status,
            error_type: self.throttling_code().unwrap_or_default().to_owned(),
            code: String::new(),
            message: String::new(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = if !self.error_type.is_empty() {
            &self.error_type
        } else {
            &self.code
        };
        // Server text: shown with control characters escaped wherever it goes.
        write!(f, "HTTP {}", self.status)?;
        if !name.is_empty() {
            write!(f, " {}", printable(name))?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", printable(&self.message))?;
        }
        Ok(())
    }
}

/// Parse a 2xx JSON body; a malformed body or one of the wrong shape is an
/// invalid answer from `url`, not a network failure.
pub(crate) fn decode<T: for<'de> serde::Deserialize<'de>>(
    body: &str,
    what: &str,
    url: &str,
) -> Result<T, HttpError> {
    serde_json::from_str(body).map_err(|e| invalid(what, url, e))
}

/// An invalid `what` answer from `url`, saying why.
pub(crate) fn invalid(what: &str, url: &str, why: impl std::fmt::Display) -> HttpError {
    HttpError::Invalid(
        printable(&format!(
            "{url} sent an invalid {what} answer: {}",
            cap_server_text(&why.to_string())
        ))
        .into_owned(),
    )
}

/// A value the service sent that ssoenv caches, exports or sends back as a
/// credential: non-empty printable ASCII without spaces, at most 64 KiB.
/// The reason never quotes the value (it may be a secret).
pub(crate) fn check_credential(field: &str, value: &str) -> std::result::Result<(), String> {
    if value.is_empty() {
        return Err(format!("{field} is empty"));
    }
    if value.len() > MAX_VALUE_LEN {
        return Err(format!(
            "{field} is {} bytes long, more than the {MAX_VALUE_LEN} allowed",
            value.len()
        ));
    }
    if let Some((i, c)) = value.char_indices().find(|(_, c)| !c.is_ascii_graphic()) {
        let what = match c {
            ' ' => "a space".to_owned(),
            c if c.is_ascii_control() => format!("the control character 0x{:02x}", c as u32),
            _ => "a character that is not printable ASCII".to_owned(),
        };
        return Err(format!("{field} contains {what} at byte {i}"));
    }
    Ok(())
}

/// A value shown to the user or sent back (user code, device code, URL):
/// non-empty and at most `max` bytes. Control characters are escaped when shown.
pub(crate) fn check_text(field: &str, value: &str, max: usize) -> std::result::Result<(), String> {
    if value.trim().is_empty() {
        return Err(format!("{field} is empty"));
    }
    if value.len() > max {
        return Err(format!(
            "{field} is {} bytes long, more than the {max} allowed",
            value.len()
        ));
    }
    Ok(())
}

/// botocore's error-code rules (docs/sso-oidc.md#errors): the `x-amzn-ErrorType` header cut
/// at the first `:` and after the last `#`, else body `code`/`__type`; the
/// OIDC body carries `error`/`error_description`, the portal `message`. An XML
/// body (the Query protocol of STS) is read as [`parse_xml_error`] does.
pub(crate) fn parse_api_error(status: u16, header: Option<&str>, body: &str) -> ApiError {
    if body.trim_start().starts_with('<')
        && let Some(e) = parse_xml_error(status, body)
    {
        return e;
    }
    let json: serde_json::Value = serde_json::from_str(body).unwrap_or(serde_json::Value::Null);
    let s = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let mut error_type = header
        .map(str::to_owned)
        .or_else(|| s("code"))
        .or_else(|| s("Code"))
        .or_else(|| s("__type"))
        .unwrap_or_default();
    if let Some(i) = error_type.find(':') {
        error_type.truncate(i);
    }
    if let Some(i) = error_type.rfind('#') {
        error_type = error_type[i + 1..].to_owned();
    }
    let message = s("error_description")
        .or_else(|| s("message"))
        .or_else(|| s("Message"))
        .unwrap_or_default();
    ApiError {
        status,
        error_type: cap_server_text(&error_type),
        code: cap_server_text(&s("error").unwrap_or_default()),
        message: cap_server_text(&message),
    }
}

/// A Query-protocol error (STS, docs/sts-sigv4.md#sts-errors):
/// `ErrorResponse/Error/{Type,Code,Message}` (botocore's `QueryParser` also
/// takes a bare `Error` or `Response/Errors/Error`). The code goes in both
/// `code` and `error_type`, so `is("AccessDenied")` matches. None when the
/// body is not such a document.
pub(crate) fn parse_xml_error(status: u16, body: &str) -> Option<ApiError> {
    let doc = crate::aws::sts::parse_xml(body).ok()?;
    let error = doc
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "Error")?;
    let field = |name: &str| {
        error
            .children()
            .find(|n| n.is_element() && n.tag_name().name() == name)
            .and_then(|n| n.text())
            .map(|t| cap_server_text(t.trim()))
            .unwrap_or_default()
    };
    let code = field("Code");
    Some(ApiError {
        status,
        error_type: code.clone(),
        code,
        message: field("Message"),
    })
}

/// The most of a server's error text (code, message, or the reason an answer
/// is invalid) that is kept and shown, in bytes.
pub(crate) const MAX_ERROR_TEXT: usize = 1024;

/// Server text as shown to a person: at most [`MAX_ERROR_TEXT`] bytes (cut at
/// a character boundary), and when cut, marked so with the whole length:
/// `… (cut, 900000 bytes in all)`. Every error of every endpoint (JSON
/// bodies, STS's XML, the reason an answer is invalid) passes through here,
/// so a service (or anything posing as one) cannot flood the terminal.
pub(crate) fn cap_server_text(s: &str) -> String {
    if s.len() <= MAX_ERROR_TEXT {
        return s.to_owned();
    }
    let mut end = MAX_ERROR_TEXT;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… (cut, {} bytes in all)", &s[..end], s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_type_is_cut_at_colon_and_after_hash() {
        let e = parse_api_error(
            400,
            Some(
                "AuthorizationPendingException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/",
            ),
            r#"{"error":"authorization_pending","error_description":"Authorization is still pending"}"#,
        );
        assert_eq!(e.error_type, "AuthorizationPendingException");
        assert_eq!(e.code, "authorization_pending");
        assert_eq!(e.message, "Authorization is still pending");
        assert!(e.is("authorization_pending"));
        let e = parse_api_error(
            401,
            None,
            r#"{"__type":"com.amazon#UnauthorizedException","message":"x"}"#,
        );
        assert_eq!(e.error_type, "UnauthorizedException");
        assert_eq!(e.message, "x");
    }

    #[test]
    fn api_errors_display_server_text_escaped() {
        let e = parse_api_error(
            400,
            Some("Bad\x1bException"),
            r#"{"message":"no\u001b]0;title\u0007pe"}"#,
        );
        assert_eq!(
            e.to_string(),
            r"HTTP 400 Bad\eException: no\e]0;title\x07pe"
        );
    }

    #[test]
    fn credentials_must_be_printable_ascii_without_spaces_and_bounded() {
        assert!(check_credential("f", "ASIA/abc+def=").is_ok());
        let max = "a".repeat(MAX_VALUE_LEN);
        assert!(check_credential("f", &max).is_ok());
        for (bad, why) in [
            ("", "f is empty"),
            ("a b", "a space at byte 1"),
            ("ab\0", "0x00 at byte 2"),
            ("a\r\n", "0x0d at byte 1"),
            ("\u{e9}", "not printable ASCII"),
            ("\x7f", "0x7f"),
        ] {
            let e = check_credential("f", bad).unwrap_err();
            assert!(e.contains(why), "{bad:?}: {e}");
        }
        let e = check_credential("f", &"a".repeat(MAX_VALUE_LEN + 1)).unwrap_err();
        assert!(e.contains("65537 bytes"), "{e}");
    }

    #[test]
    fn server_error_text_is_cut_at_1_kib_and_says_so() {
        let huge = "x".repeat(900_000);
        let body = serde_json::json!({"error": "invalid_grant", "error_description": huge});
        let e = parse_api_error(400, None, &body.to_string());
        assert_eq!(e.code, "invalid_grant");
        assert_eq!(
            e.message,
            format!("{}… (cut, 900000 bytes in all)", "x".repeat(1024))
        );
        // Portal bodies, the header's error type, and STS's XML alike.
        let e = parse_api_error(
            403,
            Some(&"T".repeat(5000)),
            &serde_json::json!({"message": "m".repeat(2000)}).to_string(),
        );
        assert!(e.error_type.ends_with("… (cut, 5000 bytes in all)"));
        assert!(e.message.ends_with("… (cut, 2000 bytes in all)"));
        let xml = format!(
            "<ErrorResponse><Error><Code>AccessDenied</Code><Message>{}</Message></Error></ErrorResponse>",
            "y".repeat(3000)
        );
        let e = parse_api_error(403, None, &xml);
        assert!(e.is("AccessDenied"));
        assert!(
            e.message.ends_with("… (cut, 3000 bytes in all)"),
            "{}",
            e.message
        );
        // Cut on a character boundary; short text is kept whole.
        let cut = cap_server_text(&"é".repeat(1000));
        assert!(cut.starts_with(&"é".repeat(512)) && cut.ends_with("(cut, 2000 bytes in all)"));
        assert_eq!(cap_server_text("short"), "short");
        assert_eq!(cap_server_text(&"z".repeat(1024)), "z".repeat(1024));
        // The reason an answer is invalid, which may quote the answer.
        let e = invalid("CreateToken", "http://x", "y".repeat(5000)).to_string();
        assert!(
            e.len() < 1200 && e.ends_with("(cut, 5000 bytes in all)"),
            "{e}"
        );
    }
}
