//! From a profile to credentials. [`Plan`] is a profile resolved once into
//! its sources: a base (an SSO role in [`sso`], static keys in
//! [`static_keys`]) and the role steps above it ([`assume_role`]); the plan
//! gets the credentials (each step's cache, else a fetch under a lock) and
//! answers what commands ask about a profile. `env` turns credentials into
//! the variables a shell or child process gets; `server` serves them to a
//! child's SDK; `child_config` is the config such a child reads.

mod assume_role;
pub(crate) mod child_config;
pub(crate) mod env;
mod plan;
pub(crate) mod server;
mod sso;
mod static_keys;

pub(crate) use crate::aws::credentials::Credentials;
pub(crate) use plan::Plan;
