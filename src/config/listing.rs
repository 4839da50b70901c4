//! Every profile of a config file for a listing (`profiles --names`, what
//! shell completion runs on each <Tab>), without resolving each of them.
//!
//! A config of thousands of profiles is mostly profiles as `aws configure
//! sso` writes them: `sso_session`, `sso_account_id`, `sso_role_name`,
//! `region`, perhaps keys ssoenv never reads. Whether such a profile
//! resolves, and to which SSO region and endpoint settings, depends only on
//! its session's name, on which of those keys it has and on whether the
//! account and role are empty: its "shape". One light pass over the file
//! checks every line as the reader would and notes each profile's shape;
//! one profile per shape, every other profile and the sections they reach
//! (sessions, services, `source_profile`s) are then parsed by the one reader
//! and resolved by the one resolver, and every profile of a shape answers
//! as its first one does. The listing is the full parse's because the
//! same code decides every answer, on the same sections:
//! - the pass gives up (and the whole file is parsed) on anything it does
//!   not read exactly as the reader: `[DEFAULT]`, indented lines (values
//!   that continue, sub-sections), `\r`, a quoted profile name, a key with
//!   capitals or outside ASCII, a line the reader refuses, two sections of
//!   one name;
//! - a profile has a shape only when its session has no key but those the
//!   key table says an sso-session section is read for, so no key of the
//!   profile is compared with one of the session's.

use super::Config;
use super::location::{is_dev_null, read_config_file};
use super::parse::{FastMap, py_trim};
use super::scan::{needs_shlex, plain_name};
use super::sections::{HeaderKind, Key, header_kind};
use crate::env::Env;
use crate::error::Result;
use std::ops::Range;
use std::path::Path;

/// The profiles of a config file, each with the profile of `config` that
/// resolves as it does.
pub(crate) struct Listing {
    /// The profiles that answer for all (the whole file's, or a few).
    pub(crate) config: Config,
    /// The file's text and, per profile in file order, its name there and
    /// the position in `config`'s profiles of the one that answers for it;
    /// None when `config` is the whole file.
    rows: Option<(String, Vec<Row>)>,
}

/// A profile's name (a range of the file's text) and the position of the
/// profile that answers for it.
type Row = (Range<usize>, usize);

impl Listing {
    /// Every profile name in file order, with the position (in
    /// `config.profile_all()`) of the profile that resolves as it does.
    pub(crate) fn profiles(&self) -> Box<dyn Iterator<Item = (&str, usize)> + '_> {
        match &self.rows {
            Some((text, rows)) => Box::new(rows.iter().map(|(r, i)| (&text[r.clone()], *i))),
            None => Box::new(
                self.config
                    .profiles
                    .names()
                    .enumerate()
                    .map(|(i, n)| (n, i)),
            ),
        }
    }
}

impl Config {
    /// The config file's profiles for a listing; `None` when there is no
    /// file. Errors are `load`'s.
    pub(crate) fn load_listing(env: &Env) -> Result<Option<Listing>> {
        let path = Config::path(env)?;
        if let Some(listing) = light(&path) {
            return Ok(Some(listing));
        }
        Ok(Config::load_if_present(env)?.map(|config| Listing { config, rows: None }))
    }
}

/// The keys of a profile with a shape (any key outside the table is read
/// by nothing but the session comparison, which a shaped profile's session
/// cannot make).
const SHAPED: [Key; 4] = [
    Key::SSO_SESSION,
    Key::SSO_ACCOUNT_ID,
    Key::SSO_ROLE_NAME,
    Key::REGION,
];

/// A shaped profile's keys, as far as resolution can tell them apart: the
/// session's name, and per other key of `SHAPED` absent, empty or set.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Shape<'a> {
    session: Option<&'a str>,
    keys: [u8; 3],
}

/// A section as the pass found it.
struct Section<'a> {
    kind: HeaderKind,
    /// From its header line to the next header line.
    text: Range<usize>,
    /// A profile's name (a range of the text), a session's or services'.
    name: Option<Range<usize>>,
    /// A profile's shape, or None when it has other keys of the table.
    shape: Option<Shape<'a>>,
    /// A session with only the keys an sso-session section is read for.
    plain: bool,
    source_profile: Option<&'a str>,
}

/// The listing from one light pass, or None to parse the whole file.
fn light(path: &Path) -> Option<Listing> {
    if is_dev_null(path) {
        return None;
    }
    let text = String::from_utf8(read_config_file(path).ok()?).ok()?;
    light_text(path, text)
}

/// `light` for the file's text.
fn light_text(path: &Path, text: String) -> Option<Listing> {
    let (sections, names) = sections(&text)?;
    let name_of = |s: &Section<'_>| s.name.clone().map(|r| &text[r]);
    // Sessions by name, the later of two winning (as `Named`).
    let mut plain_session: FastMap<&str, bool> = FastMap::default();
    for s in sections.iter().filter(|s| s.kind == HeaderKind::SsoSession) {
        if let Some(n) = name_of(s) {
            plain_session.insert(n, s.plain);
        }
    }
    // The sections the reduced config holds, and each shape's first profile.
    let mut kept = vec![false; sections.len()];
    let mut shapes: Vec<(Shape<'_>, usize)> = Vec::new();
    let mut stands_for: Vec<usize> = Vec::with_capacity(names.len());
    for (i, s) in sections.iter().enumerate() {
        match s.kind {
            HeaderKind::SsoSession | HeaderKind::Services => kept[i] = true,
            HeaderKind::Other => {}
            HeaderKind::Profile | HeaderKind::Default => {
                if s.name.is_none() {
                    continue;
                }
                let shape = s.shape.filter(|sh| {
                    sh.session
                        .is_none_or(|n| plain_session.get(n).copied().unwrap_or(true))
                });
                let first = shape.and_then(|sh| {
                    match shapes.iter().find(|(known, _)| *known == sh) {
                        Some(&(_, first)) => Some(first),
                        // Few shapes in a real file; past that, resolve each.
                        None if shapes.len() < 32 => {
                            shapes.push((sh, i));
                            None
                        }
                        None => None,
                    }
                });
                match first {
                    Some(first) => stands_for.push(first),
                    None => {
                        kept[i] = true;
                        stands_for.push(i);
                        if let Some(&source) = s.source_profile.and_then(|n| names.get(n)) {
                            kept[source] = true;
                        }
                    }
                }
            }
        }
    }
    let mut reduced = String::new();
    for (s, _) in sections.iter().zip(&kept).filter(|(_, k)| **k) {
        reduced.push_str(&text[s.text.clone()]);
        if !reduced.ends_with('\n') {
            reduced.push('\n');
        }
    }
    let config = Config::parse(path.to_owned(), &reduced).ok()?;
    let mut rows = Vec::with_capacity(stands_for.len());
    let profiles = sections.iter().filter(|s| {
        matches!(s.kind, HeaderKind::Profile | HeaderKind::Default) && s.name.is_some()
    });
    for (s, first) in profiles.zip(stands_for) {
        let name = name_of(&sections[first])?;
        let position = *config.profiles.index.get(name)?;
        rows.push((s.name.clone()?, position));
    }
    Some(Listing {
        config,
        rows: Some((text, rows)),
    })
}

/// Every section of the text (after a BOM), and profile names → sections;
/// None where the reader might read a line otherwise than this pass.
#[allow(clippy::type_complexity)]
fn sections(text: &str) -> Option<(Vec<Section<'_>>, FastMap<&str, usize>)> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        return None;
    }
    let brackets = memchr::memchr_iter(b'[', text.as_bytes()).count();
    let mut sections: Vec<Section<'_>> = Vec::with_capacity(brackets);
    let mut names: FastMap<&str, usize> = FastMap::default();
    names.reserve(brackets);
    let mut other_headers: FastMap<&str, ()> = FastMap::default();
    // The current section's keys, for the duplicate check.
    let mut keys: Vec<&str> = Vec::new();
    let mut at = start;
    while at < text.len() {
        let end = memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i);
        let line = &text[at..end];
        let line_start = at;
        at = end + 1;
        let value = py_trim(line);
        if value.is_empty() || value.starts_with(['#', ';']) {
            continue;
        }
        if value.as_ptr() != line.as_ptr() {
            // Indented: a value that continues, or a sub-section.
            return None;
        }
        if value.starts_with('[') {
            let close = value.rfind(']').filter(|&c| c >= 2)?;
            let raw = &value[1..close];
            if raw == "DEFAULT" {
                return None;
            }
            if let Some(last) = sections.last_mut() {
                last.text.end = line_start;
            }
            let kind = header_kind(raw);
            let index = sections.len();
            let mut name = None;
            match kind {
                HeaderKind::Profile | HeaderKind::Default => {
                    let n = if kind == HeaderKind::Default {
                        Some(raw)
                    } else if needs_shlex(raw.as_bytes()) {
                        // A quoted name is not a piece of the text.
                        return None;
                    } else {
                        plain_name(raw.as_bytes())
                            .map(|n| std::str::from_utf8(n).expect("split at ASCII bytes"))
                    };
                    match n {
                        Some(n) => {
                            if names.insert(n, index).is_some() {
                                return None;
                            }
                            let offset = n.as_ptr() as usize - text.as_ptr() as usize;
                            name = Some(offset..offset + n.len());
                        }
                        None => {
                            if other_headers.insert(raw, ()).is_some() {
                                return None;
                            }
                        }
                    }
                }
                HeaderKind::SsoSession | HeaderKind::Services | HeaderKind::Other => {
                    if other_headers.insert(raw, ()).is_some() {
                        return None;
                    }
                }
            }
            sections.push(Section {
                kind,
                text: line_start..text.len(),
                name,
                shape: Some(Shape {
                    session: None,
                    keys: [0; 3],
                }),
                plain: true,
                source_profile: None,
            });
            keys.clear();
            continue;
        }
        let section = sections.last_mut()?;
        let sep = value.bytes().position(|b| b == b'=' || b == b':')?;
        let key = value[..sep].trim_end_matches(super::parse::py_space);
        if key.is_empty()
            || !key.is_ascii()
            || key.bytes().any(|b| b.is_ascii_uppercase())
            || keys.len() >= 64
            || keys.contains(&key)
        {
            return None;
        }
        keys.push(key);
        let v = py_trim(&value[sep + 1..]);
        let known = Key::find(key);
        if section.kind == HeaderKind::SsoSession {
            section.plain &= known.is_some_and(|k| k.is_read_in(HeaderKind::SsoSession));
            continue;
        }
        if known == Some(Key::SOURCE_PROFILE) {
            section.source_profile = Some(v);
        }
        // A key resolution never reads (`sso_account_name`, shown in the
        // picker only) leaves the shape as it is.
        let Some(known) = known.filter(|&k| k != Key::SSO_ACCOUNT_NAME) else {
            continue;
        };
        let Some(shape) = &mut section.shape else {
            continue;
        };
        match SHAPED.iter().position(|&k| k == known) {
            Some(0) => shape.session = Some(v),
            Some(i) => shape.keys[i - 1] = if v.is_empty() { 1 } else { 2 },
            None => section.shape = None,
        }
    }
    Some((sections, names))
}

#[cfg(test)]
mod tests;
