//! Clients for AWS APIs: the HTTP client (JSON or form bodies, per-attempt
//! signing) and the wire format of answers and errors, endpoints per service, the unsigned Identity Center APIs (OIDC, portal), the parallel account
//! listing built on the portal, SigV4 and STS AssumeRole, and the sign-in federation endpoint (console URLs).
pub(crate) mod credentials;
pub(crate) mod endpoint;
pub(crate) mod http;
pub(crate) mod listing;
pub(crate) mod oidc;
pub(crate) mod portal;
pub(crate) mod signin;
pub(crate) mod sigv4;
pub(crate) mod sts;
pub(crate) mod wire;

/// The longest lifetime accepted for anything the service issues (tokens,
/// credentials, client registrations): 10 years. Anything later is a bogus
/// answer, not a reason to trust a cache file until year 9999.
pub(crate) const MAX_LIFETIME: time::Duration = time::Duration::days(3653);

/// Whether `t`, an expiry a service sent, lies more than [`MAX_LIFETIME`] after `now`.
pub(crate) fn too_far_ahead(t: time::OffsetDateTime, now: time::OffsetDateTime) -> bool {
    now.checked_add(MAX_LIFETIME).is_some_and(|limit| t > limit)
}

/// Why `t`, an expiration a service sent, cannot be meant (before 2000, or
/// [`too_far_ahead`]), in words that follow the field's name; `None` when it can.
pub(crate) fn implausible_expiration(
    t: time::OffsetDateTime,
    now: time::OffsetDateTime,
) -> Option<&'static str> {
    if t < time::macros::datetime!(2000-01-01 0:00 UTC) {
        Some("is before the year 2000")
    } else if too_far_ahead(t, now) {
        Some("is more than 10 years ahead")
    } else {
        None
    }
}

/// With less than this left, AWS tools renew what they hold, and so does
/// ssoenv: credentials (botocore's advisory refresh,
/// docs/credential-process.md#refresh-windows; the role and assume-role
/// caches reuse only what has more left, docs/caches.md), an sso-session
/// token (refreshed, docs/caches.md#token-refresh) and a client
/// registration (registered again, docs/caches.md#registration-cache).
pub(crate) const REFRESH_WINDOW: time::Duration = time::Duration::minutes(15);
