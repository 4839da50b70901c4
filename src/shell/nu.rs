//! nushell: it cannot evaluate text, so `--shell nu` prints the changes as data, the JSON
//! object of `--shell json` (`null` = unset; JSON is a subset of nuon), and the `ssoenv`
//! custom command of `ssoenv init nu` applies it with `load-env` and `hide-env`. Nothing
//! is evaluated, so no value can run code; serde_json escapes `"`, `\` and every control
//! character, and nushell's `from json` reads every value back byte for byte.
//!
//! The binary path in `init` is a raw string, `r#'…'#`, with enough `#` that its text
//! cannot end it (nushell "Raw strings"); a path without `'` is a plain single-quoted
//! string, in which nushell has no escapes.

use super::{Change, Completion, Dirs, Entry, Takes};
use std::path::PathBuf;

/// A nushell literal for `s`: `'s'`, or `r#'s'#` when `s` holds `'`.
fn quote(s: &str) -> String {
    if !s.contains('\'') {
        return format!("'{s}'");
    }
    let mut hashes = String::from("#");
    while s.contains(&format!("'{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}'{s}'{hashes}")
}

pub(super) const ENTRY: Entry = Entry {
    name: "nu",
    aliases: &["nushell"],
    help: Some("nushell: the changes as data for the `ssoenv` command of `ssoenv init nu`"),
    render: |changes: &[Change]| (super::json::ENTRY.render)(changes),
    quote,
    hook: Ok(include_str!("../../shell/ssoenv.nu")),
    eval_line: |args| format!("ssoenv {args} --shell nu | from json | load-env"),
    // As zoxide's: env.nu saves the script, config.nu sources it (nushell sources files
    // known when it parses). `doctor` finds this line in env.nu.
    init_line: "ssoenv init nu | save -f ~/.ssoenv.nu",
    rc_file: "env.nu ($nu.env-path), with `source ~/.ssoenv.nu` in config.nu",
    startup_files,
    completion: Some(Completion {
        file: "ssoenv.nu",
        script: completion_script,
        for_init: |script| script.replace(STANDALONE, ""),
    }),
    completion_paths,
    completion_install: "`ssoenv completions nu | save -f ~/.ssoenv-completions.nu` and `source ~/.ssoenv-completions.nu` in config.nu",
};

/// The `extern` line of the standalone script; in `init` the `ssoenv` command itself
/// carries the completer.
const STANDALONE: &str =
    "# (standalone script only)\nexport extern ssoenv [...args: string@__ssoenv_complete]\n";

fn startup_files(d: &Dirs) -> Vec<PathBuf> {
    vec![
        d.config_home.join("nushell/config.nu"),
        d.config_home.join("nushell/env.nu"),
    ]
}

fn completion_paths(d: &Dirs) -> Vec<PathBuf> {
    vec![
        d.home.join(".ssoenv-completions.nu"),
        d.config_home.join("nushell/completions/ssoenv.nu"),
    ]
}

const COMPLETION_ADDITIONS: &str = include_str!("../../shell/complete.nu");

/// A nushell list body of words, each a single-quoted literal.
fn words(list: &[String]) -> String {
    list.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
}

fn completion_script(cli: &mut clap::Command, t: &Takes) -> String {
    let subcommands: Vec<String> = cli
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_owned())
        .collect();
    super::after_header(COMPLETION_ADDITIONS)
        .replace("@SUBCOMMANDS@", &words(&subcommands))
        .replace("@PROFILE_COMMANDS@", &words(&t.profile))
        .replace("@SESSION_COMMANDS@", &words(&t.session))
        .replace("@VALUED@", &words(&t.valued))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binary_path_is_a_literal_nushell_reads_back() {
        assert_eq!(quote("/usr/bin/ssoenv"), "'/usr/bin/ssoenv'");
        assert_eq!(quote("/opt/it's/ssoenv"), "r#'/opt/it's/ssoenv'#");
        assert_eq!(quote("/a'#b/ssoenv"), "r##'/a'#b/ssoenv'##");
    }
}
