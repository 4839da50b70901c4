//! `ssoenv::config::edit` as the commands that write the config will use it:
//! read, edit, write, and the binary reads the result. (The byte-for-byte
//! corpus, botocore and file-system cases are unit tests in src/config/edit/.)

use crate::support;
use ssoenv::config::edit::{ClashReason, Document, Kind, Marker, Upserted, Written, write_config};
use support::*;

#[test]
fn populate_shaped_edit_round_trips_through_the_binary() {
    let sb = Sandbox::new();
    let path = sb.home.join(".aws").join("config");
    let before = std::fs::read(&path).unwrap();
    let mark = Marker {
        key: "ssoenv_populated",
        value: "ssoenv-emulator",
    };
    let mut doc = Document::parse(&before).unwrap();
    let session = doc
        .sections()
        .iter()
        .find(|s| s.kind == Kind::SsoSession)
        .and_then(|s| s.name.clone())
        .expect("the sandbox config has an sso-session");
    let pairs = [
        ("sso_session", session.as_str()),
        ("sso_account_id", "123456789012"),
        ("sso_role_name", "ReadOnly"),
        ("ssoenv_populated", "ssoenv-emulator"),
    ];
    let r = doc.upsert_section(Kind::Profile, "populated one", &pairs, Some(mark));
    assert_eq!(r.unwrap(), Ok(Upserted::Added));
    // A hand-written profile of the same name as one we would write: reported, kept.
    let r = doc.upsert_section(Kind::Profile, "dev", &pairs, Some(mark));
    assert_eq!(r.unwrap().unwrap_err().reason, ClashReason::NotOwned);
    assert!(doc.to_bytes().starts_with(&before));
    let w = write_config(&path, &before, doc.to_bytes()).unwrap();
    assert!(
        matches!(
            w,
            Written::Written {
                backup: Some(_),
                ..
            }
        ),
        "{w:?}"
    );

    let out = sb.run(["profiles", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let p = v
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "populated one")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(p["account_id"], "123456789012");
    assert_eq!(p["role_name"], "ReadOnly");
}
