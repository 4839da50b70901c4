//! Reading only the sections one profile needs, so a command about one
//! profile costs the same in a config of 30,000 profiles as in one of 200.
//!
//! `use`, `exec`, `console`, `credential-process` and `status --check` name
//! a profile. Parsing the whole file for it allocates every section of it;
//! instead one pass reads the file in pieces through one small buffer (a
//! buffer the size of the file would cost a page fault per 4 KiB, more than
//! the reading), finds the section headers (a `[` starting a line,
//! `memchr`), and keeps the text of the sections the profile can reach:
//! its own, every `[sso-session …]`, `[services …]` and `[DEFAULT]` (few and
//! small), and, when it chains, its `source_profile`s (one more pass per
//! link). The one INI reader (`parse.rs`) then parses just those, in file
//! order. The answer is the full parse's answer because the same rules run
//! on the same sections in the same order:
//! - a section runs from its header line to the next header line; a header
//!   starts a line, since an indented `[…]` line may continue a value (the
//!   scan then gives up and the whole file is parsed);
//! - a name maps to sections exactly as `build_profile_map` maps them
//!   (`profile` prefix and shlex for the name, `[default]`, the later of two
//!   sections with one name winning), and two headers written the same are
//!   both kept, so the reader refuses them as in the full parse;
//! - anything that is not a plain success (an error, a name not found, a
//!   header the scan does not read) gives `None`: the caller parses the
//!   whole file, so every message, suggestion and line number is the full
//!   parse's.
//!
//! Each lookup also says where its sections lie in the file, which
//! `memo.rs` remembers, so that the next lookup of the same profile reads
//! those bytes alone until the file changes.
//!
//! What differs on purpose: a broken line in a section the profile never
//! reads (a duplicate key in another profile, bytes that are not UTF-8
//! there) no longer stops it, as an unrelated mistake elsewhere in the file
//! should not; `profiles`, `doctor`, `login` and the editor still read and
//! check everything.

use super::{CONFIG_FILE_LIMIT, Config, Key, Profile, section_name};
use std::io::Read;
use std::path::Path;

/// The piece read at a time: small enough to stay in the cache and to be
/// faulted in once, large enough that a read costs little per byte.
const PIECE: usize = 64 << 10;

/// Python's whitespace (`py_space`) for one ASCII byte.
fn ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r' | 0x1c..=0x1f)
}

/// The characters that make `section_name` unquote (shlex) rather than split.
pub(super) fn needs_shlex(raw: &[u8]) -> bool {
    raw.iter()
        .any(|b| matches!(b, b'\'' | b'"' | b'\\' | b'#' | b'$' | b'`'))
}

/// `section_name` for a header without quotes: the second of exactly two
/// words split at space, tab or newline.
pub(super) fn plain_name(raw: &[u8]) -> Option<&[u8]> {
    let mut words = raw
        .split(|&c| matches!(c, b' ' | b'\t' | b'\n'))
        .filter(|w| !w.is_empty());
    match (words.next(), words.next(), words.next()) {
        (Some(_), Some(name), None) => Some(name),
        _ => None,
    }
}

/// Whether a header (the text between `[` and the last `]`) opens one of
/// the `profiles`, or a section every lookup keeps (`[DEFAULT]`, sessions,
/// services). `None`: the scan cannot tell (not UTF-8 where shlex must read).
fn keep(raw: &[u8], profiles: &[String]) -> Option<bool> {
    let wanted = |name: &[u8]| profiles.iter().any(|p| p.as_bytes() == name);
    Some(match raw.first() {
        Some(b'p') if raw.starts_with(b"profile") => {
            if needs_shlex(raw) {
                section_name(std::str::from_utf8(raw).ok()?).is_some_and(|n| wanted(n.as_bytes()))
            } else {
                plain_name(raw).is_some_and(wanted)
            }
        }
        Some(b'd') => raw == b"default" && wanted(raw),
        Some(b'D') => raw == b"DEFAULT",
        Some(b's') => raw.starts_with(b"sso-session") || raw.starts_with(b"services"),
        _ => false,
    })
}

/// NAME, when `line` (from its `[` on) is exactly `[profile NAME]` and a
/// line break or the end: the name is then the header's (no quotes, no
/// space, no other `]`), found without looking further.
fn canonical_profile(line: &[u8]) -> Option<&[u8]> {
    let rest = line.strip_prefix(b"[profile ")?;
    let len = rest
        .iter()
        .position(|&b| !plain_byte(b))
        .unwrap_or(rest.len());
    match rest.get(len) {
        Some(b']') if len > 0 && matches!(rest.get(len + 1), None | Some(b'\n' | b'\r')) => {
            Some(&rest[..len])
        }
        _ => None,
    }
}

/// A byte of a name that needs no unquoting and ends no word or header
/// (ASCII other than space, controls, `]` and the shlex characters, or any
/// byte of a UTF-8 sequence).
fn plain_byte(b: u8) -> bool {
    PLAIN[usize::from(b)]
}

const PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = b' ' as usize + 1;
    while b < 256 {
        table[b] = !matches!(
            b as u8,
            0x7f | b']' | b'\'' | b'"' | b'\\' | b'#' | b'$' | b'`'
        );
        b += 1;
    }
    table
};

/// Whether the line from this `[` on may open a section that a pass keeps
/// for `profiles`; false only when it certainly does not, whatever the rest
/// of the line (then it need not be read further).
fn may_keep(line: &[u8], profiles: &[String]) -> bool {
    match line.get(1) {
        Some(b'p') => match line.strip_prefix(b"[profile ") {
            // The name starts here, as written up to its first quote,
            // space or bracket: it is not one of `profiles` when a byte
            // before that differs.
            Some(rest) if rest.first().is_some_and(|&b| plain_byte(b)) => {
                profiles.iter().any(|w| may_start_with(rest, w.as_bytes()))
            }
            _ => line[1..].starts_with(b"profile"),
        },
        Some(b's' | b'd' | b'D') => true,
        _ => false,
    }
}

/// False when `rest` differs from `name` at a byte that needs no unquoting.
fn may_start_with(rest: &[u8], name: &[u8]) -> bool {
    for (i, &c) in name.iter().enumerate() {
        match rest.get(i) {
            Some(&r) if r == c => {}
            Some(&r) if plain_byte(r) => return false,
            _ => return true,
        }
    }
    true
}

/// The header a line starting with `[` opens, as the reader finds it: the
/// text between the `[` and the last `]` of the right-stripped line, at
/// least one character. `Err` when the line's end is not UTF-8.
fn header(line: &[u8]) -> Result<Option<&[u8]>, ()> {
    let mut line = line;
    while line.last().is_some_and(|&b| ascii_space(b)) {
        line = &line[..line.len() - 1];
    }
    if line.last().is_some_and(|b| !b.is_ascii()) {
        let s = std::str::from_utf8(line).map_err(|_| ())?;
        line = s.trim_end_matches(super::parse::py_space).as_bytes();
    }
    Ok(memchr::memrchr(b']', line)
        .filter(|&c| c >= 2)
        .map(|c| &line[1..c]))
}

/// Whether the bytes before a `[` on its line are indentation only: the
/// line may then be a header or continue a value, which only the full parse
/// can tell. Text that is not UTF-8 counts too (the full parse says where).
fn indentation(prefix: &[u8]) -> bool {
    match prefix.first() {
        Some(&b) if b.is_ascii() && !ascii_space(b) => false,
        _ => std::str::from_utf8(prefix).map_or(true, |s| s.chars().all(super::parse::py_space)),
    }
}

/// What one pass keeps: the sections' text in file order, and where each
/// section lies in the file (from its header to the next header or the end).
struct Kept {
    text: String,
    sections: Vec<Section>,
}

/// A section's bytes in the file: `start..end`.
pub(super) type Section = std::ops::Range<u64>;

/// One pass, reading `piece` bytes at a time: the sections kept for
/// `profiles`; `None` when the scan cannot read the file as the reader would.
fn pass(mut input: impl Read, profiles: &[String], piece: usize) -> Option<Kept> {
    let mut buf = vec![0u8; piece.max(1)];
    // `buf[..filled]` holds unread bytes from a line start on; `base` is
    // where `buf[0]` lies in the file.
    let mut filled = 0;
    let mut base = 0u64;
    let mut total = 0u64;
    let mut kept: Vec<u8> = Vec::new();
    let mut sections = Vec::new();
    // Where the section being kept began in the file.
    let mut section_start = 0u64;
    let mut keeping = false;
    let mut first = true;
    loop {
        if filled == buf.len() {
            // A line longer than the buffer.
            buf.resize(buf.len() * 2, 0);
        }
        let n = match input.read(&mut buf[filled..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        };
        total += n as u64;
        if total > CONFIG_FILE_LIMIT {
            return None;
        }
        filled += n;
        let eof = n == 0;
        // Whole lines only, unless the file has ended.
        let end = if eof {
            filled
        } else {
            match memchr::memrchr2(b'\n', b'\r', &buf[..filled]) {
                Some(i) => i + 1,
                None => continue,
            }
        };
        let mut start = 0;
        if first {
            first = false;
            if buf[..end].starts_with("\u{feff}".as_bytes()) {
                start = 3;
            }
        }
        let text = &buf[..end];
        // Where the current kept section's bytes in this piece begin.
        let mut from = start;
        // Bytes before `searched` have been looked at for line breaks;
        // `line_start` is where the line holding `searched` starts.
        let (mut searched, mut line_start) = (start, start);
        for pos in memchr::memchr_iter(b'[', &text[start..]).map(|i| start + i) {
            let line_end = || memchr::memchr2(b'\n', b'\r', &text[pos..]).map_or(end, |i| pos + i);
            if pos > start && !matches!(text[pos - 1], b'\n' | b'\r') {
                // After text on its line: a value. After indentation: perhaps a header.
                let b = text[pos - 1];
                if b.is_ascii() && !ascii_space(b) {
                    continue;
                }
                if let Some(i) = memchr::memrchr2(b'\n', b'\r', &text[searched..pos]) {
                    line_start = searched + i + 1;
                }
                searched = pos;
                if indentation(&text[line_start..pos])
                    && header(&text[pos..line_end()]).map_or(true, |h| h.is_some())
                {
                    return None;
                }
                continue;
            }
            (searched, line_start) = (pos, pos);
            if !keeping && !may_keep(&text[pos..], profiles) {
                // Most headers, told apart in a few bytes.
                continue;
            }
            let next = if let Some(name) = canonical_profile(&text[pos..]) {
                // `[profile NAME]` and the line's end: most headers.
                profiles.iter().any(|p| p.as_bytes() == name)
            } else {
                let Some(raw) = header(&text[pos..line_end()]).ok()? else {
                    // `[x` or `[]`: a line of the section (read or refused by the reader).
                    continue;
                };
                keep(raw, profiles)?
            };
            if keeping {
                kept.extend_from_slice(&text[from..pos]);
                sections.push(section_start..base + pos as u64);
            }
            keeping = next;
            (from, section_start) = (pos, base + pos as u64);
        }
        if keeping {
            kept.extend_from_slice(&text[from..end]);
        }
        if eof {
            if keeping {
                sections.push(section_start..base + end as u64);
            }
            let text = String::from_utf8(kept).ok()?;
            return Some(Kept { text, sections });
        }
        buf.copy_within(end..filled, 0);
        filled -= end;
        base += end as u64;
    }
}

/// The profiles `config`'s profiles chain to that are not among `profiles`
/// yet (`source_profile`, read as the resolver reads it, `[DEFAULT]` under
/// each; a value that is not a string is its error).
fn chained_beyond(config: &Config, profiles: &[String]) -> Vec<String> {
    let mut more: Vec<String> = Vec::new();
    for &(_, sec) in &config.profiles.order {
        if let Some(v) = config
            .value(sec, Key::SOURCE_PROFILE)
            .and_then(|v| v.as_str())
            && !profiles.iter().chain(&more).any(|p| p == v)
        {
            more.push(v.to_owned());
        }
    }
    more
}

/// What a lookup found: the profile, the profiles it reads (itself first,
/// then its chain) and the sections that hold them.
pub(super) struct Found {
    pub(super) profile: Profile,
    pub(super) profiles: Vec<String>,
    pub(super) sections: Vec<Section>,
}

/// `Config::profile(name)` from the sections it reaches, when that succeeds;
/// `None` sends the caller to the full parse (see the module's note).
/// `open` gives the file from its start, once per pass.
fn profile<R: Read>(
    path: &Path,
    mut open: impl FnMut() -> Option<R>,
    name: &str,
    piece: usize,
) -> Option<Found> {
    let mut profiles = vec![name.to_owned()];
    loop {
        let kept = pass(open()?, &profiles, piece)?;
        let config = Config::parse(path.to_owned(), &kept.text).ok()?;
        let more = chained_beyond(&config, &profiles);
        if more.is_empty() {
            let profile = config.profile(name).ok()?;
            let sections = kept.sections;
            return Some(Found {
                profile,
                profiles,
                sections,
            });
        }
        profiles.extend(more);
    }
}

/// `Config::profile(name)` from `text`, the sections a lookup of `name`
/// kept for `profiles` (as `memo.rs` reads them again): `None` unless they
/// parse and every profile they chain to is among `profiles`.
pub(super) fn profile_from_sections(
    path: &Path,
    text: &str,
    name: &str,
    profiles: &[String],
) -> Option<Profile> {
    let config = Config::parse(path.to_owned(), text).ok()?;
    if !chained_beyond(&config, profiles).is_empty() {
        return None;
    }
    config.profile(name).ok()
}

/// The bytes of the file `kept_again` needs to judge `section`: the section,
/// up to three bytes before it (a byte-order mark; else the line break) and
/// one after it. `size`: the file's.
pub(super) fn window(section: &Section, size: u64) -> Section {
    let from = if section.start <= 3 {
        0
    } else {
        section.start - 1
    };
    from..(section.end + 1).min(size)
}

/// `section`'s bytes when, read again where a pass once kept it, it still is
/// such a section; `bytes` is the file's `window(section)`, starting at `at`.
pub(super) fn kept_again<'a>(
    bytes: &'a [u8],
    at: u64,
    section: &Section,
    profiles: &[String],
) -> Option<&'a [u8]> {
    let start = usize::try_from(section.start.checked_sub(at)?).ok()?;
    let end = usize::try_from(section.end.checked_sub(at)?).ok()?;
    let (before, rest) = bytes.split_at_checked(start)?;
    let (section, after) = rest.split_at_checked(end.checked_sub(start)?)?;
    still_kept(before, section, after, profiles).then_some(section)
}

/// Whether `section`, read again where a pass once kept it, still is such
/// a section: it starts a line (`before`: the bytes before it in the file,
/// at most three) with a header kept for `profiles`, and ends where the
/// file does (`after` empty) or where the next line opens with `[`.
fn still_kept(before: &[u8], section: &[u8], after: &[u8], profiles: &[String]) -> bool {
    let starts_line = matches!(before, [] | [.., b'\n' | b'\r']) || before == "\u{feff}".as_bytes();
    let ends_section = after.is_empty()
        || (after.starts_with(b"[") && matches!(section.last(), Some(b'\n' | b'\r')));
    if !(starts_line && ends_section && section.starts_with(b"[")) {
        return false;
    }
    if let Some(name) = canonical_profile(section) {
        return profiles.iter().any(|p| p.as_bytes() == name);
    }
    let line = memchr::memchr2(b'\n', b'\r', section).map_or(section, |i| &section[..i]);
    matches!(header(line), Ok(Some(raw)) if keep(raw, profiles) == Some(true))
}

/// `Config::profile(name)` for the config file at `path`, from the sections
/// it reaches; `None` when that is not a plain success or the file cannot be
/// read (the full parse then says why). With `cache_dir`, where the sections
/// lay is remembered (`memo.rs`), so that the next lookup of `name` in the
/// same file reads those bytes only.
pub(super) fn profile_in_file(
    path: &Path,
    name: &str,
    cache_dir: Option<&Path>,
) -> Option<Profile> {
    lookup(path, name, cache_dir, std::time::SystemTime::now())
}

/// `profile_in_file`, the memo's "settled" judged at `now`.
pub(super) fn lookup(
    path: &Path,
    name: &str,
    cache_dir: Option<&Path>,
    now: std::time::SystemTime,
) -> Option<Profile> {
    if super::location::is_dev_null(path) {
        return None;
    }
    let (file, before) = crate::fs::open_bounded(path, CONFIG_FILE_LIMIT).ok()?;
    let memo = cache_dir.map(|dir| super::memo::Memo::at(dir, path, name));
    if let Some(memo) = &memo
        && let Some(profile) = memo.recall(path, &file, &before, name)
    {
        return Some(profile);
    }
    let open = || {
        use std::io::Seek as _;
        (&file).rewind().ok().map(|()| &file)
    };
    let found = profile(path, open, name, PIECE)?;
    if let Some(memo) = &memo
        && let Ok(after) = file.metadata()
    {
        memo.remember(&before, &after, &found, now);
    }
    Some(found.profile)
}

#[cfg(test)]
pub(super) mod tests;
