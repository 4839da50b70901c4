//! `ssoenv demo` (STUB until the emulator lands).
use crate::env::Env;
use crate::error::Result;
pub fn run(_env: &Env) -> Result<i32> {
    todo!()
}
