//! Byte-preserving edits of `~/.aws/config`, for the commands that write it
//! (`populate`, `configure`).
//!
//! [`Document::parse`] keeps the file's bytes and, for every section header,
//! the span it covers. An edit touches only the section it names: a new
//! section is appended at the end (in the file's line ending, after a blank
//! line), an owned one is replaced or removed in place, and every other byte —
//! comments, blank lines, order, CRLF, a BOM, sub-sections, unknown keys,
//! `[default]`, other sections — stays as it was.
//!
//! Ownership is a marker key in the section ([`Marker`]): botocore ignores
//! unknown keys, and a section without the marker (written by hand, by
//! `aws configure sso`, by anyone else) is never modified: an edit of it is a
//! [`Clash`] for the caller to report.
//!
//! [`write_config`] (in `write.rs`) puts the result on disk: it follows a
//! symlink to its target, refuses when the file changed since it was read,
//! keeps a one-time backup `<file>.ssoenv-bak`, and replaces the file
//! atomically with its mode kept.

use super::parse::{self, Value, py_trim};
use crate::error::{Error, Result};

mod write;
#[cfg(test)]
use write::backup_path;
pub(crate) use write::check_writable_by_owner;
pub use write::{Written, write_config};

/// What a section is, as botocore's `build_profile_map` sorts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `[profile NAME]`, or `[default]` (name `default`).
    Profile,
    /// `[sso-session NAME]`.
    SsoSession,
    /// `[services NAME]`.
    Services,
    /// Anything else (`[DEFAULT]`, `[plugins]`, a header botocore drops).
    Other,
}

impl Kind {
    fn prefix(self) -> Option<&'static str> {
        match self {
            Kind::Profile => Some("profile"),
            Kind::SsoSession => Some("sso-session"),
            Kind::Services => Some("services"),
            Kind::Other => None,
        }
    }
}

/// The key and value that mark a section as written by one owner, e.g.
/// `ssoenv_populated = corp`. A section is owned when the key has exactly
/// this value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker<'a> {
    pub key: &'a str,
    pub value: &'a str,
}

/// One section header and the lines under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub kind: Kind,
    /// The profile/session/service name botocore sees (shlex-split); None
    /// when botocore drops the section (`[profile]`, `[profile a b]`) and for
    /// [`Kind::Other`].
    pub name: Option<String>,
    /// The text between `[` and the last `]`, as written.
    pub raw: String,
    /// Keys (lower-cased) in file order; a sub-section's value is None.
    pub keys: Vec<(String, Option<String>)>,
    /// Byte offset of the header line (after a BOM).
    start: usize,
    /// End of the section's last key or continuation line (with its line
    /// ending): the comments and blank lines after it are not the section's.
    body_end: usize,
}

impl Section {
    /// A key's plain value (None when absent or a sub-section).
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.keys
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Whether the marker key has the marker's value here.
    pub(crate) fn is_owned_by(&self, marker: Marker<'_>) -> bool {
        self.get(marker.key) == Some(marker.value)
    }

    /// The byte range of the section in `Document::to_bytes()`: the header
    /// through its last key or continuation line.
    pub(crate) fn span(&self) -> std::ops::Range<usize> {
        self.start..self.body_end
    }
}

/// An existing section that the edit may not change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub kind: Kind,
    pub name: String,
    /// The header of the section in the way, as written (the first one when
    /// several sections map to the same name).
    pub raw: String,
    pub reason: ClashReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClashReason {
    /// The section has other values and is not owned by the marker given.
    NotOwned,
    /// Several sections map to this name (`[default]` and `[profile default]`,
    /// `[profile a]` and `[profile 'a']`): which to edit would be a guess.
    Ambiguous,
}

impl std::fmt::Display for Clash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.reason {
            ClashReason::NotOwned => write!(
                f,
                "[{}] already exists with other values and was not written by ssoenv",
                self.raw
            ),
            ClashReason::Ambiguous => write!(
                f,
                "several sections are named {:?} (the first is [{}])",
                self.name, self.raw
            ),
        }
    }
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    /// A new section at the end of the file.
    Added,
    /// An owned section rewritten in place.
    Replaced,
    /// The section already holds these values; nothing changed.
    Unchanged,
}

/// A config file being edited.
#[derive(Debug, Clone)]
pub struct Document {
    text: String,
    /// The line ending new lines get: the file's first one, else `\n`.
    eol: &'static str,
    sections: Vec<Section>,
}

impl Document {
    /// Read a config file's bytes. The file must be what botocore reads
    /// (UTF-8, parseable): an edit never makes sense of a broken file.
    pub fn parse(bytes: &[u8]) -> Result<Document> {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let line = parse::line_of_offset(bytes, e.valid_up_to());
            Error::config(format!(
                "the config file is not valid UTF-8 (line {line}); it was not changed"
            ))
            .hint("save the file as UTF-8")
        })?;
        let ini = parse::parse_ini(text).map_err(|e| {
            Error::config(format!(
                "could not parse the config file: line {}: {}",
                e.line, e.what
            ))
            .hint(e.hint)
        })?;
        let starts = line_starts(text);
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut sections = Vec::with_capacity(ini.headers.len());
        for (n, &(line, idx)) in ini.headers.iter().enumerate() {
            let start = if line == 1 { bom } else { starts[line - 1] };
            let block_end = match ini.headers.get(n + 1) {
                Some(&(next, _)) => starts[next - 1],
                None => text.len(),
            };
            let raw = ini.name(idx).to_owned();
            let (kind, name) = classify(&raw, Some(idx) == ini.defaults);
            let keys = ini
                .entries(idx)
                .map(|(k, v)| {
                    let v = match v {
                        Value::Str(s) => Some(s.to_owned()),
                        Value::Nested(..) => None,
                    };
                    (k.to_owned(), v)
                })
                .collect();
            sections.push(Section {
                kind,
                name,
                raw,
                keys,
                start,
                body_end: body_end(text, start, block_end),
            });
        }
        Ok(Document {
            eol: line_ending(text),
            text: text.to_owned(),
            sections,
        })
    }

    /// Every section header in file order (a reopened `[DEFAULT]` once per header).
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// The sections botocore maps to this kind and name.
    pub(crate) fn find(&self, kind: Kind, name: &str) -> impl Iterator<Item = &Section> {
        self.sections
            .iter()
            .filter(move |s| s.kind == kind && s.name.as_deref() == Some(name))
    }

    /// The sections the marker owns, of one kind, in file order.
    pub(crate) fn owned(&self, kind: Kind, marker: Marker<'_>) -> impl Iterator<Item = &Section> {
        self.sections
            .iter()
            .filter(move |s| s.kind == kind && s.name.is_some() && s.is_owned_by(marker))
    }

    /// The file's bytes with the edits made.
    pub fn to_bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    /// Make section `kind NAME` hold exactly `pairs` (in that order).
    ///
    /// - No such section: it is appended. → `Added`
    /// - One section owned by `owner` (when given): replaced in place, or left
    ///   alone when it already holds exactly these keys. → `Replaced`/`Unchanged`
    /// - One section not owned that already has every pair with the same
    ///   value (extra keys allowed): → `Unchanged`
    /// - Otherwise (other values, or several sections with this name): a `Clash`,
    ///   and the document is unchanged.
    ///
    /// Names, keys and values that botocore would read back differently are
    /// refused (an `Err` of `Error`, exit 2) before anything changes.
    pub fn upsert_section(
        &mut self,
        kind: Kind,
        name: &str,
        pairs: &[(&str, &str)],
        owner: Option<Marker<'_>>,
    ) -> Result<std::result::Result<Upserted, Clash>> {
        let rendered = render_section(kind, name, pairs, self.eol)?;
        let found: Vec<usize> = self.indexes(kind, name).collect();
        let i = match found.as_slice() {
            [] => {
                self.append(kind, name, pairs, &rendered);
                return Ok(Ok(Upserted::Added));
            }
            [i] => *i,
            [first, ..] => return Ok(Err(self.clash(*first, name, ClashReason::Ambiguous))),
        };
        let s = &self.sections[i];
        let owned = owner.is_some_and(|m| s.is_owned_by(m));
        let holds = |exact: bool| {
            pairs.iter().all(|(k, v)| s.get(k) == Some(*v))
                && (!exact || s.keys.len() == pairs.len())
        };
        if owned {
            if holds(true) {
                return Ok(Ok(Upserted::Unchanged));
            }
            let saved = self.save_if_risky(i + 1);
            self.replace(i, kind, name, pairs, &rendered);
            self.check_or_restore(saved, name)?;
            return Ok(Ok(Upserted::Replaced));
        }
        if holds(false) {
            return Ok(Ok(Upserted::Unchanged));
        }
        Ok(Err(self.clash(i, name, ClashReason::NotOwned)))
    }

    /// Remove section `kind NAME` if `owner` owns it: `Ok(true)` when removed,
    /// `Ok(false)` when there is no such section, a `Clash` when it is not
    /// owned (or ambiguous). Blank lines around it are tidied so that
    /// removing what `upsert_section` appended gives the file back.
    pub(crate) fn remove_section(
        &mut self,
        kind: Kind,
        name: &str,
        owner: Marker<'_>,
    ) -> Result<std::result::Result<bool, Clash>> {
        let found: Vec<usize> = self.indexes(kind, name).collect();
        let i = match found.as_slice() {
            [] => return Ok(Ok(false)),
            [i] => *i,
            [first, ..] => return Ok(Err(self.clash(*first, name, ClashReason::Ambiguous))),
        };
        if !self.sections[i].is_owned_by(owner) {
            return Ok(Err(self.clash(i, name, ClashReason::NotOwned)));
        }
        let saved = self.save_if_risky(i + 1);
        let (mut a, mut b) = (self.sections[i].start, self.sections[i].body_end);
        let before = blank_run_before(&self.text, a);
        let after = blank_run_after(&self.text, b);
        if b == self.text.len() || after == self.text.len() {
            // The last section: drop the blank lines that separated it, and
            // any after it.
            if before < a {
                a = before;
            }
            b = self.text.len();
        } else if before < a || a == 0 || self.is_bom_start(a) {
            // Blank lines on both sides (or the start of the file): keep one side's.
            b = after;
        }
        self.splice(i, a, b, "");
        self.sections.remove(i);
        self.check_or_restore(saved, name)?;
        Ok(Ok(true))
    }

    /// The file's text without the keys named (lower-case) in any section,
    /// each with its continuation lines; every other byte stays. Keys are
    /// matched as the reader sees them: the text before the first `=` or
    /// `:`, right-stripped and lower-cased. Indented lines under another key
    /// are part of its value (or sub-section) and stay with it.
    pub(crate) fn without_keys(&self, keys: &[&str]) -> String {
        let headers: std::collections::HashSet<usize> =
            self.sections.iter().map(|s| s.start).collect();
        let mut out = String::with_capacity(self.text.len());
        // The indent of the option line whose value is being read, and whether it goes.
        let mut current: Option<(usize, bool)> = None;
        for (start, end, line) in lines_in(&self.text, 0, self.text.len()) {
            let whole = &self.text[start..end];
            // A BOM is not part of the first line (a header's start is after it).
            let (at, line) = match line.strip_prefix('\u{feff}') {
                Some(rest) if start == 0 => (3, rest),
                _ => (start, line),
            };
            if headers.contains(&at) {
                current = None;
                out.push_str(whole);
                continue;
            }
            if is_trivia(line) {
                out.push_str(whole);
                continue;
            }
            let indent = line.chars().take_while(|&c| parse::py_space(c)).count();
            let drop = match current {
                Some((level, drop)) if indent > level => drop,
                _ => {
                    let value = py_trim(line);
                    let key = value
                        .find(['=', ':'])
                        .map(|sep| value[..sep].trim_end_matches(parse::py_space))
                        .unwrap_or(value)
                        .to_lowercase();
                    let drop = keys.contains(&key.as_str());
                    current = Some((indent, drop));
                    drop
                }
            };
            if !drop {
                out.push_str(whole);
            }
        }
        out
    }

    /// Before an edit in place of the section before section `next`: only
    /// an indented header after the edit can be read differently afterwards
    /// (as a continuation of the line then above it). If `next` is one, the
    /// document is saved so that `check_or_restore` can undo the edit.
    fn save_if_risky(&self, next: usize) -> Option<(String, Vec<Section>)> {
        let indented = self
            .sections
            .get(next)
            .is_some_and(|s| !self.text[s.start..].starts_with('['));
        indented.then(|| (self.text.clone(), self.sections.clone()))
    }

    /// After an edit in place: the text must read back as exactly the
    /// sections tracked; when it might not (`saved`), the whole file is read
    /// again and the edit undone if anything changed.
    fn check_or_restore(
        &mut self,
        saved: Option<(String, Vec<Section>)>,
        name: &str,
    ) -> Result<()> {
        let reads_back = |d: &Document| {
            Document::parse(d.text.as_bytes()).is_ok_and(|p| p.sections == d.sections)
        };
        let Some(saved) = saved else {
            debug_assert!(reads_back(self), "{:?}", self.text);
            return Ok(());
        };
        if reads_back(self) {
            return Ok(());
        }
        (self.text, self.sections) = saved;
        Err(Error::config(format!(
            "cannot edit the section for {name:?} without changing how the lines after it are read"
        ))
        .hint("remove the indentation of the section header that follows it"))
    }

    fn is_bom_start(&self, at: usize) -> bool {
        at == 3 && self.text.starts_with('\u{feff}')
    }

    fn indexes(&self, kind: Kind, name: &str) -> impl Iterator<Item = usize> {
        self.sections
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.kind == kind && s.name.as_deref() == Some(name))
            .map(|(i, _)| i)
    }

    fn clash(&self, i: usize, name: &str, reason: ClashReason) -> Clash {
        let s = &self.sections[i];
        Clash {
            kind: s.kind,
            name: name.to_owned(),
            raw: s.raw.clone(),
            reason,
        }
    }

    fn append(&mut self, kind: Kind, name: &str, pairs: &[(&str, &str)], rendered: &str) {
        let empty = self.text.trim_start_matches('\u{feff}').is_empty();
        if !empty && !self.text.ends_with(['\n', '\r']) {
            // The last line gets its line ending, and the section it ends with it.
            let old = self.text.len();
            self.text.push_str(self.eol);
            for s in self.sections.iter_mut().filter(|s| s.body_end == old) {
                s.body_end = self.text.len();
            }
        }
        let last_line_blank = {
            // The last line's start, found from the end (appending thousands
            // of sections must not rescan the whole text each time).
            let body = self
                .text
                .strip_suffix("\r\n")
                .or_else(|| self.text.strip_suffix(['\n', '\r']))
                .unwrap_or(&self.text);
            let from = body.rfind(['\n', '\r']).map_or(0, |i| i + 1);
            py_trim(self.text[from..].trim_start_matches('\u{feff}')).is_empty()
        };
        if !empty && !last_line_blank {
            self.text.push_str(self.eol);
        }
        let start = self.text.len();
        self.text.push_str(rendered);
        self.sections
            .push(new_section(kind, name, pairs, start, self.text.len()));
    }

    fn replace(
        &mut self,
        i: usize,
        kind: Kind,
        name: &str,
        pairs: &[(&str, &str)],
        rendered: &str,
    ) {
        let (a, b) = (self.sections[i].start, self.sections[i].body_end);
        // A section at the very end without a final line ending keeps none.
        let rendered = if b == self.text.len() && !self.text.ends_with(['\n', '\r']) {
            rendered.strip_suffix(self.eol).unwrap_or(rendered)
        } else {
            rendered
        };
        self.splice(i, a, b, rendered);
        self.sections[i] = new_section(kind, name, pairs, a, a + rendered.len());
    }

    /// Replace `a..b` with `with`, shifting the spans of the sections after
    /// section `i`.
    fn splice(&mut self, i: usize, a: usize, b: usize, with: &str) {
        self.text.replace_range(a..b, with);
        let delta = with.len() as isize - (b - a) as isize;
        for s in &mut self.sections[i + 1..] {
            s.start = (s.start as isize + delta) as usize;
            s.body_end = (s.body_end as isize + delta) as usize;
        }
    }
}

fn new_section(
    kind: Kind,
    name: &str,
    pairs: &[(&str, &str)],
    start: usize,
    end: usize,
) -> Section {
    Section {
        kind,
        name: Some(name.to_owned()),
        raw: header_text(kind, name).unwrap_or_default(),
        keys: pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Some((*v).to_owned())))
            .collect(),
        start,
        body_end: end,
    }
}

/// Kind and botocore name of a section (`Config::parse`'s rules).
fn classify(raw: &str, is_defaults: bool) -> (Kind, Option<String>) {
    if is_defaults {
        return (Kind::Other, None);
    }
    use super::HeaderKind as H;
    let kind = match super::header_kind(raw) {
        H::Profile => Kind::Profile,
        H::SsoSession => Kind::SsoSession,
        H::Services => Kind::Services,
        H::Default => return (Kind::Profile, Some("default".to_owned())),
        H::Other => return (Kind::Other, None),
    };
    (kind, super::section_name(raw))
}

/// Byte offset of each line's start (lines end at `\n`, `\r\n` or `\r`, as
/// the reader splits them).
fn line_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') => {
                i += 2;
                starts.push(i);
            }
            b'\n' | b'\r' => {
                i += 1;
                starts.push(i);
            }
            _ => i += 1,
        }
    }
    starts
}

/// The first line ending of the file, else `\n`.
fn line_ending(text: &str) -> &'static str {
    match text.find(['\n', '\r']) {
        Some(i) if text[i..].starts_with("\r\n") => "\r\n",
        Some(i) if text[i..].starts_with('\r') => "\r",
        _ => "\n",
    }
}

/// The lines of `text[from..to]` as (start, end with line ending, content).
fn lines_in(text: &str, from: usize, to: usize) -> impl Iterator<Item = (usize, usize, &str)> {
    let mut at = from;
    std::iter::from_fn(move || {
        if at >= to {
            return None;
        }
        let rest = &text[at..to];
        let (content, len) = match rest.find(['\n', '\r']) {
            Some(i) if rest[i..].starts_with("\r\n") => (&rest[..i], i + 2),
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        let item = (at, at + len, content);
        at += len;
        Some(item)
    })
}

fn is_trivia(line: &str) -> bool {
    let t = py_trim(line);
    t.is_empty() || t.starts_with('#') || t.starts_with(';')
}

/// The end of the last line of the block that is not blank or a comment.
fn body_end(text: &str, start: usize, block_end: usize) -> usize {
    lines_in(text, start, block_end)
        .filter(|(_, _, l)| !is_trivia(l))
        .last()
        .map_or(block_end, |(_, end, _)| end)
}

/// Where the run of blank (whitespace-only) lines ending at `at` starts.
fn blank_run_before(text: &str, at: usize) -> usize {
    let starts = line_starts(&text[..at]);
    // `starts` ends with `at` itself when `at` is a line start.
    let mut run = at;
    for w in starts.windows(2).rev() {
        let line = &text[w[0]..w[1]];
        if !py_trim(line.trim_start_matches('\u{feff}')).is_empty() {
            break;
        }
        run = w[0];
    }
    run
}

/// Where the run of blank lines starting at `at` ends.
fn blank_run_after(text: &str, at: usize) -> usize {
    let mut run = at;
    for (_, end, line) in lines_in(text, at, text.len()) {
        if !py_trim(line).is_empty() {
            break;
        }
        run = end;
    }
    run
}

/// `profile NAME` as a header's text: the name bare when botocore reads it
/// back as is, else shell-quoted (botocore shlex-splits it).
fn header_text(kind: Kind, name: &str) -> Result<String> {
    let Some(prefix) = kind.prefix() else {
        return Err(Error::config(
            "only profile, sso-session and services sections can be written",
        ));
    };
    if name.is_empty() {
        return Err(Error::config(format!("a {prefix} name cannot be empty")));
    }
    if let Some(c) = name.chars().find(|&c| unsafe_char(c)) {
        return Err(Error::config(format!(
            "{prefix} name {name:?} contains {c:?}, which cannot be written to the config file"
        )));
    }
    let plain = !name.contains(|c: char| c.is_whitespace() || "'\"\\#$`;".contains(c));
    let text = if plain {
        format!("{prefix} {name}")
    } else {
        format!("{prefix} {}", shell_words::quote(name))
    };
    // Whatever we write must read back as this name and kind.
    if classify(&text, false) != (kind, Some(name.to_owned())) {
        return Err(Error::config(format!(
            "{prefix} name {name:?} cannot be written so that the AWS CLI reads it back unchanged"
        )));
    }
    Ok(text)
}

/// Characters that would break a line or be read back differently.
fn unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// The section as text: header and `key = value` lines, each ending in `eol`.
fn render_section(kind: Kind, name: &str, pairs: &[(&str, &str)], eol: &str) -> Result<String> {
    let header = header_text(kind, name)?;
    let mut out = format!("[{header}]{eol}");
    for (n, (k, v)) in pairs.iter().enumerate() {
        let key_ok = !k.is_empty()
            && k.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_-.".contains(&b));
        if !key_ok {
            return Err(Error::config(format!(
                "{k:?} cannot be written as a config key (lower-case letters, digits, _ - . only)"
            )));
        }
        if pairs[..n].iter().any(|(x, _)| x == k) {
            return Err(Error::config(format!(
                "key {k:?} is given twice for [{header}]"
            )));
        }
        if let Some(c) = v.chars().find(|&c| unsafe_char(c)) {
            return Err(Error::config(format!(
                "the value of {k} for [{header}] contains {c:?}, which cannot be written to the config file"
            )));
        }
        if py_trim(v) != *v {
            return Err(Error::config(format!(
                "the value of {k} for [{header}] starts or ends with white space, which the AWS CLI would drop"
            )));
        }
        if v.is_empty() {
            return Err(Error::config(format!(
                "the value of {k} for [{header}] is empty"
            )));
        }
        out.push_str(k);
        out.push_str(" = ");
        out.push_str(v);
        out.push_str(eol);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
