//! ssoenv: AWS IAM Identity Center credentials for the shell.
//! The binary (`main.rs`) is thin; everything lives here so tests can reach it.

pub mod config;
pub mod emulator;
pub mod env;
pub mod error;
pub mod shell;
