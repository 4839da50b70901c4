//! Whether a command may start a device-code login when one is needed. The
//! command decides, once, before any work, and passes the answer down; the
//! login code only obeys it.
//!
//! `ssoenv login` always logs in, as `aws sso login` does: whoever ran it
//! reads its output, whether stderr is a terminal, an IDE's task panel, a
//! notebook cell or the log of `docker exec` without `-t`. `use` and `exec`
//! log in only when someone can complete the login: stderr is a terminal, a
//! browser will open, `--no-browser` asked for the printed code, or
//! `SSOENV_INTERACTIVE=1`. `SSOENV_INTERACTIVE=0` (the prompt hook's quiet
//! renewal sets it) never logs in.

use crate::env::{self, Env};
use std::io::IsTerminal;

/// The policy a command passes to `session`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Interaction {
    /// Start a login when one is needed.
    Allowed,
    /// Never start one: fail, saying why (the reason) and what to run.
    Refused(Refusal),
}

/// Why a login would not be started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// `SSOENV_INTERACTIVE=0` (or `false`).
    Disabled,
    /// The prompt hook's quiet renewal (`SSOENV_BACKGROUND_RENEW=1`).
    Background,
    /// stderr is not a terminal, no browser would open, and `--no-browser`
    /// was not given: nobody would see the code.
    Unattended,
    /// `exec --server`: the credential server answers SDKs in the background
    /// and never starts a login itself.
    Server,
    /// `credential-process` with nobody to see the code: an SDK or the AWS
    /// CLI runs it with its output captured, and it takes no `--no-browser`.
    CredentialProcess,
}

/// What `SSOENV_INTERACTIVE` says, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Override {
    Yes,
    No,
    /// Unset, empty, or a value that is neither (decide from the terminal).
    Auto,
}

impl Override {
    pub(crate) fn from_env(env: &Env) -> Override {
        match env.switch(env::SSOENV_INTERACTIVE) {
            Some(true) => Override::Yes,
            Some(false) => Override::No,
            None => Override::Auto,
        }
    }
}

impl Interaction {
    /// `ssoenv login`: always.
    pub(crate) fn for_login() -> Interaction {
        Interaction::Allowed
    }

    /// `use` and `exec`, from this process's environment and stderr.
    pub(crate) fn for_credentials(env: &Env, no_browser: bool) -> Interaction {
        let browser = !no_browser && super::browser::available(env);
        Interaction::decide(
            Override::from_env(env),
            crate::cache::lock::background_renewal(env),
            std::io::stderr().is_terminal(),
            browser,
            no_browser,
        )
    }

    /// `credential-process`: as `use`, but nobody who could read a code can
    /// ask for one with a flag (the SDK runs the command), so an unattended
    /// refusal says only to log in.
    pub(crate) fn for_credential_process(env: &Env) -> Interaction {
        match Interaction::for_credentials(env, false) {
            Interaction::Refused(Refusal::Unattended) => {
                Interaction::Refused(Refusal::CredentialProcess)
            }
            other => other,
        }
    }

    /// The rule itself, as a pure function of what it depends on.
    pub(crate) fn decide(
        var: Override,
        background: bool,
        stderr_is_terminal: bool,
        browser_will_open: bool,
        no_browser: bool,
    ) -> Interaction {
        if background {
            return Interaction::Refused(Refusal::Background);
        }
        match var {
            Override::Yes => Interaction::Allowed,
            Override::No => Interaction::Refused(Refusal::Disabled),
            Override::Auto if stderr_is_terminal || browser_will_open || no_browser => {
                Interaction::Allowed
            }
            Override::Auto => Interaction::Refused(Refusal::Unattended),
        }
    }
}

impl Refusal {
    /// Why no login was started (a `caused by:` line).
    pub(crate) fn cause(self) -> &'static str {
        match self {
            Refusal::Disabled => {
                "not starting a login because SSOENV_INTERACTIVE=0 is set in the environment"
            }
            Refusal::Background => "the prompt's quiet renewal never starts a login",
            Refusal::Unattended => {
                "not starting a login here: stderr is not a terminal and no browser would open, so nobody would see the code to enter"
            }
            Refusal::Server => {
                "the credential server of `ssoenv exec --server` never starts a login"
            }
            Refusal::CredentialProcess => {
                "credential-process does not start a login when no browser would open: the program that runs it (an SDK, the AWS CLI) captures its output, so nobody would see the code to enter"
            }
        }
    }

    /// What to do instead, given the `ssoenv login …` command for the session
    /// and the command that was run (`use`, `exec`).
    pub(crate) fn hint(self, login_command: &str) -> String {
        match self {
            Refusal::Disabled => format!(
                "run `{login_command}`, or unset SSOENV_INTERACTIVE (or set it to 1) to let this command log in"
            ),
            Refusal::Background | Refusal::CredentialProcess => format!("run `{login_command}`"),
            Refusal::Server => format!(
                "run `{login_command}` in another terminal; the server uses the new session on its next request"
            ),
            Refusal::Unattended => format!(
                "run `{login_command}` (it prints the code wherever its output goes), or run this command again with --no-browser to get the code here, or set SSOENV_INTERACTIVE=1"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn ssoenv_interactive_accepts_the_usual_spellings_and_ignores_others() {
        for (v, want) in [
            ("1", Override::Yes),
            ("TRUE", Override::Yes),
            (" yes ", Override::Yes),
            ("on", Override::Yes),
            ("0", Override::No),
            ("false", Override::No),
            ("No", Override::No),
            ("off", Override::No),
            ("", Override::Auto),
            ("maybe", Override::Auto),
        ] {
            assert_eq!(
                Override::from_env(&env(&[("SSOENV_INTERACTIVE", v)])),
                want,
                "{v:?}"
            );
        }
        assert_eq!(Override::from_env(&env(&[])), Override::Auto);
    }

    #[test]
    fn use_and_exec_log_in_when_someone_can_complete_it() {
        use Interaction::*;
        let d = Interaction::decide;
        // (var, background, terminal, browser, no_browser)
        assert_eq!(d(Override::Auto, false, true, false, false), Allowed);
        assert_eq!(d(Override::Auto, false, false, true, false), Allowed);
        assert_eq!(d(Override::Auto, false, false, false, true), Allowed);
        assert_eq!(d(Override::Yes, false, false, false, false), Allowed);
        assert_eq!(
            d(Override::Auto, false, false, false, false),
            Refused(Refusal::Unattended)
        );
        // SSOENV_INTERACTIVE=0 wins over a terminal, a browser and --no-browser.
        assert_eq!(
            d(Override::No, false, true, true, true),
            Refused(Refusal::Disabled)
        );
        // The prompt's renewal never logs in, whatever the variable says.
        assert_eq!(
            d(Override::Yes, true, true, true, true),
            Refused(Refusal::Background)
        );
    }

    #[test]
    fn credential_process_is_told_only_to_log_in() {
        assert_eq!(
            Refusal::CredentialProcess.hint("ssoenv login dev"),
            "run `ssoenv login dev`"
        );
    }

    #[test]
    fn the_refusal_for_ssoenv_interactive_0_names_it_and_no_terminal() {
        let c = Refusal::Disabled.cause();
        assert!(c.contains("SSOENV_INTERACTIVE=0") && !c.contains("terminal"));
        assert!(
            Refusal::Unattended
                .hint("ssoenv login dev")
                .contains("--no-browser")
        );
    }
}
