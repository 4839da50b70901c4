//! Thin entry point: parse, dispatch, map the result to an exit code. The
//! only place that exits.

#![warn(clippy::print_stdout, clippy::print_stderr)]

fn main() {
    let raw: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // `use` and `prompt` in their everyday forms skip building clap's command tree.
    let cli = match ssoenv::cli::parse_fast(&raw) {
        Some(cli) => cli,
        None => match ssoenv::cli::parse_raw(&raw) {
            Ok(cli) => cli,
            // A usage error in one write, as every other message (`output`).
            Err(e) if e.use_stderr() => {
                let e = ssoenv::cli::without_added_shell(&raw, e);
                ssoenv::output::usage_error(&e);
                std::process::exit(e.exit_code());
            }
            // --help, --version: clap prints them to stdout.
            Err(e) => e.exit(),
        },
    };
    let env = ssoenv::env::Env::from_process();
    let code = match ssoenv::cmd::run(cli, &env) {
        Ok(code) => code,
        Err(e) => {
            ssoenv::output::error(&e);
            e.exit_code()
        }
    };
    std::process::exit(code);
}
