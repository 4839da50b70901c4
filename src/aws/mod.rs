//! Clients for AWS APIs: the HTTP client (JSON or form bodies, per-attempt
//! signing) and the wire format of answers and errors, endpoints per service, the unsigned Identity Center APIs (OIDC, portal), the parallel account
//! listing built on the portal, SigV4 and STS AssumeRole, and the sign-in federation endpoint (console URLs).
pub mod credentials;
pub mod endpoint;
pub mod http;
pub mod listing;
pub mod oidc;
pub mod portal;
pub mod signin;
pub mod sigv4;
pub mod sts;
pub mod wire;

/// The longest lifetime accepted for anything the service issues (tokens,
/// credentials, client registrations): 10 years. Anything later is a bogus
/// answer, not a reason to trust a cache file until year 9999.
pub const MAX_LIFETIME: time::Duration = time::Duration::days(3653);

/// With less than this left, AWS tools renew what they hold, and so does
/// ssoenv: credentials (botocore's advisory refresh,
/// docs/credential-process.md#refresh-windows; the role and assume-role
/// caches reuse only what has more left, docs/caches.md), an sso-session
/// token (refreshed, docs/caches.md#token-refresh) and a client
/// registration (registered again, docs/caches.md#registration-cache).
pub const REFRESH_WINDOW: time::Duration = time::Duration::minutes(15);
