//! What the integration tests share: the [`Sandbox`] (temporary HOME, the
//! emulator, the real binary), the table of real shells with their strict
//! modes ([`SHELLS`], [`for_each_shell`]), a tmux terminal ([`Tmux`]) and the
//! shared assertions.
//!
//! A test file says `mod support;` (`mod common;` still works: it re-exports
//! this module).
#![allow(dead_code, unused_imports)]

mod assert;
mod browser;
mod other_user;
mod sandbox;
mod shells;
mod skip;
mod tmux;

pub use assert::*;
pub use browser::*;
pub use other_user::*;
pub use sandbox::*;
pub use shells::*;
pub use skip::*;
pub use tmux::Tmux;
