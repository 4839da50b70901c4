//! ssoenv: AWS IAM Identity Center credentials for the shell.
//! The binary (`main.rs`) is thin; everything lives here so tests can reach it.

pub mod accounts;
pub mod browser;
pub mod cache;
pub mod cli;
pub mod cmd;
pub mod config;
#[cfg(feature = "emulator")]
pub mod demo;
pub mod env;
pub mod error;
pub mod exports;
pub mod interaction;
pub mod prompt;
pub mod session;
pub mod shell;
pub mod sso;
pub mod text;
pub mod tty;
