use super::*;
use crate::config::Config;
#[cfg(unix)]
use std::path::Path;

const MARK: Marker<'static> = Marker {
    key: "ssoenv_populated",
    value: "corp",
};

/// The section the corpus files hold that `MARK` owns.
const OWNED: &str = "[profile owned-a]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Admin
ssoenv_populated = corp
";

/// Real-world-shaped files; `{OWNED}` is where the owned section sits.
const CORPUS: &[&str] = &[
    // Comments everywhere, sub-sections, hand-written and legacy profiles, an
    // owned section in the middle.
    r#"# AWS config, maintained by hand
; a semicolon comment

[default]
region = us-east-1
output = json
s3 =
  max_concurrent_requests = 10
  addressing_style = path

# corp sessions
[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile hand]   ; note after the header
sso_session = corp
sso_account_id = 222222222222
sso_role_name = ReadOnly
region = eu-west-1 # inline comments stay in the value
unknown_key = whatever
  continued line

{OWNED}
[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-west-2
sso_account_id = 333333333333
sso_role_name = Admin
	# tab-indented comment

[services local]
sso_oidc =
  endpoint_url = http://127.0.0.1:8123

[plugins]
cli_legacy_plugin_path = /opt/x
[profile "quoted name"]
region = ap-south-1
[profile last]
region = us-east-2
# trailing comment
"#,
    // A reopened [DEFAULT], `:` separators, the owned section last.
    "[DEFAULT]
a = 1
[sso-session corp]
sso_start_url: https://d-1234567890.awsapps.com/start
sso_region: us-east-1
[profile x]
region = eu-central-1
[DEFAULT]
b = 2

{OWNED}",
    // The owned section first, with comments right after it.
    "{OWNED}; about the next one
[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = us-east-1


[profile after]
region = us-east-1
",
];

/// The corpus file in a variant: CRLF line endings, a BOM, no final newline.
fn variant(template: &str, crlf: bool, bom: bool, chop: bool) -> String {
    let mut t = template.replace("{OWNED}", OWNED).replace("\\t", "\t");
    if chop {
        while t.ends_with('\n') {
            t.pop();
        }
    }
    if crlf {
        t = t.replace('\n', "\r\n");
    }
    if bom {
        t.insert(0, '\u{feff}');
    }
    t
}

fn variants() -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for t in CORPUS {
        for crlf in [false, true] {
            for bom in [false, true] {
                for chop in [false, true] {
                    out.push((
                        variant(t, crlf, bom, chop),
                        if crlf { "\r\n" } else { "\n" },
                    ));
                }
            }
        }
    }
    out
}

fn doc(text: &str) -> Document {
    Document::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{e:?}\n{text}"))
}

fn text(d: &Document) -> &str {
    std::str::from_utf8(d.to_bytes()).unwrap()
}

const NEW: &[(&str, &str)] = &[
    ("sso_session", "corp"),
    ("sso_account_id", "444444444444"),
    ("sso_role_name", "PowerUser"),
    ("region", "eu-north-1"),
    ("ssoenv_populated", "corp"),
];

fn new_profile_text(name: &str, eol: &str) -> String {
    let mut s = format!("[profile {name}]{eol}");
    for (k, v) in NEW {
        s.push_str(&format!("{k} = {v}{eol}"));
    }
    s
}

fn resolves(text: &str, name: &str) {
    let c = Config::parse("config".into(), text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    let p = c
        .resolve(name)
        .unwrap_or_else(|e| panic!("{name}: {e:?}\n{text}"));
    assert_eq!(p.account_id, "444444444444");
    assert_eq!(p.role_name, "PowerUser");
    assert_eq!(p.sso.name.as_deref(), Some("corp"));
    assert_eq!(p.region.as_deref(), Some("eu-north-1"));
}

#[test]
fn appending_keeps_every_byte_before_it() {
    for (orig, eol) in variants() {
        let mut d = doc(&orig);
        let r = d.upsert_section(Kind::Profile, "new-one", NEW, Some(MARK));
        assert_eq!(r.unwrap(), Ok(Upserted::Added));
        let out = text(&d);
        let tail = new_profile_text("new-one", eol);
        let mut expected = orig.clone();
        if !expected.ends_with('\n') {
            expected.push_str(eol);
        }
        let last_blank = expected
            .trim_end_matches(['\r', '\n'])
            .rsplit('\n')
            .next()
            .is_some_and(|l| l.trim_start_matches('\u{feff}').trim().is_empty())
            && expected.len() > eol.len() + 3;
        if !last_blank {
            expected.push_str(eol);
        }
        expected.push_str(&tail);
        assert_eq!(out, expected, "{orig:?}");
        resolves(out, "new-one");
        // The new section is known to the document at once.
        assert!(
            d.find(Kind::Profile, "new-one")
                .next()
                .unwrap()
                .is_owned_by(MARK)
        );
        // And removing it gives the file back (with its final line ending).
        assert_eq!(
            d.remove_section(Kind::Profile, "new-one", MARK).unwrap(),
            Ok(true)
        );
        let back = text(&d);
        assert_eq!(
            back.trim_end_matches(['\r', '\n']),
            orig.trim_end_matches(['\r', '\n'])
        );
    }
}

#[test]
fn replacing_an_owned_section_changes_only_its_lines() {
    for (orig, eol) in variants() {
        let mut d = doc(&orig);
        let r = d.upsert_section(Kind::Profile, "owned-a", NEW, Some(MARK));
        assert_eq!(r.unwrap(), Ok(Upserted::Replaced), "{orig:?}");
        let old = OWNED.replace('\n', eol);
        let mut new = new_profile_text("owned-a", eol);
        // The owned section ends the file without a final line ending there.
        let old = if orig.contains(&old) {
            old
        } else {
            new.truncate(new.len() - eol.len());
            old[..old.len() - eol.len()].to_owned()
        };
        assert_eq!(orig.matches(&old).count(), 1);
        assert_eq!(text(&d), orig.replace(&old, &new), "{orig:?}");
        resolves(text(&d), "owned-a");
        // The same values again: nothing changes.
        let before = d.to_bytes().to_vec();
        let r = d.upsert_section(Kind::Profile, "owned-a", NEW, Some(MARK));
        assert_eq!(r.unwrap(), Ok(Upserted::Unchanged));
        assert_eq!(d.to_bytes(), before);
    }
}

#[test]
fn removing_an_owned_section_removes_its_lines_and_one_blank_line() {
    for (orig, eol) in variants() {
        let mut d = doc(&orig);
        assert_eq!(
            d.remove_section(Kind::Profile, "owned-a", MARK).unwrap(),
            Ok(true)
        );
        let out = text(&d).to_owned();
        let owned = OWNED.replace('\n', eol);
        let owned_chopped = &owned[..owned.len() - eol.len()];
        let expected = if orig.contains(&format!("{eol}{eol}{owned}{eol}")) {
            orig.replace(&format!("{owned}{eol}"), "")
        } else if orig.ends_with(&owned) || orig.ends_with(owned_chopped) {
            // Last in the file: the blank line before it goes with it.
            let cut = orig.rfind(&format!("{eol}{eol}[profile owned-a]")).unwrap();
            format!("{}{eol}", &orig[..cut])
        } else {
            // First in the file.
            orig.replacen(&owned, "", 1)
        };
        assert_eq!(out, expected, "{orig:?}");
        assert!(d.find(Kind::Profile, "owned-a").next().is_none());
        let c = Config::parse("c".into(), &out).unwrap();
        assert!(!c.profile_names().contains(&"owned-a".to_owned()));
        // Spans of the sections after it moved with the text.
        for s in d.sections() {
            assert!(
                out[s.span()]
                    .trim_start_matches('\u{feff}')
                    .starts_with('['),
                "{s:?}"
            );
        }
    }
}

#[test]
fn hand_written_sections_are_never_modified() {
    for (orig, _) in variants() {
        let mut d = doc(&orig);
        for (kind, name) in [
            (Kind::Profile, "last"),
            (Kind::Profile, "x"),
            (Kind::Profile, "after"),
            (Kind::Profile, "quoted name"),
            (Kind::Profile, "default"),
            (Kind::SsoSession, "corp"),
        ] {
            if d.find(kind, name).next().is_none() {
                continue;
            }
            let r = d.upsert_section(kind, name, NEW, Some(MARK)).unwrap();
            let clash = r.unwrap_err();
            assert_eq!(clash.reason, ClashReason::NotOwned);
            assert!(
                clash.to_string().contains("not written by ssoenv"),
                "{clash}"
            );
            let r = d.remove_section(kind, name, MARK).unwrap();
            assert_eq!(r.unwrap_err().reason, ClashReason::NotOwned);
            assert_eq!(text(&d), orig);
        }
        // Owned by another session's marker: not ours either.
        let other = Marker {
            key: "ssoenv_populated",
            value: "other",
        };
        assert!(
            d.remove_section(Kind::Profile, "owned-a", other)
                .unwrap()
                .is_err()
        );
        assert_eq!(text(&d), orig);
    }
}

#[test]
fn an_existing_session_with_the_same_values_is_unchanged_and_with_others_a_clash() {
    let orig = variant(CORPUS[0], false, false, false);
    let mut d = doc(&orig);
    let same = [
        ("sso_start_url", "https://d-1234567890.awsapps.com/start"),
        ("sso_region", "us-east-1"),
    ];
    let r = d
        .upsert_section(Kind::SsoSession, "corp", &same, None)
        .unwrap();
    assert_eq!(r, Ok(Upserted::Unchanged));
    let other = [
        ("sso_start_url", "https://d-1234567890.awsapps.com/start"),
        ("sso_region", "eu-west-1"),
    ];
    let r = d
        .upsert_section(Kind::SsoSession, "corp", &other, None)
        .unwrap();
    assert_eq!(r.unwrap_err().reason, ClashReason::NotOwned);
    let r = d
        .upsert_section(Kind::SsoSession, "new", &other, None)
        .unwrap();
    assert_eq!(r, Ok(Upserted::Added));
    assert!(text(&d).ends_with(
        "# trailing comment\n\n[sso-session new]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = eu-west-1\n"
    ));
    assert!(text(&d).starts_with(&orig));
}

#[test]
fn several_sections_with_one_name_are_ambiguous() {
    let orig = "[default]\nregion = a\n[profile default]\nregion = b\nssoenv_populated = corp\n";
    let mut d = doc(orig);
    let r = d
        .upsert_section(Kind::Profile, "default", NEW, Some(MARK))
        .unwrap();
    assert_eq!(r.unwrap_err().reason, ClashReason::Ambiguous);
    let r = d.remove_section(Kind::Profile, "default", MARK).unwrap();
    assert_eq!(r.unwrap_err().reason, ClashReason::Ambiguous);
    assert_eq!(text(&d), orig);
}

#[test]
fn empty_and_comment_only_files() {
    let mut d = doc("");
    d.upsert_section(Kind::Profile, "p", NEW, Some(MARK))
        .unwrap()
        .unwrap();
    assert_eq!(text(&d), new_profile_text("p", "\n"));
    let mut d = doc("# only a comment");
    d.upsert_section(Kind::Profile, "p", NEW, Some(MARK))
        .unwrap()
        .unwrap();
    assert_eq!(
        text(&d),
        format!("# only a comment\n\n{}", new_profile_text("p", "\n"))
    );
    let mut d = doc("\u{feff}");
    d.upsert_section(Kind::Profile, "p", NEW, Some(MARK))
        .unwrap()
        .unwrap();
    assert_eq!(text(&d), format!("\u{feff}{}", new_profile_text("p", "\n")));
    let mut d = doc("[a]\nk = v\n\n\n");
    d.upsert_section(Kind::Profile, "p", NEW, Some(MARK))
        .unwrap()
        .unwrap();
    assert_eq!(
        text(&d),
        format!("[a]\nk = v\n\n\n{}", new_profile_text("p", "\n"))
    );
}

#[test]
fn names_are_quoted_as_botocore_splits_them_and_unsafe_text_is_refused() {
    for name in [
        "a b",
        "it's",
        "x#y",
        "$HOME",
        "ünï",
        "semi;colon",
        "tab\there",
        " lead",
        "q\"uote",
        "back\\slash",
        "br]acket",
        "[x",
    ] {
        let name = name.replace("\\t", "\t");
        let mut d = doc(
            "[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\n",
        );
        let r = d.upsert_section(Kind::Profile, &name, NEW, Some(MARK));
        if name.contains('\t') {
            assert!(r.is_err(), "{name:?}");
            continue;
        }
        r.unwrap().unwrap();
        resolves(text(&d), &name);
        assert_eq!(doc(text(&d)).find(Kind::Profile, &name).count(), 1);
    }
    let mut d = doc("[a]\n");
    let bad: &[(&str, &[(&str, &str)])] = &[
        ("x\ny", NEW),
        ("x\ry", NEW),
        ("", NEW),
        ("ok", &[("region", "a\nb")]),
        ("ok", &[("region", "a\u{2028}b")]),
        ("ok", &[("region", " lead")]),
        ("ok", &[("region", "")]),
        ("ok", &[("Region", "x")]),
        ("ok", &[("re gion", "x")]),
        ("ok", &[("region", "x"), ("region", "y")]),
    ];
    for (name, pairs) in bad {
        let e = d.upsert_section(Kind::Profile, name, pairs, Some(MARK));
        assert!(e.is_err(), "{name:?} {pairs:?}");
    }
    assert!(d.upsert_section(Kind::Other, "x", NEW, None).is_err());
    assert_eq!(text(&d), "[a]\n");
}

#[test]
fn ownership_is_the_sections_own_marker_key() {
    // A marker in [DEFAULT] applies to every section for botocore, but owns none.
    let orig = "[DEFAULT]\nssoenv_populated = corp\n[profile hand]\nregion = x\n\n[profile mine]\nssoenv_populated = corp\n[profile theirs]\nssoenv_populated = other\n";
    let mut d = doc(orig);
    let owned: Vec<_> = d
        .owned(Kind::Profile, MARK)
        .map(|s| s.name.clone().unwrap())
        .collect();
    assert_eq!(owned, ["mine"]);
    assert!(
        d.remove_section(Kind::Profile, "hand", MARK)
            .unwrap()
            .is_err()
    );
    assert_eq!(
        d.remove_section(Kind::Profile, "mine", MARK).unwrap(),
        Ok(true)
    );
    assert_eq!(
        d.remove_section(Kind::Profile, "mine", MARK).unwrap(),
        Ok(false)
    );
    assert_eq!(
        text(&d),
        "[DEFAULT]\nssoenv_populated = corp\n[profile hand]\nregion = x\n\n[profile theirs]\nssoenv_populated = other\n"
    );
}

#[test]
fn broken_files_are_refused() {
    assert!(Document::parse(b"[a]\nk = v\n[a]\n").is_err());
    assert!(Document::parse(b"[a]\nk = \xff\n").is_err());
}

#[test]
fn an_edit_that_would_change_how_the_next_header_reads_is_undone() {
    // `  [profile b]` is a header only because the key above it is indented as much.
    let orig = "[profile a]\n  ssoenv_populated = corp\n  [profile b]\nregion = x\n";
    let mut d = doc(orig);
    assert_eq!(d.sections().len(), 2);
    assert!(
        d.upsert_section(Kind::Profile, "a", NEW, Some(MARK))
            .is_err()
    );
    assert_eq!(text(&d), orig);
}

// ---------------------------------------------------------------- botocore

use crate::test_support::have_botocore;

/// botocore reads the written file and resolves each profile's SSO settings
/// (the `sso_session` reference followed, as `SSOProvider` does).
#[test]
fn botocore_reads_the_result_and_resolves_each_new_profile() {
    if !have_botocore() {
        return;
    }
    let names = [
        "new-one",
        "a b",
        "it's",
        "x#y",
        "$HOME",
        "ünï",
        "semi;colon",
        " lead",
        "q\"uote",
        "back\\slash",
        "br]acket",
        "[x",
    ];
    // Python refuses a BOM, so the variants with one are left out here.
    for (orig, _) in variants()
        .into_iter()
        .filter(|(t, _)| !t.starts_with('\u{feff}'))
    {
        let mut d = doc(&orig);
        for n in names {
            d.upsert_section(Kind::Profile, n, NEW, Some(MARK))
                .unwrap()
                .unwrap();
        }
        d.upsert_section(Kind::Profile, "owned-a", NEW, Some(MARK))
            .unwrap()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(&path, d.to_bytes()).unwrap();
        let script = r#"
import json, sys, botocore.session
out = {}
for name in sys.argv[1:]:
    s = botocore.session.Session(profile=name)
    c = s.get_scoped_config()
    sess = s.full_config.get('sso_sessions', {}).get(c.get('sso_session'), {})
    out[name] = [c.get('sso_account_id'), c.get('sso_role_name'), c.get('region'),
                 sess.get('sso_start_url'), sess.get('sso_region')]
print(json.dumps(out))
"#;
        let mut all: Vec<&str> = names.to_vec();
        all.push("owned-a");
        let out = std::process::Command::new("python3")
            .arg("-c")
            .arg(script)
            .args(&all)
            .env("AWS_CONFIG_FILE", &path)
            .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
            .env_remove("AWS_PROFILE")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "botocore failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            text(&d)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        for n in all {
            assert_eq!(
                v[n],
                serde_json::json!([
                    "444444444444",
                    "PowerUser",
                    "eu-north-1",
                    "https://d-1234567890.awsapps.com/start",
                    "us-east-1"
                ]),
                "{n}: {v}"
            );
        }
    }
}

// ---------------------------------------------------------------- write_config

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
fn set_mode(p: &Path, m: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

#[test]
fn identical_bytes_touch_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("config");
    std::fs::write(&p, "[a]\n").unwrap();
    assert_eq!(
        write_config(&p, b"[a]\n", b"[a]\n").unwrap(),
        Written::Unchanged
    );
    assert!(!backup_path(&p).exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
#[cfg(unix)]
fn the_write_keeps_the_mode_backs_up_once_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("config");
    std::fs::write(&p, "one\r\n").unwrap();
    set_mode(&p, 0o640);
    let w = write_config(&p, b"one\r\n", b"two\r\n").unwrap();
    let bak = dir.path().join("config.ssoenv-bak");
    assert_eq!(
        w,
        Written::Written {
            target: p.clone(),
            backup: Some(bak.clone())
        }
    );
    assert_eq!(std::fs::read(&p).unwrap(), b"two\r\n");
    assert_eq!(mode(&p), 0o640);
    assert_eq!(std::fs::read(&bak).unwrap(), b"one\r\n");
    assert_eq!(mode(&bak), 0o640);
    // The backup is the state before ssoenv's first change, kept from then on.
    let w = write_config(&p, b"two\r\n", b"three\r\n").unwrap();
    assert_eq!(
        w,
        Written::Written {
            target: p.clone(),
            backup: None
        }
    );
    assert_eq!(std::fs::read(&bak).unwrap(), b"one\r\n");
    assert_eq!(std::fs::read(&p).unwrap(), b"three\r\n");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
#[cfg(unix)]
fn a_symlinked_config_is_written_through_to_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let real_dir = dir.path().join("dotfiles");
    std::fs::create_dir(&real_dir).unwrap();
    let target = real_dir.join("aws-config");
    std::fs::write(&target, "old\n").unwrap();
    set_mode(&target, 0o604);
    let aws = dir.path().join(".aws");
    std::fs::create_dir(&aws).unwrap();
    let link = aws.join("config");
    std::os::unix::fs::symlink("../dotfiles/aws-config", &link).unwrap();
    // A chain of links too.
    let link2 = dir.path().join("link2");
    std::os::unix::fs::symlink(&link, &link2).unwrap();
    let w = write_config(&link2, b"old\n", b"new\n").unwrap();
    let Written::Written { target: t, backup } = w else {
        panic!("{w:?}")
    };
    assert_eq!(t, aws.join("../dotfiles/aws-config"));
    assert_eq!(backup, Some(aws.join("../dotfiles/aws-config.ssoenv-bak")));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::symlink_metadata(&link2)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"new\n");
    assert_eq!(mode(&target), 0o604);
    assert_eq!(
        std::fs::read(real_dir.join("aws-config.ssoenv-bak")).unwrap(),
        b"old\n"
    );
    assert!(!aws.join("config.ssoenv-bak").exists());
}

#[test]
fn a_file_changed_since_it_was_read_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("config");
    std::fs::write(&p, "edited meanwhile\n").unwrap();
    let e = write_config(&p, b"as read\n", b"ours\n").unwrap_err();
    assert_eq!(e.exit_code(), 1);
    assert!(e.message.contains("changed while"), "{e:?}");
    assert_eq!(std::fs::read(&p).unwrap(), b"edited meanwhile\n");
    assert!(!backup_path(&p).exists());
    // Removed meanwhile, or created meanwhile: the same.
    let gone = dir.path().join("gone");
    assert!(write_config(&gone, b"as read\n", b"ours\n").is_err());
    assert!(!gone.exists());
    assert!(write_config(&p, b"", b"ours\n").is_err());
    assert_eq!(std::fs::read(&p).unwrap(), b"edited meanwhile\n");
}

#[test]
fn stale_temporary_files_of_ours_are_removed_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("config");
    std::fs::write(&p, "a\n").unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let names = [
        ".config.ssoenv.123.0.tmp",
        ".config.ssoenv.123.x.tmp",
        ".other.ssoenv.123.0.tmp",
        ".config.123.0.tmp",
    ];
    for n in names {
        let f = std::fs::File::create(dir.path().join(n)).unwrap();
        f.set_modified(old).unwrap();
    }
    let fresh = dir.path().join(".config.ssoenv.124.0.tmp");
    std::fs::write(&fresh, "").unwrap();
    write_config(&p, b"a\n", b"b\n").unwrap();
    assert!(!dir.path().join(names[0]).exists());
    for n in &names[1..] {
        assert!(dir.path().join(n).exists(), "{n}");
    }
    assert!(fresh.exists(), "a live writer's file is left alone");
}

#[test]
fn a_new_config_file_is_created_without_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(".aws").join("config");
    let w = write_config(&p, b"", b"[profile p]\n").unwrap();
    assert_eq!(
        w,
        Written::Written {
            target: p.clone(),
            backup: None
        }
    );
    assert_eq!(std::fs::read(&p).unwrap(), b"[profile p]\n");
    #[cfg(unix)]
    assert_eq!(mode(&p), 0o600);
}

#[test]
fn the_whole_path_parse_edit_write() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("config");
    let orig = variant(CORPUS[0], true, true, true);
    std::fs::write(&p, &orig).unwrap();
    let read = std::fs::read(&p).unwrap();
    let mut d = Document::parse(&read).unwrap();
    d.upsert_section(Kind::Profile, "new-one", NEW, Some(MARK))
        .unwrap()
        .unwrap();
    d.remove_section(Kind::Profile, "owned-a", MARK)
        .unwrap()
        .unwrap();
    write_config(&p, &read, d.to_bytes()).unwrap();
    let now = std::fs::read_to_string(&p).unwrap();
    resolves(&now, "new-one");
    assert!(now.starts_with('\u{feff}'));
    assert!(!now.replace("\r\n", "").contains('\n'));
    assert_eq!(std::fs::read(backup_path(&p)).unwrap(), orig.as_bytes());
}
