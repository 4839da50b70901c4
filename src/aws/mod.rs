//! Clients for AWS APIs: the HTTP client (JSON or form bodies, per-attempt
//! signing), endpoints per service, and the unsigned Identity Center APIs (OIDC, portal).
pub mod credentials;
pub mod endpoint;
pub mod http;
pub mod oidc;
pub mod portal;
