//! Reading only the sections one profile needs, so a command about one
//! profile costs the same in a config of 30,000 profiles as in one of 200.
//!
//! `use`, `exec`, `credential-process` and `status --check` name a profile.
//! Parsing the whole file for it allocates every section of it; instead a
//! scan over the bytes finds the section headers (a `[` at the start of a
//! line: `memchr`, no allocation per line), picks the sections the profile
//! can reach — its own, its `source_profile` chain, its `sso-session`, its
//! `services`, every `[DEFAULT]` — and parses just those with the one INI
//! reader (`parse.rs`), grown until the references close. The answer is the
//! full parse's answer because the same rules run on the same sections in
//! the same order:
//! - a section runs from its header line to the next header line; a header
//!   starts a line, since an indented `[…]` line may continue a value (the
//!   scan then gives up and the whole file is parsed);
//! - a name maps to sections exactly as `build_profile_map` maps them
//!   (`profile` prefix and shlex for the name, `[default]`, the later of
//!   two sections with one name winning), and two headers written the same
//!   are kept, so the reader refuses them as it does in the full parse;
//! - anything that is not a plain success (an error, a name not found, a
//!   header the scan does not read) gives `None`: the caller parses the
//!   whole file, so every message, suggestion and line number is the full
//!   parse's.
//!
//! What differs on purpose: a broken line in a section the profile never
//! reads (a duplicate key in another profile, bytes that are not UTF-8
//! there) no longer stops it, as an unrelated error elsewhere in the file
//! should not; `profiles`, `doctor` and the editor still read everything.

use super::{Config, Key, Profile, section_name};
use crate::error::Result;
use std::path::{Path, PathBuf};

/// What a header opens, as `build_profile_map` reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `[profile NAME]` or `[default]`.
    Profile,
    SsoSession,
    Services,
    /// `[DEFAULT]`: its keys apply to every section.
    Defaults,
    /// Anything else, or a name that is not exactly two shlex words: read by nobody.
    Other,
}

/// One section header of the file.
#[derive(Debug, Clone, Copy)]
struct Header {
    /// Byte offset of the `[`, which starts its line.
    start: u32,
    kind: Kind,
    /// The name as a span of the text, or the raw header text (between `[`
    /// and the last `]`) when it needs unquoting (`shlex`).
    name: (u32, u32),
    quoted: bool,
}

/// The section headers of a config file, in file order.
pub(super) struct Headers<'a> {
    text: &'a [u8],
    headers: Vec<Header>,
}

/// Python's whitespace (`py_space`) for one ASCII byte.
fn ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r' | 0x1c..=0x1f)
}

/// Whether the bytes before a `[` on its line are indentation only (then the
/// line may be a header or continue a value: only the full parse can tell).
/// Text that is not UTF-8 counts too: the full parse says where.
fn indentation(prefix: &[u8]) -> bool {
    match prefix.first() {
        Some(&b) if b.is_ascii() && !ascii_space(b) => false,
        _ => std::str::from_utf8(prefix).map_or(true, |s| s.chars().all(super::parse::py_space)),
    }
}

/// The characters that make `section_name` unquote (shlex) rather than split.
fn needs_shlex(raw: &[u8]) -> bool {
    raw.iter()
        .any(|b| matches!(b, b'\'' | b'"' | b'\\' | b'#' | b'$' | b'`'))
}

impl<'a> Headers<'a> {
    /// Find every header; `None` when a line the scan cannot place is there
    /// (an indented `[`, a header line that is not UTF-8), or the file is
    /// beyond the offsets a header keeps.
    pub(super) fn scan(text: &'a [u8]) -> Option<Headers<'a>> {
        u32::try_from(text.len()).ok()?;
        let mut headers = Vec::new();
        // Bytes before `searched` have been looked at for line breaks;
        // `line_start` is where the line holding `searched` starts.
        let (mut searched, mut line_start) = (0, 0);
        for pos in memchr::memchr_iter(b'[', text) {
            if pos > 0 && !matches!(text[pos - 1], b'\n' | b'\r') {
                if let Some(i) = memchr::memrchr2(b'\n', b'\r', &text[searched..pos]) {
                    line_start = searched + i + 1;
                }
                searched = pos;
                if indentation(&text[line_start..pos]) {
                    return None;
                }
                continue;
            }
            (searched, line_start) = (pos, pos);
            let end = memchr::memchr2(b'\n', b'\r', &text[pos..]).map_or(text.len(), |i| pos + i);
            let mut line = &text[pos..end];
            // The header is `[` … last `]` of the stripped line.
            while line.last().is_some_and(|&b| ascii_space(b)) {
                line = &line[..line.len() - 1];
            }
            if line.last().is_some_and(|b| !b.is_ascii()) {
                let s = std::str::from_utf8(line).ok()?;
                line = s.trim_end_matches(super::parse::py_space).as_bytes();
            }
            let Some(close) = memchr::memrchr(b']', line).filter(|&c| c >= 2) else {
                // `[x` or `[]`: a body line (the reader refuses or reads it).
                continue;
            };
            let raw = (pos + 1, pos + close);
            headers.push(classify(text, pos, raw));
        }
        Some(Headers { text, headers })
    }

    /// Whether header `h` opens a section `kind` named `want`.
    fn is(&self, h: &Header, kind: Kind, want: &str) -> bool {
        if h.kind != kind {
            return false;
        }
        let span = &self.text[h.name.0 as usize..h.name.1 as usize];
        if !h.quoted {
            return span == want.as_bytes();
        }
        std::str::from_utf8(span)
            .ok()
            .and_then(section_name)
            .is_some_and(|name| name == want)
    }

    /// The text of the sections named in `wanted` and of every `[DEFAULT]`,
    /// in file order, each from its header to the next; `None` when one is
    /// not UTF-8.
    fn sections(&self, wanted: &[(Kind, String)]) -> Option<String> {
        let mut text = String::new();
        for (i, h) in self.headers.iter().enumerate() {
            if h.kind == Kind::Defaults || wanted.iter().any(|(k, n)| self.is(h, *k, n)) {
                let end = self
                    .headers
                    .get(i + 1)
                    .map_or(self.text.len(), |next| next.start as usize);
                text.push_str(std::str::from_utf8(&self.text[h.start as usize..end]).ok()?);
            }
        }
        Some(text)
    }
}

fn classify(text: &[u8], start: usize, (a, b): (usize, usize)) -> Header {
    let raw = &text[a..b];
    let header = |kind, name: (usize, usize), quoted| Header {
        start: start as u32,
        kind,
        name: (name.0 as u32, name.1 as u32),
        quoted,
    };
    let kind = if raw == b"DEFAULT" {
        return header(Kind::Defaults, (a, b), false);
    } else if raw == b"default" {
        return header(Kind::Profile, (a, b), false);
    } else if raw.starts_with(b"profile") {
        Kind::Profile
    } else if raw.starts_with(b"sso-session") {
        Kind::SsoSession
    } else if raw.starts_with(b"services") {
        Kind::Services
    } else {
        return header(Kind::Other, (a, b), false);
    };
    if needs_shlex(raw) {
        return header(kind, (a, b), true);
    }
    // `section_name`'s split: two words or none.
    let mut words = raw
        .split(|&c| matches!(c, b' ' | b'\t' | b'\n'))
        .filter(|w| !w.is_empty());
    match (words.next(), words.next(), words.next()) {
        (Some(_), Some(name), None) => {
            let at = a + (name.as_ptr() as usize - raw.as_ptr() as usize);
            header(kind, (at, at + name.len()), false)
        }
        _ => header(Kind::Other, (a, b), false),
    }
}

/// `Config::profile(name)` for the file's bytes: from the sections the
/// profile reaches when that succeeds, else from the whole file.
pub(super) fn resolve(path: PathBuf, bytes: &[u8], name: &str) -> Result<Profile> {
    match profile(&path, bytes, name) {
        Some(profile) => Ok(profile),
        None => Config::from_bytes(path, bytes)?.profile(name),
    }
}

/// `Config::profile(name)` from the sections it reaches, when that succeeds;
/// `None` sends the caller to the full parse (see the module's note).
fn profile(path: &Path, bytes: &[u8], name: &str) -> Option<Profile> {
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let headers = Headers::scan(text)?;
    let mut wanted = vec![(Kind::Profile, name.to_owned())];
    loop {
        let config = Config::parse(path.to_owned(), &headers.sections(&wanted)?).ok()?;
        // The sections these reach: each read as the resolver reads it (with
        // `[DEFAULT]` under it); a value that is not a string is its error.
        let before = wanted.len();
        for &(_, sec) in &config.profiles.order {
            for (key, kind) in [
                (Key::SOURCE_PROFILE, Kind::Profile),
                (Key::SSO_SESSION, Kind::SsoSession),
                (Key::SERVICES, Kind::Services),
            ] {
                if let Some(v) = config.value(sec, key).and_then(|v| v.as_str())
                    && !wanted.iter().any(|(k, n)| *k == kind && n == v)
                {
                    wanted.push((kind, v.to_owned()));
                }
            }
        }
        if wanted.len() == before {
            return config.profile(name).ok();
        }
    }
}

#[cfg(test)]
mod tests;
