//! One file per subcommand; `run` dispatches. Each returns the exit code or an Error.

pub(crate) mod accounts;
pub mod completions;
pub(crate) mod configure;
pub(crate) mod console;
pub mod credential_process;
pub(crate) mod doctor;
#[cfg(feature = "emulator")]
pub(crate) mod emulator;
pub(crate) mod exec;
pub mod init;
pub(crate) mod login;
pub(crate) mod logout;
pub(crate) mod pick;
pub(crate) mod populate;
pub(crate) mod profiles;
pub(crate) mod prompt;
pub(crate) mod status;
pub(crate) mod unset;
#[path = "use.rs"]
pub(crate) mod use_;

use crate::cli::{Cli, Command};
use crate::env::Env;
use crate::error::Result;

pub fn run(cli: Cli, env: &Env) -> Result<i32> {
    match cli.command {
        Command::Use(a) => use_::run(a, env),
        Command::Unset(a) => unset::run(a, env),
        Command::Exec(a) => exec::run(a, env),
        Command::CredentialProcess(a) => credential_process::run(a, env),
        Command::Login(a) => login::run(a, env),
        Command::Logout(a) => logout::run(a, env),
        Command::Status(a) => status::run(a, env),
        Command::Doctor(a) => doctor::run(a, env),
        Command::Profiles(a) => profiles::run(a, env),
        Command::Configure(a) => configure::run(a, env),
        Command::Accounts(a) => accounts::run(a, env),
        Command::Console(a) => console::run(a, env),
        Command::Populate(a) => populate::run(a, env),
        #[cfg(feature = "emulator")]
        Command::Emulator(a) => emulator::run(a),
        #[cfg(feature = "emulator")]
        Command::Demo => crate::demo::run(env),
        Command::Init(a) => init::run(a),
        Command::Prompt(a) => prompt::run(a, env),
        Command::Completions(a) => completions::run(a),
    }
}

pub(crate) use crate::output::emit;
