//! `ssoenv credential-process PROFILE`: the `credential_process` of a
//! profile in ~/.aws/config (docs/credential-process.md#credential_process). stdout carries
//! exactly the JSON of the contract, written once, or nothing: on failure the
//! message goes to stderr and the exit code is non-zero, which botocore turns
//! into `Error when retrieving credentials from custom-process: <stderr>`.
//! The same caches as `use`: a warm call reads one file and makes no request.
//! A login starts only when someone can complete it (the interaction policy
//! of `use`): SDKs run this with stdout and stderr captured.

use crate::cli::CredentialProcessArgs;
use crate::credentials;
use crate::env::Env;
use crate::error::Result;
use crate::login::{Ctx, LoginOptions};

/// The `credential_process = …` value that runs `bin credential-process
/// profile`, quoted so that every SDK reads the same three words: botocore
/// splits the line with `shlex.split` and runs no shell, while the JS and
/// Rust SDKs run it with `sh -c` (where `$VAR`, `~` and quotes mean
/// something). A word made only of characters neither treats specially is
/// left bare; any other is put in POSIX single quotes, a `'` in it written
/// `'\''`, which `shlex.split` and `sh` both read back unchanged.
pub fn config_line(bin: &str, profile: &str) -> String {
    [bin, "credential-process", profile]
        .iter()
        .map(|w| quote_word(w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn quote_word(w: &str) -> String {
    let bare = |c: char| c.is_ascii_alphanumeric() || "_-./:,@%+=".contains(c);
    // `~` or `=` first would be expanded or taken as an assignment by sh.
    if !w.is_empty() && w.chars().all(bare) && !w.starts_with('=') {
        return w.to_owned();
    }
    format!("'{}'", w.replace('\'', "'\\''"))
}

pub(crate) fn run(args: CredentialProcessArgs, env: &Env) -> Result<i32> {
    // clap requires PROFILE or --profile, and `Cli::with_raw_args` makes them one.
    let name = args.profile.unwrap_or_default();
    let profile = credentials::Plan::load(env, &name)?;
    let ctx = Ctx::new(env)?;
    let opts = LoginOptions {
        interaction: crate::login::Interaction::for_credential_process(env),
        ..LoginOptions::for_credentials(env, false, false)
    };
    let creds = profile.credentials(&ctx, opts)?;
    let mut json = creds.credential_process_json();
    json.push('\n');
    super::emit(&json)?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::config_line;

    #[cfg(unix)]
    const HOSTILE: &[&str] = &[
        "prod",
        "my profile",
        "$HOME",
        "it's",
        "~",
        "~/x",
        "a\"b",
        "back\\slash",
        "`id`",
        "$(id)",
        "a;b|c&d",
        "#x",
        "*",
        "=x",
        "tab\there",
        "ünï",
        "'",
        "''",
        "a'\\'b",
    ];

    #[test]
    fn simple_words_stay_bare() {
        assert_eq!(
            config_line("/usr/local/bin/ssoenv", "prod"),
            "/usr/local/bin/ssoenv credential-process prod"
        );
        assert_eq!(
            config_line("/opt/my tools/ssoenv", "it's"),
            "'/opt/my tools/ssoenv' credential-process 'it'\\''s'"
        );
    }

    /// The argv `sh -c LINE` runs (dash or bash as /bin/sh).
    #[cfg(unix)]
    fn sh_argv(line: &str) -> Vec<String> {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "{} \"$@\"",
                line.replacen("/bin/echo-args", "printf '%s\\0'", 1)
            ))
            .arg("sh")
            .output()
            .unwrap();
        assert!(out.status.success(), "{line}");
        let text = String::from_utf8(out.stdout).unwrap();
        text.split_terminator('\0').map(str::to_owned).collect()
    }

    // Runs `sh`, which Windows has not.
    #[cfg(unix)]
    #[test]
    fn shlex_and_sh_read_the_line_as_the_same_three_words() {
        for name in HOSTILE {
            let line = config_line("/bin/echo-args", name);
            let want = vec![
                "/bin/echo-args".to_owned(),
                "credential-process".to_owned(),
                (*name).to_owned(),
            ];
            // sh: the program word replaced by printf, which prints each argument.
            let mut got = vec!["/bin/echo-args".to_owned()];
            got.extend(sh_argv(&line));
            assert_eq!(got, want, "sh -c {line}");
            if crate::test_support::have_botocore() {
                // botocore's own split (compat_shell_split: shlex.split on POSIX).
                let out = std::process::Command::new("python3")
                    .args([
                        "-c",
                        "import json, sys\nfrom botocore.compat import compat_shell_split\n\
                         print(json.dumps(compat_shell_split(sys.argv[1])))",
                        &line,
                    ])
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                let split: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
                assert_eq!(split, want, "shlex {line}");
            }
        }
    }
}
