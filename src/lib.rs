//! ssoenv: AWS IAM Identity Center credentials for the shell.
//! The binary (`main.rs`) is thin; everything lives here so tests can reach it.

// stdout and stderr have one writer: `output` (design: one writer).
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod accounts;
pub mod aws;
pub mod cache;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod credentials;
#[cfg(feature = "emulator")]
pub mod demo;
pub mod env;
pub mod error;
pub mod login;
pub mod output;
pub mod prompt;
pub mod shell;
pub mod text;
pub mod tty;
