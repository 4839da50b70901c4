//! The INI reader: Python's `configparser.RawConfigParser` as botocore's
//! `configloader.raw_config_parse` drives it (spec §5), written out by hand.
//!
//! One pass over the text, no regex; the only allocations are the strings that
//! are kept (section names, lower-cased keys, values). The rules mirrored, with
//! the CPython 3.11 `_read` line that makes them:
//! - lines end at `\n`, `\r\n` or a lone `\r` (text-mode universal newlines);
//! - a line whose stripped text starts with `#` or `;` is a comment; inline
//!   comments stay in the value;
//! - a line indented deeper than the option line that opened the current value
//!   continues it (`cur_indent_level > indent_level`), even after blank lines,
//!   which add empty lines to the value; the joined value is `rstrip`ped;
//! - `[` … last `]` is a section header (`\[(?P<header>.+)\]`, anything after
//!   the `]` is ignored); `[DEFAULT]` holds defaults for every section;
//! - an option is split at the first `=` or `:`; its key is right-stripped and
//!   lower-cased, its value stripped;
//! - refused: a duplicate section (except `DEFAULT`), a duplicate key within a
//!   section, a line before the first header, a line with no separator, an
//!   empty key; and botocore's `_parse_nested` refuses a sub-section line with
//!   no `=`.
//!
//! A UTF-8 BOM is accepted (Python would reject it; we are kinder on purpose).

use std::collections::{HashMap, HashSet};

/// A value: a plain string, or a one-level sub-section (an empty value followed
/// by indented `k = v` lines, botocore `_parse_nested`; keys kept as written,
/// later duplicates win).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Str(String),
    Nested(Vec<(String, String)>),
}

impl Value {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            Value::Nested(_) => None,
        }
    }

    /// A key of a sub-section (the last one wins, like the dict botocore builds).
    pub(crate) fn nested_get(&self, key: &str) -> Option<&str> {
        match self {
            Value::Str(_) => None,
            Value::Nested(kv) => kv
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str()),
        }
    }
}

impl std::fmt::Display for Value {
    /// A string as is; a sub-section the way Python prints the dict.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Str(s) => f.write_str(s),
            Value::Nested(kv) => {
                f.write_str("{")?;
                for (i, (k, v)) in kv.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "'{k}': '{v}'")?;
                }
                f.write_str("}")
            }
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// Lower-cased key.
    pub(crate) key: String,
    pub(crate) value: Value,
}

#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// The text between `[` and the last `]`, as written.
    pub(crate) name: String,
    /// 1-based line of the header.
    pub(crate) line: usize,
    pub(crate) entries: Vec<Entry>,
}

impl Section {
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|e| e.key == key).map(|e| &e.value)
    }
}

/// The parsed file: sections in file order; `defaults` is the index of the
/// `[DEFAULT]` section (which is not a section of its own for botocore).
#[derive(Debug, Clone, Default)]
pub(crate) struct Ini {
    pub(crate) sections: Vec<Section>,
    pub(crate) defaults: Option<usize>,
}

/// Why a file was refused: the 1-based line, what is wrong, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub(crate) line: usize,
    pub(crate) what: String,
    pub(crate) hint: &'static str,
}

const DEFAULT_SECTION: &str = "DEFAULT";
/// Sections with more keys than this get a hash set for the duplicate check.
const LINEAR_KEYS: usize = 32;

/// Python's `str.isspace` (what `strip()`, `\s` and `\S` use): Rust's
/// `White_Space` plus the separators U+001C..U+001F.
pub(crate) fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

pub(crate) fn py_trim(s: &str) -> &str {
    s.trim_matches(py_space)
}

/// Characters Python's `str.splitlines` breaks at, beyond `\n`/`\r` (which
/// never occur inside one of our lines).
fn py_line_break(c: char) -> bool {
    matches!(
        c,
        '\u{0b}' | '\u{0c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Lines split at `\n`, `\r\n` or `\r`, numbered from 1.
struct Lines<'a> {
    rest: &'a str,
    number: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<(usize, &'a str)> {
        if self.rest.is_empty() {
            return None;
        }
        self.number += 1;
        let bytes = self.rest.as_bytes();
        let line;
        match bytes.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(i) => {
                line = &self.rest[..i];
                let skip = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                self.rest = &self.rest[i + skip..];
            }
            None => {
                line = self.rest;
                self.rest = "";
            }
        }
        Some((self.number, line))
    }
}

/// The 1-based line holding byte `offset`, counting breaks as `Lines` does.
pub(crate) fn line_of_offset(bytes: &[u8], offset: usize) -> usize {
    let end = offset.min(bytes.len());
    1 + bytes[..end]
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

/// Shorten a line for a message and show control characters escaped.
fn snippet(s: &str) -> String {
    const MAX: usize = 60;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{:?}…", &s[..i]),
        None => format!("{s:?}"),
    }
}

/// The value of the option being read: its lines (already stripped) and where
/// it is stored.
struct Pending<'a> {
    lines: Vec<(usize, &'a str)>,
    owner: Option<(usize, usize)>,
}

impl<'a> Pending<'a> {
    /// Store the finished value (`'\n'.join(lines).rstrip()`, then
    /// `_parse_nested` when it starts with a newline).
    fn finish(&mut self, ini: &mut Ini) -> Result<(), ParseError> {
        let Some((s, e)) = self.owner.take() else {
            self.lines.clear();
            return Ok(());
        };
        while self.lines.len() > 1 && self.lines.last().is_some_and(|l| l.1.is_empty()) {
            self.lines.pop();
        }
        let value = match self.lines.as_slice() {
            [] => Value::Str(String::new()),
            [(_, one)] => Value::Str((*one).to_owned()),
            [(_, ""), rest @ ..] => {
                let mut kv = Vec::with_capacity(rest.len());
                for &(line, text) in rest {
                    for piece in text.split(py_line_break) {
                        let piece = py_trim(piece);
                        if piece.is_empty() {
                            continue;
                        }
                        let Some((k, v)) = piece.split_once('=') else {
                            let key = &ini.sections[s].entries[e].key;
                            return Err(ParseError {
                                line,
                                what: format!(
                                    "{} in the sub-section \"{key}\" is not a \"key = value\" line",
                                    snippet(piece)
                                ),
                                hint: "lines indented under an empty value must all be `key = value`",
                            });
                        };
                        kv.push((py_trim(k).to_owned(), py_trim(v).to_owned()));
                    }
                }
                Value::Nested(kv)
            }
            lines => {
                let len = lines.iter().map(|l| l.1.len() + 1).sum();
                let mut joined = String::with_capacity(len);
                for (i, (_, text)) in lines.iter().enumerate() {
                    if i > 0 {
                        joined.push('\n');
                    }
                    joined.push_str(text);
                }
                Value::Str(joined)
            }
        };
        ini.sections[s].entries[e].value = value;
        self.lines.clear();
        Ok(())
    }
}

pub(crate) fn parse_ini(text: &str) -> Result<Ini, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut ini = Ini::default();
    // Raw section name → index, for the duplicate check.
    let mut by_name: HashMap<String, usize> = HashMap::new();
    // Key sets of sections too big for a linear duplicate check.
    let mut big: HashMap<usize, HashSet<String>> = HashMap::new();
    let mut cur: Option<usize> = None;
    let mut indent_level = 0usize;
    let mut pending = Pending {
        lines: Vec::new(),
        owner: None,
    };

    for (line_no, line) in (Lines {
        rest: text,
        number: 0,
    }) {
        let value = py_trim(line);
        let is_comment = value.starts_with('#') || value.starts_with(';');
        if value.is_empty() || is_comment {
            // `empty_lines_in_values`: a blank (not comment) line inside a
            // value adds an empty line to it.
            if !is_comment && pending.owner.is_some() {
                pending.lines.push((line_no, ""));
            }
            continue;
        }
        let indent = line.chars().take_while(|&c| py_space(c)).count();
        if pending.owner.is_some() && indent > indent_level {
            pending.lines.push((line_no, value));
            continue;
        }
        indent_level = indent;
        // Any other line ends the value being read.
        pending.finish(&mut ini)?;

        if let Some(close) = value.strip_prefix('[').and_then(|_| value.rfind(']'))
            && close >= 2
        {
            let name = &value[1..close];
            if name == DEFAULT_SECTION {
                if let Some(d) = ini.defaults {
                    cur = Some(d);
                    continue;
                }
            } else if let Some(&first) = by_name.get(name) {
                return Err(ParseError {
                    line: line_no,
                    what: format!(
                        "section [{name}] appears twice (first on line {})",
                        ini.sections[first].line
                    ),
                    hint: "merge the two sections into one; the AWS CLI refuses this file too",
                });
            }
            let idx = ini.sections.len();
            ini.sections.push(Section {
                name: name.to_owned(),
                line: line_no,
                entries: Vec::new(),
            });
            if name == DEFAULT_SECTION {
                ini.defaults = Some(idx);
            } else {
                by_name.insert(name.to_owned(), idx);
            }
            cur = Some(idx);
            continue;
        }

        // `[` with no `]` after it (`[]` is a header with no name: also not a header).
        let unclosed = value.starts_with('[') && !value[1..].contains(']');
        let Some(s) = cur else {
            return Err(if unclosed {
                unclosed_header(line_no, value)
            } else {
                ParseError {
                    line: line_no,
                    what: format!("{} comes before the first [section] header", snippet(value)),
                    hint: "put settings under a header such as [default] or [profile NAME]",
                }
            });
        };
        let Some(sep) = value.find(['=', ':']) else {
            return Err(if unclosed {
                unclosed_header(line_no, value)
            } else {
                ParseError {
                    line: line_no,
                    what: format!(
                        "{} is not a [section] header, a comment or a `key = value` line",
                        snippet(value)
                    ),
                    hint: "add `= value`, indent it to continue the value above, or start it with `#` to comment it out",
                }
            });
        };
        let raw_key = value[..sep].trim_end_matches(py_space);
        if raw_key.is_empty() {
            return Err(ParseError {
                line: line_no,
                what: format!(
                    "{} has no key before the `{}`",
                    snippet(value),
                    &value[sep..sep + 1]
                ),
                hint: "write settings as `key = value`",
            });
        }
        let key = raw_key.to_lowercase();
        let section = &ini.sections[s];
        let duplicate = match big.get(&s) {
            Some(set) => set.contains(&key),
            None => section.entries.iter().any(|e| e.key == key),
        };
        if duplicate {
            return Err(ParseError {
                line: line_no,
                what: format!("key \"{key}\" appears twice in section [{}]", section.name),
                hint: "keep only one of them; the AWS CLI refuses this file too",
            });
        }
        let entries = &mut ini.sections[s].entries;
        if let Some(set) = big.get_mut(&s) {
            set.insert(key.clone());
        } else if entries.len() + 1 >= LINEAR_KEYS {
            let mut set: HashSet<String> = entries.iter().map(|e| e.key.clone()).collect();
            set.insert(key.clone());
            big.insert(s, set);
        }
        entries.push(Entry {
            key,
            value: Value::Str(String::new()),
        });
        pending.owner = Some((s, entries.len() - 1));
        pending.lines.push((line_no, py_trim(&value[sep + 1..])));
    }
    pending.finish(&mut ini)?;
    Ok(ini)
}

fn unclosed_header(line: usize, value: &str) -> ParseError {
    ParseError {
        line,
        what: format!("section header {} has no closing `]`", snippet(value)),
        hint: "close the header with `]`, e.g. [profile NAME]",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Ini {
        parse_ini(text).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn get<'a>(ini: &'a Ini, section: &str, key: &str) -> Option<&'a Value> {
        ini.sections.iter().find(|s| s.name == section)?.get(key)
    }

    fn s(v: &str) -> Value {
        Value::Str(v.to_owned())
    }

    #[test]
    fn keys_are_lower_cased_and_section_names_keep_their_case() {
        let ini = parse("[profile Dev]\nSSO_Role_Name = Admin\n");
        assert_eq!(ini.sections[0].name, "profile Dev");
        assert_eq!(get(&ini, "profile Dev", "sso_role_name"), Some(&s("Admin")));
    }

    #[test]
    fn colon_separates_and_the_first_separator_of_either_kind_wins() {
        let ini = parse("[a]\nurl: https://x=y\nb = c:d\n");
        assert_eq!(get(&ini, "a", "url"), Some(&s("https://x=y")));
        assert_eq!(get(&ini, "a", "b"), Some(&s("c:d")));
    }

    #[test]
    fn inline_comments_stay_in_the_value_and_full_line_comments_are_skipped() {
        let ini =
            parse("# top\n; top\n[a]\n  # indented comment\nregion = us-east-1 # x\n\t; more\n");
        assert_eq!(get(&ini, "a", "region"), Some(&s("us-east-1 # x")));
        assert_eq!(ini.sections[0].entries.len(), 1);
    }

    #[test]
    fn an_indented_line_continues_the_value_across_blank_lines_and_comments() {
        let ini = parse("[a]\nk = one\n  two\n\n  # c\n  three\n\n\nnext = x\n");
        assert_eq!(get(&ini, "a", "k"), Some(&s("one\ntwo\n\nthree")));
        assert_eq!(get(&ini, "a", "next"), Some(&s("x")));
    }

    #[test]
    fn an_empty_value_with_indented_lines_becomes_a_sub_section() {
        let ini = parse(
            "[a]\ns3 =\n  max_concurrent_requests = 10\n  Addressing_Style=path\nregion = eu-west-1\n",
        );
        assert_eq!(
            get(&ini, "a", "s3"),
            Some(&Value::Nested(vec![
                ("max_concurrent_requests".into(), "10".into()),
                ("Addressing_Style".into(), "path".into()),
            ]))
        );
        assert_eq!(get(&ini, "a", "region"), Some(&s("eu-west-1")));
    }

    #[test]
    fn crlf_lone_cr_and_a_bom_are_accepted() {
        let ini = parse("\u{feff}[a]\r\nk = v\r\nj = w\rl = x");
        assert_eq!(get(&ini, "a", "k"), Some(&s("v")));
        assert_eq!(get(&ini, "a", "j"), Some(&s("w")));
        assert_eq!(get(&ini, "a", "l"), Some(&s("x")));
    }

    #[test]
    fn a_header_ends_at_the_last_bracket_and_ignores_what_follows() {
        let ini = parse("[profile a] ; note\n[x]]\n");
        assert_eq!(ini.sections[0].name, "profile a");
        assert_eq!(ini.sections[1].name, "x]");
    }

    #[test]
    fn default_sections_may_repeat_but_their_keys_may_not() {
        let ini = parse("[DEFAULT]\na = 1\n[x]\n[DEFAULT]\nb = 2\n");
        assert_eq!(ini.sections[ini.defaults.unwrap()].entries.len(), 2);
        let e = parse_ini("[DEFAULT]\na = 1\n[DEFAULT]\nA = 2\n").unwrap_err();
        assert_eq!(e.line, 4);
    }

    #[test]
    fn refusals_carry_the_line_number() {
        let cases: &[(&str, usize, &str)] = &[
            ("[a]\n[b]\n\n[a]\n", 4, "appears twice (first on line 1)"),
            ("[a]\nk = 1\nK = 2\n", 3, "key \"k\" appears twice"),
            ("[a]\n[profile x\n", 2, "no closing `]`"),
            ("[profile x\n", 1, "no closing `]`"),
            (
                "\n# c\nk = v\n[a]\n",
                3,
                "before the first [section] header",
            ),
            ("[a]\nk = v\njunk\n", 3, "is not a [section] header"),
            ("[a]\n= v\n", 2, "has no key"),
            ("[a]\ns3 =\n  a = 1\n  b: 2\n", 4, "sub-section \"s3\""),
            ("[a]\n[]\n", 2, "is not a [section] header"),
        ];
        for (text, line, what) in cases {
            let e = parse_ini(text).expect_err(text);
            assert_eq!(e.line, *line, "{text:?}: {e:?}");
            assert!(e.what.contains(what), "{text:?}: {e:?}");
        }
    }

    #[test]
    fn a_big_section_still_finds_duplicate_keys() {
        let mut text = String::from("[a]\n");
        for i in 0..100 {
            text.push_str(&format!("k{i} = {i}\n"));
        }
        assert!(parse_ini(&text).is_ok());
        text.push_str("K57 = again\n");
        assert_eq!(parse_ini(&text).unwrap_err().line, 102);
    }

    #[test]
    fn line_of_offset_counts_breaks_like_the_reader() {
        let b = b"a\r\nb\rc\nd";
        assert_eq!(line_of_offset(b, 0), 1);
        assert_eq!(line_of_offset(b, 3), 2);
        assert_eq!(line_of_offset(b, 5), 3);
        assert_eq!(line_of_offset(b, 7), 4);
        assert_eq!(line_of_offset(b, 99), 4);
    }
}
