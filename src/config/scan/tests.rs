use super::*;
use crate::config::tests::Rng;
use crate::error::{Error, Result};
use std::path::PathBuf;

const PATH: &str = "/home/u/.aws/config";

/// The full parse (text that is not UTF-8 refused as `Config::load` does).
fn full(bytes: &[u8]) -> Result<Config> {
    let text = std::str::from_utf8(bytes).map_err(|_| Error::config("not UTF-8"))?;
    Config::parse(PathBuf::from(PATH), text)
}

fn lazy(text: &str, name: &str) -> Option<Profile> {
    lazy_bytes(text.as_bytes(), name)
}

fn lazy_bytes(bytes: &[u8], name: &str) -> Option<Profile> {
    lazy_in_pieces(bytes, name, PIECE)
}

fn lazy_in_pieces(bytes: &[u8], name: &str, piece: usize) -> Option<Profile> {
    let found = profile(Path::new(PATH), || Some(bytes), name, piece)?;
    // What a memo would read again: the sections where the scan says they
    // lie, each still kept, give the same profile.
    assert_eq!(found.profiles[0], name);
    let text = String::from_utf8(cut(bytes, &found.sections, &found.profiles)).unwrap();
    let again = profile_from_sections(Path::new(PATH), &text, name, &found.profiles);
    assert_eq!(again.as_ref(), Some(&found.profile));
    Some(found.profile)
}

/// The `sections` cut from the file's `bytes` as `memo.rs` reads them again,
/// each of them checked to be still kept for `profiles`.
fn cut(bytes: &[u8], sections: &[Section], profiles: &[String]) -> Vec<u8> {
    let mut text = Vec::new();
    for s in sections {
        let around = window(s, bytes.len() as u64);
        let read = &bytes[around.start as usize..around.end as usize];
        let section = kept_again(read, around.start, s, profiles);
        assert!(
            section.is_some(),
            "{s:?} not kept again in {:?}",
            String::from_utf8_lossy(read)
        );
        text.extend_from_slice(section.unwrap());
    }
    text
}

/// What a pass keeps, checked against where it says the sections lie: the
/// sections, cut from the file, are the text.
fn pass_text(bytes: &[u8], profiles: &[String], piece: usize) -> Option<String> {
    let kept = pass(bytes, profiles, piece)?;
    assert_eq!(cut(bytes, &kept.sections, profiles), kept.text.as_bytes());
    Some(kept.text)
}

/// What `Config::load_profile` answers for a file with these bytes.
fn resolve(bytes: &[u8], name: &str) -> Result<Profile> {
    match lazy_bytes(bytes, name) {
        Some(p) => Ok(p),
        None => full(bytes)?.profile(name),
    }
}

fn same_error(a: &Error, b: &Error) -> bool {
    (a.kind, &a.message, &a.causes, &a.details, &a.hint)
        == (b.kind, &b.message, &b.causes, &b.details, &b.hint)
}

const CHAIN: &str = "\
[profile top]
role_arn = arn:aws:iam::123456789012:role/Top
source_profile = middle

[profile middle]
role_arn = arn:aws:iam::123456789012:role/Middle
source_profile = base

[profile base]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin
services = local

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[services local]
sso =
  endpoint_url = http://127.0.0.1:1
";

#[test]
fn a_chain_reads_its_profiles_session_and_services_and_nothing_else() {
    let text = format!("{CHAIN}\n[profile broken]\nregion = a\nRegion = b\n[profile broken]\n");
    // The whole file is refused (a duplicate key, a duplicate section) ...
    assert!(full(text.as_bytes()).is_err());
    // ... but what `top` reads is sound, and reads as in a file without them.
    let p = lazy(&text, "top").expect("resolved from its own sections");
    assert_eq!(p, full(CHAIN.as_bytes()).unwrap().profile("top").unwrap());
    assert_eq!(
        p.sso_root().unwrap().endpoints.sso.as_deref(),
        Some("http://127.0.0.1:1")
    );
    // A broken section the profile does read is the full parse's refusal.
    let bad = format!("{CHAIN}[profile base]\n");
    assert!(lazy(&bad, "top").is_none());
    let e = resolve(bad.as_bytes(), "top").unwrap_err();
    assert!(e.message.contains("appears twice"), "{}", e.message);
}

#[test]
fn names_map_to_sections_as_in_the_full_parse() {
    let sso = "sso_session = corp\nsso_account_id = 1\nsso_role_name = R\n";
    let session = "[sso-session corp]\nsso_start_url = u\nsso_region = us-east-1\n";
    let cases = [
        // The later of [default] and [profile default] wins, without merging.
        format!("[default]\n{sso}region = one\n[profile default]\n{sso}region = two\n{session}"),
        // Two spellings of one name, quoted and spaced: the later wins.
        format!(
            "[profile  \"default\" ] ; c\n{sso}region = one\n[profile default]\n{sso}{session}"
        ),
        // `profilex NAME` is a profile for botocore too (prefix match).
        format!("[profilex default]\n{sso}region = x\n{session}"),
        // [DEFAULT] (reopened) is under every section.
        format!(
            "[DEFAULT]\nsso_role_name = R\n[default]\nsso_session = corp\n[DEFAULT]\nsso_account_id = 1\n{session}"
        ),
        // CRLF, a BOM and a sub-section.
        format!(
            "\u{feff}[default]\r\n{}\r\ns3 =\r\n  a = b\r\n{session}",
            sso.replace('\n', "\r\n")
        ),
    ];
    for text in cases {
        let want = full(text.as_bytes()).unwrap().profile("default").unwrap();
        assert_eq!(lazy(&text, "default"), Some(want), "{text:?}");
    }
}

#[test]
fn an_indented_header_line_is_left_to_the_full_parse() {
    // `  [profile b]` may continue the value above: only the full parse can tell.
    for indent in [" ", "\t", "\u{a0}", "\u{2003}"] {
        let text = format!("[profile a]\nsso_session = corp\nk = v\n{indent}[profile b]\n");
        assert_eq!(
            pass_text(text.as_bytes(), &["a".to_owned()], PIECE),
            None,
            "{indent:?}"
        );
    }
    // A `[` inside a value, or an indented one that cannot be a header, is just text.
    let text = "[profile a]\nk = [x]\n  [y\n[profile b]\n";
    assert_eq!(
        pass_text(text.as_bytes(), &["a".to_owned()], PIECE).as_deref(),
        Some("[profile a]\nk = [x]\n  [y\n")
    );
}

#[test]
fn sections_are_found_across_pieces_and_in_lines_longer_than_a_piece() {
    // Headers and CRLF pairs fall on every side of the piece boundaries.
    let long = "x".repeat(3 * PIECE);
    let mut text = format!("[profile a]\r\nk = {long}\r\n");
    for i in 0..20_000 {
        text.push_str(&format!("[profile p{i}]\r\nregion = r{i}\r\n"));
    }
    text.push_str("[profile z]\r\nregion = last");
    let kept = pass_text(
        text.as_bytes(),
        &["a".into(), "p7777".into(), "z".into()],
        PIECE,
    )
    .unwrap();
    assert_eq!(
        kept,
        format!(
            "[profile a]\r\nk = {long}\r\n[profile p7777]\r\nregion = r7777\r\n[profile z]\r\nregion = last"
        )
    );
}

// --- the lazy lookup against the full parse on random configs ---

const HEADERS: &[&str] = &[
    "[profile {n}]",
    "[profile {n}]",
    "[profile {n}]",
    "[default]",
    "[profile default]",
    "[sso-session {s}]",
    "[sso-session {s}]",
    "[services {v}]",
    "[DEFAULT]",
    "[Profile {n}]",
    "[profile  {n} ]",
    "[profile \"{n}\"]",
    "[profile '{n}' ] ; note",
    "[profilex {n}]",
    "[profile {n} extra]",
    "[profile{n}]",
    "[sso-session {s}]]",
    "[other]",
    "[]",
    "[profile {n}",
];

const LINES: &[&str] = &[
    "sso_session = {s}",
    "SSO_Session = {s}",
    "sso_account_id = 111122223333",
    "sso_role_name = Admin",
    "sso_start_url = https://corp.awsapps.com/start",
    "sso_start_url = https://other.awsapps.com/start",
    "sso_region = us-east-1",
    "Sso_Region: eu-west-1",
    "sso_registration_scopes = sso:account:access, x",
    "region = eu-west-1",
    "region =",
    "role_arn = arn:aws:iam::123456789012:role/R",
    "role_arn = arn:aws:iam::123456789012:role/S",
    "source_profile = {n}",
    "source_profile = {n}",
    "role_session_name = s1",
    "duration_seconds = 900",
    "mfa_serial = arn:aws:iam::123456789012:mfa/u",
    "aws_access_key_id = AKIDEXAMPLE",
    "aws_secret_access_key = secret",
    "services = {v}",
    "endpoint_url = http://127.0.0.1:1",
    "ignore_configured_endpoint_urls = true",
    "sso =\n  endpoint_url = http://127.0.0.1:2",
    "sso_oidc =\n  endpoint_url = http://127.0.0.1:3\n\n  other = 1",
    "credential_process = /bin/x",
    "# comment",
    "; [profile a]",
    "",
    "  continued",
    "  [profile b]",
    "\u{a0}[default]",
    "key = [profile a]",
    "junk",
];

const PROFILES: &[&str] = &[
    "sso_session = {s}\nsso_account_id = 111122223333\nsso_role_name = Admin",
    "sso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R",
    "role_arn = arn:aws:iam::123456789012:role/R\nsource_profile = {n}",
    "role_arn = arn:aws:iam::123456789012:role/R\nsource_profile = {n}\nregion = us-west-2",
    "aws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret",
    "region = eu-central-1",
];
const SESSION: &str = "sso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1";
const SERVICE: &str = "sso =\n  endpoint_url = http://127.0.0.1:2";

const NAMES: &[&str] = &["a", "b", "dev", "Dev", "default", "x y"];
const SESSIONS: &[&str] = &["corp", "Corp", "other"];
const SERVICES: &[&str] = &["local", "x"];

fn fill(rng: &mut Rng, pattern: &str) -> String {
    pattern
        .replace("{n}", NAMES[rng.below(NAMES.len())])
        .replace("{s}", SESSIONS[rng.below(SESSIONS.len())])
        .replace("{v}", SERVICES[rng.below(SERVICES.len())])
}

/// A random config: a few sections drawn from small pools of names and
/// lines, so duplicates, chains, loops and references occur often.
pub(in crate::config) fn random_config(rng: &mut Rng) -> Vec<u8> {
    let eol = ["\n", "\r\n", "\r", "\n"][rng.below(4)];
    let mut text = String::new();
    if rng.below(10) == 0 {
        text.push('\u{feff}');
    }
    if rng.below(10) == 0 {
        text.push_str("# top comment");
        text.push_str(eol);
    }
    for _ in 0..rng.below(8) {
        let header = HEADERS[rng.below(HEADERS.len())];
        text.push_str(&fill(rng, header));
        text.push_str(eol);
        // A body that resolves as the header's kind, then perhaps a few lines more.
        let core = if header.starts_with("[sso-session") {
            SESSION
        } else if header.starts_with("[services") {
            SERVICE
        } else {
            PROFILES[rng.below(PROFILES.len())]
        };
        text.push_str(&fill(rng, core).replace('\n', eol));
        text.push_str(eol);
        for _ in 0..rng.below(6).saturating_sub(2) {
            // Rare lines (refusals, indented headers) only now and then.
            let mut i = rng.below(LINES.len());
            if i >= LINES.len() - 4 && rng.below(4) != 0 {
                i = rng.below(LINES.len() - 4);
            }
            text.push_str(&fill(rng, LINES[i]).replace('\n', eol));
            text.push_str(eol);
        }
    }
    let mut bytes = text.into_bytes();
    // Now and then a byte that is not UTF-8.
    if !bytes.is_empty() && rng.below(25) == 0 {
        let at = rng.below(bytes.len());
        bytes[at] = 0xff;
    }
    bytes
}

#[test]
fn the_lazy_lookup_answers_as_the_full_parse_on_random_configs() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut lazy_hits, mut full_ok) = (0, 0);
    for _ in 0..4000 {
        let bytes = random_config(&mut rng);
        let shown = String::from_utf8_lossy(&bytes).into_owned();
        let parsed = full(&bytes);
        let mut names: Vec<String> = ["a", "b", "dev", "Dev", "default", "x y", "missing", ""]
            .map(str::to_owned)
            .to_vec();
        if let Ok(c) = &parsed {
            names.extend(c.profile_names());
        }
        for name in &names {
            let got = resolve(&bytes, name);
            let Ok(c) = &parsed else {
                // The whole file is refused: a profile that reads only sound
                // sections still resolves, anything else is that refusal.
                if let (Err(g), Err(want)) = (&got, &parsed) {
                    assert!(same_error(g, want), "{shown:?} {name:?}: {g:?} vs {want:?}");
                }
                continue;
            };
            let want = c.profile(name);
            match (&got, &want) {
                (Ok(g), Ok(w)) => assert_eq!(g, w, "{shown:?} {name:?}"),
                (Err(g), Err(w)) => {
                    assert!(same_error(g, w), "{shown:?} {name:?}: {g:?} vs {w:?}")
                }
                _ => panic!("{shown:?} {name:?}: {got:?} vs {want:?}"),
            }
            if want.is_ok() {
                full_ok += 1;
                // The scan reads every file the full parse reads except
                // those with an indented header line.
                let lazy = lazy_bytes(&bytes, name);
                let indented = shown.split(['\n', '\r']).any(|l| {
                    l.starts_with(crate::config::parse::py_space)
                        && crate::config::parse::py_trim(l).starts_with('[')
                });
                if !indented {
                    assert!(lazy.is_some(), "{shown:?} {name:?}: not resolved lazily");
                }
                lazy_hits += usize::from(lazy.is_some());
                // Read a few bytes at a time: the same answer.
                let piece = 1 + rng.below(40);
                assert_eq!(
                    lazy_in_pieces(&bytes, name, piece),
                    lazy,
                    "{shown:?} {name:?} {piece}"
                );
            }
        }
    }
    // The generator reaches the interesting cases often enough.
    assert!(full_ok > 300, "{full_ok} profiles resolved");
    assert!(lazy_hits * 10 > full_ok * 7, "{lazy_hits} of {full_ok}");
}
