//! The shared cache files as the user meets them: a corrupt file is warned
//! about once, and a token the portal rejected is recorded as such (status
//! shows it, login replaces it, the AWS CLI sees it expired).

mod common;
use common::*;

fn role_cache_files(sb: &Sandbox) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(sb.cli_cache())
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

fn lines_naming(err: &str, path: &std::path::Path) -> usize {
    let p = path.display().to_string();
    err.lines().filter(|l| l.contains(&p)).count()
}

#[test]
fn a_corrupt_token_and_role_cache_file_are_each_warned_about_once() {
    let sb = Sandbox::new();
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let role = role_cache_files(&sb);
    assert_eq!(role.len(), 1);
    let token = sb.token_path("corp");
    std::fs::write(&role[0], "{\"ProviderType\": ").unwrap();
    std::fs::write(&token, "not json").unwrap();
    for args in [
        &["use", "dev", "--shell", "bash"][..],
        &["exec", "dev", "--", "true"],
    ] {
        std::fs::write(&role[0], "{\"ProviderType\": ").unwrap();
        std::fs::write(&token, "not json").unwrap();
        let out = sb.run(args);
        let err = stderr(&out);
        assert!(out.status.success(), "{args:?}: {err}");
        assert_eq!(lines_naming(&err, &role[0]), 1, "{args:?}: {err}");
        assert_eq!(lines_naming(&err, &token), 1, "{args:?}: {err}");
        assert!(err.contains("is corrupt"), "{err}");
    }
    // A token file lacking accessToken: one warning too.
    std::fs::remove_file(&role[0]).unwrap();
    std::fs::write(&token, r#"{"startUrl": "x", "region": "us-east-1"}"#).unwrap();
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(lines_naming(&err, &token), 1, "{err}");
    assert!(err.contains("lacks a valid accessToken"), "{err}");
}
