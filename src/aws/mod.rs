//! Clients for AWS APIs: the HTTP client (JSON or form bodies, per-attempt
//! signing), endpoints per service, the unsigned Identity Center APIs (OIDC, portal) and the parallel account
//! listing built on the portal, and the sign-in federation endpoint (console URLs).
pub mod credentials;
pub mod endpoint;
pub mod http;
pub mod listing;
pub mod oidc;
pub mod portal;
pub mod signin;
