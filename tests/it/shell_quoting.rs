//! Hostile values through real shells: the rendered code is evaluated by `bash`, `zsh` and
//! `fish` exactly as users do (`eval "$(…)"`, `… | source`), the exported environment is read
//! back with `env -0` and compared byte for byte, and nothing in a value may run. PowerShell
//! cannot be installed here, so its output is parsed with the tree-sitter PowerShell grammar
//! and every string literal is decoded with PowerShell's own single-quote rules.
//!
//! A missing shell skips its test locally and fails it when `CI` is set.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use ssoenv::shell::{Change, Shell};

use crate::support;

/// xorshift64: a fixed, dependency-free source of "random" strings, the same on every run.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Characters with a meaning to some shell, plus the ones shells and terminals trip on.
const HOSTILE_ALPHABET: &[char] = &[
    '\'', '"', '`', '\\', '$', '(', ')', '{', '}', '[', ']', ';', '&', '|', '<', '>', '#', '*',
    '?', '~', '!', '%', '^', '@', ',', '=', '-', ' ', '\t', '\n', '\r', '\u{1b}', '\u{7f}',
    '\u{1}', 'a', 'Z', '0', 'é', '日', '🦀', '\u{200f}', '\u{2018}', '\u{2019}', '\u{201A}',
    '\u{201B}', '\u{201C}', '\u{201D}', '\u{FEFF}', '\u{2028}', '\u{85}', '\u{F600}', '\u{FDD0}',
    '\u{FFFF}',
];

fn random_string(rng: &mut XorShift) -> String {
    let len = rng.below(40);
    (0..len)
        .map(|_| {
            if rng.below(2) == 0 {
                HOSTILE_ALPHABET[rng.below(HOSTILE_ALPHABET.len() as u64) as usize]
            } else {
                // Any Unicode scalar value but NUL; surrogates are not chars, so draw again.
                loop {
                    let bmp = rng.below(2) == 0;
                    let limit = if bmp { 0x1_0000 } else { 0x11_0000 };
                    if let Some(c) = char::from_u32(1 + rng.below(limit - 1) as u32) {
                        break c;
                    }
                }
            }
        })
        .collect()
}

fn hostile_values() -> Vec<String> {
    let mut values: Vec<String> = [
        "",
        "'",
        "''",
        "\"",
        "$HOME",
        "${HOME}",
        "$(touch PWNED)",
        "`touch PWNED`",
        "(touch PWNED)",
        "'; touch PWNED; '",
        "'\\''; touch PWNED; echo '",
        "\\'; touch PWNED; echo \\'",
        "\\",
        "\\\\",
        "\\'",
        "\\\\'",
        "ends with a backslash\\",
        "line one\nline two\nline three",
        "trailing newline\n",
        "\n\n",
        "\\\nbackslash-newline",
        ";",
        "&&",
        "|",
        "#",
        "# not a comment",
        "*",
        "~",
        "~root",
        "!",
        "!!",
        "%",
        "%PATH%",
        "{}",
        "{a,b}",
        "\t",
        "tab\there",
        "\r",
        "crlf\r\n",
        "é",
        "日本",
        "🦀👩‍👩‍👧",
        "\u{200f}rtl\u{202e}override",
        "\u{2018}\u{2019}\u{201A}\u{201B}",
        "\u{2018}; touch PWNED; \u{2019}",
        "'\u{2019}'\u{2018}",
        "\u{201C}\u{201D}\u{201E}",
        "\u{1b}[31mred\u{1b}[0m",
        "-e",
        "--help",
        "-x",
        "=",
        "A=B",
        "\u{FEFF}bom",
        "\u{85}\u{2028}\u{2029}",
        "\u{F600}\u{F6FF}\u{FDD0}\u{FDEF}\u{FFFE}\u{FFFF}",
        "\u{10FFFF}",
        "\u{7f}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    values.push((1..0x20u8).map(char::from).collect());
    values.push((0x20..0x7fu8).map(char::from).collect());
    values.push("x'$\\\n".repeat(2048));
    let mut rng = XorShift(0x5eed_0f55_0e4e_0001);
    values.extend((0..200).map(|_| random_string(&mut rng)));
    values
}

fn var_name(i: usize) -> String {
    format!("SSOENV_T_{i}")
}

fn set_changes(values: &[String]) -> Vec<Change> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| (var_name(i), Some(v.clone())))
        .collect()
}

fn unset_changes(count: usize) -> Vec<Change> {
    (0..count).map(|i| (var_name(i), None)).collect()
}

/// `env -0` output as NAME → value bytes.
fn read_env0(path: &Path) -> HashMap<String, Vec<u8>> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    bytes
        .split(|&b| b == 0)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            let eq = entry.iter().position(|&b| b == b'=').expect("NAME=value");
            (
                String::from_utf8(entry[..eq].to_vec()).expect("UTF-8 name"),
                entry[eq + 1..].to_vec(),
            )
        })
        .collect()
}

/// One shell as the tests run it.
struct ShellRun {
    shell: Shell,
    program: &'static str,
    /// No startup files and strict mode (see `support::SHELLS`).
    args: &'static [&'static str],
    /// Eval the file in $1 (sets), dump, eval $2 (unsets), dump.
    driver: &'static str,
}

const POSIX_DRIVER: &str = "eval \"$(cat \"$1\")\"\n\
                            env -0 > set.env\n\
                            eval \"$(cat \"$2\")\"\n\
                            env -0 > unset.env\n";

const BASH: ShellRun = ShellRun {
    shell: Shell::Bash,
    program: "bash",
    args: support::BASH.args,
    driver: POSIX_DRIVER,
};

const ZSH: ShellRun = ShellRun {
    shell: Shell::Zsh,
    program: "zsh",
    args: support::ZSH.args,
    driver: POSIX_DRIVER,
};

/// zsh with RC_QUOTES, where `''` inside single quotes means `'`: the output must not care.
const ZSH_RC_QUOTES: ShellRun = ShellRun {
    shell: Shell::Zsh,
    program: "zsh",
    args: &[
        "-f",
        "-o",
        "err_exit",
        "-o",
        "no_unset",
        "-o",
        "pipe_fail",
        "-o",
        "rc_quotes",
    ],
    driver: POSIX_DRIVER,
};

const FISH: ShellRun = ShellRun {
    shell: Shell::Fish,
    program: "fish",
    args: support::FISH.args,
    driver: "cat $argv[1] | source\n\
             env -0 > set.env\n\
             cat $argv[2] | source\n\
             env -0 > unset.env\n",
};

/// dash, the Debian /bin/sh: POSIX code (`--shell sh`), the bash rendering.
const DASH: ShellRun = ShellRun {
    shell: Shell::Sh,
    program: "dash",
    args: &["-eu"],
    driver: POSIX_DRIVER,
};

/// nushell evaluates nothing: the `ssoenv` command of `ssoenv init nu` (written to `init.nu`
/// beside the driver) applies the JSON changes with `load-env` and `hide-env`.
const NU: ShellRun = ShellRun {
    shell: Shell::Nu,
    program: "nu",
    args: support::NU_ARGS,
    driver: "source init.nu\n\
             def --env main [sets: string, unsets: string] {\n\
             __ssoenv_apply (open --raw $sets)\n\
             ^env -0 | save -f set.env\n\
             __ssoenv_apply (open --raw $unsets)\n\
             ^env -0 | save -f unset.env\n\
             }\n",
};

/// elvish: `eval` of the `--shell elvish` text (`set-env`/`unset-env`, `''` quoting).
const ELVISH: ShellRun = ShellRun {
    shell: Shell::Elvish,
    program: "elvish",
    args: support::ELVISH.args,
    driver: "eval (slurp < $args[0])\n\
             env -0 > set.env\n\
             eval (slurp < $args[1])\n\
             env -0 > unset.env\n",
};

/// elvish's `ssoenv` function: the `--shell json` changes applied as data by the init
/// script's `__ssoenv_apply` (no eval of the values).
const ELVISH_INIT: ShellRun = ShellRun {
    shell: Shell::Json,
    program: "elvish",
    args: support::ELVISH.args,
    driver: "eval ((external $E:B) init elvish | slurp) &on-end={|ns|\n\
             $ns[__ssoenv_apply~] (slurp < $args[0])\n\
             env -0 > set.env\n\
             $ns[__ssoenv_apply~] (slurp < $args[1])\n\
             env -0 > unset.env\n\
             }\n",
};

/// xonsh: `execx` of the text, read from the file (xonsh's `$(…)` capture can lose output
/// on a busy machine, see `src/shell/xonsh.rs`).
const XONSH: ShellRun = ShellRun {
    shell: Shell::Xonsh,
    program: "xonsh",
    args: support::XONSH.args,
    driver: "execx(open($ARGS[1], encoding='utf-8').read())\n\
             env -0 > set.env\n\
             execx(open($ARGS[2], encoding='utf-8').read())\n\
             env -0 > unset.env\n",
};

/// Evaluate sets then unsets of every hostile value in `run`, under `locale`, and check the
/// environment byte for byte.
fn round_trip(run: &ShellRun, locale: &str) {
    if !support::have(run.program) {
        return;
    }
    let values = hostile_values();
    let dir = tempfile::tempdir().unwrap();
    let sets = run.shell.render(&set_changes(&values)).unwrap();
    let unsets = run.shell.render(&unset_changes(values.len())).unwrap();
    std::fs::write(dir.path().join("sets"), &sets).unwrap();
    std::fs::write(dir.path().join("unsets"), &unsets).unwrap();
    std::fs::write(dir.path().join("driver"), run.driver).unwrap();
    if run.shell == Shell::Nu {
        let init = Command::new(support::BIN)
            .args(["init", "nu"])
            .output()
            .unwrap();
        assert!(init.status.success(), "{}", support::stderr(&init));
        std::fs::write(dir.path().join("init.nu"), &init.stdout).unwrap();
    }

    let output = Command::new(run.program)
        .args(run.args)
        .args(["driver", "sets", "unsets"])
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("LC_ALL", locale)
        .env("B", support::BIN)
        .output()
        .unwrap();
    let what = format!("{} {:?} in LC_ALL={locale}", run.program, run.args);
    assert!(
        output.status.success(),
        "{what} failed: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "",
        "{what} wrote to stderr"
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "",
        "{what} wrote to stdout"
    );

    let after_set = read_env0(&dir.path().join("set.env"));
    for (i, value) in values.iter().enumerate() {
        let name = var_name(i);
        let got = after_set
            .get(&name)
            .unwrap_or_else(|| panic!("{what}: {name} not exported (value {value:?})"));
        assert!(
            got == value.as_bytes(),
            "{what}: {name} differs\n want {value:?}\n  got {:?}",
            String::from_utf8_lossy(got)
        );
    }

    let after_unset = read_env0(&dir.path().join("unset.env"));
    for i in 0..values.len() {
        assert!(
            !after_unset.contains_key(&var_name(i)),
            "{what}: {} still set after unset",
            var_name(i)
        );
    }

    assert!(
        !dir.path().join("PWNED").exists(),
        "{what}: a value was executed"
    );
}

#[test]
fn bash_reads_back_every_hostile_value_byte_for_byte() {
    round_trip(&BASH, "C.UTF-8");
}

#[test]
fn bash_reads_back_every_hostile_value_in_the_c_locale() {
    round_trip(&BASH, "C");
}

#[test]
fn zsh_reads_back_every_hostile_value_byte_for_byte() {
    round_trip(&ZSH, "C.UTF-8");
}

#[test]
fn zsh_reads_back_every_hostile_value_in_the_c_locale() {
    round_trip(&ZSH, "C");
}

#[test]
fn zsh_with_rc_quotes_reads_back_every_hostile_value() {
    round_trip(&ZSH_RC_QUOTES, "C.UTF-8");
}

#[test]
fn fish_reads_back_every_hostile_value_byte_for_byte() {
    round_trip(&FISH, "C.UTF-8");
}

#[test]
fn fish_reads_back_every_hostile_value_in_the_c_locale() {
    round_trip(&FISH, "C");
}

#[test]
fn nu_reads_back_every_hostile_value_byte_for_byte() {
    round_trip(&NU, "C.UTF-8");
}

#[test]
fn nu_reads_back_every_hostile_value_in_the_c_locale() {
    round_trip(&NU, "C");
}

#[test]
fn dash_reads_back_every_hostile_value_byte_for_byte() {
    round_trip(&DASH, "C.UTF-8");
}

#[test]
fn dash_reads_back_every_hostile_value_in_the_c_locale() {
    round_trip(&DASH, "C");
}

#[test]
fn elvish_reads_back_every_hostile_value_byte_for_byte() {
    round_trip(&ELVISH, "C.UTF-8");
}

#[test]
fn elvish_reads_back_every_hostile_value_in_the_c_locale() {
    round_trip(&ELVISH, "C");
}

#[test]
fn elvish_function_applies_every_hostile_value_from_json() {
    round_trip(&ELVISH_INIT, "C.UTF-8");
}

#[test]
fn xonsh_reads_back_every_hostile_value_byte_for_byte() {
    round_trip(&XONSH, "C.UTF-8");
}

#[test]
fn xonsh_reads_back_every_hostile_value_in_the_c_locale() {
    round_trip(&XONSH, "C");
}

#[test]
fn dash_strict_mode_unset_of_unknown_variables_is_quiet() {
    unset_of_unknown_is_quiet(&DASH);
}

/// The binary end to end under dash: `eval "$(ssoenv use …)"` with the parent process as the
/// only hint (an inherited SSOENV_SHELL=fish must not win), then `--shell sh` and `unset`.
#[test]
fn dash_evaluates_use_and_unset_from_the_binary() {
    if !support::have("dash") {
        return;
    }
    // (The config takes no space or ' in a profile name; the round trips above cover those.)
    let name = "caf\u{e9}-$(touch${IFS}PWNED)`touch${IFS}PWNED`;x";
    let sb = support::Sandbox::new();
    sb.write_config(&format!(
        "{}\n[profile {name}]\nsso_session = corp\nsso_account_id = 111111111111\n\
         sso_role_name = AdministratorAccess\nregion = eu-west-1\n",
        support::CONFIG
    ));
    let script = "set -eu\n\
                  eval \"$(\"$B\" use \"$P\")\"\n\
                  printf '%s|%s|%s\\n' \"$AWS_PROFILE\" \"$SSOENV_PROFILE\" \"${AWS_ACCESS_KEY_ID%%${AWS_ACCESS_KEY_ID#????}}\"\n\
                  eval \"$(\"$B\" unset --shell sh)\"\n\
                  echo \"unset=${AWS_PROFILE-none} ${SSOENV_PROFILE-none}\"\n\
                  eval \"$(\"$B\" use \"$P\" --shell posix)\" && echo \"posix=$AWS_REGION\"\n";
    let cmd = sb.cmd(["unused"]);
    let out = Command::new("dash")
        .args(["-c", script])
        .env_clear()
        .envs(
            cmd.get_envs()
                .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned()))),
        )
        .env("SSOENV_SHELL", "fish")
        .env("B", support::BIN)
        .env("P", name)
        .current_dir(sb.dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", support::stderr(&out));
    assert_eq!(
        support::stdout(&out),
        format!("{name}|{name}|ASIA\nunset=none none\nposix=eu-west-1\n")
    );
    assert!(!sb.dir.path().join("PWNED").exists());
}

/// Unsetting variables that were never set is silent, even in strict mode.
fn unset_of_unknown_is_quiet(run: &ShellRun) {
    if !support::have(run.program) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let unsets = run.shell.render(&unset_changes(3)).unwrap();
    let script = match run.shell {
        Shell::Fish => format!("{unsets}printf done"),
        _ => "eval \"$(cat unsets)\"\nprintf done\n".to_owned(),
    };
    std::fs::write(dir.path().join("unsets"), unsets).unwrap();
    let output = Command::new(run.program)
        .args(run.args)
        .args(["-c", &script])
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "done");
    assert!(output.status.success());
}

#[test]
fn bash_strict_mode_unset_of_unknown_variables_is_quiet() {
    unset_of_unknown_is_quiet(&BASH);
}

#[test]
fn zsh_strict_mode_unset_of_unknown_variables_is_quiet() {
    unset_of_unknown_is_quiet(&ZSH);
}

#[test]
fn fish_erase_of_unknown_variables_is_quiet() {
    unset_of_unknown_is_quiet(&FISH);
}

// --- PowerShell, by grammar -------------------------------------------------------------

/// The characters PowerShell's tokenizer takes as a single quote (`IsSingleQuote`).
fn is_ps_single_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}

/// Decode a verbatim string token the way PowerShell's tokenizer does: any single quote
/// followed by another stands for the second; a lone one ends the string. Panics unless
/// PowerShell's string ends exactly where the grammar's token does (the grammar only knows
/// ASCII `'`, PowerShell also ends strings at the look-alikes).
fn decode_ps_verbatim(token: &str) -> String {
    let mut chars = token.chars().peekable();
    assert_eq!(chars.next(), Some('\''), "token {token:?}");
    let mut out = String::new();
    loop {
        let c = chars
            .next()
            .unwrap_or_else(|| panic!("unterminated string {token:?}"));
        if is_ps_single_quote(c) {
            match chars.peek() {
                Some(&next) if is_ps_single_quote(next) => {
                    out.push(next);
                    chars.next();
                }
                _ => break,
            }
        } else {
            out.push(c);
        }
    }
    let rest: String = chars.collect();
    assert!(
        rest.is_empty(),
        "PowerShell would end {token:?} early, leaving {rest:?} as code"
    );
    out
}

#[test]
fn the_powershell_decoder_catches_an_undoubled_look_alike_quote() {
    assert_eq!(decode_ps_verbatim("'it''s ‘‘x’’'"), "it's ‘x’");
    let caught = std::panic::catch_unwind(|| decode_ps_verbatim("'a’; rm x; ’b'"));
    assert!(caught.is_err());
}

fn parse_powershell(src: &str) -> tree_sitter::Tree {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_powershell::LANGUAGE.into())
        .expect("PowerShell grammar loads");
    parser.parse(src, None).expect("parses")
}

fn descendants(node: tree_sitter::Node<'_>) -> Vec<tree_sitter::Node<'_>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        out.push(n);
        let mut cursor = n.walk();
        stack.extend(n.children(&mut cursor));
    }
    out
}

fn only_descendant<'t>(node: tree_sitter::Node<'t>, kind: &str) -> tree_sitter::Node<'t> {
    let found: Vec<_> = descendants(node)
        .into_iter()
        .filter(|n| n.kind() == kind)
        .collect();
    assert_eq!(found.len(), 1, "one {kind} in {}", node.to_sexp());
    found[0]
}

/// Decode the value PowerShell computes for `expr`, which must be exactly a `+` chain of
/// verbatim strings, `[char]0xNNNN` and `[char]::ConvertFromUtf32(0xN)` (nothing else runs).
fn decode_ps_concatenation(expr: tree_sitter::Node<'_>, src: &str) -> String {
    let text = |n: tree_sitter::Node<'_>| &src[n.byte_range()];
    let mut terms: Vec<_> = descendants(expr)
        .into_iter()
        .filter(|n| {
            matches!(
                n.kind(),
                "string_literal" | "cast_expression" | "invokation_expression"
            )
        })
        .collect();
    terms.sort_by_key(|n| n.start_byte());
    let joined: Vec<&str> = terms.iter().map(|n| text(*n)).collect();
    assert_eq!(
        joined.join(" + "),
        text(expr),
        "only these terms, joined by +"
    );
    assert!(
        matches!(terms.first().map(|n| n.kind()), Some("string_literal")),
        "starts with a string, so + concatenates: {}",
        text(expr)
    );
    let hex = |t: &str, prefix: &str, suffix: &str| -> char {
        let digits = t
            .strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(suffix))
            .unwrap_or_else(|| panic!("{t:?}"));
        char::from_u32(u32::from_str_radix(digits, 16).unwrap()).unwrap()
    };
    let mut out = String::new();
    for term in terms {
        let t = text(term);
        match term.kind() {
            "string_literal" => {
                let v = only_descendant(term, "verbatim_string_characters");
                out.push_str(&decode_ps_verbatim(text(v)));
            }
            "cast_expression" => {
                let c = hex(t, "[char]0x", "");
                assert!((c as u32) < 0x1_0000 && t.len() == 12, "{t:?}");
                out.push(c);
            }
            _ => {
                let c = hex(t, "[char]::ConvertFromUtf32(0x", ")");
                assert!((c as u32) >= 0x1_0000, "{t:?}");
                out.push(c);
            }
        }
    }
    out
}

/// Parse the PowerShell for `changes` and check it is exactly one statement per change, each
/// assigning the decoded value to `$Env:NAME` or removing `Env:NAME`.
fn check_powershell(changes: &[Change]) {
    let src = Shell::PowerShell.render(changes).unwrap();
    assert_eq!(powershell_changes(&src), changes);
}

/// Parse PowerShell as `use` and `unset` print it: printable ASCII, one statement per change,
/// each assigning a decoded value to `$Env:NAME` or removing `Env:NAME`, and nothing else.
fn powershell_changes(src: &str) -> Vec<Change> {
    // PowerShell reads it through the console code page: printable ASCII and line ends only.
    assert!(
        src.bytes()
            .all(|b| b == b'\n' || (b' '..=b'~').contains(&b)),
        "{src:?}"
    );
    let tree = parse_powershell(src);
    let root = tree.root_node();
    let text = |n: tree_sitter::Node<'_>| &src[n.byte_range()];
    for n in descendants(root) {
        assert!(
            !n.is_error() && !n.is_missing(),
            "{} at {:?} in {src:?}",
            n.kind(),
            n.byte_range()
        );
    }
    assert!(!root.has_error());

    let list = only_descendant(root, "statement_list");
    let mut cursor = list.walk();
    let statements: Vec<_> = list
        .named_children(&mut cursor)
        .filter(|n| n.kind() != "empty_statement")
        .collect();

    let mut changes = Vec::new();
    for statement in statements {
        assert_eq!(statement.kind(), "pipeline");
        let commands = descendants(statement)
            .iter()
            .filter(|n| n.kind() == "command")
            .count();
        if commands == 0 {
            let assignment = only_descendant(statement, "assignment_expression");
            assert_eq!(assignment.parent(), Some(statement));
            let left = only_descendant(assignment, "left_assignment_expression");
            let name = text(only_descendant(left, "variable"))
                .strip_prefix("$Env:")
                .expect("$Env:NAME")
                .to_owned();
            assert_eq!(
                text(only_descendant(assignment, "assignement_operator")),
                "="
            );
            let expr = assignment.child_by_field_name("value").expect("a value");
            changes.push((name, Some(decode_ps_concatenation(expr, src))));
        } else {
            let command = only_descendant(statement, "command");
            assert_eq!(
                text(only_descendant(command, "command_name")),
                "Remove-Item"
            );
            let elements = only_descendant(command, "command_elements");
            let mut cursor = elements.walk();
            let args: Vec<&str> = elements
                .named_children(&mut cursor)
                .filter(|n| n.kind() != "command_argument_sep")
                .map(text)
                .collect();
            assert_eq!(args.len(), 4, "{args:?}");
            assert_eq!(
                [args[0], args[2], args[3]],
                ["-LiteralPath", "-ErrorAction", "SilentlyContinue"]
            );
            let name = args[1].strip_prefix("Env:").expect("Env:NAME").to_owned();
            changes.push((name, None));
        }
    }
    changes
}

#[test]
fn powershell_output_parses_to_one_assignment_per_hostile_value() {
    let values = hostile_values();
    // All at once, as `use` prints them …
    check_powershell(&set_changes(&values));
    // … and one at a time, so that one bad value cannot hide behind another.
    for change in set_changes(&values) {
        check_powershell(&[change]);
    }
}

#[test]
fn powershell_output_parses_to_one_removal_per_unset() {
    let values = hostile_values();
    let mut changes = set_changes(&values[..10]);
    changes.extend(unset_changes(10));
    check_powershell(&changes);
}

#[test]
fn powershell_output_is_exactly_as_expected() {
    let changes: Vec<Change> = vec![
        ("AWS_PROFILE".into(), Some("prod".into())),
        ("AWS_SESSION_TOKEN".into(), Some("it's ‘q’ $(x) `n".into())),
        ("AWS_SECURITY_TOKEN".into(), None),
    ];
    assert_eq!(
        Shell::PowerShell.render(&changes).unwrap(),
        "$Env:AWS_PROFILE = 'prod';\n\
         $Env:AWS_SESSION_TOKEN = 'it''s ' + [char]0x2018 + 'q' + [char]0x2019 + ' $(x) `n';\n\
         Remove-Item -LiteralPath Env:AWS_SECURITY_TOKEN -ErrorAction SilentlyContinue;\n"
    );
}

/// `use`, `unset` and `init` for PowerShell, as the binary prints them: a profile name and a
/// binary path with non-ASCII (U+201A among them, which a code page turns into a quote),
/// quotes and code come out as printable ASCII that decodes to exactly those strings.
#[test]
fn powershell_use_unset_and_init_print_ascii_that_decodes_to_the_exact_names() {
    // (The config takes no space or ' in a profile name; the unit tests cover those.)
    let name = "caf\u{e9}\u{201a}x$(y)`n\u{1F980}\u{2019}";
    let sb = support::Sandbox::new();
    sb.write_config(&format!(
        "{}\n[profile {name}]\nsso_session = corp\nsso_account_id = 111111111111\n\
         sso_role_name = AdministratorAccess\nregion = eu-west-1\n",
        support::CONFIG
    ));
    let out = sb.run(["use", name, "--shell", "powershell"]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let changes = powershell_changes(&support::stdout(&out));
    let get = |n: &str| {
        changes
            .iter()
            .find(|(k, _)| k == n)
            .unwrap_or_else(|| panic!("{n} in {changes:?}"))
            .1
            .clone()
    };
    assert_eq!(get("AWS_PROFILE").as_deref(), Some(name));
    assert_eq!(get("SSOENV_PROFILE").as_deref(), Some(name));
    assert_eq!(get("AWS_REGION").as_deref(), Some("eu-west-1"));
    assert_eq!(get("AWS_SECURITY_TOKEN"), None);
    assert!(get("AWS_ACCESS_KEY_ID").unwrap().starts_with("ASIA"));

    let out = sb.run(["unset", "--shell", "powershell"]);
    let changes = powershell_changes(&support::stdout(&out));
    assert_eq!(changes.len(), ssoenv::env::SESSION_VARS.len());
    assert!(changes.iter().all(|(_, v)| v.is_none()));

    // init: the binary's path is quoted the same way; the whole script is ASCII.
    let script = ssoenv::cmd::init::script(
        ssoenv::shell::Shell::PowerShell,
        Some("/opt/caf\u{e9} \u{201a}'x/ssoenv"),
    );
    assert!(
        script.is_ascii(),
        "{:?}",
        script.chars().find(|c| !c.is_ascii())
    );
    assert!(
        script.contains(
            "$global:__ssoenv_bin = '/opt/caf' + [char]0x00E9 + ' ' + [char]0x201A + '''x/ssoenv'\n"
        ),
        "{script}"
    );
    assert!(!parse_powershell(&script).root_node().has_error());
    let out = std::process::Command::new(support::BIN)
        .args(["init", "powershell"])
        .env_clear()
        .output()
        .unwrap();
    assert!(out.status.success() && out.stdout.is_ascii());
}

/// Python's `json` module reads `--shell json` output back: each value as the UTF-8 bytes
/// of the string it holds (hex), `null` as unset, one line per name in sorted order.
const READ_JSON_PY: &str = r#"
import json, sys
with open(sys.argv[1], "rb") as f:
    raw = f.read()
obj = json.loads(raw.decode("utf-8"), object_pairs_hook=lambda pairs: (
    sys.exit("duplicate key") if len({k for k, _ in pairs}) != len(pairs) else dict(pairs)))
for k in sorted(obj):
    v = obj[k]
    print(k, "null" if v is None else v.encode("utf-8", "surrogatepass").hex())
"#;

fn read_json(path: &Path) -> String {
    let out = Command::new("python3")
        .args(["-c", READ_JSON_PY])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", support::stderr(&out));
    support::stdout(&out)
}

/// `--shell json` is data, not code: a real JSON parser (Python's) reads every hostile value
/// back byte for byte, an unset is `null`, and a name given twice appears once (last wins).
#[test]
fn json_output_parses_back_to_every_hostile_value_with_a_real_json_parser() {
    if !support::have("python3") {
        return;
    }
    let values = hostile_values();
    let mut changes = set_changes(&values);
    changes.push(("SSOENV_GONE".to_owned(), None));
    changes.push((var_name(0), Some("first".to_owned())));
    changes.push((var_name(0), Some(values[0].clone())));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("changes.json");
    std::fs::write(&path, Shell::Json.render(&changes).unwrap()).unwrap();
    let mut want: Vec<(String, String)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (var_name(i), support::hex(v)))
        .collect();
    want.push(("SSOENV_GONE".to_owned(), "null".to_owned()));
    want.sort();
    let want: String = want.iter().map(|(k, v)| format!("{k} {v}\n")).collect();
    assert_eq!(read_json(&path), want);
    assert!(!dir.path().join("PWNED").exists());
}

/// The binary end to end: `use --shell json` gives the same variables as the bash code,
/// `unset --shell json` a `null` for each, a hostile profile name stays data, and
/// `init json` is a usage error with an empty stdout.
#[test]
fn use_and_unset_print_json_and_init_json_is_refused() {
    if !support::have("python3") {
        return;
    }
    let name = "caf\u{e9}-$(touch${IFS}PWNED)`touch${IFS}PWNED`;x";
    let sb = support::Sandbox::new();
    sb.write_config(&format!(
        "{}\n[profile {name}]\nsso_session = corp\nsso_account_id = 111111111111\n\
         sso_role_name = AdministratorAccess\nregion = eu-west-1\n",
        support::CONFIG
    ));
    let json = sb.run(["use", name, "--shell", "json"]);
    assert!(json.status.success(), "{}", support::stderr(&json));
    let path = sb.dir.path().join("use.json");
    std::fs::write(&path, &json.stdout).unwrap();
    let parsed = read_json(&path);
    let field = |k: &str| {
        parsed
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{k} ")))
            .unwrap_or_else(|| panic!("{k} missing: {parsed}"))
            .to_owned()
    };
    assert_eq!(field("AWS_PROFILE"), support::hex(name));
    assert_eq!(field("SSOENV_PROFILE"), support::hex(name));
    assert_eq!(field("AWS_REGION"), support::hex("eu-west-1"));
    assert_eq!(field("AWS_SECURITY_TOKEN"), "null");
    assert!(field("AWS_ACCESS_KEY_ID").starts_with(&support::hex("ASIA")));
    // The same names as the shell code (cached credentials: the same values too).
    let bash = sb.run(["use", name, "--shell", "bash"]);
    let bash = support::stdout(&bash);
    let names: Vec<&str> = parsed.lines().filter_map(|l| l.split(' ').next()).collect();
    // bash's lines less its `if true; then` and `fi`.
    assert_eq!(names.len(), bash.lines().count() - 2, "{parsed}\n{bash}");
    for n in &names {
        assert!(
            bash.contains(&format!("export {n}=")) || bash.contains(&format!("unset {n};")),
            "{n}"
        );
    }

    let unset = sb.run(["unset", "--shell", "json"]);
    assert!(unset.status.success(), "{}", support::stderr(&unset));
    std::fs::write(&path, &unset.stdout).unwrap();
    let parsed = read_json(&path);
    assert!(parsed.contains("AWS_ACCESS_KEY_ID null\n"), "{parsed}");
    assert!(parsed.lines().all(|l| l.ends_with(" null")), "{parsed}");

    let init = sb.run(["init", "json"]);
    assert_eq!(init.status.code(), Some(2));
    assert!(init.stdout.is_empty());
    let err = support::stderr(&init);
    assert!(
        err.contains("no shell integration for json") && err.contains("--shell json"),
        "{err}"
    );
    assert!(!sb.dir.path().join("PWNED").exists());
}
