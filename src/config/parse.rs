//! The INI reader: Python's `configparser.RawConfigParser` as botocore's
//! `configloader.raw_config_parse` drives it (docs/config.md#parser-rules), written out by hand.
//!
//! One pass over the text, no regex. Values and section names are copied into
//! one string arena and keys are interned, so a large file costs a handful of
//! allocations (checked against botocore 1.43 with randomly generated files:
//! same profiles, sessions, services, keys and values, same refusals). The
//! rules mirrored, with
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
use std::hash::{BuildHasherDefault, Hasher};

/// A hash map with a fast, non-keyed hash (the multiply-rotate hash of
/// Firefox and rustc): a config of 100,000 profiles does millions of name and
/// key look-ups, and SipHash's protection against chosen collisions buys
/// nothing for a file the user controls.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher {
    hash: u64,
}

impl FastHasher {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        // The table indexes by the low bits: fold the well-mixed high bits in.
        self.hash ^ (self.hash >> 29)
    }
}

/// A slice of `Ini::arena`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Span {
    start: usize,
    end: usize,
}

/// A stored value: a span of the arena, or a range of `Ini::nested` pairs.
#[derive(Debug, Clone, Copy)]
enum Raw {
    Str(Span),
    Nested(usize, usize),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    /// Interned lower-cased key (`Ini::keys`).
    key: u32,
    value: Raw,
}

/// A value as callers see it: a plain string, or a one-level sub-section (an
/// empty value followed by indented `k = v` lines, botocore `_parse_nested`;
/// keys kept as written, later duplicates win).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    Str(&'a str),
    Nested(&'a Ini, &'a [(Span, Span)]),
}

impl<'a> Value<'a> {
    pub(crate) fn as_str(self) -> Option<&'a str> {
        match self {
            Value::Str(s) => Some(s),
            Value::Nested(..) => None,
        }
    }

    /// A key of a sub-section (the last one wins, like the dict botocore builds).
    pub(crate) fn nested_get(self, key: &str) -> Option<&'a str> {
        match self {
            Value::Str(_) => None,
            Value::Nested(ini, kv) => kv
                .iter()
                .rev()
                .find(|(k, _)| ini.text(*k) == key)
                .map(|&(_, v)| ini.text(v)),
        }
    }
}

impl PartialEq for Value<'_> {
    /// String equality, or Python dict equality for sub-sections.
    fn eq(&self, other: &Self) -> bool {
        match (*self, *other) {
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Nested(ia, a), Value::Nested(ib, b)) => {
                let covers = |ix: &Ini, x: &[(Span, Span)], other: Value<'_>| {
                    x.iter().all(|&(k, _)| {
                        other.nested_get(ix.text(k)) == Value::Nested(ix, x).nested_get(ix.text(k))
                    })
                };
                covers(ia, a, Value::Nested(ib, b)) && covers(ib, b, Value::Nested(ia, a))
            }
            _ => false,
        }
    }
}

impl std::fmt::Display for Value<'_> {
    /// A string as is; a sub-section the way Python prints the dict.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Value::Str(s) => f.write_str(s),
            Value::Nested(ini, kv) => {
                f.write_str("{")?;
                for (i, &(k, v)) in kv.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "'{}': '{}'", ini.text(k), ini.text(v))?;
                }
                f.write_str("}")
            }
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// The text between `[` and the last `]`, as written.
    name: Span,
    /// 1-based line of the header.
    pub(crate) line: usize,
    /// Range of `Ini::entries` (sections other than `[DEFAULT]` are contiguous).
    entries: (usize, usize),
}

/// The parsed file. Every string lives in one arena and every key is
/// interned, so a 5,000-profile file costs a handful of allocations, not
/// tens of thousands.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ini {
    arena: String,
    keys: Vec<String>,
    key_ids: FastMap<String, u32>,
    /// How many of `keys` are the caller's known keys (`parse_ini_with`).
    known: usize,
    entries: Vec<Entry>,
    nested: Vec<(Span, Span)>,
    /// Sections in file order, `[DEFAULT]` included (at its first header).
    pub(crate) sections: Vec<Section>,
    /// Index of the `[DEFAULT]` section (not a section of its own for botocore).
    pub(crate) defaults: Option<usize>,
    /// `[DEFAULT]`'s entries: it may be reopened, so they are not contiguous.
    default_entries: Vec<Entry>,
    /// Sub-section errors in `[DEFAULT]` values (entry index, error).
    default_errors: Vec<(usize, ParseError)>,
    /// Every header line in file order as (1-based line, section index):
    /// a reopened `[DEFAULT]` appears once per header (for `edit.rs` spans).
    pub(crate) headers: Vec<(usize, usize)>,
}

impl Ini {
    fn text(&self, span: Span) -> &str {
        &self.arena[span.start..span.end]
    }

    fn store(&mut self, text: &str) -> Span {
        let start = self.arena.len();
        self.arena.push_str(text);
        Span {
            start,
            end: self.arena.len(),
        }
    }

    fn intern(&mut self, key: &str) -> u32 {
        // The known keys (the config's key table) are interned first: most
        // lines find theirs in a short scan, without hashing.
        if let Some(id) = self.keys[..self.known].iter().position(|k| k == key) {
            return id as u32;
        }
        if let Some(&id) = self.key_ids.get(key) {
            return id;
        }
        let id = self.keys.len() as u32;
        self.keys.push(key.to_owned());
        self.key_ids.insert(key.to_owned(), id);
        id
    }

    pub(crate) fn name(&self, section: usize) -> &str {
        self.text(self.sections[section].name)
    }

    fn section_entries(&self, section: usize) -> &[Entry] {
        if Some(section) == self.defaults {
            &self.default_entries
        } else {
            let (a, b) = self.sections[section].entries;
            &self.entries[a..b]
        }
    }

    fn view(&self, raw: Raw) -> Value<'_> {
        match raw {
            Raw::Str(span) => Value::Str(self.text(span)),
            Raw::Nested(a, b) => Value::Nested(self, &self.nested[a..b]),
        }
    }

    /// The id of a key (lower-cased), if any section has it.
    #[cfg(test)]
    pub(crate) fn key_id(&self, key: &str) -> Option<KeyId> {
        self.key_ids.get(key).map(|&id| KeyId(id))
    }

    /// A key of one section (without `[DEFAULT]`).
    #[cfg(test)]
    pub(crate) fn get(&self, section: usize, key: &str) -> Option<Value<'_>> {
        self.get_id(section, self.key_id(key)?)
    }

    /// A key of one section by id (without `[DEFAULT]`): no hashing.
    pub(crate) fn get_id(&self, section: usize, key: KeyId) -> Option<Value<'_>> {
        self.section_entries(section)
            .iter()
            .find(|e| e.key == key.0)
            .map(|e| self.view(e.value))
    }

    /// The keys and values of one section, in file order.
    pub(crate) fn entries(&self, section: usize) -> impl Iterator<Item = (&str, Value<'_>)> {
        self.entries_by_id(section)
            .map(|(id, v)| (self.key_name(id), v))
    }

    /// The key ids and values of one section, in file order.
    pub(crate) fn entries_by_id(&self, section: usize) -> impl Iterator<Item = (KeyId, Value<'_>)> {
        self.section_entries(section)
            .iter()
            .map(|e| (KeyId(e.key), self.view(e.value)))
    }

    pub(crate) fn key_name(&self, key: KeyId) -> &str {
        &self.keys[key.0 as usize]
    }
}

/// An interned key. `parse_ini_with(text, known)` gives `known[i]` the id
/// `i`, so callers can hold ids of the keys they read as constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyId(pub(crate) u32);

/// Why a file was refused: the 1-based line, what is wrong, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub(crate) line: usize,
    pub(crate) what: String,
    pub(crate) hint: &'static str,
}

const DEFAULT_SECTION: &str = "DEFAULT";
/// Sections with more keys than this get a hash set for the duplicate check.
const LINEAR_KEYS: usize = 64;

/// Python's `str.isspace` (what `strip()`, `\s` and `\S` use): Rust's
/// `White_Space` plus the separators U+001C..U+001F.
pub(crate) fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

pub(crate) fn py_trim(s: &str) -> &str {
    // ASCII ends (nearly every line) are trimmed byte by byte; a non-ASCII
    // byte at either end takes the char path, which knows Unicode spaces.
    let b = s.as_bytes();
    let ascii_space = |c: u8| matches!(c, b' ' | b'\t'..=b'\r' | 0x1c..=0x1f);
    let mut start = 0;
    while start < b.len() && ascii_space(b[start]) {
        start += 1;
    }
    let mut end = b.len();
    while end > start && ascii_space(b[end - 1]) {
        end -= 1;
    }
    let (first, last) = (b.get(start), b.get(end.wrapping_sub(1)));
    if first.is_some_and(|c| !c.is_ascii()) || last.is_some_and(|c| !c.is_ascii()) {
        return s.trim_matches(py_space);
    }
    &s[start..end]
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
        match memchr::memchr2(b'\n', b'\r', bytes) {
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
/// it is stored (in `[DEFAULT]`'s entries or not, index).
struct Pending<'a> {
    lines: Vec<(usize, &'a str)>,
    owner: Option<(bool, usize)>,
}

impl<'a> Pending<'a> {
    /// Store the finished value (`'\n'.join(lines).rstrip()`, then
    /// `_parse_nested` when it starts with a newline).
    fn finish(&mut self, ini: &mut Ini) -> Result<(), ParseError> {
        let Some((in_defaults, e)) = self.owner.take() else {
            self.lines.clear();
            return Ok(());
        };
        while self.lines.len() > 1 && self.lines.last().is_some_and(|l| l.1.is_empty()) {
            self.lines.pop();
        }
        let value = match self.lines.as_slice() {
            [] => Raw::Str(Span::default()),
            [(_, one)] => Raw::Str(ini.store(one)),
            [(_, ""), rest @ ..] => {
                let start = ini.nested.len();
                match parse_nested(rest, ini) {
                    Ok(()) => Raw::Nested(start, ini.nested.len()),
                    Err(what) => {
                        ini.nested.truncate(start);
                        let entry = if in_defaults {
                            ini.default_entries[e]
                        } else {
                            ini.entries[e]
                        };
                        let (line, piece) = what;
                        let err = ParseError {
                            line,
                            what: format!(
                                "{} in the sub-section \"{}\" is not a \"key = value\" line",
                                snippet(piece),
                                ini.keys[entry.key as usize]
                            ),
                            hint: "lines indented under an empty value must all be `key = value`",
                        };
                        // botocore parses `[DEFAULT]` values only as part of
                        // the sections they apply to: decide at the end.
                        if !in_defaults {
                            return Err(err);
                        }
                        ini.default_errors.push((e, err));
                        Raw::Nested(start, start)
                    }
                }
            }
            lines => {
                let start = ini.arena.len();
                for (i, (_, text)) in lines.iter().enumerate() {
                    if i > 0 {
                        ini.arena.push('\n');
                    }
                    ini.arena.push_str(text);
                }
                Raw::Str(Span {
                    start,
                    end: ini.arena.len(),
                })
            }
        };
        if in_defaults {
            ini.default_entries[e].value = value;
        } else {
            ini.entries[e].value = value;
        }
        self.lines.clear();
        Ok(())
    }
}

/// botocore `_parse_nested` over the lines after the empty first one, into
/// `ini.nested`; on failure, the line and text without `=`.
fn parse_nested<'a>(lines: &[(usize, &'a str)], ini: &mut Ini) -> Result<(), (usize, &'a str)> {
    for &(line, text) in lines {
        for piece in text.split(py_line_break) {
            let piece = py_trim(piece);
            if piece.is_empty() {
                continue;
            }
            let (k, v) = piece.split_once('=').ok_or((line, piece))?;
            let k = ini.store(py_trim(k));
            let v = ini.store(py_trim(v));
            ini.nested.push((k, v));
        }
    }
    Ok(())
}

pub(crate) fn parse_ini(text: &str) -> Result<Ini, ParseError> {
    parse_ini_with(text, &[])
}

/// Parse, with the (lower-case, distinct) `known` keys interned first: `known[i]` is `KeyId(i)`.
pub(crate) fn parse_ini_with(text: &str, known: &[&str]) -> Result<Ini, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut ini = Ini::default();
    // Every stored string is a piece of the text, so the arena never
    // outgrows it: one allocation instead of a doubling series of copies.
    ini.arena.reserve(text.len());
    // At most one section per `[`: size the section tables once.
    let brackets = memchr::memchr_iter(b'[', text.as_bytes()).count();
    ini.sections.reserve(brackets);
    for key in known {
        ini.intern(key);
        ini.known = ini.keys.len();
    }
    // Raw section name → index, for the duplicate check.
    let mut by_name: FastMap<&str, usize> = FastMap::default();
    by_name.reserve(brackets);
    // (section, key) of sections too big for a linear duplicate check.
    let mut big: FastSet<(usize, u32)> = FastSet::default();
    let mut lower = String::new();
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
                    ini.headers.push((line_no, d));
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
            let span = ini.store(name);
            let at = ini.entries.len();
            ini.sections.push(Section {
                name: span,
                line: line_no,
                entries: (at, at),
            });
            ini.headers.push((line_no, idx));
            if name == DEFAULT_SECTION {
                ini.defaults = Some(idx);
            } else {
                by_name.insert(name, idx);
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
        let Some(sep) = value.bytes().position(|b| b == b'=' || b == b':') else {
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
        // `optionxform` is `str.lower()`; the non-ASCII path keeps its
        // final-sigma rule.
        lower.clear();
        if raw_key.is_ascii() {
            lower.extend(raw_key.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            lower.push_str(&raw_key.to_lowercase());
        }
        let key = ini.intern(&lower);
        let existing = ini.section_entries(s);
        let duplicate = if existing.len() >= LINEAR_KEYS {
            if existing.len() == LINEAR_KEYS {
                big.extend(existing.iter().map(|e| (s, e.key)));
            }
            !big.insert((s, key))
        } else {
            existing.iter().any(|e| e.key == key)
        };
        if duplicate {
            return Err(ParseError {
                line: line_no,
                what: format!("key \"{lower}\" appears twice in section [{}]", ini.name(s)),
                hint: "keep only one of them; the AWS CLI refuses this file too",
            });
        }
        let entry = Entry {
            key,
            value: Raw::Str(Span::default()),
        };
        if Some(s) == ini.defaults {
            ini.default_entries.push(entry);
            pending.owner = Some((true, ini.default_entries.len() - 1));
        } else {
            // Only the current section grows, so its range stays contiguous.
            ini.entries.push(entry);
            ini.sections[s].entries.1 = ini.entries.len();
            pending.owner = Some((false, ini.entries.len() - 1));
        }
        pending.lines.push((line_no, py_trim(&value[sep + 1..])));
    }
    pending.finish(&mut ini)?;
    // A broken `[DEFAULT]` sub-section fails every section that inherits it.
    if let Some(d) = ini.defaults {
        let inherited = |(e, _): &&(usize, ParseError)| {
            let key = ini.default_entries[*e].key;
            (0..ini.sections.len())
                .any(|i| i != d && ini.section_entries(i).iter().all(|x| x.key != key))
        };
        if let Some((_, err)) = ini.default_errors.iter().find(inherited) {
            return Err(err.clone());
        }
    }
    ini.default_errors.clear();
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

    /// A value as text (a sub-section as Python prints the dict).
    fn get(ini: &Ini, section: &str, key: &str) -> Option<String> {
        let i = (0..ini.sections.len()).find(|&i| ini.name(i) == section)?;
        ini.get(i, key).map(|v| v.to_string())
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_owned())
    }

    #[test]
    fn keys_are_lower_cased_and_section_names_keep_their_case() {
        let ini = parse("[profile Dev]\nSSO_Role_Name = Admin\n");
        assert_eq!(ini.name(0), "profile Dev");
        assert_eq!(get(&ini, "profile Dev", "sso_role_name"), (s("Admin")));
    }

    #[test]
    fn colon_separates_and_the_first_separator_of_either_kind_wins() {
        let ini = parse("[a]\nurl: https://x=y\nb = c:d\n");
        assert_eq!(get(&ini, "a", "url"), (s("https://x=y")));
        assert_eq!(get(&ini, "a", "b"), (s("c:d")));
    }

    #[test]
    fn inline_comments_stay_in_the_value_and_full_line_comments_are_skipped() {
        let ini =
            parse("# top\n; top\n[a]\n  # indented comment\nregion = us-east-1 # x\n\t; more\n");
        assert_eq!(get(&ini, "a", "region"), (s("us-east-1 # x")));
        assert_eq!(ini.entries(0).count(), 1);
    }

    #[test]
    fn an_indented_line_continues_the_value_across_blank_lines_and_comments() {
        let ini = parse("[a]\nk = one\n  two\n\n  # c\n  three\n\n\nnext = x\n");
        assert_eq!(get(&ini, "a", "k"), (s("one\ntwo\n\nthree")));
        assert_eq!(get(&ini, "a", "next"), (s("x")));
    }

    #[test]
    fn an_empty_value_with_indented_lines_becomes_a_sub_section() {
        let ini = parse(
            "[a]\ns3 =\n  max_concurrent_requests = 10\n  Addressing_Style=path\nregion = eu-west-1\n",
        );
        assert_eq!(
            get(&ini, "a", "s3"),
            s("{'max_concurrent_requests': '10', 'Addressing_Style': 'path'}")
        );
        assert!(matches!(ini.get(0, "s3"), Some(Value::Nested(..))));
        assert_eq!(get(&ini, "a", "region"), (s("eu-west-1")));
    }

    #[test]
    fn crlf_lone_cr_and_a_bom_are_accepted() {
        let ini = parse("\u{feff}[a]\r\nk = v\r\nj = w\rl = x");
        assert_eq!(get(&ini, "a", "k"), (s("v")));
        assert_eq!(get(&ini, "a", "j"), (s("w")));
        assert_eq!(get(&ini, "a", "l"), (s("x")));
    }

    #[test]
    fn a_header_ends_at_the_last_bracket_and_ignores_what_follows() {
        let ini = parse("[profile a] ; note\n[x]]\n");
        assert_eq!(ini.name(0), "profile a");
        assert_eq!(ini.name(1), "x]");
    }

    #[test]
    fn default_sections_may_repeat_but_their_keys_may_not() {
        let ini = parse("[DEFAULT]\na = 1\n[x]\n[DEFAULT]\nb = 2\n");
        assert_eq!(ini.entries(ini.defaults.unwrap()).count(), 2);
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
