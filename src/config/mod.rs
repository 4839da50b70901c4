//! `~/.aws/config` → typed, validated profiles and sso-sessions.
//! Parsing follows botocore's `configloader` (RawConfigParser) rules, docs/config.md#parser-rules.
//! Resolve once into a `ResolvedProfile`; nothing downstream reads raw keys.
//!
//! The pieces, one concern each: `location.rs` (where the file is, how it
//! is read), `parse.rs` (the INI text), `sections.rs` (headers, names, the
//! key table), `sso.rs` (SSO profiles and sessions, endpoint settings),
//! `resolve.rs` (role chaining), `scan.rs` (reading only the sections one
//! profile needs), `edit.rs` (byte-preserving writes). This file holds the
//! parsed `Config`: loading, mapping sections to profiles, sso-sessions and
//! services (botocore `build_profile_map`), and the lookups and messages
//! the resolvers share.

pub mod edit;
mod listing;
mod location;
mod login_target;
mod memo;
mod parse;
mod resolve;
mod scan;
mod sections;
mod sso;

pub(crate) use location::{CONFIG_FILE_LIMIT, read_config_file};
pub(crate) use resolve::{
    CHAINED_MAX_DURATION, ChainedProfile, Profile, RoleSource, StaticKeys, chain_text,
};
pub use sso::SsoSession;
pub(crate) use sso::{ConfiguredEndpoints, ResolvedProfile};

use crate::env::{self, Env};
use crate::error::{Error, Result};
use crate::fs::ReadError;
use parse::{Ini, KeyId, Value};
pub(crate) use sections::{HeaderKind, header_kind};
use sections::{Key, Named, section_name};
use std::path::PathBuf;

/// A parsed config file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Config {
    pub(crate) path: PathBuf,
    ini: Ini,
    profiles: Named,
    sso_sessions: Named,
    services: Named,
}

impl Config {
    /// Read and parse the config file. A missing file is an error here (exit 2) naming the path.
    pub(crate) fn load(env: &Env) -> Result<Config> {
        Self::load_inner(env, false).map(|c| c.expect("a missing file is an error"))
    }

    /// Like `load`, but a missing file is `None`: no profiles, nothing wrong
    /// (botocore reads a missing config file as empty). For listings.
    pub(crate) fn load_if_present(env: &Env) -> Result<Option<Config>> {
        Self::load_inner(env, true)
    }

    /// Resolve one profile as `load` then `profile` do, reading only the
    /// sections it needs when that succeeds (`scan.rs`); anything else, an
    /// error included, is the full parse's answer.
    pub(crate) fn load_profile(env: &Env, name: &str) -> Result<Profile> {
        let path = Self::path(env)?;
        if let Some(profile) =
            scan::profile_in_file(&path, name, env::ssoenv_cache_dir(env).as_deref())
        {
            return Ok(profile);
        }
        Self::load(env)?.profile(name)
    }

    fn load_inner(env: &Env, missing_ok: bool) -> Result<Option<Config>> {
        let path = Self::path(env)?;
        let bytes = match read_config_file(&path) {
            Ok(bytes) => bytes,
            Err(ReadError::NotFound) if missing_ok => return Ok(None),
            Err(ReadError::NotFound) => {
                let hint = if env.non_empty(env::AWS_CONFIG_FILE).is_some() {
                    "AWS_CONFIG_FILE names this file; fix it, or run `aws configure sso` to create a profile there"
                } else {
                    "run `ssoenv configure` (or `aws configure sso`) to create a profile"
                };
                return Err(Error::config(format!(
                    "config file {} does not exist",
                    path.display()
                ))
                .hint(hint));
            }
            Err(e @ (ReadError::NotRegular(_) | ReadError::TooLarge(_))) => {
                let what = match e {
                    ReadError::NotRegular(kind) => format!("is {kind}, not a regular file"),
                    _ => format!(
                        "is larger than {} MiB; refusing to read it",
                        CONFIG_FILE_LIMIT >> 20
                    ),
                };
                let hint = if env.non_empty(env::AWS_CONFIG_FILE).is_some() {
                    "point AWS_CONFIG_FILE at your config file (or at /dev/null for no config)"
                        .to_owned()
                } else {
                    format!(
                        "replace {} with your AWS config file (a regular file)",
                        path.display()
                    )
                };
                return Err(
                    Error::config(format!("config file {} {what}", path.display())).hint(hint),
                );
            }
            Err(ReadError::Io(e)) => {
                return Err(Error::config(format!(
                    "could not read config file {}",
                    path.display()
                ))
                .cause(e));
            }
        };
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = e.valid_up_to();
                let line = parse::line_of_offset(&bytes, at);
                let byte = bytes.get(at).copied().unwrap_or_default();
                return Err(Error::config(format!(
                    "could not parse {}: line {line}: the text is not valid UTF-8 (byte 0x{byte:02x})",
                    path.display()
                ))
                .hint("save the file as UTF-8"));
            }
        };
        Self::parse(path, text).map(Some)
    }

    /// Parse text (for tests and benchmarks); `path` is only used in messages.
    pub(crate) fn parse(path: PathBuf, text: &str) -> Result<Config> {
        let ini = parse::parse_ini_with(text, Key::NAMES).map_err(|e| {
            Error::config(format!(
                "could not parse {}: line {}: {}",
                path.display(),
                e.line,
                e.what
            ))
            .hint(e.hint)
        })?;
        let mut config = Config {
            path,
            ..Config::default()
        };
        config.profiles.order.reserve(ini.sections.len());
        config.profiles.index.reserve(ini.sections.len());
        // botocore `build_profile_map`: the type comes from the prefix
        // (`startswith`), the name from shlex; anything but exactly two parts is dropped.
        for i in 0..ini.sections.len() {
            if Some(i) == ini.defaults {
                continue;
            }
            let raw = ini.name(i);
            let named = match header_kind(raw) {
                HeaderKind::Profile => &mut config.profiles,
                HeaderKind::SsoSession => &mut config.sso_sessions,
                HeaderKind::Services => &mut config.services,
                HeaderKind::Default => {
                    config.profiles.insert(raw.to_owned(), i);
                    continue;
                }
                HeaderKind::Other => continue,
            };
            if let Some(name) = section_name(raw) {
                named.insert(name, i);
            }
        }
        config.ini = ini;
        Ok(config)
    }

    /// All profile names, in file order.
    pub(crate) fn profile_names(&self) -> Vec<String> {
        self.profiles.names().map(str::to_owned).collect()
    }

    /// All sso-session names, in file order.
    pub(crate) fn sso_session_names(&self) -> Vec<String> {
        self.sso_sessions.names().map(str::to_owned).collect()
    }

    /// The account name a profile carries for lists (`sso_account_name`,
    /// as aws-sso-util's `configure populate` writes it); None when absent,
    /// blank or a sub-section.
    pub(crate) fn account_name(&self, profile: &str) -> Option<&str> {
        let sec = self.profiles.get(profile)?;
        self.value(sec, Key::SSO_ACCOUNT_NAME)?
            .as_str()
            .filter(|n| !n.trim().is_empty())
    }

    // --- helpers ---

    /// A key of a section, falling back to `[DEFAULT]` (configparser `get`).
    fn value(&self, section: usize, key: Key) -> Option<Value<'_>> {
        self.value_id(section, key.0)
    }

    fn value_id(&self, section: usize, key: KeyId) -> Option<Value<'_>> {
        self.ini
            .get_id(section, key)
            .or_else(|| self.ini.defaults.and_then(|d| self.ini.get_id(d, key)))
    }

    /// All keys of a section with `[DEFAULT]`'s under them (configparser `items`).
    fn items(&self, section: usize) -> impl Iterator<Item = (KeyId, Value<'_>)> {
        let defaults = self.ini.defaults.filter(|&d| d != section);
        defaults
            .into_iter()
            .flat_map(|d| self.ini.entries_by_id(d))
            .filter(move |&(key, _)| self.ini.get_id(section, key).is_none())
            .chain(self.ini.entries_by_id(section))
    }

    fn error(&self, scope: Scope<'_>, msg: impl std::fmt::Display) -> Error {
        Error::config(format!("{scope} in {}: {msg}", self.path.display()))
    }

    /// A value that must be a plain string, not a sub-section.
    fn string<'a>(&self, scope: Scope<'_>, key: &str, v: Value<'a>) -> Result<&'a str> {
        v.as_str().ok_or_else(|| {
            self.error(
                scope,
                format!(
                    "{key} is a sub-section (indented `key = value` lines), not a single value"
                ),
            )
            .hint(format!("write it on one line: `{key} = VALUE`"))
        })
    }

    /// Present but empty: botocore accepts it and fails later with a worse message.
    fn check_not_empty(&self, scope: Scope<'_>, keys: &[&str], values: &[&str]) -> Result<()> {
        let empty: Vec<&str> = keys
            .iter()
            .zip(values)
            .filter(|(_, v)| v.is_empty())
            .map(|(k, _)| *k)
            .collect();
        if empty.is_empty() {
            return Ok(());
        }
        let what = match scope {
            Scope::Profile(p) => format!("The profile \"{p}\" is configured to use SSO but"),
            Scope::Session(_) => "the sso-session".to_owned(),
        };
        Err(self
            .error(
                scope,
                format!("{what} has empty values for: {}", empty.join(", ")),
            )
            .hint("give each of them a value"))
    }

    fn profile_not_found(&self, profile: &str) -> Error {
        let e = Error::config(format!(
            "profile \"{profile}\" not found in {}",
            self.path.display()
        ));
        if self.profiles.order.is_empty() {
            return e.hint("the file has no profiles; run `ssoenv configure` to create one");
        }
        match suggest(profile, self.profiles.names()) {
            Some(hint) => e.hint(hint),
            None => e.hint(format!(
                "run `ssoenv configure --profile {}` to create it",
                quote(profile)
            )),
        }
    }

    fn not_sso(&self, profile: &str, sec: usize) -> Error {
        let process = self
            .value(sec, Key::CREDENTIAL_PROCESS)
            .and_then(Value::as_str);
        let uses = if self.value(sec, Key::ROLE_ARN).is_some() {
            " (it assumes a role with role_arn)"
        } else if process.is_some() {
            " (it uses credential_process)"
        } else {
            ""
        };
        let e = self.error(
            Scope::Profile(profile),
            format!(
                "not an IAM Identity Center (SSO) profile{uses}: it sets none of sso_session, sso_account_id, sso_role_name, sso_start_url"
            ),
        );
        // `credential_process = ssoenv credential-process prod`: the profile
        // meant is the one it names.
        if let Some(target) = process.and_then(ssoenv_process_target) {
            return e.hint(format!(
                "its credentials come from ssoenv's profile \"{target}\": name that one (`ssoenv use {}`)",
                quote(&target)
            ));
        }
        e.hint(format!(
            "run `ssoenv configure --profile {}` to make an SSO profile (or name another: `ssoenv profiles` lists them)",
            quote(profile)
        ))
    }
}

/// Who an error is about.
#[derive(Clone, Copy)]
enum Scope<'a> {
    Profile(&'a str),
    Session(&'a str),
}

impl std::fmt::Display for Scope<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::Profile(p) => write!(f, "profile \"{p}\""),
            Scope::Session(s) => write!(f, "sso-session \"{s}\""),
        }
    }
}

/// A name as it would be typed in a shell command (for hints).
fn quote(name: &str) -> std::borrow::Cow<'_, str> {
    shell_words::quote(name)
}

/// `did you mean …?` for a mistyped name: close by edit distance (strsim), or one a
/// prefix of the other; the best three.
fn suggest<'a>(target: &str, names: impl Iterator<Item = &'a str>) -> Option<String> {
    let target = target.to_lowercase();
    let t: Vec<char> = target.chars().collect();
    let limit = (t.len() / 3).max(1);
    let mut close: Vec<(usize, usize, &str)> = names
        .enumerate()
        .filter_map(|(i, name)| {
            let lower = name.to_lowercase();
            let n: Vec<char> = lower.chars().collect();
            if n.is_empty() || t.is_empty() {
                return None;
            }
            // For a prefix the distance is the length difference.
            if n.starts_with(&t) || t.starts_with(&n) {
                return Some((n.len().abs_diff(t.len()), i, name));
            }
            if n.len().abs_diff(t.len()) > limit || t.len() > 256 {
                return None;
            }
            // Optimal string alignment: Levenshtein plus adjacent transpositions.
            let d = strsim::osa_distance(&target, &lower);
            (d <= limit).then_some((d, i, name))
        })
        .collect();
    if close.is_empty() {
        return None;
    }
    close.sort_unstable();
    let quoted: Vec<String> = close
        .iter()
        .take(3)
        .map(|(_, _, n)| format!("\"{}\"", crate::text::printable(n)))
        .collect();
    Some(match quoted.as_slice() {
        [one] => format!("did you mean {one}?"),
        [init @ .., last] => format!("did you mean {} or {last}?", init.join(", ")),
        [] => return None,
    })
}

#[cfg(test)]
mod tests;

/// The profile a `credential_process` that runs ssoenv itself names:
/// `ssoenv credential-process prod` (or `/usr/bin/ssoenv credential-process
/// --profile prod`) gives `prod`.
fn ssoenv_process_target(command: &str) -> Option<String> {
    let words = shell_words::split(command).ok()?;
    let (program, rest) = words.split_first()?;
    let base = program.rsplit('/').next().unwrap_or(program);
    if base != "ssoenv" || rest.first().map(String::as_str) != Some("credential-process") {
        return None;
    }
    rest[1..]
        .iter()
        .find_map(|a| match a.strip_prefix("--profile=") {
            Some(name) => Some(name.to_owned()),
            None => (!a.starts_with('-')).then(|| a.clone()),
        })
}
