//! `ssoenv unset`: code that removes every variable `use` sets.

use crate::cli::UnsetArgs;
use crate::env::Env;
use crate::error::Result;
use crate::shell::Shell;

pub fn run(args: UnsetArgs, env: &Env) -> Result<i32> {
    let shell = Shell::detect(args.shell, env)?;
    super::emit(&shell.render(&crate::credentials::env::unset_changes())?)?;
    Ok(0)
}
