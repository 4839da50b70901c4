//! `ssoenv prompt`: the prompt segment from the environment alone, for prompt
//! frameworks (starship, powerlevel10k, oh-my-posh). It reads no config, no
//! cache and no network, and prints nothing when no profile is active (the
//! early exit mise's hook-env makes).

use crate::cli::PromptArgs;
use crate::env::{self, Env};
use crate::error::Result;

pub fn run(args: PromptArgs, env: &Env) -> Result<i32> {
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
    if let Some(s) = crate::prompt::segment(profile, expiration, now, color, args.format.as_deref())
    {
        super::emit(&format!("{s}\n"))?;
    }
    Ok(0)
}
