//! Unicode bidi and invisible format characters (U+202E RIGHT-TO-LEFT
//! OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE …) from the config or the service
//! never reach the terminal raw: profile names, account and role names, the
//! picker, the user code and server messages show them as `\u{202e}`, and
//! completion leaves such profile names out. Issue 17, item 7.

use crate::support;
use serde_json::json;
use ssoenv_emulator::{EmulatorConfig, FOREVER, Fault, FaultKind, Fixture, Op};
use support::*;

const RLO: char = '\u{202e}';

fn assert_no_bidi(what: &str, text: &str) {
    for c in ['\u{202e}', '\u{2066}', '\u{200f}', '\u{61c}'] {
        assert!(
            !text.contains(c),
            "{what}: raw {c:?} reached the terminal: {text:?}"
        );
    }
}

fn bidi_config() -> String {
    format!(
        "{CONFIG}\n[profile dev{RLO}nimda]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = AdministratorAccess\n"
    )
}

#[test]
fn a_profile_name_with_a_bidi_override_is_shown_escaped_and_left_out_of_completion() {
    let sb = Sandbox::new();
    sb.write_config(&bidi_config());
    let name = format!("dev{RLO}nimda");

    let out = sb.run(["profiles"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_no_bidi("profiles", &stdout(&out));
    assert!(
        stdout(&out).contains(r"dev\u{202e}nimda"),
        "{}",
        stdout(&out)
    );

    // Completion reads these names: one that would show reversed is left out.
    let out = sb.run(["profiles", "--names"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let names: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert!(
        names.contains(&"dev") && names.contains(&"prod"),
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n.contains("nimda")), "{names:?}");

    // JSON carries the name as a \u escape: the same value, nothing raw.
    let out = sb.run(["profiles", "--json"]);
    assert_no_bidi("profiles --json", &stdout(&out));
    assert!(stdout(&out).contains(r"dev\u202enimda"), "{}", stdout(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == name.as_str())
    );

    // The profile works; what is said about it is escaped.
    let out = sb.run(["use", &name, "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_no_bidi("use (stderr)", &stderr(&out));
    for args in [
        &["status"][..],
        &["status", "--json"][..],
        &["doctor", &name][..],
        &["doctor", &name, "--json"][..],
    ] {
        let out = sb.run(args);
        assert_no_bidi(&format!("{args:?}"), &stdout(&out));
        assert_no_bidi(&format!("{args:?}"), &stderr(&out));
    }
    let out = sb.run(["use", &format!("nosuch{RLO}"), "--shell", "bash"]);
    let err = assert_fails(&out, 2, r"nosuch\u{202e}");
    assert_no_bidi("unknown profile", &err);
}

#[test]
fn account_and_role_names_user_codes_and_server_messages_with_bidi_are_shown_escaped() {
    let sb = Sandbox::with(EmulatorConfig {
        interval: 0,
        fixture: Fixture::from_json(
            &json!({"accounts": [{
                "accountId": "111111111111",
                "accountName": "prod\u{202e}ved",
                "roles": ["Admin\u{2066}RO\u{2069}", "AdministratorAccess"],
            }]})
            .to_string(),
        )
        .unwrap(),
        ..EmulatorConfig::default()
    });

    // The login instructions: the user code from StartDeviceAuthorization.
    sb.emu.add_fault(Fault::new(
        Some(Op::StartDeviceAuthorization),
        FaultKind::Patch {
            fields: vec![("/userCode".into(), json!("ABCD\u{202e}-EFGH"))],
        },
        1,
    ));
    let out = sb.run(["login", "dev", "--no-browser"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_no_bidi("login", &stderr(&out));
    assert!(
        stderr(&out).contains(r"ABCD\u{202e}-EFGH"),
        "{}",
        stderr(&out)
    );

    // The account listing, as a table and as JSON.
    let out = sb.run(["accounts", "dev"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_no_bidi("accounts", &stdout(&out));
    assert!(
        stdout(&out).contains(r"prod\u{202e}ved"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains(r"Admin\u{2066}RO\u{2069}"),
        "{}",
        stdout(&out)
    );
    let out = sb.run(["accounts", "dev", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_no_bidi("accounts --json", &stdout(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v[0]["accountName"], "prod\u{202e}ved");

    // A server message.
    sb.emu.add_fault(Fault::new(
        Some(Op::GetRoleCredentials),
        FaultKind::Reject {
            status: 400,
            message: "denied \u{2067}txt.lanif\u{2069} \u{200f}".into(),
        },
        FOREVER,
    ));
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    let err = assert_fails(&out, 1, r"\u{2067}txt.lanif\u{2069}");
    assert_no_bidi("server message", &err);
}

/// The profile picker of `use` on a real terminal.
#[test]
fn the_picker_shows_a_bidi_profile_name_escaped() {
    let sb = Sandbox::new();
    sb.write_config(&bidi_config());
    if !(have("tmux") && BASH.available()) {
        return;
    }
    let t = Tmux::in_sandbox(&sb, BASH.interactive);
    t.line(&format!(
        "out=$('{BIN}' use --shell bash); echo \"r\"\"c=$?\""
    ));
    let screen = t.wait_for("nimda");
    assert!(screen.contains(r"dev\u{202e}nimda"), "{screen}");
    assert_no_bidi("picker", &t.screen_with(true));
    t.key("Escape");
    t.wait_for("rc=130");
}
