//! `ssoenv unset`: code that removes every variable `use` sets.

use crate::cli::UnsetArgs;
use crate::env::Env;
use crate::error::Result;
use crate::shell::Shell;
use std::io::IsTerminal;

pub(crate) fn run(args: UnsetArgs, env: &Env) -> Result<i32> {
    let shell = Shell::detect(args.shell, env)?;
    let script = shell.render(&crate::credentials::env::unset_changes())?;
    if std::io::stdout().is_terminal() {
        // Code printed to a terminal changes nothing: say so, as `use` does.
        let message = format!(
            "ssoenv unset prints shell code to evaluate; nothing was changed in this shell.\n\
             hint: run `{}`, or add `{}` to your shell's startup file and then run `ssoenv unset`",
            crate::text::printable(&shell.eval_line("unset")),
            shell.init_line(),
        );
        crate::output::stderr_text(&format!("{message}\n"));
        return Ok(0);
    }
    super::emit(&script)?;
    Ok(0)
}
