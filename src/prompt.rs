//! The prompt segment (`prod 42m`) as a pure function of the profile, the
//! expiry, the clock and the colour choice. `ssoenv prompt` prints it; the hook
//! scripts in `shell/` compute the same text in shell arithmetic (tests compare
//! the two), so the rules live here once:
//!
//! - remaining ≥ 1 h: `1h05m` (minutes two digits); ≥ 1 min: `42m`; else `59s`;
//!   ≤ 0: `expired`. Values are truncated, never rounded up.
//! - colour by state: `ok` green, `warn` (under 15 min) yellow, `critical`
//!   (under 5 min) red, `expired` red; a missing or malformed expiry gives the
//!   profile alone in state `unknown`, uncoloured.
//! - a profile the prompt hook will renew unattended (`SSOENV_RENEWABLE=1` and
//!   `SSOENV_AUTO_RENEW=1`) is marked: `prod 42m ↻`, or `prod 42m +` when the
//!   locale (LC_ALL, else LC_CTYPE, else LANG) is not UTF-8.

/// One stretch of the countdown with one state and one colour: from `from` seconds left
/// (inclusive) up to the band before it.
#[derive(Debug, Clone, Copy)]
pub struct Band {
    pub from: i64,
    pub state: State,
    /// The colour's name, as the shells' `SSOENV_SEGMENT_COLOR` and fish's `set_color` take it.
    pub color: &'static str,
    /// Its ANSI SGR sequence, as `ssoenv prompt` and the bash and zsh hooks write it.
    pub sgr: &'static str,
}

/// The bands, most time left first: the one source of thresholds and colours. The four hooks
/// in `shell/` compute the same bands in shell arithmetic; `tests/it/init_shells.rs` runs the
/// real bash, zsh and fish hooks at every edge of this table, and a test below checks that
/// each hook file (PowerShell's too) spells these numbers, colours and words.
pub const BANDS: [Band; 4] = [
    Band {
        from: 15 * 60,
        state: State::Ok,
        color: "green",
        sgr: "\x1b[32m",
    },
    Band {
        from: 5 * 60,
        state: State::Warn,
        color: "yellow",
        sgr: "\x1b[33m",
    },
    Band {
        from: 1,
        state: State::Critical,
        color: "red",
        sgr: "\x1b[31m",
    },
    Band {
        from: i64::MIN,
        state: State::Expired,
        color: "red",
        sgr: "\x1b[31m",
    },
];

/// The text forms, most time left first: from this many seconds left, the remaining time
/// reads as hours and minutes (`1h05m`), minutes (`42m`), seconds (`59s`); below, `expired`.
pub const TEXT_FROM: [i64; 3] = [3600, 60, 1];
/// The word for no time left.
pub(crate) const EXPIRED: &str = "expired";
/// Below this many seconds left, a hook with `SSOENV_AUTO_RENEW=1` renews the credentials
/// (at most once a minute).
#[cfg(test)]
pub(crate) const RENEW_BELOW: i64 = 10 * 60;

/// Below this many seconds left the segment turns yellow.
#[cfg(test)]
pub(crate) const WARN_BELOW: i64 = BANDS[0].from;
/// Below this many seconds left the segment turns red.
#[cfg(test)]
pub(crate) const CRITICAL_BELOW: i64 = BANDS[1].from;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Ok,
    Warn,
    Critical,
    Expired,
    /// SSOENV_EXPIRATION missing or not a number of seconds.
    Unknown,
}

impl State {
    pub fn of(remaining: Option<i64>) -> State {
        match remaining {
            None => State::Unknown,
            Some(r) => BANDS
                .iter()
                .find(|b| r >= b.from)
                .map_or(State::Expired, |b| b.state),
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            State::Ok => "ok",
            State::Warn => "warn",
            State::Critical => "critical",
            State::Expired => "expired",
            State::Unknown => "unknown",
        }
    }
    fn band(self) -> Option<&'static Band> {
        BANDS.iter().find(|b| b.state == self)
    }
    /// The ANSI SGR sequence for this state, if it has a colour.
    pub fn ansi(self) -> Option<&'static str> {
        self.band().map(|b| b.sgr)
    }
    /// The colour's name, as the shells' `SSOENV_SEGMENT_COLOR` gives it.
    pub fn color_name(self) -> &'static str {
        self.band().map_or("", |b| b.color)
    }
}

pub(crate) const RESET: &str = "\x1b[0m";

/// `1h05m`, `42m`, `59s` or `expired`.
pub(crate) fn remaining_text(remaining: i64) -> String {
    let [hours, minutes, seconds] = TEXT_FROM;
    if remaining >= hours {
        format!("{}h{:02}m", remaining / 3600, remaining % 3600 / 60)
    } else if remaining >= minutes {
        format!("{}m", remaining / 60)
    } else if remaining >= seconds {
        format!("{remaining}s")
    } else {
        EXPIRED.to_owned()
    }
}

/// The most digits SSOENV_EXPIRATION may have. Every hook computes with it: bash and zsh
/// in 64-bit integers, fish in `math`, whose doubles are exact only below 2^53 (16
/// digits); with at most 15 digits all agree, and none prints an error at every prompt.
pub(crate) const MAX_EXPIRATION_DIGITS: usize = 15;

/// Parse SSOENV_EXPIRATION: decimal unix seconds, 1 to 15 digits, nothing else.
pub(crate) fn parse_expiration(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > MAX_EXPIRATION_DIGITS || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The renewal mark in a UTF-8 locale, and elsewhere.
pub(crate) const RENEW_MARK: &str = "↻";
pub(crate) const RENEW_MARK_ASCII: &str = "+";

/// Whether the locale is UTF-8: the first of LC_ALL, LC_CTYPE, LANG that is set
/// and not empty names `UTF-8` or `utf8` (any case).
pub(crate) fn utf8_locale(env: &crate::env::Env) -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|n| env.non_empty(n))
        .is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("utf-8") || v.contains("utf8")
        })
}

/// The renewal mark for this environment: empty unless `SSOENV_RENEWABLE=1`
/// and `SSOENV_AUTO_RENEW=1` (the hook will renew these credentials without a
/// person), else `↻`, or `+` outside a UTF-8 locale.
pub(crate) fn renew_mark(env: &crate::env::Env) -> &'static str {
    use crate::env::{SSOENV_AUTO_RENEW, SSOENV_RENEWABLE};
    if env.get(SSOENV_RENEWABLE) != Some("1") || env.get(SSOENV_AUTO_RENEW) != Some("1") {
        ""
    } else if utf8_locale(env) {
        RENEW_MARK
    } else {
        RENEW_MARK_ASCII
    }
}

/// The segment for `profile`, or None when no profile is active (empty name).
///
/// `format` placeholders: `{profile}`, `{remaining}` (`42m`, empty when the
/// expiry is unknown), `{seconds}` (seconds left, negative once expired, empty
/// when unknown), `{state}` (`ok|warn|critical|expired|unknown`), `{color}`
/// (`green|yellow|red` or empty), `{{`/`}}` for literal braces. With `color`,
/// the whole segment is wrapped in the state's ANSI colour. The default format
/// drops the space when the remaining time is unknown.
pub fn segment(
    profile: &str,
    expiration: Option<i64>,
    now: i64,
    color: bool,
    format: Option<&str>,
) -> Option<String> {
    segment_marked(profile, expiration, now, color, format, "")
}

/// [`segment`] with the renewal mark `renew` (empty for none, see
/// [`renew_mark`]): `{renew}` in a format, and after the text in the default
/// one (`prod 42m ↻`).
pub(crate) fn segment_marked(
    profile: &str,
    expiration: Option<i64>,
    now: i64,
    color: bool,
    format: Option<&str>,
    renew: &str,
) -> Option<String> {
    if profile.is_empty() {
        return None;
    }
    // The name comes from a config file or the environment: it may carry escape sequences
    // that retitle or clear the terminal, re-sent at every prompt.
    let profile = &*crate::text::printable(profile);
    let remaining = expiration.map(|e| e - now);
    let state = State::of(remaining);
    let rem_text = remaining.map(remaining_text).unwrap_or_default();
    let body = match format {
        None => {
            let mut b = profile.to_owned();
            for part in [rem_text.as_str(), renew] {
                if !part.is_empty() {
                    b.push(' ');
                    b.push_str(part);
                }
            }
            b
        }
        Some(f) => expand(f, |key| match key {
            "profile" => Some(profile.to_owned()),
            "remaining" => Some(rem_text.clone()),
            "seconds" => Some(remaining.map(|r| r.to_string()).unwrap_or_default()),
            "state" => Some(state.name().to_owned()),
            "color" => Some(state.color_name().to_owned()),
            "renew" => Some(renew.to_owned()),
            _ => None,
        }),
    };
    Some(match (color, state.ansi()) {
        (true, Some(c)) => format!("{c}{body}{RESET}"),
        _ => body,
    })
}

/// Replace `{name}` by `lookup(name)`; unknown names and lone braces stay as written.
fn expand(format: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(format.len() + 16);
    let mut rest = format;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
        } else if tail.starts_with('{')
            && let Some(end) = tail.find('}')
            && let Some(v) = lookup(&tail[1..end])
        {
            out.push_str(&v);
            rest = &tail[end + 1..];
        } else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;

    fn seg(left: i64) -> String {
        segment("prod", Some(NOW + left), NOW, false, None).unwrap()
    }

    #[test]
    fn remaining_time_reads_as_hours_minutes_or_seconds() {
        assert_eq!(seg(3900), "prod 1h05m");
        assert_eq!(seg(3600), "prod 1h00m");
        assert_eq!(seg(3599), "prod 59m");
        assert_eq!(seg(42 * 60 + 59), "prod 42m");
        assert_eq!(seg(60), "prod 1m");
        assert_eq!(seg(59), "prod 59s");
        assert_eq!(seg(1), "prod 1s");
        assert_eq!(seg(0), "prod expired");
        assert_eq!(seg(-5), "prod expired");
        assert_eq!(seg(12 * 3600 + 7 * 60), "prod 12h07m");
    }

    #[test]
    fn the_renewal_mark_needs_both_variables_and_falls_back_to_ascii() {
        use crate::env::Env;
        let e = |pairs: &[(&str, &str)]| renew_mark(&Env::from_pairs(pairs.iter().copied()));
        let both = [("SSOENV_RENEWABLE", "1"), ("SSOENV_AUTO_RENEW", "1")];
        assert_eq!(e(&both), "+");
        let utf8 = [both[0], both[1], ("LANG", "en_US.UTF-8")];
        assert_eq!(e(&utf8), "↻");
        let c = [both[0], both[1], ("LANG", "en_US.utf8"), ("LC_ALL", "C")];
        assert_eq!(e(&c), "+");
        assert_eq!(e(&[both[0], ("LANG", "C.UTF-8")]), "");
        assert_eq!(e(&[both[1], ("LANG", "C.UTF-8")]), "");
        let m = |f| segment_marked("prod", Some(NOW + 2520), NOW, false, f, "↻").unwrap();
        assert_eq!(m(None), "prod 42m ↻");
        assert_eq!(m(Some("{profile}{renew}")), "prod↻");
        assert_eq!(
            segment_marked("prod", None, NOW, false, None, "+").unwrap(),
            "prod +"
        );
    }

    #[test]
    fn colour_follows_the_state() {
        let c = |left| segment("prod", Some(NOW + left), NOW, true, None).unwrap();
        assert_eq!(c(3600), "\x1b[32mprod 1h00m\x1b[0m");
        assert_eq!(c(900), "\x1b[32mprod 15m\x1b[0m");
        assert_eq!(c(899), "\x1b[33mprod 14m\x1b[0m");
        assert_eq!(c(300), "\x1b[33mprod 5m\x1b[0m");
        assert_eq!(c(299), "\x1b[31mprod 4m\x1b[0m");
        assert_eq!(c(0), "\x1b[31mprod expired\x1b[0m");
    }

    #[test]
    fn no_profile_means_no_segment() {
        assert_eq!(segment("", Some(NOW), NOW, true, None), None);
    }

    #[test]
    fn an_unknown_expiry_shows_the_profile_alone_uncoloured() {
        assert_eq!(
            segment("dev", None, NOW, true, None).as_deref(),
            Some("dev")
        );
        assert_eq!(parse_expiration(""), None);
        assert_eq!(parse_expiration("12a"), None);
        assert_eq!(parse_expiration("-5"), None);
        assert_eq!(parse_expiration("0042"), Some(42));
        assert_eq!(
            parse_expiration("999999999999999"),
            Some(999_999_999_999_999)
        );
        assert_eq!(parse_expiration("9999999999999999"), None);
        assert_eq!(parse_expiration("99999999999999999999"), None);
        assert_eq!(parse_expiration(" 5"), None);
    }

    #[test]
    fn control_characters_in_the_profile_are_shown_escaped() {
        let s = segment(
            "a\x1b]0;t\x07b\u{9b}c",
            None,
            NOW,
            false,
            Some("[{profile}]"),
        );
        assert_eq!(s.as_deref(), Some("[a\\e]0;t\\x07b\\u{9b}c]"));
        assert_eq!(
            segment("p\x1b[2J", Some(NOW), NOW, true, None).as_deref(),
            Some("\x1b[31mp\\e[2J expired\x1b[0m")
        );
    }

    #[test]
    fn format_placeholders_are_expanded() {
        let f = |fmt: &str, left| segment("prod", Some(NOW + left), NOW, false, Some(fmt)).unwrap();
        assert_eq!(f("☁ {profile} ({remaining})", 2520), "☁ prod (42m)");
        assert_eq!(f("{state}/{color}/{seconds}", 200), "critical/red/200");
        assert_eq!(f("{state} {seconds}", -3), "expired -3");
        assert_eq!(f("{{profile}} {nope} {", 60), "{profile} {nope} {");
        assert_eq!(
            segment("p", None, NOW, false, Some("{profile}:{remaining}:{state}")).unwrap(),
            "p::unknown"
        );
    }
}
