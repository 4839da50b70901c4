//! `--shell json`: not a shell but the same changes as one JSON object, for anything that
//! cannot (or should not) evaluate shell code: an editor, a script, a shell without `eval`.
//! The contract is direnv's `export json`: an object of variable name to value, `null` for
//! a variable to unset, keys sorted, two-space indentation. Consume it with
//! `ssoenv use prod --shell json | jq …`, `json.loads`, nushell's `from json | load-env`.
//!
//! Values are Rust strings, so always valid UTF-8; serde_json escapes `"`, `\` and every
//! control character, so any value round-trips through a JSON parser byte for byte. Should
//! a name appear twice, the last change wins, as when a shell evaluates the lines in order.
//!
//! `$` and `` ` `` are written `\u0024` and `\u0060`: a shell that evaluates this object by
//! mistake (`eval "$(ssoenv use prod --shell json)"`) reads each string as a double-quoted
//! word, and would run a `$(…)` or `` `…` `` in a value (issue 19). Outside strings JSON has
//! neither character, so the replacement touches only string contents.

use super::{Change, Dirs, Entry, NoIntegration, bash};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub(super) const ENTRY: Entry = Entry {
    name: "json",
    aliases: &[],
    help: Some(
        "the changes as a JSON object (null = unset), as `direnv export json`: for editors and scripts",
    ),
    render,
    quote,
    hook: Err(NoIntegration {
        why: "JSON is data for a program to read, not a shell to hook into",
        cause: "`ssoenv init` prints a shell's prompt hook and `ssoenv` function; `--shell json` is for `use` and `unset`",
        hint: "read the changes with: ssoenv use PROFILE --shell json (and ssoenv unset --shell json)",
    }),
    eval_line: |args| format!("ssoenv {args} --shell json"),
    init_line: bash::ENTRY.init_line,
    rc_file: bash::ENTRY.rc_file,
    startup_files: |_: &Dirs| Vec::<PathBuf>::new(),
    completion: None,
    completion_paths: |_| Vec::new(),
    completion_install: bash::ENTRY.completion_install,
};

fn render(changes: &[Change]) -> String {
    let object: BTreeMap<&str, Option<&str>> = changes
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_deref()))
        .collect();
    let mut out = without_expansions(&serde_json::to_string_pretty(&object).unwrap_or_default());
    out.push('\n');
    out
}

/// A JSON string literal.
fn quote(s: &str) -> String {
    without_expansions(&serde_json::to_string(s).unwrap_or_default())
}

/// JSON text with `$` and `` ` `` as `\u` escapes (only strings can hold them).
fn without_expansions(json: &str) -> String {
    json.replace('$', "\\u0024").replace('`', "\\u0060")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_become_one_sorted_object_with_null_for_unset() {
        let changes = [
            ("B".to_owned(), Some("it's \"x\"\n\\".to_owned())),
            ("A".to_owned(), None),
            ("B".to_owned(), Some("last".to_owned())),
        ];
        assert_eq!(
            render(&changes),
            "{\n  \"A\": null,\n  \"B\": \"last\"\n}\n"
        );
        assert_eq!(render(&[]), "{}\n");
        assert_eq!(quote("a\"\u{1b}é"), "\"a\\\"\\u001bé\"");
        let value = "$(id) `id` ${HOME}";
        let text = render(&[("A".to_owned(), Some(value.to_owned()))]);
        assert_eq!(
            text,
            "{\n  \"A\": \"\\u0024(id) \\u0060id\\u0060 \\u0024{HOME}\"\n}\n"
        );
        let back: BTreeMap<String, String> = serde_json::from_str(&text).unwrap();
        assert_eq!(back["A"], value);
    }
}
