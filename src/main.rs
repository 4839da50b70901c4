//! Thin entry point: parse, dispatch, map the result to an exit code. The
//! only place that exits.

use clap::Parser;

fn main() {
    let cli = ssoenv::cli::Cli::parse();
    let env = ssoenv::env::Env::from_process();
    let code = match ssoenv::cmd::run(cli, &env) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}
