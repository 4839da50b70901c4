//! The command line, as clap derive types. Doc comments are the help text.

use crate::aws::signin::{MAX_SESSION_DURATION, MIN_SESSION_DURATION};
use clap::{Args, Parser, Subcommand};
use std::ffi::OsString;

macro_rules! examples {
    () => {
        "Set up once: add the init line to your shell's startup file (`ssoenv init --help`), e.g.\n  \
        eval \"$(ssoenv init bash)\"                                  # ~/.bashrc (zsh: init zsh, ~/.zshrc)\n  \
        ssoenv init fish | source                                   # ~/.config/fish/config.fish\n\n\
        Examples:\n  \
        ssoenv use prod                                             # with the init line: this shell\n  \
        ssoenv exec dev -- terraform plan\n  \
        eval \"$(ssoenv use prod)\"                                   # without it: bash, zsh\n  \
        ssoenv use prod | source                                    # fish\n  \
        ssoenv use prod --shell powershell | Out-String | Invoke-Expression"
    };
}

/// ssoenv(1)'s ENVIRONMENT: every variable ssoenv reads, and what it does.
pub const MAN_ENVIRONMENT: &[(&str, &str)] = &[
    (
        "AWS_PROFILE",
        "The profile a command means when none is named (use, exec, login, logout, status --check, doctor, console).",
    ),
    (
        "AWS_CONFIG_FILE",
        "The config file (default ~/.aws/config).",
    ),
    (
        "AWS_SHARED_CREDENTIALS_FILE",
        "The credentials file whose static keys a role chain may start from (default ~/.aws/credentials).",
    ),
    (
        "AWS_REGION, AWS_DEFAULT_REGION",
        "The region of STS for role chaining, before the profile's own.",
    ),
    (
        "AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_SIGNIN",
        "Endpoint overrides (all services, then one service), as the AWS CLI takes them.",
    ),
    (
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "true: ignore every endpoint override.",
    ),
    (
        "AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT",
        "true: the FIPS or dual-stack endpoints.",
    ),
    (
        "AWS_CA_BUNDLE",
        "A PEM file of certificate authorities to trust instead of the system's.",
    ),
    (
        "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY",
        "The proxy for HTTPS requests, and the hosts reached without it.",
    ),
    (
        "SSOENV_SHELL",
        "The shell to print code for when --shell is not given and the parent process is no known shell.",
    ),
    (
        "SSOENV_INTERACTIVE",
        "1: use and exec may start a login with no terminal (the code is printed on stderr).",
    ),
    (
        "SSOENV_LOGIN_FLOW",
        "pkce: log in with the authorization code and PKCE (as `aws sso login`) instead of the device code.",
    ),
    (
        "SSOENV_PKCE_TIMEOUT",
        "Seconds to wait for the browser in a PKCE login (default 600).",
    ),
    (
        "SSOENV_HTTP_TIMEOUT",
        "Seconds one HTTP operation may take, retries included (default 60).",
    ),
    (
        "SSOENV_LOCK_TIMEOUT",
        "Seconds to wait for another ssoenv's login or refresh of the same session.",
    ),
    (
        "SSOENV_EXPORT_AWS_PROFILE",
        "0: use unsets AWS_PROFILE instead of setting it (for SDKs that prefer a profile to the exported keys).",
    ),
    (
        "SSOENV_PROMPT",
        "off: the shell integration leaves the prompt alone.",
    ),
    (
        "SSOENV_AUTO_RENEW",
        "1: the prompt hook renews credentials quietly in their last 10 minutes.",
    ),
    (
        "SSOENV_QUIET",
        "1: a use through the shell function says nothing when it succeeds.",
    ),
    (
        "SSOENV_PROFILE, SSOENV_EXPIRATION, SSOENV_RENEWABLE",
        "Set by use: the active profile, its expiry (epoch seconds) and whether the hook may renew it; read by prompt, status and the hooks.",
    ),
    (
        "SSOENV_INIT",
        "Set by the shell function for the binary it runs (never exported; removed from exec's children).",
    ),
    (
        "SSOENV_BACKGROUND_RENEW",
        "Set by the prompt hook for its quiet renewal (never asks, gives up after 3 seconds).",
    ),
    (
        "BROWSER",
        "The browser command for logins and console (several separated by :).",
    ),
    ("NO_COLOR", "Set: no colour in the prompt segment."),
    (
        "COLUMNS",
        "The width status fits its tables to (else the terminal's).",
    ),
    (
        "HOME, XDG_CACHE_HOME, XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_RUNTIME_DIR, TMPDIR",
        "Where the files below are.",
    ),
    (
        "SHELL",
        "The shell exec runs with no command, and doctor's guess of yours.",
    ),
];

/// ssoenv(1)'s note under ENVIRONMENT: what `use` and `exec` set, not read.
pub const MAN_ENVIRONMENT_SET: &str = "use (and exec, for its child) sets AWS_ACCESS_KEY_ID, \
    AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_REGION, \
    AWS_DEFAULT_REGION and AWS_PROFILE, and removes AWS_SECURITY_TOKEN; unset removes them all. \
    exec --server sets AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN \
    for its child and removes what would come before them in an SDK's chain \
    (AWS_DEFAULT_PROFILE, AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME, \
    AWS_CREDENTIAL_FILE, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, \
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE).";

/// ssoenv(1)'s FILES.
pub const MAN_FILES: &[(&str, &str)] = &[
    (
        "~/.aws/config",
        "Profiles and sso-sessions (AWS_CONFIG_FILE).",
    ),
    (
        "~/.aws/credentials",
        "Static keys a role chain may start from (AWS_SHARED_CREDENTIALS_FILE).",
    ),
    (
        "~/.aws/sso/cache/*.json",
        "SSO tokens and client registrations, shared with the AWS CLI.",
    ),
    (
        "~/.aws/cli/cache/*.json",
        "Role credentials, shared with the AWS CLI.",
    ),
    (
        "~/.cache/ssoenv/locks/",
        "Locks around logins and refreshes (XDG_CACHE_HOME).",
    ),
    (
        "~/.cache/ssoenv/account-names.json",
        "Account names from the portal's last listing, for the profile list (XDG_CACHE_HOME).",
    ),
    (
        "~/.cache/ssoenv/config-sections/",
        "Where each used profile's sections lie in the config, so a large config is not read again until it changes (XDG_CACHE_HOME).",
    ),
    (
        "~/.bashrc, ~/.zshrc, ~/.config/fish/config.fish",
        "Where the init line goes (see ssoenv-init(1)).",
    ),
];

/// The man pages' EXIT STATUS (as the README's table).
pub const MAN_EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success."),
    (
        "1",
        "Runtime failure: network, login denied or expired, lock timeout, cache I/O; status --check: a login is needed; doctor: a check failed.",
    ),
    (
        "2",
        "Usage or configuration error: bad arguments, unknown profile, invalid config.",
    ),
    (
        "126, 127",
        "exec: the command cannot be run / is not found.",
    ),
    (
        "N, 128+N",
        "exec: the child's exit status, or the signal N that killed it.",
    ),
    (
        "130",
        "A question or the profile list was cancelled (Esc, Ctrl-C).",
    ),
];
#[cfg(feature = "emulator")]
const AFTER_HELP: &str = concat!(
    examples!(),
    "\n  ssoenv demo                                                 # try it without an AWS account"
);
/// Built without the emulator (`--no-default-features`): no `ssoenv demo` to suggest.
#[cfg(not(feature = "emulator"))]
const AFTER_HELP: &str = examples!();

/// `ssoenv --version`: the package version, the git commit and the target triple it was built
/// from and for (set by build.rs), e.g. `ssoenv 0.1.0 (abc1234 x86_64-unknown-linux-musl)`.
pub(crate) const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("SSOENV_BUILD_COMMIT"),
    " ",
    env!("SSOENV_BUILD_TARGET"),
    ")"
);

#[derive(Debug, Parser)]
#[command(
    name = "ssoenv",
    version = VERSION,
    about = "AWS IAM Identity Center (SSO) credentials in your shell",
    long_about = "AWS IAM Identity Center (SSO) credentials in your shell.\n\n\
        ssoenv logs in with the OIDC device-code flow when needed, shares the AWS CLI's \
        caches (~/.aws/sso/cache, ~/.aws/cli/cache), and prints shell code that exports \
        temporary credentials for a profile of ~/.aws/config.",
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print shell code that exports temporary credentials for PROFILE (evaluate it)
    #[command(after_help = "Examples:\n  \
            eval \"$(ssoenv use prod)\"\n  \
            eval \"$(ssoenv use prod --region us-west-2)\"\n  \
            eval \"$(ssoenv use)\"                    # AWS_PROFILE's profile again, renewed if due\n  \
            ssoenv use prod | source                 # fish\n  \
            ssoenv use prod --shell powershell | Out-String | Invoke-Expression\n\n\
            After `ssoenv init` (see `ssoenv init --help`), `ssoenv use prod` changes the shell directly.")]
    Use(UseArgs),
    /// Print shell code that removes every variable `use` sets
    #[command(after_help = "Examples:\n  \
            eval \"$(ssoenv unset)\"                  # bash, zsh\n  \
            ssoenv unset | source                    # fish\n  \
            ssoenv unset --shell powershell | Out-String | Invoke-Expression")]
    Unset(UnsetArgs),
    /// Run a command with temporary credentials for PROFILE
    #[command(
        after_help = "ssoenv's own options (--profile, --region, --no-browser, --force, --server) go before the command;\n\
            everything from the command's name on is passed to it unchanged. `--` before the command is optional.\n\
            With no PROFILE: AWS_PROFILE, else a list to pick from on a terminal (`ssoenv exec -- CMD`).\n\
            With no command: $SHELL, with the credentials.\n\
            The command's exit status passes through (128+N when signal N killed it; 126 when it\n\
            cannot be run, 127 when it is not found).\n\n\
            Examples:\n  \
            ssoenv exec dev -- terraform plan\n  \
            ssoenv exec prod aws s3 ls\n  \
            ssoenv exec prod --region eu-west-1 aws s3 ls --region us-east-1   # the second --region is aws's\n  \
            ssoenv exec --server prod -- python long_job.py   # credentials refreshed while it runs"
    )]
    Exec(ExecArgs),
    /// Print a profile's credentials as `credential_process` JSON, for the AWS SDKs and CLI
    #[command(
        after_help = "In ~/.aws/config, a profile whose credentials come from ssoenv (and its caches):\n\n  \
            [profile prod-cp]\n  \
            credential_process = ssoenv credential-process prod\n\n\
            stdout is exactly {\"Version\": 1, \"AccessKeyId\", \"SecretAccessKey\", \"SessionToken\", \"Expiration\"}\n\
            or, on failure, empty (the message is on stderr, the exit code non-zero). A login starts only\n\
            when someone can complete it: stderr is a terminal, a browser opens, or SSOENV_INTERACTIVE=1.\n\n\
            Examples:\n  \
            ssoenv credential-process prod\n  \
            AWS_PROFILE=prod-cp aws sts get-caller-identity"
    )]
    CredentialProcess(CredentialProcessArgs),
    /// Log in to an SSO session (reuses a valid token unless --force)
    #[command(
        after_help = "With no PROFILE: AWS_PROFILE, else the `default` profile if it uses SSO; otherwise\n\
            ssoenv lists the SSO sessions and profiles to choose from.\n\n\
            Examples:\n  \
            ssoenv login prod\n  \
            ssoenv login --sso-session corp --no-browser\n  \
            ssoenv login prod --force                # a new login even if the token is valid\n  \
            ssoenv login prod --pkce                 # the browser here brings the code back (as `aws sso login`)\n  \
            SSOENV_LOGIN_FLOW=pkce ssoenv use prod   # PKCE for the logins use/exec start too\n\n\
            The device code is the default flow: a URL and a code, approved on any device. --pkce (or\n\
            SSOENV_LOGIN_FLOW=pkce) logs in as the AWS CLI does by default, with the authorization code and\n\
            PKCE; it needs an [sso-session] and falls back to the device code, saying why, over SSH, with no\n\
            display, with --no-browser, or when it cannot listen on 127.0.0.1. SSOENV_PKCE_TIMEOUT bounds\n\
            the wait for the browser (seconds, default 600)."
    )]
    Login(LoginArgs),
    /// Revoke an SSO session and remove its cached token and role credentials
    #[command(
        after_help = "With no PROFILE: AWS_PROFILE, else the `default` profile if it uses SSO; otherwise\n\
            ssoenv lists the sessions and says how to choose (`--all` logs out of every one).\n\n\
            Examples:\n  \
            ssoenv logout prod\n  \
            ssoenv logout --sso-session corp\n  \
            ssoenv logout --all"
    )]
    Logout(LogoutArgs),
    /// Show SSO sessions, token states and profiles (no network)
    #[command(after_help = STATUS_HELP)]
    Status(StatusArgs),
    /// Check config, login, shell integration, PATH and proxy: why doesn't it work?
    #[command(
        after_help = "One line per check: ok, warn or fail, with the fix for each problem.\n\
            Exit code: 0 when no check fails, 1 when one does (warnings alone exit 0).\n\
            No network unless --network. Nothing secret is printed (a proxy URL loses user:password).\n\n\
            Examples:\n  \
            ssoenv doctor\n  \
            ssoenv doctor prod --network\n  \
            ssoenv doctor prod --json > doctor.json   # for a bug report\n\n\
            --json prints {\"version\", \"checks\": [{\"check\", \"status\": \"ok\" | \"warn\" | \"fail\",\n\
            \"detail\", \"fix\" (or null)}], \"problems\"}."
    )]
    Doctor(DoctorArgs),
    /// List the SSO and role-chaining profiles of ~/.aws/config
    #[command(after_help = "Examples:\n  \
            ssoenv profiles\n  \
            ssoenv profiles --json | jq -r '.[] | select(.sso_session == \"corp\") | .name'\n  \
            ssoenv profiles --names                  # the profiles `use` accepts, one a line\n  \
            ssoenv profiles --sessions               # the sso-sessions `login --sso-session` accepts\n\n\
            --json prints an array of {\"name\", \"sso_session\" (null for a legacy profile), \"start_url\",\n\
            \"account_id\", \"role_name\", \"region\" (or null), \"kind\": \"sso\" | \"assume-role\",\n\
            \"role_arn\", \"source_profile\" (both null for an SSO profile)}. A role-chaining profile\n\
            (role_arn + source_profile) shows the account and role of its role_arn, and the\n\
            sso-session of the SSO profile its chain starts from.")]
    Profiles(ProfilesArgs),
    /// Create an SSO profile step by step, like `aws configure sso` (every answer can be a flag)
    #[command(after_help = CONFIGURE_HELP)]
    Configure(ConfigureArgs),
    /// List every account and role the SSO session can use (asks the portal)
    #[command(after_help = ACCOUNTS_HELP)]
    Accounts(AccountsArgs),
    /// Open the AWS console in a browser, signed in with PROFILE's role (or print the sign-in URL)
    #[command(after_help = CONSOLE_HELP)]
    Console(ConsoleArgs),
    /// Write one [profile ...] per account and role the SSO session can use into ~/.aws/config
    #[command(after_help = POPULATE_HELP)]
    Populate(PopulateArgs),
    /// Run the local IAM Identity Center emulator on 127.0.0.1 (for tests and demos)
    #[cfg(feature = "emulator")]
    #[command(after_help = EMULATOR_HELP)]
    Emulator(EmulatorArgs),
    /// Walk through login, use and exec against the local emulator, with no AWS account
    #[cfg(feature = "emulator")]
    #[command(after_help = "Examples:\n  \
            ssoenv demo\n\n\
            Nothing touches AWS or your ~/.aws: the demo runs in a temporary HOME and removes it.")]
    Demo,
    /// Print the shell integration: the `ssoenv` function, the prompt countdown, auto-renewal
    #[command(
        after_help = "Add one line to your shell's startup file (then open a new shell):\n\n\
            Examples:\n  \
            eval \"$(ssoenv init bash)\"                                  # in ~/.bashrc\n  \
            eval \"$(ssoenv init zsh)\"                                   # in ~/.zshrc\n  \
            ssoenv init fish | source                                   # in ~/.config/fish/config.fish\n  \
            Invoke-Expression (& ssoenv init powershell | Out-String)   # in $PROFILE\n\n\
            Then `ssoenv use prod` and `ssoenv unset` change the shell directly, and the prompt\n\
            shows `(prod 42m)`. SSOENV_PROMPT=off leaves the prompt alone; SSOENV_AUTO_RENEW=1\n\
            renews the credentials quietly in their last 10 minutes."
    )]
    Init(InitArgs),
    /// Print the prompt segment (`prod 42m`) from the environment alone, for starship, p10k, oh-my-posh
    #[command(
        after_help = "Placeholders for --format: {profile} {remaining} {seconds} {state} {color} {renew}\n\
            ({state}: ok, warn, critical, expired, unknown; {color}: green, yellow, red; {renew}: ↻ (+ outside\n\
            a UTF-8 locale) when SSOENV_RENEWABLE=1 and SSOENV_AUTO_RENEW=1, else empty; {{ and }} for braces).\n\
            Prints nothing when no profile is active. Colour follows the state unless --no-color or NO_COLOR.\n\n\
            Examples:\n  ssoenv prompt\n  ssoenv prompt --no-color --format '☁ {profile} ({remaining})'"
    )]
    Prompt(PromptArgs),
    /// Print a shell completion script
    #[command(
        after_help = "`ssoenv init` already brings completions; these are for setups without it.\n\n\
            Examples:\n  \
            ssoenv completions bash > ~/.local/share/bash-completion/completions/ssoenv\n  \
            mkdir -p ~/.zfunc && ssoenv completions zsh > ~/.zfunc/_ssoenv\n    \
            # then in ~/.zshrc, before compinit: fpath=(~/.zfunc $fpath)\n  \
            ssoenv completions fish > ~/.config/fish/completions/ssoenv.fish"
    )]
    Completions(CompletionsArgs),
}

const STATUS_HELP: &str = "\
With --check, nothing is printed: exit 0 when the profile's credentials can be had without a
person (cached role credentials with more than 15 minutes left, or an SSO token that is valid
or can be refreshed), 1 when a login is needed, 2 when the profile is unknown or not SSO.

Examples:
  ssoenv status
  ssoenv status prod                      # that profile and its session only
  ssoenv status --json | jq '.sessions[] | {name, state: .token.state}'
  ssoenv status --check prod || ssoenv login prod

--json prints (values are examples; `|` separates the possible values):
  {
    \"active_profile\": \"prod\" | null,
    \"sessions\": [
      {\"name\": \"corp\" | null (legacy profiles), \"start_url\": \"https://d-1234567890.awsapps.com/start\",
       \"region\": \"us-east-1\",
       \"token\": {\"state\": \"valid\" | \"refreshable\" | \"rejected\" | \"expired\" | \"absent\",
                 \"expires_at\": \"2026-11-22T18:00:00Z\" | null, \"refreshable\": true | false}}
    ],
    \"profiles\": [
      {\"name\": \"prod\", \"sso_session\": \"corp\" | null, \"start_url\": \"https://…\",
       \"account_id\": \"123456789012\", \"role_name\": \"ReadOnly\", \"region\": \"eu-west-1\" | null,
       \"credentials\": {\"state\": \"valid\" | \"expired\" | \"absent\", \"expires_at\": \"…\" | null},
       \"active\": true | false, \"error\": null}
    ]
  }
A role-chaining profile (role_arn + source_profile) also has \"role_arn\", \"source_profile\" and
\"chain\" (its name, then each source down to the SSO profile); its \"credentials\" are the cached
AssumeRole credentials (~/.aws/cli/cache, shared with the AWS CLI).
A profile that does not resolve has \"error\" set to the reason and every other field null
(\"credentials\" too). \"refreshable\" (token) means expired or within 15 minutes of it, with a
refresh token; \"rejected\" means the portal refused it (the next use or login refreshes or logs in).";

#[cfg(feature = "emulator")]
const EMULATOR_HELP: &str = "\
Faults (--fail OP:KIND[:TIMES], repeatable): the next TIMES requests (default 1, `*` for all)
to OP fail in the way KIND says.
  OP:   any (or *), register (RegisterClient), device (StartDeviceAuthorization), token
        (CreateToken), credentials (GetRoleCredentials), accounts (ListAccounts), roles
        (ListAccountRoles), logout (Logout), assume-role or sts (STS AssumeRole, XML errors:
        500 is InternalFailure, 429 a 400 Throttling), signin (getSigninToken); AWS operation names work too
  KIND: 500 (or error): HTTP 500 InternalServerException
        429 (or throttle), 429=N: HTTP 429 TooManyRequestsException, with Retry-After: N
        slow=MILLIS: answer normally after MILLIS milliseconds
        401 (or unauthorized): UnauthorizedException / InvalidClientException
        slow_down: SSO-OIDC slow_down (HTTP 400; a 429 on the portal)
        garbage (or malformed): HTTP 200 with a body that is not JSON
        trickle=MILLIS: send the answer one byte every MILLIS milliseconds
        hang: no answer for an hour

Control endpoints (JSON):
  GET  /_emulator/stats      requests counted per operation
  POST /_emulator/faults     {\"spec\": \"token:500:2,credentials:429=3\"} queues faults
  POST /_emulator/settings   {\"deny\", \"expire_device_codes\", \"token_ttl\", \"role_ttl\", \"approve_after_polls\",
                             \"latency_ms\"}
  POST /_emulator/expire-credentials   every role credential issued so far expires now
  GET  /_emulator/credentials?access_key_id=K   {\"expiration\", \"valid\"} of credentials it issued
  POST /_emulator/revoke     every token issued so far stops working
  POST /_emulator/reset      forget faults and counters, restore start-up settings
  POST /_emulator/sts        {\"role_arn\", \"deny\": bool, \"mfa\": {\"serial_number\", \"token_code\"} | null,
                             \"external_id\": \"…\" | null} controls AssumeRole of that role
  GET  /_emulator/sts/last-request   the parameters of the last AssumeRole
STS AssumeRole is POST / (AWS_ENDPOINT_URL_STS=http://127.0.0.1:PORT), SigV4-verified against
the credentials the emulator issued; every session it issues is chained (1 hour at most).

Examples:
  ssoenv emulator --port 8123
  ssoenv emulator --fail token:500:2 --fail credentials:429=3:1
  ssoenv emulator --fixture accounts.json --token-ttl 600
  ssoenv emulator --credential-seconds 905   # credentials an SDK refreshes within seconds
  ssoenv emulator --accounts 1000 --latency-ms 50    # a large organisation, far away
  curl -X POST localhost:8123/_emulator/faults -d '{\"spec\":\"any:slow=3000\"}'";

const CONFIGURE_HELP: &str = "\
On a terminal, asks for what no flag gave: the SSO session name, start URL, SSO region and
registration scopes (default sso:account:access), logs in (device code), lets you pick an
account and a role (taken without asking when there is only one), then asks for a default
region, an output format and the profile name (default ROLE-ACCOUNTID). An existing [sso-session NAME] is
reused. Writes [sso-session NAME] and [profile NAME]; everything else in the file stays byte
for byte. A section of the same name with other values is an error, never overwritten.
Questions go to stderr; Esc in a list cancels (exit 130).

Without a terminal nothing is asked: --sso-session, --start-url, --sso-region (these two not
for an existing session), --account-id, --role-name and --region must be given (exit 2 names
the missing ones). With --account-id and --role-name no login is needed.

Examples:
  ssoenv configure
  ssoenv configure --profile dev --sso-session corp
  ssoenv configure --sso-session corp --start-url https://d-1234567890.awsapps.com/start \\
    --sso-region us-east-1 --account-id 111111111111 --role-name ReadOnly --region eu-west-1 \\
    --profile dev";

const ACCOUNTS_HELP: &str = "\
Logs in first when needed (as `ssoenv login` does). With no PROFILE: AWS_PROFILE, else the
`default` profile if it uses SSO; otherwise ssoenv lists the sessions to choose from.

Examples:
  ssoenv accounts --sso-session corp
  ssoenv accounts prod --json | jq -r '.[] | select(.roles | index(\"ReadOnly\")) | .accountId'

--json prints an array sorted by account name:
  [{\"accountId\": \"111111111111\", \"accountName\": \"dev\" | null, \"emailAddress\": \"dev@example.com\" | null,
    \"roles\": [\"AdministratorAccess\", \"ReadOnly\"]}]";

const POPULATE_HELP: &str = "\
Each profile gets sso_session, sso_account_id, sso_role_name, region (--region; a new profile
without it gets the sso-session's sso_region, unless --no-region) and the
marker `ssoenv_populated = SESSION`; only profiles with that marker are ever changed or removed.
A profile of the same name written by hand (or by `aws configure sso`) is left as it is and
reported. Everything else in the file is kept byte for byte; the first change saves the old
file as config.ssoenv-bak. Running it again with nothing changed upstream changes nothing.

Template fields: {account_name} {account_id} {role_name} {session}. Names are made safe for a
shell and the AWS CLI (spaces and other separators become -, control characters are dropped);
accounts sharing a name get their account id appended.

Examples:
  ssoenv populate                                   # the config's only sso-session
  ssoenv populate --sso-session corp --region eu-west-1
  ssoenv populate --template '{role_name}@{account_name}' --dry-run
  ssoenv populate --prune                           # also remove profiles of accounts now gone";

const CONSOLE_HELP: &str = "\
With no PROFILE: AWS_PROFILE, else a list to pick from on a terminal (as `ssoenv use`).
The sign-in URL is made by the federation endpoint of the region's partition (aws, aws-cn,
aws-us-gov); AWS_ENDPOINT_URL_SIGNIN (a base URL, `/federation` appended) replaces it.
Without --print the URL is only handed to the browser (BROWSER is honoured), never shown;
if no browser can be opened, ssoenv exits 1 and says to use --print.

Examples:
  ssoenv console prod
  ssoenv console prod --destination s3 --region eu-west-1
  ssoenv console prod --destination '/ec2/home#Instances:' --duration 4h   # quoted: zsh may read #
  ssoenv console prod --print | xclip -selection clipboard   # the URL is a secret: keep it off screens";

#[derive(Debug, Args)]
pub(crate) struct LoginFlags {
    /// Do not open a browser; print the URL and code to open elsewhere
    #[arg(long)]
    pub(crate) no_browser: bool,
}

#[derive(Debug, Args)]
pub(crate) struct UseArgs {
    /// Profile name from ~/.aws/config (default: AWS_PROFILE, else a list to pick from on a terminal)
    pub(crate) profile: Option<String>,
    /// PROFILE as the AWS CLI spells it (`--profile NAME`)
    #[arg(
        long = "profile",
        id = "profile_flag",
        value_name = "PROFILE",
        conflicts_with = "profile"
    )]
    pub(crate) profile_flag: Option<String>,
    /// Shell to print code for (default: the parent process if a known shell, else SSOENV_SHELL, else $SHELL)
    #[arg(long, value_enum)]
    pub(crate) shell: Option<crate::shell::Shell>,
    /// Region to export (beats the profile's `region`)
    #[arg(long, value_parser = parse_region)]
    pub(crate) region: Option<String>,
    #[command(flatten)]
    pub(crate) login: LoginFlags,
    /// Log in again even if a valid SSO token is cached
    #[arg(long, alias = "force-login")]
    pub(crate) force: bool,
}

#[derive(Debug, Args)]
pub(crate) struct UnsetArgs {
    /// Shell to print code for (default: the parent process if a known shell, else SSOENV_SHELL, else $SHELL)
    #[arg(long, value_enum)]
    pub(crate) shell: Option<crate::shell::Shell>,
}

#[derive(Debug, Args)]
pub(crate) struct ExecArgs {
    /// Profile name from ~/.aws/config (default: AWS_PROFILE, else a list to pick from on a terminal)
    pub(crate) profile: Option<String>,
    /// PROFILE as the AWS CLI spells it (`--profile NAME`)
    #[arg(long = "profile", id = "profile_flag", value_name = "PROFILE")]
    pub(crate) profile_flag: Option<String>,
    /// Region to export (beats the profile's `region`)
    #[arg(long, value_parser = parse_region)]
    pub(crate) region: Option<String>,
    #[command(flatten)]
    pub(crate) login: LoginFlags,
    /// Log in again even if a valid SSO token is cached
    #[arg(long)]
    pub(crate) force: bool,
    /// Serve credentials to CMD from a local endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI) instead of exporting keys: SDKs refresh them as they expire
    #[arg(long)]
    pub(crate) server: bool,
    /// The command and its arguments (`--` before it is optional; none: $SHELL)
    #[arg(
        trailing_var_arg = true,
        value_hint = clap::ValueHint::CommandWithArguments,
        value_parser = clap::value_parser!(OsString),
        value_name = "CMD"
    )]
    pub(crate) command: Vec<OsString>,
}

#[derive(Debug, Args)]
pub(crate) struct CredentialProcessArgs {
    /// Profile name from ~/.aws/config whose credentials to print
    #[arg(required_unless_present = "profile_flag")]
    pub(crate) profile: Option<String>,
    /// PROFILE as the AWS CLI spells it (`--profile NAME`)
    #[arg(
        long = "profile",
        id = "profile_flag",
        value_name = "PROFILE",
        conflicts_with = "profile"
    )]
    pub(crate) profile_flag: Option<String>,
    // No --no-browser: it would let a login start whose code nobody sees
    // (the SDK captures stderr). Run `ssoenv login --no-browser` instead.
}

#[cfg(feature = "emulator")]
#[derive(Debug, Args)]
pub(crate) struct EmulatorArgs {
    /// Port on 127.0.0.1 (0 picks a free one)
    #[arg(long, default_value_t = 0)]
    pub(crate) port: u16,
    /// JSON file of accounts and roles to serve (default: a built-in set)
    #[arg(long)]
    pub(crate) fixture: Option<std::path::PathBuf>,
    /// Approve a device code after this many CreateToken polls
    #[arg(long, default_value_t = 1)]
    pub(crate) approve_after: u32,
    /// Access-token lifetime in seconds
    #[arg(long, value_name = "N", default_value_t = 28800)]
    pub(crate) token_ttl: u64,
    /// Role-credential lifetime in seconds (`EmulatorConfig::role_ttl`)
    #[arg(
        long = "credential-seconds",
        visible_alias = "role-ttl",
        value_name = "N",
        default_value_t = 3600
    )]
    pub(crate) role_ttl: u64,
    /// Polling interval in seconds returned by StartDeviceAuthorization
    #[arg(long, default_value_t = 1)]
    pub(crate) interval: u32,
    /// Deny every device authorization and PKCE authorize page (the user clicks "Deny")
    #[arg(long)]
    pub(crate) deny: bool,
    /// Let every device code expire before approval
    #[arg(long)]
    pub(crate) expire: bool,
    /// Inject a fault OP:KIND[:TIMES], e.g. `token:500:2`, `credentials:429=3:1`, `any:slow=3000` (repeatable; all kinds in --help)
    #[arg(long = "fail", value_name = "SPEC")]
    pub(crate) faults: Vec<String>,
    /// Serve N generated accounts (account-0001 ..., 3 roles each; every 100th repeats the name before it) instead of the fixture
    #[arg(long, value_name = "N", conflicts_with = "fixture")]
    pub(crate) accounts: Option<u32>,
    /// Add this many milliseconds to every answer (a distant region)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub(crate) latency_ms: u64,
}

#[derive(Debug, Args)]
pub(crate) struct LoginArgs {
    /// Profile whose SSO session to log in (default: AWS_PROFILE, else an SSO `default` profile)
    #[arg(conflicts_with = "sso_session")]
    pub(crate) profile: Option<String>,
    /// PROFILE as the AWS CLI spells it (`--profile NAME`)
    #[arg(long = "profile", id = "profile_flag", value_name = "PROFILE", conflicts_with_all = ["profile", "sso_session"])]
    pub(crate) profile_flag: Option<String>,
    /// Log in this [sso-session NAME] directly
    #[arg(long, value_name = "NAME")]
    pub(crate) sso_session: Option<String>,
    #[command(flatten)]
    pub(crate) login: LoginFlags,
    /// Log in again even if a valid SSO token is cached
    #[arg(long)]
    pub(crate) force: bool,
    /// Log in with the authorization code and PKCE, as `aws sso login` does (default: SSOENV_LOGIN_FLOW, else the device code)
    #[arg(long, conflicts_with = "use_device_code")]
    pub(crate) pkce: bool,
    /// Log in with the device code, whatever SSOENV_LOGIN_FLOW says (as `aws sso login --use-device-code`)
    #[arg(long)]
    pub(crate) use_device_code: bool,
}

#[derive(Debug, Args)]
pub(crate) struct LogoutArgs {
    /// Profile whose SSO session to end (default: AWS_PROFILE, else an SSO `default` profile)
    #[arg(conflicts_with_all = ["sso_session", "all"])]
    pub(crate) profile: Option<String>,
    /// PROFILE as the AWS CLI spells it (`--profile NAME`)
    #[arg(long = "profile", id = "profile_flag", value_name = "PROFILE", conflicts_with_all = ["profile", "sso_session", "all"])]
    pub(crate) profile_flag: Option<String>,
    /// End this [sso-session NAME]
    #[arg(long, value_name = "NAME", conflicts_with = "all")]
    pub(crate) sso_session: Option<String>,
    /// End every cached SSO session, like `aws sso logout`
    #[arg(long)]
    pub(crate) all: bool,
}

#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    /// Machine-readable output (a stable shape, shown in --help)
    #[arg(long, conflicts_with = "check")]
    pub(crate) json: bool,
    /// Print nothing; exit 0 when PROFILE's credentials can be had without a login, else 1
    #[arg(long)]
    pub(crate) check: bool,
    /// Show only this profile (and its session); with --check: the profile to check (default: AWS_PROFILE)
    pub(crate) profile: Option<String>,
    /// PROFILE as the AWS CLI spells it (`--profile NAME`)
    #[arg(
        long = "profile",
        id = "profile_flag",
        value_name = "PROFILE",
        conflicts_with = "profile",
        requires = "check"
    )]
    pub(crate) profile_flag: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct DoctorArgs {
    /// The profile to check (default: AWS_PROFILE)
    pub(crate) profile: Option<String>,
    /// PROFILE as the AWS CLI spells it (`--profile NAME`)
    #[arg(
        long = "profile",
        id = "profile_flag",
        value_name = "PROFILE",
        conflicts_with = "profile"
    )]
    pub(crate) profile_flag: Option<String>,
    /// Also check that the OIDC and portal endpoints answer, and the clock skew
    #[arg(long)]
    pub(crate) network: bool,
    /// Machine-readable output (for bug reports)
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ProfilesArgs {
    /// Machine-readable output
    #[arg(long, conflicts_with_all = ["names", "sessions"])]
    pub(crate) json: bool,
    /// Only the names of the profiles `use` accepts, one a line (for completions)
    #[arg(long, conflicts_with = "sessions")]
    pub(crate) names: bool,
    /// Only the names of the sso-sessions `login --sso-session` accepts, one a line (for completions)
    #[arg(long)]
    pub(crate) sessions: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ConfigureArgs {
    /// Name of the profile to write (default: ROLE-ACCOUNTID)
    #[arg(long, value_name = "NAME")]
    pub(crate) profile: Option<String>,
    /// Name of the [sso-session NAME] to write or reuse
    #[arg(long, value_name = "NAME")]
    pub(crate) sso_session: Option<String>,
    /// The AWS access portal URL, https://.../start
    #[arg(long, value_name = "URL")]
    pub(crate) start_url: Option<String>,
    /// The region of IAM Identity Center
    #[arg(long, value_name = "REGION")]
    pub(crate) sso_region: Option<String>,
    /// sso_registration_scopes, comma-separated (default: sso:account:access)
    #[arg(long, value_name = "SCOPES")]
    pub(crate) scopes: Option<String>,
    /// The account's 12-digit id
    #[arg(long, value_name = "ID")]
    pub(crate) account_id: Option<String>,
    /// The permission set (role) name
    #[arg(long, value_name = "ROLE")]
    pub(crate) role_name: Option<String>,
    /// The profile's default region
    #[arg(long, value_name = "REGION")]
    pub(crate) region: Option<String>,
    /// The profile's AWS CLI output format: json, yaml, yaml-stream, text or table (optional)
    #[arg(long, value_name = "FORMAT")]
    pub(crate) output: Option<String>,
    #[command(flatten)]
    pub(crate) login: LoginFlags,
}

#[derive(Debug, Args)]
pub(crate) struct ConsoleArgs {
    /// Profile name from ~/.aws/config (default: AWS_PROFILE, else a list to pick from on a terminal)
    pub(crate) profile: Option<String>,
    /// PROFILE as the AWS CLI spells it (`--profile NAME`)
    #[arg(
        long = "profile",
        id = "profile_flag",
        value_name = "PROFILE",
        conflicts_with = "profile"
    )]
    pub(crate) profile_flag: Option<String>,
    /// Write the sign-in URL to stdout instead of opening a browser. The URL is a bearer secret:
    /// for 15 minutes it signs anyone who opens it in to the console, for a session of up to
    /// --duration
    #[arg(long)]
    pub(crate) print: bool,
    /// The console page to open: an https:// URL on the partition's console
    /// (https://s3.console.aws.amazon.com/s3/buckets), a path (/ec2/home#Instances:) or a service
    /// (s3, ec2) [default: the region's console home]
    #[arg(long, value_name = "URL")]
    pub(crate) destination: Option<String>,
    /// Console region (beats the profile's `region`); also picks the partition
    #[arg(long, value_parser = parse_region)]
    pub(crate) region: Option<String>,
    /// Length of the console session, 15m to 12h: 3600, 90m, 4h [default: 1h]. Not sent for
    /// chained role credentials, whose console session lasts as long as they do
    #[arg(long, value_parser = parse_console_duration, value_name = "DURATION")]
    pub(crate) duration: Option<u32>,
    /// Open no browser at all, neither for an SSO login (its URL and code go to stderr) nor for
    /// the console: needs --print
    #[arg(long, requires = "print")]
    pub(crate) no_browser: bool,
    /// Log in again even if a valid SSO token is cached
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Debug, Args)]
pub(crate) struct AccountsArgs {
    /// Profile whose SSO session to use (default: AWS_PROFILE, else an SSO `default` profile)
    #[arg(conflicts_with = "sso_session")]
    pub(crate) profile: Option<String>,
    /// PROFILE as the AWS CLI spells it (`--profile NAME`)
    #[arg(long = "profile", id = "profile_flag", value_name = "PROFILE", conflicts_with_all = ["profile", "sso_session"])]
    pub(crate) profile_flag: Option<String>,
    /// Use this [sso-session NAME]
    #[arg(long, value_name = "NAME")]
    pub(crate) sso_session: Option<String>,
    /// Machine-readable output (shape below)
    #[arg(long)]
    pub(crate) json: bool,
    #[command(flatten)]
    pub(crate) login: LoginFlags,
}

#[derive(Debug, Args)]
pub(crate) struct PopulateArgs {
    /// The [sso-session NAME] to populate from (default: the config's only sso-session)
    #[arg(long, value_name = "NAME")]
    pub(crate) sso_session: Option<String>,
    /// Profile name template
    #[arg(
        long,
        value_name = "TEMPLATE",
        default_value = "{account_name}.{role_name}"
    )]
    pub(crate) template: String,
    /// `region` of every profile written (without it: a region populate wrote before is kept, and new profiles get the sso-session's sso_region)
    #[arg(long, value_parser = parse_region)]
    pub(crate) region: Option<String>,
    /// Write no `region` into new profiles (instead of the sso-session's sso_region)
    #[arg(long, conflicts_with = "region")]
    pub(crate) no_region: bool,
    /// Remove profiles populate wrote for this session whose account or role is gone
    #[arg(long)]
    pub(crate) prune: bool,
    /// Print the changes as a diff and write nothing
    #[arg(long)]
    pub(crate) dry_run: bool,
    #[command(flatten)]
    pub(crate) login: LoginFlags,
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The shell to print the integration for
    #[arg(value_enum)]
    pub(crate) shell: crate::shell::Shell,
}

#[derive(Debug, Args)]
pub(crate) struct PromptArgs {
    /// Output format with placeholders (see below); default `{profile} {remaining}`
    #[arg(long, value_name = "FORMAT")]
    pub(crate) format: Option<String>,
    /// No ANSI colour (also when NO_COLOR is set)
    #[arg(long)]
    pub(crate) no_color: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to print completions for
    #[arg(value_enum)]
    pub(crate) shell: crate::shell::CompletionShell,
}

impl Cli {
    /// `ssoenv exec -- CMD …` names no profile: clap would take CMD as the
    /// profile, so when `--` comes before any positional word (after exec's own
    /// options) the "profile" is given back to the command.
    ///
    /// `--profile NAME` (the AWS CLI's spelling) becomes the positional
    /// PROFILE, so commands see one field. For `exec`, a word clap took as
    /// PROFILE after `--profile NAME` is the command's first word; one before
    /// it names the profile twice (a usage error, as clap gives elsewhere).
    pub(crate) fn with_raw_args(mut self, raw: &[OsString]) -> Result<Cli, clap::Error> {
        if let Command::Exec(a) = &mut self.command {
            if a.profile.is_some() && a.profile_flag.is_some() {
                // `exec_profile_first` moved a leading --profile into place, so
                // this one came after PROFILE.
                return Err(clap::Error::raw(
                    clap::error::ErrorKind::ArgumentConflict,
                    "the profile is named twice: give either PROFILE or --profile PROFILE\n",
                ));
            }
            if a.profile.is_some() && dash_before_profile(raw) {
                let p = a.profile.take().unwrap_or_default();
                a.command.insert(0, OsString::from(p));
            }
        }
        let flag = match &mut self.command {
            Command::Use(a) => Some((&mut a.profile, a.profile_flag.take())),
            Command::Exec(a) => Some((&mut a.profile, a.profile_flag.take())),
            Command::CredentialProcess(a) => Some((&mut a.profile, a.profile_flag.take())),
            Command::Login(a) => Some((&mut a.profile, a.profile_flag.take())),
            Command::Logout(a) => Some((&mut a.profile, a.profile_flag.take())),
            Command::Status(a) => Some((&mut a.profile, a.profile_flag.take())),
            Command::Doctor(a) => Some((&mut a.profile, a.profile_flag.take())),
            Command::Console(a) => Some((&mut a.profile, a.profile_flag.take())),
            Command::Accounts(a) => Some((&mut a.profile, a.profile_flag.take())),
            _ => None,
        };
        if let Some((profile, Some(named))) = flag {
            *profile = Some(named);
        }
        Ok(self)
    }
}

/// The two commands run on every prompt or profile switch, `use` and `prompt`, in
/// their everyday forms, parsed without clap: building clap's command tree for
/// every subcommand costs more than the rest of a warm `use` (`benches/use_cached.sh`,
/// README "Performance"). Anything else (help, errors, repeated or unusual
/// options, a value starting with `-`, non-UTF-8) returns None and goes to clap,
/// which stays the one definition: a test checks both agree on every accepted form.
pub fn parse_fast(raw: &[OsString]) -> Option<Cli> {
    let mut words = raw.get(1..)?.iter().map(|w| w.to_str());
    let command = match words.next()?? {
        "use" => Command::Use(fast_use(words)?),
        "prompt" => Command::Prompt(fast_prompt(words)?),
        _ => return None,
    };
    Some(Cli { command })
}

/// An option's value, from `--name=value` or the next word: None unless it is
/// non-empty and does not start with `-` (clap's own reading of those differs).
fn fast_value<'a>(
    word: &'a str,
    name: &str,
    words: &mut impl Iterator<Item = Option<&'a str>>,
) -> Option<Option<&'a str>> {
    let rest = word.strip_prefix(name)?;
    let value = match rest.strip_prefix('=') {
        Some(v) => v,
        None if rest.is_empty() => words.next()??,
        None => return None,
    };
    Some((!value.is_empty() && !value.starts_with('-')).then_some(value))
}

fn fast_use<'a>(mut words: impl Iterator<Item = Option<&'a str>>) -> Option<UseArgs> {
    let mut a = UseArgs {
        profile: None,
        profile_flag: None,
        shell: None,
        region: None,
        login: LoginFlags { no_browser: false },
        force: false,
    };
    let mut named = false;
    while let Some(w) = words.next() {
        let w = w?;
        match w {
            "--force" if !a.force => a.force = true,
            "--no-browser" if !a.login.no_browser => a.login.no_browser = true,
            _ if w.starts_with("--shell") && a.shell.is_none() => {
                let v = fast_value(w, "--shell", &mut words)??;
                a.shell = Some(<crate::shell::Shell as clap::ValueEnum>::from_str(v, false).ok()?);
            }
            _ if w.starts_with("--region") && a.region.is_none() => {
                let v = fast_value(w, "--region", &mut words)??;
                a.region = Some(parse_region(v).ok()?);
            }
            // `--profile NAME` is PROFILE (as `Cli::with_raw_args` makes it); both: clap's error.
            _ if w.starts_with("--profile") && !named => {
                let v = fast_value(w, "--profile", &mut words)??;
                (a.profile.is_none()).then_some(())?;
                a.profile = Some(v.to_owned());
                named = true;
            }
            _ if !w.starts_with('-') && !w.is_empty() && a.profile.is_none() => {
                a.profile = Some(w.to_owned());
            }
            _ => return None,
        }
    }
    Some(a)
}

fn fast_prompt<'a>(mut words: impl Iterator<Item = Option<&'a str>>) -> Option<PromptArgs> {
    let mut a = PromptArgs {
        format: None,
        no_color: false,
    };
    while let Some(w) = words.next() {
        let w = w?;
        match w {
            "--no-color" if !a.no_color => a.no_color = true,
            _ if w.starts_with("--format") && a.format.is_none() => {
                a.format = Some(fast_value(w, "--format", &mut words)??.to_owned());
            }
            _ => return None,
        }
    }
    Some(a)
}

/// A usage error without the `--shell SHELL` the shell function adds to
/// `use` and `unset`: clap's usage line names the options that were given,
/// and the person never typed that one. When the arguments without it fail
/// the same way, that error is shown; otherwise (the error is about
/// `--shell`) the original.
pub fn without_added_shell(raw: &[OsString], e: clap::Error) -> clap::Error {
    let mut stripped = Vec::with_capacity(raw.len());
    let mut words = raw.iter();
    let mut removed = false;
    while let Some(w) = words.next() {
        if w == "--shell" && !removed {
            removed = true;
            words.next();
        } else if w.to_string_lossy().starts_with("--shell=") && !removed {
            removed = true;
        } else {
            stripped.push(w.clone());
        }
    }
    if !removed {
        return e;
    }
    match parse_raw(&stripped) {
        Err(again) if again.kind() == e.kind() => again,
        _ => e,
    }
}

/// Parse the command line with clap: `exec --profile NAME CMD…` first
/// becomes `exec NAME CMD…` (clap would take CMD as PROFILE, and CMD's own
/// options as exec's), then [`Cli::with_raw_args`].
pub fn parse_raw(raw: &[OsString]) -> Result<Cli, clap::Error> {
    let raw = exec_profile_first(raw);
    Cli::try_parse_from(&raw).and_then(|c| c.with_raw_args(&raw))
}

/// `exec [OPTIONS] --profile NAME …` (before any other positional word or
/// `--`) as `exec [OPTIONS] NAME …`.
fn exec_profile_first(raw: &[OsString]) -> Vec<OsString> {
    let mut out = raw.to_vec();
    let Some(i) = raw.iter().position(|w| w == "exec") else {
        return out;
    };
    let mut j = i + 1;
    while j < raw.len() {
        let w = raw[j].to_string_lossy();
        match w.as_ref() {
            "--profile" if j + 1 < raw.len() => {
                let name = raw[j + 1].clone();
                out.splice(j..j + 2, [name]);
                return out;
            }
            _ if w.starts_with("--profile=") => {
                out[j] = OsString::from(&w["--profile=".len()..]);
                return out;
            }
            "--region" => j += 2,
            "--no-browser" | "--force" | "--server" => j += 1,
            _ if w.starts_with("--region=") => j += 1,
            _ => return out,
        }
    }
    out
}

fn dash_before_profile(raw: &[OsString]) -> bool {
    let Some(i) = raw.iter().position(|w| w == "exec") else {
        return false;
    };
    let mut words = raw[i + 1..].iter();
    while let Some(w) = words.next() {
        let w = w.to_string_lossy();
        match w.as_ref() {
            "--" => return true,
            "--region" => {
                words.next();
            }
            "--no-browser" | "--force" => {}
            _ if w.starts_with("--region=") => {}
            _ => return false,
        }
    }
    false
}

/// `--region`: a region name such as `eu-west-1`. An empty value would export an
/// empty `AWS_REGION`, which the SDKs reject later with a worse message.
fn parse_region(s: &str) -> Result<String, String> {
    if s.is_empty() {
        return Err(
            "the region is empty; give one such as eu-west-1, or leave out --region to use the profile's region"
                .into(),
        );
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Err(format!(
            "{c:?} cannot appear in a region name; regions look like eu-west-1 (letters, digits and -)"
        ));
    }
    Ok(s.to_owned())
}

/// `--duration` of `console`: seconds (`3600`, `3600s`), minutes (`90m`) or
/// hours (`4h`), from 15 minutes to 12 hours (the federation endpoint's
/// `SessionDuration` bounds). Returns seconds.
fn parse_console_duration(s: &str) -> Result<u32, String> {
    let t = s.trim();
    let (digits, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => t.split_at(i),
        None => (t, "s"),
    };
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => {
            return Err(format!(
                "{s:?} is not a duration; give seconds (3600), minutes (90m) or hours (4h)"
            ));
        }
    };
    let secs = digits
        .parse::<u32>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .filter(|_| !digits.is_empty());
    match secs {
        Some(n) if (MIN_SESSION_DURATION..=MAX_SESSION_DURATION).contains(&n) => Ok(n),
        Some(_) => Err(format!(
            "{s} is outside 15m to 12h, the console session lengths AWS accepts"
        )),
        None => Err(format!(
            "{s:?} is not a duration; give seconds (3600), minutes (90m) or hours (4h)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every form `parse_fast` accepts, clap parses to the same value; every
    /// other form is left to clap.
    #[test]
    fn the_fast_parser_agrees_with_clap_or_declines() {
        let accepted: &[&[&str]] = &[
            &["use"],
            &["use", "prod"],
            &["use", "prod", "--shell", "bash"],
            &["use", "--shell", "zsh", "prod"],
            &["use", "--shell=fish", "p r o d"],
            &["use", "prod", "--shell", "pwsh"],
            &["use", "prod", "--shell", "dash"],
            &[
                "use",
                "prod",
                "--shell",
                "sh",
                "--region",
                "eu-west-1",
                "--force",
            ],
            &["use", "--no-browser", "--region=us-east-1", "x'$(y)"],
            &["use", "prod", "--force", "--no-browser"],
            &["use", "ünï", "--shell", "powershell"],
            &["use", "--profile", "prod", "--shell", "bash"],
            &["use", "--profile=prod", "--force"],
            &["use", "--shell", "zsh", "--profile", "p r o d"],
            &["prompt"],
            &["prompt", "--no-color"],
            &["prompt", "--format", "{profile}"],
            &["prompt", "--format={profile} {remaining}", "--no-color"],
        ];
        for args in accepted {
            let raw: Vec<OsString> = std::iter::once("ssoenv")
                .chain(args.iter().copied())
                .map(OsString::from)
                .collect();
            let fast = parse_fast(&raw).unwrap_or_else(|| panic!("declined {args:?}"));
            let slow = parse_raw(&raw).unwrap();
            assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{args:?}");
        }
        let declined: &[&[&str]] = &[
            &[],
            &["use", "--help"],
            &["use", "-h"],
            &["use", "a", "b"],
            &["use", "--shell", "tcsh", "p"],
            &["use", "--shell", "Bash", "p"],
            &["use", "--shell"],
            &["use", "--shell=", "p"],
            &["use", "--shell", "bash", "--shell", "zsh"],
            &["use", "--shellx", "bash"],
            &["use", "--force", "--force"],
            &["use", "--force-login", "p"],
            &["use", "--region", "", "p"],
            &["use", "--region", "eu west", "p"],
            &["use", "--", "p"],
            &["use", "-", "p"],
            &["use", ""],
            &["use", "--region", "-x"],
            &["use", "--profile", "a", "b"],
            &["use", "b", "--profile", "a"],
            &["use", "--profile", "a", "--profile", "b"],
            &["use", "--profile"],
            &["use", "--profile", "-x"],
            &["prompt", "--format"],
            &["prompt", "--format", "-x"],
            &["prompt", "extra"],
            &["exec", "p", "--", "true"],
            &["--version"],
        ];
        for args in declined {
            let raw: Vec<OsString> = std::iter::once("ssoenv")
                .chain(args.iter().copied())
                .map(OsString::from)
                .collect();
            assert!(parse_fast(&raw).is_none(), "accepted {args:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_fast_parser_leaves_non_utf8_to_clap() {
        use std::os::unix::ffi::OsStringExt;
        let raw = vec![
            OsString::from("ssoenv"),
            OsString::from("use"),
            OsString::from_vec(vec![0xff, b'p']),
        ];
        assert!(parse_fast(&raw).is_none());
    }

    fn exec(args: &[&str]) -> ExecArgs {
        let argv: Vec<OsString> = ["ssoenv", "exec"]
            .iter()
            .chain(args)
            .map(OsString::from)
            .collect();
        match parse_raw(&argv).unwrap().command {
            Command::Exec(a) => a,
            other => panic!("{other:?}"),
        }
    }

    fn words(a: &ExecArgs) -> Vec<&str> {
        a.command.iter().map(|w| w.to_str().unwrap()).collect()
    }

    #[test]
    fn exec_takes_the_command_with_or_without_a_double_dash() {
        for argv in [
            &["prod", "aws", "s3", "ls"][..],
            &["prod", "--", "aws", "s3", "ls"],
        ] {
            let a = exec(argv);
            assert_eq!(a.profile.as_deref(), Some("prod"));
            assert_eq!(words(&a), ["aws", "s3", "ls"]);
        }
    }

    #[test]
    fn profile_as_an_option_is_the_positional_profile_everywhere() {
        let parse = |args: &[&str]| {
            let argv: Vec<OsString> = std::iter::once("ssoenv")
                .chain(args.iter().copied())
                .map(OsString::from)
                .collect();
            parse_raw(&argv)
        };
        for (flag, positional) in [
            (&["use", "--profile", "p"][..], &["use", "p"][..]),
            (&["login", "--profile", "p"], &["login", "p"]),
            (&["logout", "--profile", "p"], &["logout", "p"]),
            (
                &["status", "--check", "--profile", "p"],
                &["status", "--check", "p"],
            ),
            (&["console", "--profile", "p"], &["console", "p"]),
            (
                &["credential-process", "--profile", "p"],
                &["credential-process", "p"],
            ),
            (&["doctor", "--profile=p"], &["doctor", "p"]),
            (&["accounts", "--profile", "p"], &["accounts", "p"]),
            (
                &["exec", "--profile", "p", "aws", "s3"],
                &["exec", "p", "aws", "s3"],
            ),
            (
                &["exec", "--profile", "p", "--", "aws"],
                &["exec", "p", "--", "aws"],
            ),
            (&["exec", "--profile", "p"], &["exec", "p"]),
            (
                &["exec", "--profile", "p", "sh", "-c", "x"],
                &["exec", "p", "sh", "-c", "x"],
            ),
            (
                &["exec", "--force", "--profile=p", "env"],
                &["exec", "--force", "p", "env"],
            ),
        ] {
            assert_eq!(
                format!("{:?}", parse(flag).unwrap()),
                format!("{:?}", parse(positional).unwrap()),
                "{flag:?}"
            );
        }
        for both in [
            &["use", "a", "--profile", "b"][..],
            &["login", "--profile", "a", "b"],
            &["login", "--profile", "a", "--sso-session", "s"],
            &["credential-process", "a", "--profile", "b"],
            &["exec", "a", "--profile", "b", "true"],
            &["console", "--profile", "a", "b"],
        ] {
            let e = parse(both).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{both:?}");
        }
        assert!(parse(&["credential-process"]).is_err());
    }

    #[test]
    fn a_usage_error_leaves_out_the_shell_the_wrapper_added() {
        let raw: Vec<OsString> = ["ssoenv", "use", "a", "b", "--shell", "bash"]
            .iter()
            .map(OsString::from)
            .collect();
        let e = Cli::try_parse_from(&raw).unwrap_err();
        let shown = without_added_shell(&raw, e).render().to_string();
        assert!(shown.contains("Usage: ssoenv use"), "{shown}");
        assert!(!shown.contains("--shell"), "{shown}");
        // An error about --shell itself keeps it.
        let raw: Vec<OsString> = ["ssoenv", "use", "a", "--shell", "tcsh"]
            .iter()
            .map(OsString::from)
            .collect();
        let e = Cli::try_parse_from(&raw).unwrap_err();
        assert!(
            without_added_shell(&raw, e)
                .render()
                .to_string()
                .contains("tcsh")
        );
    }

    #[test]
    fn exec_options_after_the_command_name_belong_to_the_command() {
        let a = exec(&[
            "prod",
            "--region",
            "eu-west-1",
            "aws",
            "--region",
            "x",
            "--",
            "-y",
        ]);
        assert_eq!(a.region.as_deref(), Some("eu-west-1"));
        assert_eq!(words(&a), ["aws", "--region", "x", "--", "-y"]);
        let a = exec(&["--no-browser", "prod", "env", "--no-browser"]);
        assert!(a.login.no_browser);
        assert_eq!(words(&a), ["env", "--no-browser"]);
        let a = exec(&["prod", "--", "--region"]);
        assert_eq!(a.region, None);
        assert_eq!(words(&a), ["--region"]);
    }

    #[test]
    fn exec_with_a_double_dash_first_names_no_profile() {
        let raw = |w: &[&str]| w.iter().map(OsString::from).collect::<Vec<_>>();
        for argv in [
            &["ssoenv", "exec", "--", "aws", "s3"][..],
            &["ssoenv", "exec", "--region", "eu-west-1", "--", "aws", "s3"],
            &["ssoenv", "exec", "--no-browser", "--", "aws", "s3"],
        ] {
            let cli = Cli::try_parse_from(argv)
                .unwrap()
                .with_raw_args(&raw(argv))
                .unwrap();
            let Command::Exec(a) = cli.command else {
                panic!()
            };
            assert_eq!(a.profile, None, "{argv:?}");
            assert_eq!(words(&a), ["aws", "s3"]);
        }
        let argv = ["ssoenv", "exec", "prod", "--", "aws"];
        let cli = Cli::try_parse_from(argv)
            .unwrap()
            .with_raw_args(&raw(&argv))
            .unwrap();
        let Command::Exec(a) = cli.command else {
            panic!()
        };
        assert_eq!(a.profile.as_deref(), Some("prod"));
        assert_eq!(words(&a), ["aws"]);
    }

    #[test]
    fn an_unknown_option_before_the_command_is_an_error_not_a_command() {
        let e = Cli::try_parse_from(["ssoenv", "exec", "prod", "--bogus", "aws"]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::UnknownArgument);
    }

    #[test]
    fn regions_must_be_names() {
        assert!(parse_region("eu-west-1").is_ok());
        assert!(parse_region("").unwrap_err().contains("empty"));
        assert!(parse_region("eu west").unwrap_err().contains("' '"));
        assert!(parse_region("x\n").is_err());
    }

    #[test]
    fn console_durations_take_seconds_minutes_or_hours_within_aws_bounds() {
        assert_eq!(parse_console_duration("3600"), Ok(3600));
        assert_eq!(parse_console_duration("900s"), Ok(900));
        assert_eq!(parse_console_duration("90m"), Ok(5400));
        assert_eq!(parse_console_duration("12h"), Ok(43_200));
        for bad in [
            "",
            "m",
            "1d",
            "-1h",
            "899",
            "13h",
            "99999999999h",
            "1.5h",
            "1 h",
        ] {
            assert!(parse_console_duration(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn console_no_browser_needs_print() {
        let e = Cli::try_parse_from(["ssoenv", "console", "prod", "--no-browser"]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::MissingRequiredArgument);
        assert!(Cli::try_parse_from(["ssoenv", "console", "--no-browser", "--print"]).is_ok());
    }
}
