//! The command line, as clap derive types. Doc comments are the help text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "ssoenv",
    version,
    about = "AWS IAM Identity Center (SSO) credentials in your shell",
    long_about = "AWS IAM Identity Center (SSO) credentials in your shell.\n\n\
        ssoenv logs in with the OIDC device-code flow when needed, shares the AWS CLI's \
        caches (~/.aws/sso/cache, ~/.aws/cli/cache), and prints shell code that exports \
        temporary credentials for a profile of ~/.aws/config.",
    after_help = "Examples:\n  \
        eval \"$(ssoenv use prod)\"                                   # bash, zsh\n  \
        ssoenv use prod | source                                    # fish\n  \
        ssoenv use prod --shell powershell | Out-String | Invoke-Expression\n  \
        ssoenv exec dev -- terraform plan\n  \
        ssoenv demo                                                 # try it without an AWS account"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print shell code that exports temporary credentials for PROFILE (evaluate it)
    #[command(
        after_help = "Examples:\n  eval \"$(ssoenv use prod)\"\n  ssoenv use prod | source                 # fish\n  ssoenv use prod --shell powershell | Out-String | Invoke-Expression"
    )]
    Use(UseArgs),
    /// Print shell code that removes every variable `use` sets
    Unset(UnsetArgs),
    /// Run a command with temporary credentials for PROFILE
    #[command(
        after_help = "Examples:\n  ssoenv exec dev -- terraform plan\n  ssoenv exec prod --region eu-west-1 -- aws s3 ls"
    )]
    Exec(ExecArgs),
    /// Log in to an SSO session (reuses a valid token unless --force)
    #[command(
        after_help = "Examples:\n  ssoenv login prod\n  ssoenv login --sso-session corp --no-browser"
    )]
    Login(LoginArgs),
    /// Revoke an SSO session and remove its cached token and role credentials
    #[command(
        after_help = "Examples:\n  ssoenv logout prod\n  ssoenv logout --sso-session corp\n  ssoenv logout --all"
    )]
    Logout(LogoutArgs),
    /// Show SSO sessions, token states and profiles (no network)
    Status(StatusArgs),
    /// List the SSO profiles of ~/.aws/config
    Profiles(ProfilesArgs),
    /// Run the local IAM Identity Center emulator on 127.0.0.1 (for tests and demos)
    Emulator(EmulatorArgs),
    /// Walk through login, use and exec against the local emulator, with no AWS account
    Demo,
    /// Print the shell integration: the `ssoenv` function, the prompt countdown, auto-renewal
    #[command(after_help = "Add one line to your shell's startup file:\n  \
            eval \"$(ssoenv init bash)\"                                  # ~/.bashrc\n  \
            eval \"$(ssoenv init zsh)\"                                   # ~/.zshrc\n  \
            ssoenv init fish | source                                   # ~/.config/fish/config.fish\n  \
            Invoke-Expression (& ssoenv init powershell | Out-String)   # $PROFILE\n\n\
            Then `ssoenv use prod` and `ssoenv unset` change the shell directly, and the prompt\n\
            shows `(prod 42m)`. SSOENV_PROMPT=off leaves the prompt alone; SSOENV_AUTO_RENEW=1\n\
            renews the credentials quietly in their last 10 minutes.")]
    Init(InitArgs),
    /// Print the prompt segment (`prod 42m`) from the environment alone, for starship, p10k, oh-my-posh
    #[command(
        after_help = "Placeholders for --format: {profile} {remaining} {seconds} {state} {color}\n\
            ({state}: ok, warn, critical, expired, unknown; {color}: green, yellow, red; {{ and }} for braces).\n\
            Prints nothing when no profile is active. Colour follows the state unless --no-color or NO_COLOR.\n\n\
            Examples:\n  ssoenv prompt\n  ssoenv prompt --no-color --format '☁ {profile} ({remaining})'"
    )]
    Prompt(PromptArgs),
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  ssoenv completions bash > ~/.local/share/bash-completion/completions/ssoenv\n  \
            ssoenv completions zsh > ~/.zfunc/_ssoenv\n  \
            ssoenv completions fish > ~/.config/fish/completions/ssoenv.fish"
    )]
    Completions(CompletionsArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    #[value(alias = "pwsh")]
    Powershell,
}

impl From<ShellArg> for crate::shell::Shell {
    fn from(s: ShellArg) -> Self {
        match s {
            ShellArg::Bash => crate::shell::Shell::Bash,
            ShellArg::Zsh => crate::shell::Shell::Zsh,
            ShellArg::Fish => crate::shell::Shell::Fish,
            ShellArg::Powershell => crate::shell::Shell::PowerShell,
        }
    }
}

#[derive(Debug, Args)]
pub struct LoginFlags {
    /// Do not open a browser; print the URL and code to open elsewhere
    #[arg(long)]
    pub no_browser: bool,
}

#[derive(Debug, Args)]
pub struct UseArgs {
    /// Profile name from ~/.aws/config
    pub profile: String,
    /// Shell to print code for (default: the parent process if a known shell, else SSOENV_SHELL, else $SHELL)
    #[arg(long, value_enum)]
    pub shell: Option<ShellArg>,
    /// Region to export (beats the profile's `region`)
    #[arg(long)]
    pub region: Option<String>,
    #[command(flatten)]
    pub login: LoginFlags,
    /// Log in again even if a valid SSO token is cached
    #[arg(long)]
    pub force_login: bool,
}

#[derive(Debug, Args)]
pub struct UnsetArgs {
    /// Shell to print code for (default: the parent process if a known shell, else SSOENV_SHELL, else $SHELL)
    #[arg(long, value_enum)]
    pub shell: Option<ShellArg>,
}

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Profile name from ~/.aws/config
    pub profile: String,
    /// Region to export (beats the profile's `region`)
    #[arg(long)]
    pub region: Option<String>,
    #[command(flatten)]
    pub login: LoginFlags,
    /// The command and its arguments (after `--`)
    #[arg(required = true, last = true, value_parser = clap::value_parser!(OsString), value_name = "CMD")]
    pub command: Vec<OsString>,
}

#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// Port on 127.0.0.1 (0 picks a free one)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// JSON file of accounts and roles to serve (default: a built-in set)
    #[arg(long)]
    pub fixture: Option<PathBuf>,
    /// Approve a device code after this many CreateToken polls
    #[arg(long, default_value_t = 1)]
    pub approve_after: u32,
    /// Access-token lifetime in seconds
    #[arg(long, default_value_t = 28800)]
    pub token_ttl: u64,
    /// Role-credential lifetime in seconds
    #[arg(long, default_value_t = 3600)]
    pub role_ttl: u64,
    /// Polling interval in seconds returned by StartDeviceAuthorization
    #[arg(long, default_value_t = 1)]
    pub interval: u32,
    /// Deny every device authorization (the user clicks "Deny")
    #[arg(long)]
    pub deny: bool,
    /// Let every device code expire before approval
    #[arg(long)]
    pub expire: bool,
    /// Inject a fault, e.g. `token:500:2`, `credentials:429:1`, `any:slow=3000:1` (repeatable)
    #[arg(long = "fail", value_name = "SPEC")]
    pub faults: Vec<String>,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Profile whose SSO session to log in (default: AWS_PROFILE, else `default`)
    #[arg(conflicts_with = "sso_session")]
    pub profile: Option<String>,
    /// Log in this [sso-session NAME] directly
    #[arg(long, value_name = "NAME")]
    pub sso_session: Option<String>,
    #[command(flatten)]
    pub login: LoginFlags,
    /// Log in again even if a valid token is cached
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Profile whose SSO session to end (default: AWS_PROFILE, else `default`)
    #[arg(conflicts_with_all = ["sso_session", "all"])]
    pub profile: Option<String>,
    /// End this [sso-session NAME]
    #[arg(long, value_name = "NAME", conflicts_with = "all")]
    pub sso_session: Option<String>,
    /// End every cached SSO session, like `aws sso logout`
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Machine-readable output (stable format, see README)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ProfilesArgs {
    /// Machine-readable output
    #[arg(long, conflicts_with = "names")]
    pub json: bool,
    /// Only the names of all profiles, one a line, from a quick scan that never fails (for completions)
    #[arg(long)]
    pub names: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The shell to print the integration for
    #[arg(value_enum)]
    pub shell: ShellArg,
}

#[derive(Debug, Args)]
pub struct PromptArgs {
    /// Output format with placeholders (see below); default `{profile} {remaining}`
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// No ANSI colour (also when NO_COLOR is set)
    #[arg(long)]
    pub no_color: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print completions for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
