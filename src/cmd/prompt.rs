//! `ssoenv prompt`: the prompt segment from the environment alone, for prompt
//! frameworks (starship, powerlevel10k, oh-my-posh). It reads no config, no
//! cache and no network, and prints nothing when no profile is active (the
//! early exit mise's hook-env makes).

use crate::cli::PromptArgs;
use crate::env::{self, Env};
use crate::error::{Error, Result};

/// The placeholders `crate::prompt::segment` expands.
const PLACEHOLDERS: [&str; 6] = ["profile", "remaining", "seconds", "state", "color", "renew"];

pub(crate) fn run(args: PromptArgs, env: &Env) -> Result<i32> {
    // Checked even with no profile active, so a typo shows when it is written.
    if let Some(f) = &args.format {
        check_format(f)?;
    }
    let Some(profile) = env.non_empty(env::SSOENV_PROFILE) else {
        return Ok(0);
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let expiration = env
        .get(env::SSOENV_EXPIRATION)
        .and_then(crate::prompt::parse_expiration);
    // no-color.org: NO_COLOR set to anything but the empty string.
    let color = !args.no_color && env.non_empty(env::NO_COLOR).is_none();
    let renew = crate::prompt::renew_mark(env);
    if let Some(s) = crate::prompt::segment_marked(
        profile,
        expiration,
        now,
        color,
        args.format.as_deref(),
        renew,
    ) {
        super::emit(&format!("{s}\n"))?;
    }
    Ok(0)
}

/// A `--format` whose every `{…}` is a known placeholder (`{{` and `}}` are braces).
fn check_format(format: &str) -> Result<()> {
    // Listed on a line of its own under the message (a `\n` inside the
    // message would be shown escaped).
    let valid = || {
        format!(
            "  placeholders: {} ({{{{ and }}}} for braces)",
            PLACEHOLDERS
                .iter()
                .map(|p| format!("{{{p}}}"))
                .collect::<Vec<_>>()
                .join(" ")
        )
    };
    let shown = crate::text::printable(format);
    let mut rest = format;
    while let Some(i) = rest.find('{') {
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{{") {
            rest = after;
            continue;
        }
        let Some(end) = tail.find('}') else {
            return Err(
                Error::config(format!("invalid --format {shown:?}: a `{{` is not closed"))
                    .details([valid()])
                    .hint("write `{{` for a literal brace"),
            );
        };
        let name = &tail[1..end];
        if !PLACEHOLDERS.contains(&name) {
            return Err(Error::config(format!(
                "invalid --format {shown:?}: unknown placeholder {{{}}}",
                crate::text::printable(name),
            ))
            .details([valid()])
            .hint("e.g. ssoenv prompt --format '{profile} {remaining}'"));
        }
        rest = &tail[end + 1..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_is_known_to_the_segment_formatter() {
        for p in PLACEHOLDERS {
            let f = format!("<{{{p}}}>");
            assert!(check_format(&f).is_ok());
            let out =
                crate::prompt::segment_marked("x", Some(100), 0, false, Some(&f), "+").unwrap();
            assert!(!out.contains('{'), "{p} is not expanded: {out}");
        }
    }

    #[test]
    fn unknown_or_unclosed_placeholders_are_errors() {
        assert!(check_format("{{literal}} {profile} }").is_ok());
        let e = check_format("{profile} {region}").unwrap_err();
        assert!(e.message.contains("unknown placeholder {region}"), "{e}");
        assert!(!e.message.contains('\n'), "{e}");
        assert!(
            e.details[0].contains("placeholders: {profile} {remaining} {seconds} {state} {color}")
        );
        assert!(
            check_format("{profile")
                .unwrap_err()
                .message
                .contains("not closed")
        );
    }
}
