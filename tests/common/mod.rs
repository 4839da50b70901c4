//! The old name of `tests/support`, kept so that `mod common;` goes on working.
#[path = "../support/mod.rs"]
mod support;
#[allow(unused_imports)]
pub use support::*;
