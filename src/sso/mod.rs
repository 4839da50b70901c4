//! Clients for the two unsigned AWS APIs behind IAM Identity Center.
pub mod endpoint;
pub mod http;
pub mod oidc;
pub mod portal;
