//! Completions: the committed files in `completions/` match what the CLI
//! generates, and PROFILE completes from the config in real bash and fish.

use ssoenv::shell::{CompletionShell, Shell};
use std::process::Command;

use crate::support;
use support::{BASH, BIN, FISH, RealShell, Tmux, ZSH, have};

#[test]
fn committed_completions_match_the_cli() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("SSOENV_UPDATE_COMPLETIONS").is_some();
    let mut stale = Vec::new();
    for shell in CompletionShell::ALL {
        let out = Command::new(BIN)
            .args(["completions", &shell.to_string()])
            .env_clear()
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        let path = dir.join(shell.file_name());
        if update {
            std::fs::write(&path, &out.stdout).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(&out.stdout[..]) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "these completion files no longer match the CLI: {stale:?}\n\
         regenerate them with: SSOENV_UPDATE_COMPLETIONS=1 cargo test --test it -- init_completions::"
    );
}

/// Four SSO profiles (`profiles --names` offers only profiles `use` accepts).
const CONFIG: &str = "[default]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n\
    [profile prod]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n\
    [profile preprod]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n\
    [profile dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n\
    [sso-session corp]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n\
    [sso-session team-a]\nsso_start_url = https://y.awsapps.com/start\nsso_region = us-east-1\n";

fn sandbox() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".aws")).unwrap();
    std::fs::write(dir.path().join(".aws/config"), CONFIG).unwrap();
    let bin_dir = std::path::Path::new(BIN)
        .parent()
        .unwrap()
        .display()
        .to_string();
    (dir, format!("{bin_dir}:/usr/bin:/bin"))
}

#[test]
fn complete_profiles_lists_the_config_profiles() {
    let (home, _) = sandbox();
    let out = Command::new(BIN)
        .args(["profiles", "--names"])
        .env_clear()
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "default\nprod\npreprod\ndev\n"
    );
    // AWS_CONFIG_FILE wins; an unreadable file gives nothing, quietly.
    let out = Command::new(BIN)
        .args(["profiles", "--names"])
        .env_clear()
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.path().join("missing"))
        .output()
        .unwrap();
    assert!(out.status.success() && out.stdout.is_empty() && out.stderr.is_empty());
}

/// Run bash's completion function for `words` (the last one being completed).
fn bash_complete(words: &[&str]) -> Vec<String> {
    let (home, path) = sandbox();
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/ssoenv.bash");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    // Readline calls a completion function with errexit off, and clap's
    // `COMPREPLY=($(compgen …))` fails when nothing matches: -u and pipefail stay.
    let script = format!(
        "set +e\nsource '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_LINE=\"${{COMP_WORDS[*]}}\"\nCOMP_POINT=${{#COMP_LINE}}\n\
         f=$(complete -p ssoenv | sed -E 's/.*-F ([^ ]+).*/\\1/')\n\"$f\" ssoenv \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        file.display(),
        quoted.join(" "),
        words.len() - 1
    );
    let out = BASH.run(home.path(), &script, &[("PATH", &path)]);
    assert!(
        out.status.success(),
        "{words:?}: {}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completes_profile_names_for_commands_that_take_a_profile() {
    if !have("bash") {
        return;
    }
    assert_eq!(bash_complete(&["ssoenv", "use", "p"]), ["prod", "preprod"]);
    assert_eq!(bash_complete(&["ssoenv", "exec", "d"]), ["default", "dev"]);
    assert_eq!(
        bash_complete(&["ssoenv", "login", "--no-browser", "pre"]),
        ["preprod"]
    );
    assert_eq!(
        bash_complete(&["ssoenv", "logout", "de"]),
        ["default", "dev"]
    );
    // Not after a profile, not for an option's value, and options still complete.
    assert!(!bash_complete(&["ssoenv", "use", "prod", "p"]).contains(&"prod".to_owned()));
    assert!(!bash_complete(&["ssoenv", "use", "--region", "p"]).contains(&"prod".to_owned()));
    assert!(bash_complete(&["ssoenv", "use", "--sh"]).contains(&"--shell".to_owned()));
    assert!(bash_complete(&["ssoenv", "u"]).contains(&"use".to_owned()));
}

#[test]
fn bash_completes_sessions_status_check_and_the_command_after_exec() {
    if !have("bash") {
        return;
    }
    assert_eq!(
        bash_complete(&["ssoenv", "login", "--sso-session", ""]),
        ["corp", "team-a"]
    );
    assert_eq!(
        bash_complete(&["ssoenv", "logout", "--sso-session", "t"]),
        ["team-a"]
    );
    assert_eq!(
        bash_complete(&["ssoenv", "status", "--check", "p"]),
        ["prod", "preprod"]
    );
    assert!(!bash_complete(&["ssoenv", "status", "p"]).contains(&"prod".to_owned()));
    // Without bash-completion loaded: command names (from compgen -c), then files.
    for words in [
        &["ssoenv", "exec", "prod", "--", "ssoenv-no-such-cmd", "bas"][..],
        &["ssoenv", "exec", "prod", "bas"][..],
        &[
            "ssoenv",
            "exec",
            "prod",
            "--region",
            "eu-west-1",
            "--",
            "bas",
        ][..],
        &["ssoenv", "exec", "--no-browser", "prod", "bas"][..],
    ] {
        let got = bash_complete(words);
        if words.contains(&"ssoenv-no-such-cmd") {
            assert!(got.is_empty(), "{words:?}: {got:?}");
        } else {
            assert!(got.contains(&"bash".to_owned()), "{words:?}: {got:?}");
            assert!(!got.contains(&"prod".to_owned()), "{words:?}: {got:?}");
        }
    }
    // With bash-completion's _command_offset: handed the index of the command word.
    let (home, path) = sandbox();
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/ssoenv.bash");
    for (words, want) in [
        ("ssoenv exec prod -- aws s3", "4"),
        ("ssoenv exec prod aws s3", "3"),
        ("ssoenv exec prod --region x aws ", "5"),
    ] {
        let script = format!(
            "source '{}'\n_command_offset() {{ COMPREPLY=(\"offset=$1\"); }}\n\
             read -ra COMP_WORDS <<< '{words}'\n[[ '{words}' != *' ' ]] || COMP_WORDS+=('')\n\
             COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n\
             _ssoenv_with_profiles ssoenv \"${{COMP_WORDS[COMP_CWORD]}}\"\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
            file.display()
        );
        let out = BASH.run(home.path(), &script, &[("PATH", &path)]);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("offset={want}\n"),
            "{words}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn fish_completes_profile_names_for_commands_that_take_a_profile() {
    if !have("fish") {
        return;
    }
    let (home, path) = sandbox();
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/ssoenv.fish");
    let complete = |line: &str| -> Vec<String> {
        let script = format!(
            "source '{}'; complete -c zzcmd -l erase-all -f; complete -C '{line}'",
            file.display()
        );
        let out = FISH.run(home.path(), &script, &[("PATH", &path)]);
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(complete("ssoenv use p"), ["preprod", "prod"]);
    assert_eq!(complete("ssoenv exec --region x d"), ["default", "dev"]);
    assert!(!complete("ssoenv use prod p").contains(&"prod".to_owned()));
    assert_eq!(complete("ssoenv login --sso-session "), ["corp", "team-a"]);
    assert_eq!(complete("ssoenv status --check pr"), ["preprod", "prod"]);
    assert!(!complete("ssoenv status pr").contains(&"prod".to_owned()));
    // exec: the command, then the command's own completion (zzcmd's, defined above).
    for line in [
        "ssoenv exec prod -- ssoenv-no-such-cmd",
        "ssoenv exec prod -- zzcmd --era",
        "ssoenv exec prod zzcmd --era",
        "ssoenv exec prod --region x zzcmd --era",
    ] {
        let got = complete(line);
        if line.contains("no-such") {
            assert!(got.is_empty(), "{line}: {got:?}");
        } else {
            assert_eq!(got, ["--erase-all"], "{line}");
        }
    }
    assert!(complete("ssoenv exec prod -- fis").contains(&"fish".to_owned()));
}

#[test]
fn zsh_completion_points_profile_arguments_at_the_config() {
    let z = ssoenv::cmd::completions::script(CompletionShell::Registry(Shell::Zsh));
    assert_eq!(
        z.matches(":_ssoenv_profiles' ").count(),
        9,
        "use, exec, credential-process, login, logout, status --check, doctor, accounts, console"
    );
    assert!(z.contains("_ssoenv_profiles() {"));
    if have("zsh") {
        let out = Command::new("zsh")
            .args(["-f", "-n", "-c", &z])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// zsh: `--sso-session NAME` completes from `ssoenv profiles --sessions`, exec's command
/// through `_normal` (a command name, then that command's completion). Function-level:
/// `_wanted` and `compadd` are stubbed to print what would be offered.
#[test]
fn zsh_completes_sessions_and_hands_exec_commands_to_normal() {
    let z = ssoenv::cmd::completions::script(CompletionShell::Registry(Shell::Zsh));
    // Every subcommand with --sso-session (login, logout, and later ones), read from clap.
    let takes = ssoenv::cmd::completions::takes();
    assert!(takes.session.iter().any(|c| c == "login"));
    assert!(takes.session.iter().any(|c| c == "logout"));
    assert!(takes.profile.iter().any(|c| c == "status"));
    assert_eq!(
        z.matches(":NAME:_ssoenv_sessions' ").count(),
        takes.session.len(),
        "{:?}",
        takes.session
    );
    assert!(z.contains("--check["), "status --check");
    assert_eq!(
        z.matches("'*:::command -- ").count(),
        z.matches(":_normal' ").count(),
        "exec's command"
    );
    assert!(z.contains(":_normal' "));
    if !have("zsh") {
        return;
    }
    let (home, path) = sandbox();
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/_ssoenv");
    let script = format!(
        "compdef() {{ : }}\n_arguments() {{ : }}\nsource '{}'\n\
         _wanted() {{ shift 3; \"$@\" }}\ncompadd() {{ print -l -- ${{(P)${{@[-1]}}}} }}\n\
         _ssoenv_sessions; print -r -- --; _ssoenv_profiles",
        file.display()
    );
    let out = ZSH.run(home.path(), &script, &[("PATH", &path)]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "corp\nteam-a\n--\ndefault\nprod\npreprod\ndev\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// zsh in a terminal, with compinit, through the committed `_ssoenv` on fpath and through
/// `ssoenv init zsh`: Tab after `ssoenv exec ` offers the profiles and nothing else, and the
/// word after the profile (with `--` or without) completes as a command name.
#[test]
fn zsh_tab_completes_exec_profiles_then_a_command_in_a_real_terminal() {
    if !have("tmux") || !have("zsh") {
        return;
    }
    let (home, path) = sandbox();
    let tools = home.path().join("tools");
    std::fs::create_dir(&tools).unwrap();
    let tool = tools.join("zqxunique-cmd");
    std::fs::write(&tool, "#!/bin/sh\n").unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!("{}:{path}", tools.display());
    let completions = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for setup in [
        format!(
            "fpath=('{}' $fpath); autoload -Uz compinit; compinit -u -D",
            completions.display()
        ),
        "autoload -Uz compinit; compinit -u -D; eval \"$(ssoenv init zsh)\"".to_owned(),
    ] {
        std::fs::write(
            home.path().join(".zshrc"),
            format!("{setup}\nPS1='zsh-ready> '\n"),
        )
        .unwrap();
        let t = Tmux::start(home.path(), &[("PATH", &path)], "zsh -i");
        t.wait_for("zsh-ready> ");
        let fresh_line = || {
            t.key("C-u");
            t.line("clear");
            t.wait_until(false, std::time::Duration::from_secs(10), |s| {
                s.trim() == "zsh-ready>"
            });
        };

        t.keys("ssoenv exec ");
        t.key("Tab");
        let screen = t.wait_until(false, std::time::Duration::from_secs(10), |s| {
            s.contains("preprod") || s.contains("do you wish")
        });
        let mut offered: Vec<&str> = screen
            .lines()
            .skip_while(|l| !l.starts_with("zsh-ready> ssoenv exec"))
            .skip(1)
            .flat_map(str::split_whitespace)
            .collect();
        offered.sort_unstable();
        assert_eq!(
            offered,
            ["default", "dev", "preprod", "prod"],
            "{setup}:\n{screen}"
        );
        fresh_line();

        for typed in ["ssoenv exec prod -- zqxu", "ssoenv exec prod zqxu"] {
            t.keys(typed);
            t.key("Tab");
            let want = format!("{} ", typed.replace("zqxu", "zqxunique-cmd"));
            let screen = t.wait_until(false, std::time::Duration::from_secs(10), |s| {
                s.contains(&want)
            });
            assert!(screen.contains(&want), "{setup}: {typed:?}:\n{screen}");
            fresh_line();
        }
    }
}

/// The one rc line brings completions too, in every shell.
#[test]
fn init_registers_completions_with_profile_names() {
    let (home, path) = sandbox();
    let run = |sh: &RealShell, script: &str| -> String {
        let out = sh.run(home.path(), script, &[("PATH", &path)]);
        assert!(
            out.status.success(),
            "{}: {}",
            sh.name,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    if have("bash") {
        let out = run(
            &BASH,
            &format!("eval \"$('{BIN}' init bash)\"; complete -p ssoenv"),
        );
        assert!(out.contains("-F _ssoenv_with_profiles ssoenv"), "{out}");
    }
    if have("zsh") {
        // compinit before the init line: registered at once.
        let out = run(
            &ZSH,
            &format!(
                "autoload -Uz compinit; compinit -u -D; eval \"$('{BIN}' init zsh)\"; print -r -- ${{_comps[ssoenv]}}"
            ),
        );
        assert_eq!(out.trim(), "_ssoenv");
        // compinit after it (common in .zshrc): registered on the first prompt.
        let out = run(
            &ZSH,
            &format!(
                "eval \"$('{BIN}' init zsh)\"; autoload -Uz compinit; compinit -u -D; \
                 for f in $precmd_functions; do $f; done; print -r -- ${{_comps[ssoenv]}} ${{#precmd_functions}}"
            ),
        );
        assert_eq!(
            out.trim(),
            "_ssoenv 1",
            "registered once, then the one-shot hook is gone"
        );
    }
    if have("fish") {
        let out = run(
            &FISH,
            &format!("'{BIN}' init fish | source; complete -C 'ssoenv use pr'"),
        );
        let got: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap()).collect();
        assert_eq!(got, ["preprod", "prod"], "fish sorts them");
    }
}
