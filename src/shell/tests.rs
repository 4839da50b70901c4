use super::*;
use crate::error::Kind;

fn set(name: &str, value: &str) -> Change {
    (name.to_owned(), Some(value.to_owned()))
}

fn unset(name: &str) -> Change {
    (name.to_owned(), None)
}

fn render(shell: Shell, changes: &[Change]) -> String {
    shell.render(changes).expect("renders")
}

/// bash, zsh and sh output: `body` inside `if true; then … fi`.
fn posix(body: &str) -> String {
    format!("{}{body}fi\n", bash::OPEN)
}

/// fish output: `body` inside `if true … end`.
fn fish(body: &str) -> String {
    format!("{}{body}end\n", fish::OPEN)
}

#[test]
fn bash_exports_single_quoted_values_and_unsets_by_name() {
    let changes = [
        set("AWS_PROFILE", "prod"),
        set("EMPTY", ""),
        unset("AWS_SECURITY_TOKEN"),
    ];
    assert_eq!(
        render(Shell::Bash, &changes),
        posix("export AWS_PROFILE='prod';\nexport EMPTY='';\nunset AWS_SECURITY_TOKEN;\n")
    );
}

#[test]
fn zsh_output_is_the_same_as_bash() {
    let changes = [set("A", "it's $HOME"), unset("B")];
    assert_eq!(
        render(Shell::Zsh, &changes),
        posix("export A='it'\\''s $HOME';\nunset B;\n")
    );
    assert_eq!(render(Shell::Zsh, &changes), render(Shell::Bash, &changes));
}

#[test]
fn fish_sets_global_exported_variables_and_erases_by_name() {
    let changes = [
        set("AWS_PROFILE", "prod"),
        set("EMPTY", ""),
        unset("AWS_SECURITY_TOKEN"),
    ];
    assert_eq!(
        render(Shell::Fish, &changes),
        fish(
            "set -gx AWS_PROFILE 'prod';\nset -gx EMPTY '';\nset -e AWS_SECURITY_TOKEN; or true;\n"
        )
    );
}

#[test]
fn elvish_sets_and_unsets_env_inside_a_block_with_doubled_single_quotes() {
    let changes = [set("A", "it's\n$(x)`y`\\"), unset("B")];
    assert_eq!(
        render(Shell::Elvish, &changes),
        "if $true { # code for elvish; in bash, zsh or sh: eval \"$(ssoenv ...)\"\n\
         set-env A 'it''s\n$(x)`y`\\'\n\
         unset-env B\n\
         }\n"
    );
    assert_eq!(Shell::Elvish.quote("''"), "''''''");
    assert_eq!(render(Shell::Elvish, &[]), "");
}

#[test]
fn powershell_assigns_env_drive_and_removes_items_silently() {
    let changes = [
        set("AWS_PROFILE", "prod"),
        set("EMPTY", ""),
        unset("AWS_SECURITY_TOKEN"),
    ];
    assert_eq!(
        render(Shell::PowerShell, &changes),
        "$Env:AWS_PROFILE = 'prod';\n$Env:EMPTY = '';\n\
         Remove-Item -LiteralPath Env:AWS_SECURITY_TOKEN -ErrorAction SilentlyContinue;\n"
    );
}

#[test]
fn an_empty_list_renders_nothing() {
    for shell in Shell::ALL {
        let want = if matches!(shell, Shell::Json | Shell::Nu) {
            "{}\n"
        } else {
            ""
        };
        assert_eq!(render(shell, &[]), want);
    }
}

#[test]
fn posix_quoting_closes_and_reopens_around_each_single_quote() {
    let cases = [
        ("", "''"),
        ("'", "''\\'''"),
        ("''", "''\\'''\\'''"),
        ("\"", "'\"'"),
        ("$HOME", "'$HOME'"),
        ("$(touch PWNED)", "'$(touch PWNED)'"),
        ("`touch PWNED`", "'`touch PWNED`'"),
        ("\\", "''\\\\''"),
        ("\\'", "''\\\\''\\'''"),
        ("a\nb\n", "'a\nb\n'"),
        ("; && | # * ~ ! % {}", "'; && | # * ~ ! % {}'"),
        ("\t\r\u{1b}[31m", "'\t\r\u{1b}[31m'"),
        ("é日本🦀\u{200f}", "'é日本🦀\u{200f}'"),
        ("‘’‚‛", "'‘’‚‛'"),
    ];
    for (value, quoted) in cases {
        assert_eq!(Shell::Bash.quote(value), quoted, "value {value:?}");
        assert_eq!(Shell::Zsh.quote(value), quoted, "value {value:?}");
    }
}

/// fish reads `\\` and `\'` as escapes inside single quotes too: the quoting keeps both
/// outside, where fish and the POSIX shells agree on them.
#[test]
fn fish_quoting_is_the_posix_quoting_with_no_backslash_or_quote_inside_quotes() {
    let cases = [
        ("", "''"),
        ("'", "''\\'''"),
        ("\\", "''\\\\''"),
        ("\\'", "''\\\\''\\'''"),
        ("ends with \\", "'ends with '\\\\''"),
        ("\\n is not a newline", "''\\\\'n is not a newline'"),
        ("\"", "'\"'"),
        ("$HOME (echo hi) {a,b} *", "'$HOME (echo hi) {a,b} *'"),
        ("a\nb\n", "'a\nb\n'"),
        ("\t\r\u{1b}[31m", "'\t\r\u{1b}[31m'"),
        ("é日本🦀\u{200f}", "'é日本🦀\u{200f}'"),
        ("‘’‚‛", "'‘’‚‛'"),
    ];
    for (value, quoted) in cases {
        assert_eq!(Shell::Fish.quote(value), quoted, "value {value:?}");
    }
}

#[test]
fn powershell_quoting_is_printable_ascii_with_every_other_character_as_a_char_code() {
    let cases = [
        ("", "''"),
        ("'", "''''"),
        ("it's", "'it''s'"),
        ("café", "'caf' + [char]0x00E9"),
        ("é", "'' + [char]0x00E9"),
        (
            "\u{2018}x\u{2019}",
            "'' + [char]0x2018 + 'x' + [char]0x2019",
        ),
        ("\u{201A}\u{201B}", "'' + [char]0x201A + [char]0x201B"),
        ("'\u{2019}", "'''' + [char]0x2019"),
        (
            "\"$HOME $(Remove-Item x) `n",
            "'\"$HOME $(Remove-Item x) `n'",
        ),
        ("\\", "'\\'"),
        (
            "a\nb\r\n",
            "'a' + [char]0x000A + 'b' + [char]0x000D + [char]0x000A",
        ),
        (
            "\u{1b}[0m\u{7f}\u{9b}",
            "'' + [char]0x001B + '[0m' + [char]0x007F + [char]0x009B",
        ),
        (
            "日🦀x",
            "'' + [char]0x65E5 + [char]::ConvertFromUtf32(0x1F980) + 'x'",
        ),
        // Double-quote look-alikes are not special, but not ASCII either.
        (
            "\u{201C}\u{201D}\u{201E}",
            "'' + [char]0x201C + [char]0x201D + [char]0x201E",
        ),
    ];
    for (value, quoted) in cases {
        let got = Shell::PowerShell.quote(value);
        assert_eq!(got, quoted, "value {value:?}");
        assert!(got.bytes().all(|b| (b' '..=b'~').contains(&b)), "{got:?}");
    }
}

#[test]
fn hostile_values_render_exactly_for_each_shell() {
    let changes = [set("V", "'$(x)`y`\\\n")];
    assert_eq!(
        render(Shell::Bash, &changes),
        posix("export V=''\\''$(x)`y`'\\\\'\n';\n")
    );
    assert_eq!(
        render(Shell::Fish, &changes),
        fish("set -gx V ''\\''$(x)`y`'\\\\'\n';\n")
    );
    assert_eq!(
        render(Shell::PowerShell, &changes),
        "$Env:V = '''$(x)`y`\\' + [char]0x000A;\n"
    );
}

#[test]
fn valid_names_are_letters_digits_and_underscores_not_starting_with_a_digit() {
    for name in ["A", "_", "_1", "AWS_PROFILE", "aws_profile", "x9"] {
        assert!(is_valid_name(name), "{name:?}");
        for shell in Shell::ALL {
            assert!(shell.render(&[set(name, "v"), unset(name)]).is_ok());
        }
    }
}

#[test]
fn invalid_names_are_rejected_with_a_config_error() {
    for name in [
        "", "1A", "A-B", "A B", "A=B", "A;B", "$A", "A.B", "Env:A", "É", "A\n", "A\0",
    ] {
        assert!(!is_valid_name(name), "{name:?}");
        for shell in Shell::ALL {
            for change in [set(name, "v"), unset(name)] {
                let err = shell.render(&[change]).unwrap_err();
                assert_eq!(err.kind, Kind::Config);
                assert_eq!(err.exit_code(), 2);
                assert!(err.message.contains(&format!("{name:?}")), "{err}");
            }
        }
    }
}

#[test]
fn a_value_containing_nul_is_rejected_and_nothing_is_rendered() {
    for shell in Shell::ALL {
        let err = shell
            .render(&[set("GOOD", "ok"), set("AWS_SESSION_TOKEN", "a\0b")])
            .unwrap_err();
        assert_eq!(err.kind, Kind::Config);
        assert!(err.message.contains("AWS_SESSION_TOKEN"), "{err}");
        assert!(err.message.contains("NUL"), "{err}");
    }
}

#[test]
fn from_name_accepts_names_paths_login_shells_and_windows_executables() {
    let table: &[(&str, Option<Shell>)] = &[
        ("bash", Some(Shell::Bash)),
        ("-bash", Some(Shell::Bash)),
        ("/bin/bash", Some(Shell::Bash)),
        ("/usr/local/bin/bash", Some(Shell::Bash)),
        ("zsh", Some(Shell::Zsh)),
        ("-zsh", Some(Shell::Zsh)),
        ("/usr/bin/zsh", Some(Shell::Zsh)),
        ("fish", Some(Shell::Fish)),
        ("/opt/homebrew/bin/fish", Some(Shell::Fish)),
        ("powershell", Some(Shell::PowerShell)),
        ("pwsh", Some(Shell::PowerShell)),
        ("/usr/bin/pwsh", Some(Shell::PowerShell)),
        ("pwsh.exe", Some(Shell::PowerShell)),
        ("PWSH.EXE", Some(Shell::PowerShell)),
        ("powershell.exe", Some(Shell::PowerShell)),
        ("PowerShell.exe", Some(Shell::PowerShell)),
        (
            r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe",
            Some(Shell::PowerShell),
        ),
        (
            r"C:\Program Files\PowerShell\7\pwsh.exe",
            Some(Shell::PowerShell),
        ),
        ("bash.exe", Some(Shell::Bash)),
        ("sh", Some(Shell::Sh)),
        ("-sh", Some(Shell::Sh)),
        ("/bin/sh", Some(Shell::Sh)),
        ("dash", Some(Shell::Sh)),
        ("/usr/bin/dash", Some(Shell::Sh)),
        ("ksh", None),
        ("tcsh", None),
        ("nu", Some(Shell::Nu)),
        ("nushell", Some(Shell::Nu)),
        ("/usr/bin/nu", Some(Shell::Nu)),
        ("cmd.exe", None),
        ("sudo", None),
        ("", None),
        ("-", None),
        (".exe", None),
        ("bash ", None),
        ("bashy", None),
        ("é.exe", None),
    ];
    for (name, want) in table {
        assert_eq!(Shell::from_name(name), *want, "from_name({name:?})");
    }
}

#[test]
fn every_shell_parses_back_from_its_own_name() {
    for shell in Shell::ALL {
        assert_eq!(Shell::from_name(shell.name()), Some(shell));
        assert_eq!(shell.to_string(), shell.name());
    }
}

#[test]
fn detect_prefers_the_explicit_shell_over_everything() {
    let env = Env::from_pairs([("SSOENV_SHELL", "nonsense"), ("SHELL", "/bin/zsh")]);
    let got = Shell::detect_from(Some(Shell::Fish), &env, Some("bash")).unwrap();
    assert_eq!(got, Shell::Fish);
    assert_eq!(Shell::detect(Some(Shell::Fish), &env).unwrap(), Shell::Fish);
}

#[test]
fn detect_uses_ssoenv_shell_when_the_parent_is_not_a_known_shell() {
    let env = Env::from_pairs([("SSOENV_SHELL", "pwsh"), ("SHELL", "/bin/zsh")]);
    for parent in [None, Some("sudo"), Some("ksh")] {
        let got = Shell::detect_from(None, &env, parent).unwrap();
        assert_eq!(got, Shell::PowerShell, "{parent:?}");
    }
}

/// A bash started from a fish after `ssoenv init fish` inherits SSOENV_SHELL=fish; its
/// `eval "$(ssoenv use prod)"` must still get bash code.
#[test]
fn a_parent_that_is_a_known_shell_beats_an_inherited_ssoenv_shell() {
    for (inherited, parent, want) in [
        ("fish", "bash", Shell::Bash),
        ("fish", "zsh", Shell::Zsh),
        ("bash", "fish", Shell::Fish),
        ("zsh", "pwsh", Shell::PowerShell),
        ("nonsense", "bash", Shell::Bash),
        ("bash", "xonsh --no-rc -", Shell::Xonsh),
        ("bash", "xonsh", Shell::Xonsh),
    ] {
        let env = Env::from_pairs([("SSOENV_SHELL", inherited), ("SHELL", "/bin/sh")]);
        assert_eq!(
            Shell::detect_from(None, &env, Some(parent)).unwrap(),
            want,
            "{inherited} under {parent}"
        );
    }
}

#[test]
fn detect_rejects_an_unknown_ssoenv_shell_naming_the_variable() {
    let env = Env::from_pairs([("SSOENV_SHELL", "tcsh"), ("SHELL", "/bin/zsh")]);
    let err = Shell::detect_from(None, &env, Some("sudo")).unwrap_err();
    assert_eq!(err.exit_code(), 2);
    let text = err.to_string();
    assert!(text.contains("SSOENV_SHELL"), "{text}");
    assert!(text.contains("tcsh"), "{text}");
    for name in ["bash", "zsh", "fish", "powershell"] {
        assert!(text.contains(name), "{text}");
    }
}

#[test]
fn detect_treats_an_empty_ssoenv_shell_as_unset() {
    let env = Env::from_pairs([("SSOENV_SHELL", ""), ("SHELL", "/bin/zsh")]);
    assert_eq!(Shell::detect_from(None, &env, None).unwrap(), Shell::Zsh);
}

#[test]
fn detect_uses_the_parent_process_before_shell() {
    let env = Env::from_pairs([("SHELL", "/bin/zsh")]);
    assert_eq!(
        Shell::detect_from(None, &env, Some("fish")).unwrap(),
        Shell::Fish
    );
    assert_eq!(
        Shell::detect_from(None, &env, Some("-bash")).unwrap(),
        Shell::Bash
    );
    assert_eq!(
        Shell::detect_from(None, &env, Some("pwsh")).unwrap(),
        Shell::PowerShell
    );
}

#[test]
fn detect_skips_a_parent_that_is_not_a_known_shell() {
    let env = Env::from_pairs([("SHELL", "/usr/bin/fish")]);
    for parent in ["sudo", "ksh", "cargo", "ssoenv-6a3f2b", ""] {
        assert_eq!(
            Shell::detect_from(None, &env, Some(parent)).unwrap(),
            Shell::Fish,
            "parent {parent:?}"
        );
    }
    assert_eq!(Shell::detect_from(None, &env, None).unwrap(), Shell::Fish);
}

#[test]
fn detect_fails_with_a_hint_when_nothing_names_a_known_shell() {
    for env in [
        Env::default(),
        Env::from_pairs([("SHELL", "/bin/ksh")]),
        Env::from_pairs([("SHELL", "")]),
    ] {
        let err = Shell::detect_from(None, &env, Some("sudo")).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert_eq!(
            err.hint.as_deref(),
            Some("pass --shell bash|zsh|fish|powershell|sh")
        );
    }
    let env = Env::from_pairs([("SHELL", "/bin/ksh")]);
    let text = Shell::detect_from(None, &env, None)
        .unwrap_err()
        .to_string();
    assert!(text.contains("/bin/ksh"), "{text}");
}

#[test]
fn a_parent_sh_or_dash_gets_posix_code_even_under_an_inherited_ssoenv_shell() {
    let env = Env::from_pairs([("SSOENV_SHELL", "fish"), ("SHELL", "/usr/bin/fish")]);
    for parent in ["sh", "dash", "-sh", "/bin/sh"] {
        assert_eq!(
            Shell::detect_from(None, &env, Some(parent)).unwrap(),
            Shell::Sh,
            "{parent}"
        );
    }
    assert_eq!(
        Shell::Sh
            .render(&[("A".into(), Some("it's".into())), ("B".into(), None)])
            .unwrap(),
        posix("export A='it'\\''s';\nunset B;\n")
    );
}

#[test]
fn every_shell_knows_its_eval_and_init_lines_and_clap_takes_its_names_and_aliases() {
    use clap::ValueEnum;
    assert_eq!(
        Shell::Bash.eval_line("use prod"),
        "eval \"$(ssoenv use prod)\""
    );
    assert_eq!(
        Shell::Fish.eval_line("use prod"),
        "ssoenv use prod | source"
    );
    assert_eq!(
        Shell::PowerShell.init_line(),
        "Invoke-Expression (& ssoenv init powershell | Out-String)"
    );
    for shell in Shell::ALL {
        assert_eq!(Shell::from_str(shell.name(), false), Ok(shell));
        assert!(shell.init_line().contains("ssoenv init"));
        assert_eq!(
            shell.hook_script().is_none(),
            matches!(shell, Shell::Sh | Shell::Json)
        );
    }
    assert_eq!(Shell::from_str("pwsh", false), Ok(Shell::PowerShell));
    assert_eq!(Shell::from_str("dash", false), Ok(Shell::Sh));
    assert_eq!(Shell::from_str("posix", false), Ok(Shell::Sh));
}

/// The hooks cannot read the table at run time (nothing may start a process per prompt),
/// so each spells its numbers, colours and words; here they are checked against it.
/// (Here, not in `prompt`, which sits below `shell` in `src/layers.rs`.) Their
/// behaviour at every edge of the table is checked in real shells by
/// `tests/it/init_shells.rs`.
#[test]
fn every_hook_spells_the_bands_of_the_table() {
    let hooks = Shell::ALL
        .into_iter()
        .filter_map(|s| Some((s.name(), s.hook_script()?)));
    let edges = [
        crate::prompt::WARN_BELOW,
        crate::prompt::CRITICAL_BELOW,
        crate::prompt::RENEW_BELOW,
        crate::prompt::TEXT_FROM[0],
        crate::prompt::TEXT_FROM[1],
    ];
    for (shell, hook) in hooks {
        for edge in edges {
            let spelled = [
                format!(">= {edge}"),
                format!("-lt {edge}"),
                format!("< {edge}"),
                format!("-ge {edge}"),
                format!("$left {edge})"),
            ];
            assert!(
                spelled.iter().any(|s| hook.contains(s.as_str())),
                "{shell}: no comparison with {edge}"
            );
        }
        for band in crate::prompt::BANDS {
            assert!(
                hook.contains(band.state.name()),
                "{shell}: {:?}",
                band.state
            );
            let colour = format!("={}", band.color);
            let quoted = format!("'{}'", band.color);
            let fish = format!("_COLOR {}", band.color);
            let elvish = format!("color = {}", band.color);
            assert!(
                [colour, quoted, fish, elvish]
                    .iter()
                    .any(|c| hook.contains(c.as_str())),
                "{shell}: colour {}",
                band.color
            );
            // The hooks that write the escapes themselves (fish has `set_color`).
            if hook.contains("\\e[") {
                let sgr = band.sgr.replace('\x1b', "\\e");
                assert!(hook.contains(&sgr), "{shell}: {sgr}");
            }
        }
        assert!(hook.contains(crate::prompt::EXPIRED), "{shell}");
    }
}
