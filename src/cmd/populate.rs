//! `ssoenv populate`: one `[profile …]` per account and role the SSO session
//! can use, written into the config file with `config::edit`, so that
//! everything else in the file stays byte for byte.
//!
//! Profiles it writes carry `ssoenv_populated = SESSION` (botocore ignores
//! unknown keys); only such profiles of that session are ever changed or
//! removed. Running it again with nothing changed upstream leaves the file
//! untouched (the same bytes, no write at all).

use crate::accounts::{self, AccountRoles};
use crate::aws::endpoint;
use crate::cli::PopulateArgs;
use crate::config::edit::{self, Document, Kind, Marker, Upserted, Written};
use crate::config::{Config, read_config_file};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::login::{Ctx, LoginOptions, Subject};
use crate::text::printable;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The marker key of populated profiles; its value is the session's name.
pub(crate) const MARKER_KEY: &str = "ssoenv_populated";

/// The fields a template may use.
pub(crate) const FIELDS: [&str; 4] = ["account_name", "account_id", "role_name", "session"];

pub(crate) fn run(args: PopulateArgs, env: &Env) -> Result<i32> {
    // Everything that can be checked offline is checked before any login.
    let template = Template::parse(&args.template)?;
    let file = read(env)?;
    if !args.dry_run {
        // Before the login: a read-only file is the owner's "do not touch".
        crate::config::edit::check_writable_by_owner(&file.path)?;
    }
    let (session_name, sso, all) = fetch(&args, env, &file.config)?;
    let plan = plan(&all, &session_name, &template);
    for s in &plan.skipped {
        crate::output::note(&format!("skipped {}", printable(s)));
    }
    let marker = Marker {
        key: MARKER_KEY,
        value: &session_name,
    };
    let mut edits = Edits {
        new: file.doc.clone(),
        n: Counts {
            skipped: plan.skipped.len(),
            ..Counts::default()
        },
        changes: Vec::new(),
        unchanged: Vec::new(),
    };
    note_other_names(&file, &plan, &sso, marker);
    let region = Region {
        given: args.region.as_deref(),
        new: (!args.no_region).then_some(sso.region.as_str()),
    };
    upsert_profiles(&mut edits, &file.doc, &plan, marker, region);
    let stale_kept = prune_stale(&mut edits, &file.doc, &plan, marker, args.prune);
    finish(&args, &file, &session_name, &edits, &stale_kept)
}

/// The `region` populate writes: `--region` into every profile; else the one
/// it wrote before, or for a new profile `new` (the session's, unless `--no-region`).
#[derive(Clone, Copy)]
struct Region<'a> {
    given: Option<&'a str>,
    new: Option<&'a str>,
}

/// An account and role the file already has a profile for, under a name of
/// its own (written by hand, or by `aws configure sso`): said, so that the
/// user knows the populated profile is a second name for the same role.
fn note_other_names(
    file: &ConfigFile,
    plan: &Plan,
    sso: &crate::config::SsoSession,
    marker: Marker<'_>,
) {
    let owned: BTreeSet<String> = file
        .doc
        .owned(Kind::Profile, marker)
        .filter_map(|s| s.name.clone())
        .collect();
    let mut existing: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (name, p) in crate::credentials::Plan::listed(&file.config) {
        let Ok(p) = p else { continue };
        let d = p.describe();
        let same_session = d.session.is_some_and(|s| s.start_url == sso.start_url);
        if d.kind != "sso" || !same_session || owned.contains(&name) {
            continue;
        }
        if let (Some(a), Some(r)) = (d.account_id, d.role_name) {
            existing
                .entry((a.to_owned(), r.to_owned()))
                .or_default()
                .push(name);
        }
    }
    for p in &plan.profiles {
        let Some(names) = existing.get(&(p.account_id.clone(), p.role_name.clone())) else {
            continue;
        };
        let others: Vec<String> = names
            .iter()
            .filter(|n| **n != p.name)
            .map(|n| format!("\"{}\"", printable(n)))
            .collect();
        if !others.is_empty() {
            crate::output::note(&format!(
                "account {} role {} is already configured as profile {}; populate names it \"{}\" too",
                printable(&p.account_id),
                printable(&p.role_name),
                others.join(", "),
                printable(&p.name)
            ));
        }
    }
}

/// The config file as read: its parse, path, bytes and editable document.
struct ConfigFile {
    config: Config,
    path: std::path::PathBuf,
    original: Vec<u8>,
    doc: Document,
}

/// The edits made so far: the new document, the counts, the changed profiles
/// and the ones left as they were.
struct Edits {
    new: Document,
    n: Counts,
    changes: Vec<(String, Change)>,
    unchanged: Vec<String>,
}

/// Read the config file.
fn read(env: &Env) -> Result<ConfigFile> {
    // Config::load words every problem with the file (missing, not regular, too big).
    let config = Config::load(env)?;
    let path = config.path.clone();
    let original = read_config_file(&path).map_err(|_| {
        Error::runtime(format!("could not read {}", path.display())).hint("run the command again")
    })?;
    let doc = Document::parse(&original).map_err(|mut e| {
        e.message = format!("{}: {}", path.display(), e.message);
        e
    })?;
    Ok(ConfigFile {
        config,
        path,
        original,
        doc,
    })
}

/// The session to populate from and every account and role it lists (logging
/// in when needed).
fn fetch(
    args: &PopulateArgs,
    env: &Env,
    config: &Config,
) -> Result<(String, crate::config::SsoSession, Vec<AccountRoles>)> {
    let session_name = match args.sso_session.clone() {
        Some(n) => n,
        None => only_session(config)?,
    };
    let sso = config.sso_session(&session_name)?;
    let endpoints = endpoint::resolve_for(&sso, &config.session_endpoints(&session_name), env)?;
    let ctx = Ctx::new(env)?;
    let opts = LoginOptions::for_credentials(env, args.login.no_browser, false);
    let all = accounts::fetch(
        &ctx,
        &sso,
        &endpoints,
        &Subject::Session(&session_name),
        opts,
    )?;
    Ok((session_name, sso, all))
}

/// Add or update a section per planned profile (a clash is skipped, said so).
fn upsert_profiles(
    edits: &mut Edits,
    doc: &Document,
    plan: &Plan,
    marker: Marker<'_>,
    region: Region<'_>,
) {
    let session_name = marker.value;
    let Edits {
        new,
        n,
        changes,
        unchanged,
    } = edits;
    for p in &plan.profiles {
        let mut pairs = vec![
            ("sso_session", session_name),
            ("sso_account_id", p.account_id.as_str()),
            ("sso_role_name", p.role_name.as_str()),
        ];
        // Without --region, a region populate wrote before is kept; a new
        // profile gets the session's (unless --no-region).
        let before = doc
            .find(Kind::Profile, &p.name)
            .find(|s| s.is_owned_by(marker));
        let kept = match (region.given, before) {
            (Some(r), _) => Some(r.to_owned()),
            (None, Some(s)) => s.get("region").map(str::to_owned),
            (None, None) => region.new.map(str::to_owned),
        };
        if let Some(r) = &kept {
            pairs.push(("region", r.as_str()));
        }
        pairs.push((MARKER_KEY, session_name));
        match new.upsert_section(Kind::Profile, &p.name, &pairs, Some(marker)) {
            Ok(Ok(Upserted::Added)) => {
                n.added += 1;
                changes.push((p.name.clone(), Change::Added));
            }
            Ok(Ok(Upserted::Replaced)) => {
                n.updated += 1;
                changes.push((p.name.clone(), Change::Updated));
            }
            Ok(Ok(Upserted::Unchanged)) => {
                n.unchanged += 1;
                unchanged.push(p.name.clone());
            }
            Ok(Err(clash)) => {
                n.skipped += 1;
                crate::output::note(&format!(
                    "skipped profile \"{}\" (account {}, role {}): {}",
                    printable(&p.name),
                    printable(&p.account_id),
                    printable(&p.role_name),
                    printable(&clash.to_string())
                ));
            }
            Err(mut e) => {
                n.skipped += 1;
                e.message = format!(
                    "skipped profile \"{}\" (account {}, role {}): {}",
                    printable(&p.name),
                    printable(&p.account_id),
                    printable(&p.role_name),
                    printable(&e.message)
                );
                crate::output::note_error(&e);
            }
        }
    }
}

/// Remove (with `--prune`) the owned profiles no longer listed upstream;
/// returns the names of those kept.
fn prune_stale(
    edits: &mut Edits,
    doc: &Document,
    plan: &Plan,
    marker: Marker<'_>,
    prune: bool,
) -> Vec<String> {
    let Edits {
        new, n, changes, ..
    } = edits;
    let wanted: BTreeSet<&str> = plan.profiles.iter().map(|p| p.name.as_str()).collect();
    let stale: Vec<String> = doc
        .owned(Kind::Profile, marker)
        .filter_map(|s| s.name.clone())
        .filter(|name| !wanted.contains(name.as_str()))
        .collect();
    let mut stale_kept = Vec::new();
    for name in &stale {
        if !prune {
            stale_kept.push(name.clone());
            continue;
        }
        match new.remove_section(Kind::Profile, name, marker) {
            Ok(Ok(true)) => {
                n.removed += 1;
                changes.push((name.clone(), Change::Removed));
            }
            Ok(Ok(false)) => {}
            Ok(Err(clash)) => {
                n.skipped += 1;
                crate::output::note(&format!(
                    "not removing profile \"{}\": {}",
                    printable(name),
                    printable(&clash.to_string())
                ));
            }
            Err(mut e) => {
                n.skipped += 1;
                e.message = format!(
                    "not removing profile \"{}\": {}",
                    printable(name),
                    printable(&e.message)
                );
                crate::output::note_error(&e);
            }
        }
    }
    stale_kept
}

/// Say what changed, then show the diff (`--dry-run`) or write the file.
fn finish(
    args: &PopulateArgs,
    file: &ConfigFile,
    session_name: &str,
    edits: &Edits,
    stale_kept: &[String],
) -> Result<i32> {
    let (path, doc, new, n, changes) =
        (&file.path, &file.doc, &edits.new, &edits.n, &edits.changes);
    let summary = format!(
        "{} added, {} updated, {} removed, {} unchanged, {} skipped",
        n.added, n.updated, n.removed, n.unchanged, n.skipped
    );
    let shown = path.display();
    // The names, not only the counts (`--dry-run`: what would be).
    let named = |change: Change| -> Vec<String> {
        changes
            .iter()
            .filter(|(_, c)| *c == change)
            .map(|(name, _)| name.clone())
            .collect()
    };
    let would = if args.dry_run { "would be " } else { "" };
    for (label, names) in [
        ("added", named(Change::Added)),
        ("updated", named(Change::Updated)),
        ("removed", named(Change::Removed)),
        ("kept as they were", edits.unchanged.clone()),
    ] {
        if !names.is_empty() {
            crate::output::note(&format!("{would}{label}: {}", name_list(&names)));
        }
    }
    if !stale_kept.is_empty() {
        crate::output::note(&format!(
            "{} profile(s) populated earlier for sso-session {:?} no longer exist upstream and are kept: {}; `--prune` removes them",
            stale_kept.len(),
            printable(session_name),
            name_list(stale_kept)
        ));
    }
    if args.dry_run {
        super::emit(&diff(path, doc, new, changes))?;
        crate::output::note(&format!(
            "dry run, {shown} was not changed: would be {summary}"
        ));
        return Ok(0);
    }
    match edit::write_config(path, &file.original, new.to_bytes())? {
        Written::Unchanged => {
            crate::output::note(&format!(
                "{shown} is up to date, nothing changed ({summary})"
            ));
        }
        Written::Written { target, backup } => {
            if let Some(b) = backup {
                crate::output::note(&format!("saved the previous config as {}", b.display()));
            }
            crate::output::note(&format!("updated {}: {summary}", target.display()));
        }
    }
    Ok(0)
}

/// Profile names for a note: the first 20, then how many more.
fn name_list(names: &[String]) -> String {
    const SHOWN: usize = 20;
    let mut out: Vec<String> = names
        .iter()
        .take(SHOWN)
        .map(|n| printable(n).into_owned())
        .collect();
    if names.len() > SHOWN {
        out.push(format!("… and {} more", names.len() - SHOWN));
    }
    out.join(", ")
}

#[derive(Debug, Default)]
struct Counts {
    added: usize,
    updated: usize,
    removed: usize,
    unchanged: usize,
    skipped: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Added,
    Updated,
    Removed,
}

/// No `--sso-session`: the config's only sso-session, else a usage error listing them.
fn only_session(config: &Config) -> Result<String> {
    let names = config.sso_session_names();
    if let [one] = names.as_slice() {
        return Ok(one.clone());
    }
    let lines: Vec<String> = names
        .iter()
        .map(|n| format!("    {}", printable(n)))
        .collect();
    let (msg, hint) = if names.is_empty() {
        (
            format!(
                "{} has no [sso-session …] to populate from",
                config.path.display()
            ),
            "run `aws configure sso` to add one (populate writes profiles that use it)".to_owned(),
        )
    } else {
        (
            format!(
                "which sso-session? {} has {}",
                config.path.display(),
                names.len()
            ),
            format!(
                "name one: `ssoenv populate --sso-session {}`",
                shell_words::quote(&names[0])
            ),
        )
    };
    Err(Error::config(msg)
        .details(super::pick::block("sso-sessions", &lines, "none"))
        .hint(hint))
}

// ---------------------------------------------------------------- template

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Field(&'static str),
}

/// A profile-name template such as `{account_name}.{role_name}`; `{{` and
/// `}}` are literal braces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template(Vec<Piece>);

impl Template {
    pub(crate) fn parse(t: &str) -> Result<Template> {
        let valid = || {
            FIELDS
                .iter()
                .map(|f| format!("{{{f}}}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let bad = |why: String| {
            Error::config(format!("invalid --template {:?}: {why}", printable(t))).hint(format!(
                "the fields are {}; for example --template '{{account_name}}.{{role_name}}'",
                valid()
            ))
        };
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut chars = t.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) => name.push(c),
                            None => return Err(bad("a `{` is not closed".to_owned())),
                        }
                    }
                    let Some(field) = FIELDS.iter().find(|f| **f == name) else {
                        return Err(bad(format!("unknown field {{{}}}", printable(&name))));
                    };
                    if !text.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut text)));
                    }
                    pieces.push(Piece::Field(field));
                }
                '}' => return Err(bad("a `}` without `{` (write `}}` for a brace)".to_owned())),
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        if !pieces.iter().any(|p| matches!(p, Piece::Field(_))) {
            return Err(bad(
                "it uses no field, so every profile would get the same name".to_owned(),
            ));
        }
        Ok(Template(pieces))
    }

    fn render(&self, value: impl Fn(&str) -> String) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.clone(),
                Piece::Field(f) => value(f),
            })
            .collect()
    }
}

/// A profile name a shell and botocore take as it is: letters, digits, `.`,
/// `_` and `-` kept; control characters dropped; spaces and every other
/// character become `-`; runs of `-` collapse to one; `-` and `.` trimmed
/// from both ends (a name must not look like an option).
pub(crate) fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_control() || crate::text::is_control(c) {
            continue;
        }
        let c = if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
            c
        } else {
            '-'
        };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    out.trim_matches(['-', '.']).to_owned()
}

// ---------------------------------------------------------------- plan

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Planned {
    pub(crate) name: String,
    pub(crate) account_id: String,
    pub(crate) role_name: String,
}

#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub(crate) profiles: Vec<Planned>,
    /// What could not get a name of its own, said for a person.
    pub(crate) skipped: Vec<String>,
}

/// The profile for each account and role. Names depend only on what the
/// portal lists, never on order: accounts whose names normalise alike get
/// `-ACCOUNTID` after the name, and profiles that would still share a name
/// across accounts get `-ACCOUNTID` at the end.
pub(crate) fn plan(all: &[AccountRoles], session: &str, template: &Template) -> Plan {
    let account_name = |a: &AccountRoles| {
        let n = a.account_name.as_deref().map(normalise).unwrap_or_default();
        if n.is_empty() {
            a.account_id.clone()
        } else {
            n
        }
    };
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for a in all {
        *by_name.entry(account_name(a)).or_default() += 1;
    }
    let mut first: Vec<(String, &AccountRoles, &str)> = Vec::new();
    for a in all {
        let mut name = account_name(a);
        if by_name[&name] > 1 && name != a.account_id {
            name = format!("{name}-{}", a.account_id);
        }
        for role in &a.roles {
            let rendered = template.render(|f| match f {
                "account_name" => name.clone(),
                "account_id" => a.account_id.clone(),
                "role_name" => role.clone(),
                _ => session.to_owned(),
            });
            first.push((normalise(&rendered), a, role));
        }
    }
    // Still shared across accounts (a template without the account): suffix the id.
    let mut accounts_of: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for (n, a, _) in &first {
        accounts_of.entry(n).or_default().insert(&a.account_id);
    }
    let suffix: Vec<bool> = first
        .iter()
        .map(|(n, _, _)| accounts_of[n.as_str()].len() > 1)
        .collect();
    let mut taken: BTreeMap<String, Planned> = BTreeMap::new();
    let mut plan = Plan::default();
    for ((n, a, role), suffix) in first.into_iter().zip(suffix) {
        let name = if suffix {
            normalise(&format!("{n}-{}", a.account_id))
        } else {
            n
        };
        if name.is_empty() {
            plan.skipped.push(format!(
                "account {} role {}: the template gives an empty name",
                a.account_id, role
            ));
            continue;
        }
        let p = Planned {
            name: name.clone(),
            account_id: a.account_id.clone(),
            role_name: role.to_owned(),
        };
        if let Some(other) = taken.get(&name) {
            plan.skipped.push(format!(
                "account {} role {}: its profile name {name:?} is already that of account {} role {}",
                a.account_id, role, other.account_id, other.role_name
            ));
            continue;
        }
        taken.insert(name, p.clone());
        plan.profiles.push(p);
    }
    plan
}

// ---------------------------------------------------------------- diff

/// The changes as unified-style hunks: `-` lines of the sections as they
/// were, `+` lines as they will be.
fn diff(
    path: &std::path::Path,
    old: &Document,
    new: &Document,
    changes: &[(String, Change)],
) -> String {
    let shown = path.display();
    let mut out = String::new();
    if changes.is_empty() {
        return out;
    }
    out.push_str(&format!("--- {shown}\n+++ {shown} (after populate)\n"));
    let text_of = |doc: &Document, name: &str| -> Vec<String> {
        doc.find(Kind::Profile, name)
            .next()
            .map(|s| {
                let bytes = &doc.to_bytes()[s.span()];
                String::from_utf8_lossy(bytes)
                    .lines()
                    .map(|l| printable(l.trim_end_matches('\r')).into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    for (name, change) in changes {
        let label = match change {
            Change::Added => "added",
            Change::Updated => "updated",
            Change::Removed => "removed",
        };
        out.push_str(&format!("@@ profile {} ({label}) @@\n", printable(name)));
        if *change != Change::Added {
            for l in text_of(old, name) {
                out.push_str(&format!("-{l}\n"));
            }
        }
        if *change != Change::Removed {
            for l in text_of(new, name) {
                out.push_str(&format!("+{l}\n"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: &Plan) -> Vec<&str> {
        p.profiles.iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn names_are_normalised_for_shells_and_botocore() {
        assert_eq!(normalise("My Team / Prod"), "My-Team-Prod");
        assert_eq!(normalise("  a\tb\x1b[31m  "), "ab-31m");
        assert_eq!(normalise("--x--"), "x");
        assert_eq!(normalise("it's $HOME;`rm`"), "it-s-HOME-rm");
        assert_eq!(normalise("ünï.Admin"), "ünï.Admin");
        assert_eq!(normalise("a\u{85}b"), "ab");
        assert_eq!(normalise(".hidden."), "hidden");
    }

    #[test]
    fn unknown_template_fields_are_refused_listing_the_valid_ones() {
        let e = Template::parse("{account}.{role_name}").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        let shown = e.to_string();
        assert!(shown.contains("{account}"), "{shown}");
        assert!(
            shown.contains("{account_name} {account_id} {role_name} {session}"),
            "{shown}"
        );
        assert!(Template::parse("{role_name").is_err());
        assert!(Template::parse("x}").is_err());
        assert!(Template::parse("static").is_err());
        assert!(Template::parse("{{{role_name}}}").is_ok());
    }

    #[test]
    fn duplicate_account_names_get_their_ids_whatever_the_order() {
        let t = Template::parse("{account_name}.{role_name}").unwrap();
        let a = [
            AccountRoles::example("111", Some("prod"), &["Admin"]),
            AccountRoles::example("222", Some("prod"), &["Admin"]),
            AccountRoles::example("333", Some("dev"), &["Admin"]),
            AccountRoles::example("444", None, &["Admin"]),
        ];
        let p = plan(&a, "corp", &t);
        assert_eq!(
            names(&p),
            ["prod-111.Admin", "prod-222.Admin", "dev.Admin", "444.Admin"]
        );
        let mut rev = a.to_vec();
        rev.reverse();
        let p2 = plan(&rev, "corp", &t);
        let mut again = names(&p2);
        again.sort();
        let mut first = names(&p);
        first.sort();
        assert_eq!(first, again);
    }

    #[test]
    fn a_template_without_the_account_still_gives_distinct_names() {
        let t = Template::parse("{role_name}").unwrap();
        let p = plan(
            &[
                AccountRoles::example("111", Some("a"), &["Admin", "Solo"]),
                AccountRoles::example("222", Some("b"), &["Admin"]),
            ],
            "corp",
            &t,
        );
        assert_eq!(names(&p), ["Admin-111", "Solo", "Admin-222"]);
        // Two roles of one account that normalise alike: the second is skipped, said why.
        let p = plan(
            &[AccountRoles::example(
                "1",
                Some("a"),
                &["Read Only", "Read-Only"],
            )],
            "s",
            &t,
        );
        assert_eq!(names(&p), ["Read-Only"]);
        assert_eq!(p.skipped.len(), 1, "{:?}", p.skipped);
    }
}
