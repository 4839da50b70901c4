//! `ssoenv emulator`: the local IAM Identity Center emulator in the foreground.

use crate::cli::EmulatorArgs;
use crate::emulator::{EmulatorConfig, Fault, Fixture};
use crate::error::{Error, Result};

pub fn run(args: EmulatorArgs) -> Result<i32> {
    let fixture = match &args.fixture {
        Some(p) => Fixture::from_file(p).map_err(|e| {
            Error::config(e).hint("a fixture looks like {\"accounts\":[{\"accountId\":\"111111111111\",\"roles\":[\"ReadOnly\"]}]}")
        })?,
        None => Fixture::default(),
    };
    let faults = args
        .faults
        .iter()
        .map(|s| {
            Fault::parse(s).map_err(|e| {
                Error::config(format!("invalid --fail {s:?}"))
                    .cause(e)
                    .hint("use OP:KIND:TIMES, e.g. token:500:2, credentials:429:1, any:slow=3000:1")
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let cfg = EmulatorConfig {
        port: args.port,
        approve_after_polls: args.approve_after,
        interval: args.interval,
        token_ttl: args.token_ttl,
        role_ttl: args.role_ttl,
        deny: args.deny,
        expire_device_codes: args.expire,
        fixture,
        faults,
        ..EmulatorConfig::default()
    };
    crate::emulator::run_cli(cfg)?;
    Ok(0)
}
