//! `SSOENV_EXPORT_AWS_PROFILE=0` (for Node.js tools: with AWS_PROFILE set, the
//! JS SDK v3's default chain skips the exported keys): `use` unsets
//! AWS_PROFILE, `exec`'s child gets none, and everything that needs "this
//! shell's profile" works from SSOENV_PROFILE, in real bash, zsh and fish
//! through the shell integration. The JS SDK itself is in tests/it/js_sdk.rs.

use crate::support;
use support::*;

#[test]
fn with_the_switch_off_use_unsets_aws_profile_and_the_shell_keeps_working_from_ssoenv_profile() {
    let sb = Sandbox::new();
    for_each_shell(|sh| {
        let v = |n: &str| sh.var(n);
        let script = format!(
            "{init}\n{stale}\n{off}\n\
             ssoenv use dev 2>/dev/null\n\
             echo used=:{p}:{s}:{k}:\n\
             {check}\n\
             {renew}\n\
             echo renewed=:{p}:{s}:\n\
             \"$B\" exec -- sh -c 'echo \"child=[${{AWS_PROFILE-none}}][$SSOENV_PROFILE][${{AWS_ACCESS_KEY_ID:+keys}}]\"'\n\
             \"$B\" doctor 2>&1 | grep '^ok    profile' || true\n\
             {hook}\
             echo seg=:{seg}:\n\
             ssoenv unset\n\
             echo unset=:{p}:{s}:{k}:\n",
            init = sh.init(),
            stale = sh.export("AWS_PROFILE", "stale"),
            off = sh.export("SSOENV_EXPORT_AWS_PROFILE", "0"),
            p = v("AWS_PROFILE"),
            s = v("SSOENV_PROFILE"),
            k = v("AWS_ACCESS_KEY_ID"),
            seg = v("SSOENV_SEGMENT"),
            check = sh.status_of("\"$B\" status --check", "check"),
            renew = sh.status_of("ssoenv use 2>/dev/null", "renew"),
            hook = sh.prompt_hook(),
        );
        let out = sh.run_in(&sb, &script, &[("NO_COLOR", "1")]);
        let text = stdout(&out);
        let shell = sh.name;
        assert!(out.status.success(), "{shell}: {text}{}", stderr(&out));
        // A stale AWS_PROFILE is removed, not left for the JS SDK to prefer.
        assert!(
            text.contains("used=::dev:ASIA"),
            "{shell}: {text}{}",
            stderr(&out)
        );
        assert!(text.contains("check=0"), "{shell}: {text}");
        // `use` with no profile renews SSOENV_PROFILE's.
        assert!(text.contains("renew=0\nrenewed=::dev:"), "{shell}: {text}");
        assert!(text.contains("child=[none][dev][keys]"), "{shell}: {text}");
        assert!(
            text.contains("ok    profile       dev (SSOENV_PROFILE)"),
            "{shell}: {text}"
        );
        assert!(text.contains("seg=:dev "), "{shell}: {text}");
        assert!(text.contains("unset=::::"), "{shell}: {text}");
    });
}

#[test]
fn exec_with_the_switch_off_gives_the_child_keys_and_ssoenv_profile_but_no_aws_profile() {
    let sb = Sandbox::new().env("SSOENV_EXPORT_AWS_PROFILE", "off");
    let out = sb.run([
        "exec",
        "dev",
        "--",
        "sh",
        "-c",
        "echo \"[${AWS_PROFILE-none}][$SSOENV_PROFILE][${AWS_ACCESS_KEY_ID:+keys}]\"",
    ]);
    assert_eq!(stdout(&out), "[none][dev][keys]\n", "{}", stderr(&out));
    // On (the default, or any on word): exported as before.
    for on in ["", "1", "TRUE", " yes ", "On"] {
        let out = sb
            .cmd(["exec", "dev", "--", "sh", "-c", "echo \"[$AWS_PROFILE]\""])
            .env("SSOENV_EXPORT_AWS_PROFILE", on)
            .output()
            .unwrap();
        assert_eq!(stdout(&out), "[dev]\n", "{on:?}: {}", stderr(&out));
    }
}

#[test]
fn a_value_that_is_neither_on_nor_off_exits_2_naming_the_variable_before_any_login() {
    let sb = Sandbox::new().env("SSOENV_EXPORT_AWS_PROFILE", "nope\u{1b}[31m");
    for args in [
        vec!["use", "dev", "--shell", "bash"],
        vec!["exec", "dev", "--", "echo", "ran"],
    ] {
        let out = sb.run(&args);
        let err = assert_fails(&out, 2, "SSOENV_EXPORT_AWS_PROFILE is \"nope\\e[31m\"");
        assert!(err.contains("SSOENV_EXPORT_AWS_PROFILE=0"), "{err}");
        assert!(!err.contains('\u{1b}'), "escaped: {err:?}");
    }
    assert_eq!(sb.emu.stats().start_device_authorization, 0, "no login");
}
