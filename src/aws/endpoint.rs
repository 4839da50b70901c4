//! Service and region → endpoint URL (docs/endpoints.md#default-hosts): the Identity Center portal
//! and OIDC, STS and sign-in, with the SDK-standard endpoint overrides
//! (docs/endpoints.md#overrides) and plain `http://` only for loopback hosts.

use crate::aws::http::{is_loopback_host, url_host};
use crate::config::{ConfiguredEndpoints, SsoSession};
use crate::env::{self, Env};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoints {
    pub(crate) oidc: String,
    pub(crate) portal: String,
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

/// The services ssoenv calls, each with its own endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Service {
    /// The SSO portal (GetRoleCredentials, ListAccounts, Logout).
    Sso,
    /// SSO-OIDC (RegisterClient, device authorization, CreateToken).
    SsoOidc,
    /// STS (AssumeRole, GetCallerIdentity).
    Sts,
    /// The sign-in federation endpoint (console URLs); global per partition.
    Signin,
}

impl Service {
    /// The service-specific override variable (`AWS_ENDPOINT_URL_<ID>`), if any.
    pub(crate) fn env_var(self) -> Option<&'static str> {
        match self {
            Service::Sso => Some(env::AWS_ENDPOINT_URL_SSO),
            Service::SsoOidc => Some(env::AWS_ENDPOINT_URL_SSO_OIDC),
            Service::Sts => Some(env::AWS_ENDPOINT_URL_STS),
            Service::Signin => Some(env::AWS_ENDPOINT_URL_SIGNIN),
        }
    }

    /// The config key naming the region the endpoint is for (in messages).
    fn region_key(self) -> &'static str {
        match self {
            Service::Sso | Service::SsoOidc => "sso_region",
            Service::Sts | Service::Signin => "region",
        }
    }

    /// The `[services]` sub-section value of the profile, if ssoenv reads one.
    fn configured(self, configured: &ConfiguredEndpoints) -> Option<&String> {
        match self {
            Service::Sso => configured.sso.as_ref(),
            Service::SsoOidc => configured.sso_oidc.as_ref(),
            Service::Sts => configured.sts.as_ref(),
            Service::Signin => configured.signin.as_ref(),
        }
    }
}

/// The default endpoint of a service in a region, per the endpoint rule
/// sets: `https://{host}.{region}.{dnsSuffix}`, `{host}-fips` with FIPS (except
/// GovCloud, whose plain hosts are FIPS), the dualstack suffix with dualstack.
/// Sign-in is one host per partition.
pub(crate) fn default_endpoint(
    service: Service,
    region: &str,
    fips: bool,
    dualstack: bool,
) -> Result<String> {
    if !valid_host_label(region) {
        let key = service.region_key();
        let hint = match service {
            Service::Sso | Service::SsoOidc => {
                "set sso_region to the region of your IAM Identity Center instance, e.g. us-east-1"
            }
            Service::Sts | Service::Signin => "set region to an AWS region name, e.g. us-east-1",
        };
        return Err(
            Error::config(format!("{key} \"{region}\" is not a valid AWS region name")).hint(hint),
        );
    }
    let (dns, dual_dns, gov) = partition(region);
    let (host, fips_host) = match service {
        Service::Sso => ("portal.sso", "portal.sso-fips"),
        Service::SsoOidc => ("oidc", "oidc-fips"),
        Service::Sts => ("sts", "sts-fips"),
        Service::Signin => {
            return Ok(if region.starts_with("us-gov-") {
                "https://signin.amazonaws-us-gov.com/federation".to_owned()
            } else if region.starts_with("cn-") {
                "https://signin.amazonaws.cn/federation".to_owned()
            } else {
                "https://signin.aws.amazon.com/federation".to_owned()
            });
        }
    };
    Ok(match (fips, dualstack) {
        (false, false) => format!("https://{host}.{region}.{dns}"),
        (true, false) if gov => format!("https://{host}.{region}.amazonaws.com"),
        (true, false) => format!("https://{fips_host}.{region}.{dns}"),
        (false, true) => format!("https://{host}.{region}.{dual_dns}"),
        (true, true) => format!("https://{fips_host}.{region}.{dual_dns}"),
    })
}

/// The endpoint of one service: its `AWS_ENDPOINT_URL_<ID>`, then
/// `AWS_ENDPOINT_URL`, then the profile's `services` section, then its
/// `endpoint_url`, then the default. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`
/// (or the profile key) turns the overrides off. Sign-in: see [`signin_override`].
pub(crate) fn resolve_service(
    service: Service,
    region: &str,
    configured: &ConfiguredEndpoints,
    env: &Env,
) -> Result<String> {
    if service == Service::Signin {
        let default = default_endpoint(service, region, false, false)?;
        return Ok(signin_override(configured, env)?.unwrap_or(default));
    }
    let fips = env.flag("AWS_USE_FIPS_ENDPOINT");
    let dualstack = env.flag("AWS_USE_DUALSTACK_ENDPOINT");
    let over = override_for(service, configured, env);
    if over.is_some() && (fips || dualstack) {
        return Err(custom_with_variant(fips));
    }
    let default = default_endpoint(service, region, fips, dualstack)?;
    match over {
        Some((url, source)) => checked_override(&url, &source),
        None => Ok(default),
    }
}

/// Where an override for `service` comes from, if any.
fn override_for(
    service: Service,
    configured: &ConfiguredEndpoints,
    env: &Env,
) -> Option<(String, String)> {
    let ignore = env.flag(env::AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) || configured.ignore;
    if ignore || service == Service::Signin {
        // Sign-in's one variable is read by `signin_override`.
        return None;
    }
    if let Some(var) = service.env_var()
        && let Some(v) = env.non_empty(var)
    {
        return Some((v.to_owned(), var.to_owned()));
    }
    if let Some(v) = env.non_empty(env::AWS_ENDPOINT_URL) {
        return Some((v.to_owned(), env::AWS_ENDPOINT_URL.to_owned()));
    }
    if let Some(v) = service.configured(configured) {
        return Some((v.clone(), "the profile's services section".to_owned()));
    }
    configured
        .global
        .as_ref()
        .map(|v| (v.clone(), "the profile's endpoint_url".to_owned()))
}

/// The federation URL from `AWS_ENDPOINT_URL_SIGNIN`, else from the profile's
/// `services` section's `signin =` (an ssoenv key), if set (and not turned
/// off by `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`). The value is a base URL as
/// for every `AWS_ENDPOINT_URL_*` (`http://127.0.0.1:8080`), to which
/// `/federation` is appended; a value already ending in `/federation` is taken
/// whole. Neither `AWS_ENDPOINT_URL` nor the config file's `endpoint_url`
/// applies: the SDKs have no sign-in service, so a global override meant for
/// SDK clients (LocalStack, a VPC endpoint) must not receive console
/// credentials. FIPS and dualstack do not apply to sign-in either.
fn signin_override(configured: &ConfiguredEndpoints, env: &Env) -> Result<Option<String>> {
    let ignore = env.flag(env::AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) || configured.ignore;
    let var = env::AWS_ENDPOINT_URL_SIGNIN;
    let (v, source) = match (env.non_empty(var), &configured.signin) {
        _ if ignore => return Ok(None),
        (Some(v), _) => (v, var),
        (None, Some(v)) => (v.as_str(), "the profile's services section"),
        (None, None) => return Ok(None),
    };
    let base = checked_override(v, source)?;
    if base.contains(['?', '#']) {
        return Err(Error::config(format!(
            "the endpoint {v:?} from {source} has a query or fragment"
        ))
        .hint(format!(
            "set {source} to a base URL such as https://signin.example.com, or unset it"
        )));
    }
    Ok(Some(if base.ends_with("/federation") {
        base
    } else {
        format!("{base}/federation")
    }))
}

fn custom_with_variant(fips: bool) -> Error {
    let which = if fips { "FIPS" } else { "Dualstack" };
    Error::config(format!(
        "Invalid Configuration: {which} and custom endpoint are not supported"
    ))
    .hint("unset AWS_USE_FIPS_ENDPOINT/AWS_USE_DUALSTACK_ENDPOINT or the endpoint override")
}

/// The STS endpoint for AssumeRole and the region that signs for it, as the
/// AWS CLI v2 picks them (docs/sts-sigv4.md#sts-endpoint; it always uses the
/// regional endpoint): `https://sts.REGION.{dnsSuffix}` for the partition
/// (FIPS and dualstack as [`default_endpoint`]), `https://sts.amazonaws.com`
/// signed for us-east-1 without a region (or with `aws-global`). An override
/// (`AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`, then the profile's
/// `endpoint_url`; `http://` only to loopback) is used verbatim and signed
/// for the client's region, us-east-1 when there is none.
pub(crate) fn sts_endpoint(
    region: Option<&str>,
    configured: &ConfiguredEndpoints,
    env: &Env,
) -> Result<(String, String)> {
    const GLOBAL_REGION: &str = "us-east-1";
    let region = region.map(str::trim).filter(|r| !r.is_empty());
    let fips = env.flag("AWS_USE_FIPS_ENDPOINT");
    let dualstack = env.flag("AWS_USE_DUALSTACK_ENDPOINT");
    if let Some((url, source)) = override_for(Service::Sts, configured, env) {
        if fips || dualstack {
            return Err(custom_with_variant(fips));
        }
        let signing = region
            .filter(|r| *r != "aws-global")
            .unwrap_or(GLOBAL_REGION);
        if !valid_host_label(signing) {
            default_endpoint(Service::Sts, signing, false, false)?;
        }
        return Ok((checked_override(&url, &source)?, signing.to_owned()));
    }
    match region {
        Some(r) if r != "aws-global" => Ok((
            default_endpoint(Service::Sts, r, fips, dualstack)?,
            r.to_owned(),
        )),
        _ if fips || dualstack => Ok((
            default_endpoint(Service::Sts, GLOBAL_REGION, fips, dualstack)?,
            GLOBAL_REGION.to_owned(),
        )),
        _ => Ok((
            "https://sts.amazonaws.com".to_owned(),
            GLOBAL_REGION.to_owned(),
        )),
    }
}

/// Both Identity Center endpoints of an SSO region (see [`resolve_service`]).
/// An override of either with FIPS or dualstack is refused first, then the
/// region is checked, then the overrides.
pub(crate) fn resolve(
    region: &str,
    configured: &ConfiguredEndpoints,
    env: &Env,
) -> Result<Endpoints> {
    let fips = env.flag("AWS_USE_FIPS_ENDPOINT");
    let dualstack = env.flag("AWS_USE_DUALSTACK_ENDPOINT");
    if (fips || dualstack)
        && (override_for(Service::SsoOidc, configured, env).is_some()
            || override_for(Service::Sso, configured, env).is_some())
    {
        return Err(custom_with_variant(fips));
    }
    Ok(Endpoints {
        oidc: resolve_service(Service::SsoOidc, region, configured, env)?,
        portal: resolve_service(Service::Sso, region, configured, env)?,
    })
}

/// The Identity Center endpoints of one SSO session ([`resolve`]), refusing
/// before any request a session whose start URL is on this machine (only an
/// emulator's is) while the endpoints are not: the token would be asked of
/// AWS for a start URL AWS has never heard of.
pub(crate) fn resolve_for(
    sso: &SsoSession,
    configured: &ConfiguredEndpoints,
    env: &Env,
) -> Result<Endpoints> {
    let endpoints = resolve(&sso.region, configured, env)?;
    let local = |url: &str| url_host(url).is_some_and(is_loopback_host);
    let start_is_local =
        sso.start_url.to_ascii_lowercase().starts_with("http") && local(&sso.start_url);
    if start_is_local && !(local(&endpoints.oidc) && local(&endpoints.portal)) {
        let session = match &sso.name {
            Some(n) => format!("sso-session \"{}\"", crate::text::printable(n)),
            None => "the profile's session".to_owned(),
        };
        let base = sso
            .start_url
            .trim_end_matches('/')
            .trim_end_matches("/start")
            .to_owned();
        return Err(Error::config(format!(
            "{session} has a start URL on this machine ({}), but its endpoints are AWS's ({}, {})",
            crate::text::printable(&sso.start_url),
            endpoints.oidc,
            endpoints.portal
        ))
        .cause("a loopback start URL is a local emulator's; AWS would not know it")
        .hint(format!(
            "point ssoenv at the emulator: export {}={base} {}={base} (and {} for role chaining), \
             or paste the emulator's current config snippet, whose [services] section carries them",
            env::AWS_ENDPOINT_URL_SSO_OIDC,
            env::AWS_ENDPOINT_URL_SSO,
            env::AWS_ENDPOINT_URL_STS,
        )));
    }
    Ok(endpoints)
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
    fn a_loopback_start_url_with_aws_endpoints_is_refused_naming_the_variables() {
        let sso = SsoSession {
            name: Some("emu".into()),
            start_url: "http://127.0.0.1:4567/start".into(),
            region: "us-east-1".into(),
            scopes: None,
        };
        let e = resolve_for(&sso, &none(), &Env::default()).unwrap_err();
        assert!(
            e.message.contains("https://oidc.us-east-1.amazonaws.com"),
            "{e:?}"
        );
        let text = format!("{e:?}");
        assert!(
            text.contains("export AWS_ENDPOINT_URL_SSO_OIDC=http://127.0.0.1:4567 AWS_ENDPOINT_URL_SSO=http://127.0.0.1:4567"),
            "{text}"
        );
        let env = Env::from_pairs([
            ("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:4567"),
            ("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:4567"),
        ]);
        assert!(resolve_for(&sso, &none(), &env).is_ok());
        let real = SsoSession {
            start_url: "https://d-1.awsapps.com/start".into(),
            ..sso
        };
        assert!(resolve_for(&real, &none(), &Env::default()).is_ok());
    }

    #[test]
    fn service_specific_env_beats_global_env_beats_config() {
        let cfg = ConfiguredEndpoints {
            sso: Some("https://services-sso.example".into()),
            sso_oidc: None,
            sts: None,
            signin: None,
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

    #[test]
    fn sts_follows_the_partition_fips_and_dualstack() {
        let d = |r, f, ds| default_endpoint(Service::Sts, r, f, ds).unwrap();
        assert_eq!(
            d("eu-west-1", false, false),
            "https://sts.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            d("us-east-1", true, false),
            "https://sts-fips.us-east-1.amazonaws.com"
        );
        assert_eq!(
            d("us-gov-west-1", true, false),
            "https://sts.us-gov-west-1.amazonaws.com"
        );
        assert_eq!(
            d("cn-north-1", false, false),
            "https://sts.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(d("eu-west-1", false, true), "https://sts.eu-west-1.api.aws");
        assert_eq!(
            d("us-east-1", true, true),
            "https://sts-fips.us-east-1.api.aws"
        );
        let err = default_endpoint(Service::Sts, "eu west", false, false).unwrap_err();
        assert!(err.message.starts_with("region "), "{}", err.message);
    }

    #[test]
    fn sts_takes_its_own_variable_then_the_global_one() {
        let env = Env::from_pairs([
            ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:7000/"),
            ("AWS_ENDPOINT_URL_SSO", "https://sso.example"),
        ]);
        let sts = |env: &Env| resolve_service(Service::Sts, "eu-west-1", &none(), env);
        assert_eq!(sts(&env).unwrap(), "http://127.0.0.1:7000");
        let env = Env::from_pairs([("AWS_ENDPOINT_URL", "https://all.example")]);
        assert_eq!(sts(&env).unwrap(), "https://all.example");
        // The sso `services` entry is not STS's.
        let cfg = ConfiguredEndpoints {
            sso: Some("https://services-sso.example".into()),
            ..none()
        };
        assert_eq!(
            resolve_service(Service::Sts, "eu-west-1", &cfg, &Env::default()).unwrap(),
            "https://sts.eu-west-1.amazonaws.com"
        );
        let env = Env::from_pairs([
            ("AWS_ENDPOINT_URL_STS", "https://sts.example"),
            ("AWS_USE_FIPS_ENDPOINT", "true"),
        ]);
        assert!(sts(&env).is_err());
        let env = Env::from_pairs([("AWS_ENDPOINT_URL_STS", "http://sts.example")]);
        assert!(
            sts(&env)
                .unwrap_err()
                .to_string()
                .contains("AWS_ENDPOINT_URL_STS")
        );
    }

    #[test]
    fn the_sts_endpoint_is_regional_by_partition_and_global_without_a_region() {
        let sts = |r: Option<&str>, env: &Env| sts_endpoint(r, &none(), env).unwrap();
        let none_env = Env::default();
        let pair = |u: &str, r: &str| (u.to_owned(), r.to_owned());
        assert_eq!(
            sts(Some("eu-west-1"), &none_env),
            pair("https://sts.eu-west-1.amazonaws.com", "eu-west-1")
        );
        // CLI v2: regional even for the legacy global regions.
        assert_eq!(
            sts(Some("us-east-1"), &none_env),
            pair("https://sts.us-east-1.amazonaws.com", "us-east-1")
        );
        assert_eq!(
            sts(Some("cn-north-1"), &none_env),
            pair("https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1")
        );
        assert_eq!(
            sts(Some("us-gov-west-1"), &none_env),
            pair("https://sts.us-gov-west-1.amazonaws.com", "us-gov-west-1")
        );
        assert_eq!(
            sts(Some("eusc-de-east-1"), &none_env),
            pair("https://sts.eusc-de-east-1.amazonaws.eu", "eusc-de-east-1")
        );
        for global in [None, Some("aws-global"), Some("")] {
            assert_eq!(
                sts(global, &none_env),
                pair("https://sts.amazonaws.com", "us-east-1"),
                "{global:?}"
            );
        }
        let fips = Env::from_pairs([("AWS_USE_FIPS_ENDPOINT", "true")]);
        assert_eq!(
            sts(Some("us-east-2"), &fips),
            pair("https://sts-fips.us-east-2.amazonaws.com", "us-east-2")
        );
        assert_eq!(
            sts(Some("us-gov-west-1"), &fips),
            pair("https://sts.us-gov-west-1.amazonaws.com", "us-gov-west-1")
        );
        let dual = Env::from_pairs([("AWS_USE_DUALSTACK_ENDPOINT", "true")]);
        assert_eq!(
            sts(Some("eu-west-1"), &dual),
            pair("https://sts.eu-west-1.api.aws", "eu-west-1")
        );
        let e = sts_endpoint(Some("eu west"), &none(), &none_env).unwrap_err();
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn an_sts_override_is_used_verbatim_and_signed_for_the_clients_region() {
        let sts = |r: Option<&str>, cfg: &ConfiguredEndpoints, env: &Env| sts_endpoint(r, cfg, env);
        let env = Env::from_pairs([
            ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:7000/"),
            ("AWS_ENDPOINT_URL", "https://all.example"),
        ]);
        assert_eq!(
            sts(Some("eu-west-1"), &none(), &env).unwrap(),
            ("http://127.0.0.1:7000".to_owned(), "eu-west-1".to_owned())
        );
        assert_eq!(
            sts(None, &none(), &env).unwrap(),
            ("http://127.0.0.1:7000".to_owned(), "us-east-1".to_owned())
        );
        let env = Env::from_pairs([("AWS_ENDPOINT_URL", "https://all.example")]);
        assert_eq!(
            sts(Some("ap-east-1"), &none(), &env).unwrap().0,
            "https://all.example"
        );
        let cfg = ConfiguredEndpoints {
            global: Some("https://profile.example".into()),
            sso: Some("https://sso-only.example".into()),
            ..none()
        };
        assert_eq!(
            sts(Some("eu-west-1"), &cfg, &Env::default()).unwrap().0,
            "https://profile.example"
        );
        let ignore = Env::from_pairs([("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")]);
        assert_eq!(
            sts(Some("eu-west-1"), &cfg, &ignore).unwrap().0,
            "https://sts.eu-west-1.amazonaws.com"
        );
        // Plain http only to loopback; no FIPS/dualstack with an override.
        let env = Env::from_pairs([("AWS_ENDPOINT_URL_STS", "http://sts.corp:8080")]);
        let e = sts(Some("eu-west-1"), &none(), &env).unwrap_err();
        assert!(e.to_string().contains("AWS_ENDPOINT_URL_STS"), "{e}");
        let env = Env::from_pairs([
            ("AWS_ENDPOINT_URL_STS", "https://sts.example"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
        ]);
        assert!(sts(Some("eu-west-1"), &none(), &env).is_err());
        // A region that cannot be a scope is refused even with an override.
        let env = Env::from_pairs([("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1")]);
        assert!(sts(Some("eu/west"), &none(), &env).is_err());
    }

    #[test]
    fn signin_takes_only_its_own_variable_as_a_base_url() {
        let s = |env: &Env| resolve_service(Service::Signin, "eu-west-1", &none(), env);
        let env = Env::from_pairs([("AWS_ENDPOINT_URL_SIGNIN", "http://127.0.0.1:7000/")]);
        assert_eq!(s(&env).unwrap(), "http://127.0.0.1:7000/federation");
        let env = Env::from_pairs([(
            "AWS_ENDPOINT_URL_SIGNIN",
            "https://signin.example/federation",
        )]);
        assert_eq!(s(&env).unwrap(), "https://signin.example/federation");
        // FIPS and dualstack mean nothing to sign-in: no conflict with an override.
        let env = Env::from_pairs([
            ("AWS_ENDPOINT_URL_SIGNIN", "https://signin.example"),
            ("AWS_USE_FIPS_ENDPOINT", "true"),
        ]);
        assert_eq!(s(&env).unwrap(), "https://signin.example/federation");
        let env = Env::from_pairs([
            ("AWS_ENDPOINT_URL_SIGNIN", "https://signin.example"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ]);
        assert_eq!(s(&env).unwrap(), "https://signin.aws.amazon.com/federation");
        for bad in [
            "http://example.com",
            "http://10.0.0.1:80",
            "ftp://x",
            "https://x.example/?a=b",
        ] {
            let env = Env::from_pairs([("AWS_ENDPOINT_URL_SIGNIN", bad)]);
            let err = s(&env).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
            assert!(err.to_string().contains("AWS_ENDPOINT_URL_SIGNIN"), "{err}");
        }
    }

    #[test]
    fn signin_is_one_host_per_partition_without_overrides() {
        let env = Env::from_pairs([("AWS_ENDPOINT_URL", "https://all.example")]);
        let s = |r| resolve_service(Service::Signin, r, &none(), &env).unwrap();
        assert_eq!(s("eu-west-1"), "https://signin.aws.amazon.com/federation");
        assert_eq!(
            s("us-gov-west-1"),
            "https://signin.amazonaws-us-gov.com/federation"
        );
        assert_eq!(
            s("cn-northwest-1"),
            "https://signin.amazonaws.cn/federation"
        );
    }

    #[test]
    fn the_identity_center_services_resolve_one_at_a_time_as_together() {
        let env = Env::from_pairs([("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:9000")]);
        let both = resolve("us-east-1", &none(), &env).unwrap();
        assert_eq!(
            resolve_service(Service::SsoOidc, "us-east-1", &none(), &env).unwrap(),
            both.oidc
        );
        assert_eq!(
            resolve_service(Service::Sso, "us-east-1", &none(), &env).unwrap(),
            both.portal
        );
    }
}
