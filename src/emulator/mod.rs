//! The local Identity Center emulator (SSO-OIDC + SSO portal over HTTP on 127.0.0.1).
//! (STUB: filled in by the emulator work.)
pub fn run_cli(_a: crate::cli::EmulatorArgs) -> crate::error::Result<()> {
    todo!()
}
