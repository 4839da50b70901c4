//! SSO region → SSO-OIDC and portal URLs (spec §1.1), with the SDK-standard
//! endpoint overrides (spec §1.2) and plain `http://` only for loopback hosts.

use crate::aws::http::{is_loopback_host, url_host};
use crate::config::ConfiguredEndpoints;
use crate::env::{self, Env};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub oidc: String,
    pub portal: String,
}

/// `(dnsSuffix, dualStackDnsSuffix)` of the partition a region belongs to
/// (botocore `partitions.json`); unmatched regions fall back to `aws`.
fn partition(region: &str) -> (&'static str, &'static str, bool) {
    // (suffix, dualstack suffix, is GovCloud)
    if region.starts_with("cn-") {
        ("amazonaws.com.cn", "api.amazonwebservices.com.cn", false)
    } else if region.starts_with("us-gov-") {
        ("amazonaws.com", "api.aws", true)
    } else if region.starts_with("us-isob-") {
        ("sc2s.sgov.gov", "sc2s.sgov.gov", false)
    } else if region.starts_with("us-isof-") {
        ("csp.hci.ic.gov", "csp.hci.ic.gov", false)
    } else if region.starts_with("us-iso-") {
        ("c2s.ic.gov", "c2s.ic.gov", false)
    } else if region.starts_with("eu-isoe-") {
        ("cloud.adc-e.uk", "cloud.adc-e.uk", false)
    } else if region.starts_with("eusc-") {
        ("amazonaws.eu", "api.amazonwebservices.eu", false)
    } else {
        ("amazonaws.com", "api.aws", false)
    }
}

fn valid_host_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// The default endpoints for an SSO region, per the endpoint rule set.
pub fn default_endpoints(region: &str, fips: bool, dualstack: bool) -> Result<Endpoints> {
    if !valid_host_label(region) {
        return Err(Error::config(format!(
            "sso_region \"{region}\" is not a valid AWS region name"
        ))
        .hint(
            "set sso_region to the region of your IAM Identity Center instance, e.g. us-east-1",
        ));
    }
    let (dns, dual_dns, gov) = partition(region);
    let (oidc, portal) = match (fips, dualstack) {
        (false, false) => (
            format!("https://oidc.{region}.{dns}"),
            format!("https://portal.sso.{region}.{dns}"),
        ),
        (true, false) if gov => (
            format!("https://oidc.{region}.amazonaws.com"),
            format!("https://portal.sso.{region}.amazonaws.com"),
        ),
        (true, false) => (
            format!("https://oidc-fips.{region}.{dns}"),
            format!("https://portal.sso-fips.{region}.{dns}"),
        ),
        (false, true) => (
            format!("https://oidc.{region}.{dual_dns}"),
            format!("https://portal.sso.{region}.{dual_dns}"),
        ),
        (true, true) => (
            format!("https://oidc-fips.{region}.{dual_dns}"),
            format!("https://portal.sso-fips.{region}.{dual_dns}"),
        ),
    };
    Ok(Endpoints { oidc, portal })
}

/// Resolve both endpoints: `AWS_ENDPOINT_URL_SSO_OIDC`/`AWS_ENDPOINT_URL_SSO`,
/// then `AWS_ENDPOINT_URL`, then the profile's `services` section, then its
/// `endpoint_url`, then the defaults. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`
/// (or the profile key) turns the overrides off.
pub fn resolve(region: &str, configured: &ConfiguredEndpoints, env: &Env) -> Result<Endpoints> {
    let fips = env.flag("AWS_USE_FIPS_ENDPOINT");
    let dualstack = env.flag("AWS_USE_DUALSTACK_ENDPOINT");
    let ignore = env.flag(env::AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) || configured.ignore;
    let pick =
        |specific_env: &'static str, from_services: &Option<String>| -> Option<(String, String)> {
            if ignore {
                return None;
            }
            if let Some(v) = env.non_empty(specific_env) {
                return Some((v.to_owned(), specific_env.to_owned()));
            }
            if let Some(v) = env.non_empty(env::AWS_ENDPOINT_URL) {
                return Some((v.to_owned(), env::AWS_ENDPOINT_URL.to_owned()));
            }
            if let Some(v) = from_services {
                return Some((v.clone(), "the profile's services section".to_owned()));
            }
            configured
                .global
                .as_ref()
                .map(|v| (v.clone(), "the profile's endpoint_url".to_owned()))
        };
    let oidc_override = pick(env::AWS_ENDPOINT_URL_SSO_OIDC, &configured.sso_oidc);
    let portal_override = pick(env::AWS_ENDPOINT_URL_SSO, &configured.sso);
    if (oidc_override.is_some() || portal_override.is_some()) && (fips || dualstack) {
        let which = if fips { "FIPS" } else { "Dualstack" };
        return Err(Error::config(format!(
            "Invalid Configuration: {which} and custom endpoint are not supported"
        ))
        .hint("unset AWS_USE_FIPS_ENDPOINT/AWS_USE_DUALSTACK_ENDPOINT or the endpoint override"));
    }
    let defaults = default_endpoints(region, fips, dualstack)?;
    let oidc = match oidc_override {
        Some((url, source)) => checked_override(&url, &source)?,
        None => defaults.oidc,
    };
    let portal = match portal_override {
        Some((url, source)) => checked_override(&url, &source)?,
        None => defaults.portal,
    };
    Ok(Endpoints { oidc, portal })
}

/// An override must be `https://`, or `http://` to a loopback host: tokens and
/// credentials never cross a network in clear text.
fn checked_override(url: &str, source: &str) -> Result<String> {
    let trimmed = url.trim().trim_end_matches('/');
    let lower = trimmed.to_ascii_lowercase();
    let host = url_host(trimmed).unwrap_or("");
    let ok = if lower.starts_with("https://") {
        !host.is_empty()
    } else if lower.starts_with("http://") {
        is_loopback_host(host)
    } else {
        false
    };
    if !ok {
        return Err(Error::config(format!(
            "the endpoint {url:?} from {source} is not allowed"
        ))
        .cause("endpoints must use https://, or http:// to a loopback address (127.0.0.1, ::1, localhost)")
        .hint(format!("fix or unset {source}")));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> ConfiguredEndpoints {
        ConfiguredEndpoints::default()
    }

    #[test]
    fn default_hosts_follow_the_partition() {
        let e = resolve("us-east-1", &none(), &Env::default()).unwrap();
        assert_eq!(e.oidc, "https://oidc.us-east-1.amazonaws.com");
        assert_eq!(e.portal, "https://portal.sso.us-east-1.amazonaws.com");
        let e = resolve("cn-north-1", &none(), &Env::default()).unwrap();
        assert_eq!(e.oidc, "https://oidc.cn-north-1.amazonaws.com.cn");
        assert_eq!(e.portal, "https://portal.sso.cn-north-1.amazonaws.com.cn");
        let e = resolve("eusc-de-east-1", &none(), &Env::default()).unwrap();
        assert_eq!(e.oidc, "https://oidc.eusc-de-east-1.amazonaws.eu");
        let e = resolve("us-iso-east-1", &none(), &Env::default()).unwrap();
        assert_eq!(e.portal, "https://portal.sso.us-iso-east-1.c2s.ic.gov");
    }

    #[test]
    fn fips_and_dualstack_flags_change_the_host() {
        let env = Env::from_pairs([("AWS_USE_FIPS_ENDPOINT", "true")]);
        let e = resolve("us-east-1", &none(), &env).unwrap();
        assert_eq!(e.oidc, "https://oidc-fips.us-east-1.amazonaws.com");
        assert_eq!(e.portal, "https://portal.sso-fips.us-east-1.amazonaws.com");
        let e = resolve("us-gov-west-1", &none(), &env).unwrap();
        assert_eq!(e.oidc, "https://oidc.us-gov-west-1.amazonaws.com");
        let env = Env::from_pairs([("AWS_USE_DUALSTACK_ENDPOINT", "true")]);
        let e = resolve("eu-west-1", &none(), &env).unwrap();
        assert_eq!(e.portal, "https://portal.sso.eu-west-1.api.aws");
    }

    #[test]
    fn service_specific_env_beats_global_env_beats_config() {
        let cfg = ConfiguredEndpoints {
            sso: Some("https://services-sso.example".into()),
            sso_oidc: None,
            global: Some("https://global.example".into()),
            ignore: false,
        };
        let e = resolve("us-east-1", &cfg, &Env::default()).unwrap();
        assert_eq!(e.portal, "https://services-sso.example");
        assert_eq!(e.oidc, "https://global.example");
        let env = Env::from_pairs([
            ("AWS_ENDPOINT_URL", "https://env-global.example/"),
            ("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:9000"),
        ]);
        let e = resolve("us-east-1", &cfg, &env).unwrap();
        assert_eq!(e.oidc, "http://127.0.0.1:9000");
        assert_eq!(e.portal, "https://env-global.example");
        let env = Env::from_pairs([
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
            ("AWS_ENDPOINT_URL", "https://x.example"),
        ]);
        let e = resolve("us-east-1", &cfg, &env).unwrap();
        assert_eq!(e.oidc, "https://oidc.us-east-1.amazonaws.com");
    }

    #[test]
    fn plain_http_is_refused_unless_loopback() {
        let env = Env::from_pairs([("AWS_ENDPOINT_URL_SSO", "http://proxy.corp:8080")]);
        let err = resolve("us-east-1", &none(), &env).unwrap_err();
        assert!(err.to_string().contains("AWS_ENDPOINT_URL_SSO"), "{err}");
        assert_eq!(err.exit_code(), 2);
        for ok in ["http://localhost:1", "http://[::1]:2", "http://127.0.0.1"] {
            let env = Env::from_pairs([("AWS_ENDPOINT_URL_SSO", ok)]);
            assert!(resolve("us-east-1", &none(), &env).is_ok(), "{ok}");
        }
        let env = Env::from_pairs([("AWS_ENDPOINT_URL_SSO", "ftp://x")]);
        assert!(resolve("us-east-1", &none(), &env).is_err());
    }

    #[test]
    fn bad_region_is_a_config_error() {
        assert!(resolve("us east", &none(), &Env::default()).is_err());
        assert!(resolve("", &none(), &Env::default()).is_err());
    }
}
