//! `ssoenv credential-process PROFILE`: the `credential_process` of a
//! profile in ~/.aws/config (spec aws-credentials-more §1). stdout carries
//! exactly the JSON of the contract, written once, or nothing: on failure the
//! message goes to stderr and the exit code is non-zero, which botocore turns
//! into `Error when retrieving credentials from custom-process: <stderr>`.
//! The same caches as `use`: a warm call reads one file and makes no request.
//! A login starts only when someone can complete it (the interaction policy
//! of `use`): SDKs run this with stdout and stderr captured.

use crate::cli::CredentialProcessArgs;
use crate::config::Config;
use crate::credentials;
use crate::env::Env;
use crate::error::Result;
use crate::login::{Ctx, LoginOptions};

pub fn run(args: CredentialProcessArgs, env: &Env) -> Result<i32> {
    let profile = Config::load_profile(env, &args.profile)?;
    let ctx = Ctx::new(env)?;
    let opts = LoginOptions::for_credentials(env, false, false);
    let creds = credentials::profile_credentials(&ctx, &profile, opts)?;
    let mut json = creds.credential_process_json();
    json.push('\n');
    super::emit(&json)?;
    Ok(0)
}
