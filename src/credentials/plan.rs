//! The credential plan: what a profile is, resolved once. A base source
//! (an SSO role, static keys) and the role steps above it, in the order they
//! run (aws-config's `ProfileChain`): the first step assumes its role with the
//! base's credentials, each next one with the step's before it, the last is
//! the profile's own role. An SSO profile is a base alone.
//!
//! Every source implements [`Step`]; [`obtain`] is the one place that checks
//! the cache, takes the lock, checks again, gets the source's credentials,
//! fetches and saves. Commands ask a [`Plan`] what they need to know (usable
//! without a person, cached state, description, renewable, chained, which
//! session to log in to) and never see the sources themselves.

use super::Credentials;
use super::assume_role::RoleStep;
use super::sso::SsoRole;
use super::static_keys::StaticSource;
use crate::aws::endpoint;
use crate::cache::lock;
use crate::config::{
    Config, ConfiguredEndpoints, Profile, ResolvedProfile, RoleSource, SsoSession,
};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::login::{Ctx, LoginOptions};
use std::path::Path;
use time::OffsetDateTime;

/// What one run of [`Plan::credentials`] shares between its steps.
pub(super) struct Run<'a> {
    pub(crate) ctx: &'a Ctx,
    pub(crate) opts: LoginOptions,
    /// The chain's STS endpoint and signing region (None without role steps).
    pub(crate) sts: Option<(String, String)>,
}

/// One line of `ssoenv doctor` about a source: the check's name, whether it
/// passed, what was found and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub(crate) check: &'static str,
    pub(crate) ok: bool,
    pub(crate) detail: String,
    pub(crate) fix: Option<String>,
}

impl Finding {
    pub(super) fn ok(check: &'static str, detail: impl Into<String>) -> Finding {
        Finding {
            check,
            ok: true,
            detail: detail.into(),
            fix: None,
        }
    }

    pub(super) fn fail(check: &'static str, detail: impl Into<String>, fix: String) -> Finding {
        Finding {
            check,
            ok: false,
            detail: detail.into(),
            fix: Some(fix),
        }
    }
}

/// The account, role and `role_arn` a source gives credentials for (None
/// where it has none, or where `role_arn` has another shape).
#[derive(Debug, Default)]
pub(super) struct Role<'a> {
    pub(crate) account_id: Option<&'a str>,
    pub(crate) role_name: Option<&'a str>,
    pub(crate) role_arn: Option<&'a str>,
}

/// A source of credentials: a base (SSO, static keys) or a role step. A new
/// source is one file implementing this, one variant of [`Base`] (or a step
/// kind) and the branch of `config/resolve.rs` that reads its keys.
pub(super) trait Step {
    /// What is checked before the cache lock (the endpoints to call).
    type Prepared;
    /// What a fetch brings back, saved as it is.
    type Fetched;

    /// The profile this step's settings come from.
    fn name(&self) -> &str;
    /// The region to export when it is the profile's top step.
    fn region(&self) -> Option<&str>;
    /// Its profile's endpoint settings.
    fn endpoints(&self) -> &ConfiguredEndpoints;
    /// `sso` or `assume-role`: the kind of a profile whose top step this is.
    fn kind(&self) -> &'static str;
    /// The account, role and role ARN it gives credentials for.
    fn role(&self) -> Role<'_>;

    /// Credentials to use without fetching: cached with more than 15 minutes
    /// left (or keys that never expire).
    fn reuse(&self, home: &Path, now: OffsetDateTime) -> Option<Credentials>;
    /// The cached credentials whatever their age, for listings.
    fn cached(&self, home: &Path) -> Option<Credentials>;
    #[cfg(any(test, feature = "emulator"))]
    /// The cache file, if the source has one.
    fn cache_path(&self, home: &Path) -> Option<std::path::PathBuf>;
    /// The lock a fetch runs under (name, what for), if any.
    fn lock(&self) -> Option<(String, &'static str)>;
    fn prepare(&self, run: &Run) -> Result<Self::Prepared>;
    /// Fresh credentials; `source` is the credentials of the step below
    /// (None for a base).
    fn fetch(
        &self,
        run: &Run,
        prepared: Self::Prepared,
        source: Option<Credentials>,
    ) -> Result<Self::Fetched>;
    fn save(&self, home: &Path, fetched: Self::Fetched) -> Result<Credentials>;

    /// Whether a fetch needs no person (given its source's credentials).
    fn unattended(&self, home: &Path, now: OffsetDateTime) -> bool;
    /// Whether the prompt's quiet renewal can fetch again without a person.
    fn renewable(&self, env: &Env) -> bool;
    /// Whether its credentials are a role session (AWS caps a role assumed
    /// with them at 1 hour, and the console gets no `SessionDuration`).
    fn gives_role_session(&self) -> bool;
    /// The SSO profile whose session it logs in with, if any.
    fn login_session(&self) -> Option<&ResolvedProfile> {
        None
    }
    /// `ssoenv doctor`'s lines about it (no network). `chain` is the plan's
    /// chain as text.
    fn diagnose(
        &self,
        from: &str,
        chain: &str,
        home: Option<&Path>,
        now: OffsetDateTime,
    ) -> Vec<Finding>;
}

/// Where a plan's credentials start.
// One per plan, built once per command: the SSO variant's size costs nothing.
#[allow(clippy::large_enum_variant)]
enum Base {
    Sso(SsoRole),
    Static(StaticSource),
}

/// `on_base!(base, b => expr)`: `expr` with `b` bound to the base's source.
macro_rules! on_base {
    ($base:expr, $b:ident => $e:expr) => {
        match $base {
            Base::Sso($b) => $e,
            Base::Static($b) => $e,
        }
    };
}

/// `on_top!(plan, s => expr)`: `expr` with `s` bound to the profile's own
/// step (the last role step, else the base).
macro_rules! on_top {
    ($plan:expr, $s:ident => $e:expr) => {
        match $plan.steps.last() {
            Some($s) => $e,
            None => on_base!(&$plan.base, $s => $e),
        }
    };
}

/// Fresh credentials that could not be cached are still used: a warning, not
/// an error. The cache only spares the next command a request; failing here
/// would throw away credentials already issued (after a login, perhaps), and
/// every retry would fetch and lose them again. (The AWS CLI fails here
/// with the OS error; aws-vault keeps no such file cache.)
pub(super) fn unsaved(e: &Error) {
    let mut w = Error::runtime(format!(
        "the credentials are used but were not cached: {}",
        e.message
    ));
    w.causes = e.causes.clone();
    crate::output::warn_error(&w.hint(format!(
        "{}; until then each command asks for new credentials",
        e.hint.as_deref().unwrap_or("make the cache directory writable")
    )));
}

/// Check cache → lock → check again → the source's credentials → fetch →
/// save, for any step. `held`: the locks this process holds already (two
/// steps of one chain may share a cache key and so a lock).
fn obtain<S: Step>(
    step: &S,
    run: &Run,
    held: &mut Vec<String>,
    source: impl FnOnce(&Run, &mut Vec<String>) -> Result<Option<Credentials>>,
) -> Result<Credentials> {
    let ctx = run.ctx;
    if !run.opts.force
        && let Some(c) = step.reuse(&ctx.home, (ctx.now)())
    {
        return Ok(c);
    }
    let prepared = step.prepare(run)?;
    let _lock = match step.lock() {
        Some((name, _)) if held.contains(&name) => None,
        Some((name, what)) => {
            let l = lock::acquire(&ctx.env, &name, what)?;
            held.push(name);
            Some(l)
        }
        None => None,
    };
    // Another process may have done the work while we waited for the lock.
    if !run.opts.force
        && let Some(c) = step.reuse(&ctx.home, (ctx.now)())
    {
        return Ok(c);
    }
    let source = source(run, held)?;
    let fetched = step.fetch(run, prepared, source)?;
    step.save(&ctx.home, fetched)
}

/// A profile resolved into its sources. Built by [`Plan::resolve`] (or the
/// listings); everything a command knows about a profile comes from here.
pub(crate) struct Plan {
    base: Base,
    /// In the order they run; the last is the profile's own role.
    steps: Vec<RoleStep>,
}

impl Plan {
    /// The plan of profile `name`, or the config's exit-2 error.
    pub(crate) fn resolve(config: &Config, name: &str) -> Result<Plan> {
        config.profile(name).map(Plan::from)
    }

    /// The plan of profile `name`, reading only the sections of the config
    /// it needs (`Config::load_profile`): what the hot paths (`use`, `exec`,
    /// `credential-process`, `status --check`) start from.
    pub(crate) fn load(env: &crate::env::Env, name: &str) -> Result<Plan> {
        Config::load_profile(env, name).map(Plan::from)
    }

    /// Every profile that gives credentials (SSO keys or `role_arn`), in file
    /// order, each resolved.
    pub(crate) fn listed(config: &Config) -> Vec<(String, Result<Plan>)> {
        config
            .credential_profiles()
            .into_iter()
            .map(|(n, p)| (n, p.map(Plan::from)))
            .collect()
    }

    /// Every profile of the config, in file order, each resolved.
    pub(crate) fn all(config: &Config) -> impl Iterator<Item = (&str, Result<Plan>)> {
        config.profile_all().map(|(n, p)| (n, p.map(Plan::from)))
    }

    pub(crate) fn name(&self) -> &str {
        on_top!(self, s => s.name())
    }

    /// The region to export: the profile's, or a chain's own else its source's.
    pub(crate) fn region(&self) -> Option<&str> {
        on_top!(self, s => s.region())
    }

    /// The profile's own endpoint settings.
    pub(crate) fn endpoints(&self) -> &ConfiguredEndpoints {
        on_top!(self, s => s.endpoints())
    }

    /// The credentials: each step's cache, else a fetch (logging in, asking
    /// for an MFA code) as `opts` allow.
    pub(crate) fn credentials(&self, ctx: &Ctx, opts: LoginOptions) -> Result<Credentials> {
        // Every AssumeRole of a chain goes to one STS endpoint, signed in one
        // region: the profile's (its own `region`, its endpoint settings), as
        // botocore, the JS and the Rust SDKs do; an inner link's own region
        // does not count.
        let sts = match self.steps.last() {
            None => None,
            Some(top) => Some(endpoint::sts_endpoint(
                sts_region(top.own_region(), &ctx.env),
                top.endpoints(),
                &ctx.env,
            )?),
        };
        let run = Run { ctx, opts, sts };
        self.obtain_level(&run, self.steps.len(), &mut Vec::new())
    }

    /// Level 0 is the base, level `n` the `n`th role step.
    fn obtain_level(&self, run: &Run, level: usize, held: &mut Vec<String>) -> Result<Credentials> {
        match level.checked_sub(1) {
            None => on_base!(&self.base, b => obtain(b, run, held, |_, _| Ok(None))),
            Some(i) => obtain(&self.steps[i], run, held, |run, held| {
                self.obtain_level(run, i, held).map(Some)
            }),
        }
    }

    /// Whether the credentials can be had without a person, the way
    /// [`Plan::credentials`] would get them: a step's cache it would reuse,
    /// else every step below fetching without a person (no MFA code; a
    /// token that is valid or can be refreshed).
    pub(crate) fn usable_unattended(&self, home: &Path, now: OffsetDateTime) -> bool {
        for s in self.steps.iter().rev() {
            if s.reuse(home, now).is_some() {
                return true;
            }
            if !s.unattended(home, now) {
                return false;
            }
        }
        on_base!(&self.base, b => b.reuse(home, now).is_some() || b.unattended(home, now))
    }

    /// Whether the credentials can be renewed without a person: the session's
    /// token is refreshable (or the chain starts from static keys), and no
    /// step asks for an MFA code.
    pub(crate) fn renewable(&self, env: &Env) -> bool {
        self.steps.iter().all(|s| s.renewable(env)) && on_base!(&self.base, b => b.renewable(env))
    }

    /// Whether the credentials come from role chaining (an AssumeRole made
    /// with a role session's credentials, not an IAM user's long-term keys):
    /// AWS caps such sessions at 1 hour, and the console federation must not
    /// send `SessionDuration` for them (docs/signin.md#session-duration-and-role-chaining).
    pub(crate) fn is_role_chain(&self) -> bool {
        match self.steps.len() {
            0 => false,
            1 => on_base!(&self.base, b => b.gives_role_session()),
            _ => true,
        }
    }

    /// The SSO profile the credentials finally come from: the session to log
    /// in to (None for a chain that starts with static keys).
    pub(crate) fn login_session(&self) -> Option<&ResolvedProfile> {
        on_base!(&self.base, b => b.login_session())
    }

    /// The profile's cached credentials, whatever their age (its own role's:
    /// the last step's, or the base's).
    pub(crate) fn cached(&self, home: &Path) -> Option<Credentials> {
        on_top!(self, s => s.cached(home))
    }

    #[cfg(any(test, feature = "emulator"))]
    /// Where [`Plan::cached`] reads from.
    pub(crate) fn cache_path(&self, home: &Path) -> Option<std::path::PathBuf> {
        on_top!(self, s => s.cache_path(home))
    }

    /// The names from the profile down to where its chain starts (empty for
    /// a profile without role steps).
    pub(crate) fn chain(&self) -> Vec<&str> {
        if self.steps.is_empty() {
            return Vec::new();
        }
        let mut names: Vec<&str> = self.steps.iter().rev().map(|s| s.name()).collect();
        let base = on_base!(&self.base, b => b.name());
        // A profile using its own keys is not a second step.
        if names.last() != Some(&base) {
            names.push(base);
        }
        names
    }

    /// What listings show about the profile.
    pub(crate) fn describe(&self) -> Description<'_> {
        let (kind, role) = on_top!(self, s => (s.kind(), s.role()));
        Description {
            kind,
            session: self.login_session().map(|p| &p.sso),
            account_id: role.account_id,
            role_name: role.role_name,
            role_arn: role.role_arn,
            source_profile: self.steps.last().map(|s| s.source_name()),
            chain: self.chain(),
        }
    }

    /// `ssoenv doctor`'s lines about the profile (`from`: how it was named),
    /// top step first, then where the chain starts. No network.
    pub(crate) fn diagnose(
        &self,
        from: &str,
        home: Option<&Path>,
        now: OffsetDateTime,
    ) -> Vec<Finding> {
        let chain = crate::config::chain_text(&self.chain());
        let mut out = Vec::new();
        let base_from = match self.steps.last() {
            Some(top) => {
                out.extend(top.diagnose(from, &chain, home, now));
                "start of the chain"
            }
            None => from,
        };
        out.extend(on_base!(&self.base, b => b.diagnose(base_from, &chain, home, now)));
        out
    }
}

/// A profile as listings show it.
#[derive(Debug)]
pub(crate) struct Description<'a> {
    /// `sso` or `assume-role` (role chaining).
    pub(crate) kind: &'static str,
    /// The SSO session the credentials start from, if any.
    pub(crate) session: Option<&'a SsoSession>,
    /// The account and role; None when a `role_arn` has another shape than
    /// `arn:PARTITION:iam::ACCOUNT:role/NAME`.
    pub(crate) account_id: Option<&'a str>,
    pub(crate) role_name: Option<&'a str>,
    /// A chained profile's `role_arn` and `source_profile`.
    pub(crate) role_arn: Option<&'a str>,
    pub(crate) source_profile: Option<&'a str>,
    /// The profile, then each source down to where the chain starts (empty
    /// without role steps).
    pub(crate) chain: Vec<&'a str>,
}

impl From<Profile> for Plan {
    /// Flattens the resolved tree: the profile's role, its source's, … down
    /// to the base.
    fn from(p: Profile) -> Plan {
        let mut steps = Vec::new();
        let mut at = match p {
            Profile::Sso(p) => {
                return Plan {
                    base: Base::Sso(SsoRole::new(p)),
                    steps,
                };
            }
            Profile::AssumeRole(c) => c,
        };
        let base = loop {
            let (step, source) = RoleStep::new(at);
            steps.push(step);
            match source {
                RoleSource::Role(inner) => at = *inner,
                RoleSource::Sso(p) => break Base::Sso(SsoRole::new(p)),
                RoleSource::Static(k) => break Base::Static(StaticSource::new(k)),
            }
        };
        steps.reverse();
        Plan { base, steps }
    }
}

/// The region a chain's AssumeRole calls are signed in (and whose STS
/// endpoint they go to). botocore makes one STS client for the whole chain
/// (`AssumeRoleProvider`'s `client_creator`, created with the session's
/// region: the environment's, else the used profile's own `region`, not
/// inherited from its source); the JS and Rust SDKs do the same.
/// `AWS_REGION` (the AWS CLI v2, the JS and Rust SDKs), else
/// `AWS_DEFAULT_REGION` (botocore), else `own`; None: STS's global endpoint,
/// signed for us-east-1.
fn sts_region<'a>(own: Option<&'a str>, env: &'a Env) -> Option<&'a str> {
    env.non_empty(crate::env::AWS_REGION)
        .or_else(|| env.non_empty(crate::env::AWS_DEFAULT_REGION))
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .or(own)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::sts::AssumeRoleOutput;
    use std::path::PathBuf;

    const CONFIG: &str = "\
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-2

[profile sso]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin
region = eu-west-1

[profile one]
role_arn = arn:aws:iam::123456789012:role/one
source_profile = sso

[profile two]
role_arn = arn:aws:iam::210987654321:role/team/two
source_profile = one
region = us-west-2

[profile keys]
role_arn = arn:aws:iam::1:role/k
source_profile = keys
aws_access_key_id = AKIA
aws_secret_access_key = s

[profile keys-mfa]
role_arn = arn:aws:iam::1:role/m
source_profile = keys
mfa_serial = arn:aws:iam::1:mfa/alice

[profile odd]
role_arn = not-an-arn
source_profile = sso
";

    fn plan(name: &str) -> Plan {
        let config = Config::parse(PathBuf::from("/home/u/.aws/config"), CONFIG).unwrap();
        Plan::resolve(&config, name).unwrap()
    }

    fn now() -> OffsetDateTime {
        time::macros::datetime!(2030-01-01 12:00 UTC)
    }

    #[test]
    fn an_sso_profile_is_a_base_alone() {
        let p = plan("sso");
        assert!(p.steps.is_empty());
        assert_eq!(p.name(), "sso");
        assert_eq!(p.region(), Some("eu-west-1"));
        assert!(p.chain().is_empty());
        assert!(!p.is_role_chain());
        let d = p.describe();
        assert_eq!(d.kind, "sso");
        assert_eq!(d.account_id, Some("111122223333"));
        assert_eq!(d.role_name, Some("Admin"));
        assert_eq!(d.role_arn, None);
        assert_eq!(d.source_profile, None);
        assert_eq!(d.session.and_then(|s| s.name.as_deref()), Some("corp"));
    }

    #[test]
    fn a_two_level_chain_flattens_into_its_base_and_steps_in_the_order_they_run() {
        let p = plan("two");
        let names: Vec<&str> = p.steps.iter().map(|s| s.name()).collect();
        assert_eq!(names, ["one", "two"]);
        assert!(matches!(&p.base, Base::Sso(b) if b.name() == "sso"));
        assert_eq!(p.name(), "two");
        assert_eq!(p.region(), Some("us-west-2"));
        assert_eq!(p.chain(), ["two", "one", "sso"]);
        assert!(p.is_role_chain());
        assert_eq!(p.login_session().map(|r| r.name.as_str()), Some("sso"));
        let d = p.describe();
        assert_eq!(d.kind, "assume-role");
        assert_eq!(
            (d.account_id, d.role_name),
            (Some("210987654321"), Some("two"))
        );
        assert_eq!(d.source_profile, Some("one"));
        // A one-step chain inherits its source's region.
        assert_eq!(plan("one").region(), Some("eu-west-1"));
    }

    #[test]
    fn a_role_arn_of_another_shape_has_no_account_or_role_name() {
        let p = plan("odd");
        let d = p.describe();
        assert_eq!((d.account_id, d.role_name), (None, None));
        assert_eq!(d.role_arn, Some("not-an-arn"));
    }

    #[test]
    fn a_chain_from_its_own_static_keys_is_one_step_and_not_a_role_session() {
        let p = plan("keys");
        assert_eq!(p.steps.len(), 1);
        assert_eq!(p.chain(), ["keys"]);
        assert!(!p.is_role_chain());
        assert!(p.login_session().is_none());
        assert_eq!(plan("keys-mfa").chain(), ["keys-mfa", "keys"]);
    }

    #[test]
    fn usable_without_a_person_asks_each_step_from_the_top() {
        let home = tempfile::tempdir().unwrap();
        let home = home.path();
        // No token, no cache: an SSO role needs a login.
        assert!(!plan("sso").usable_unattended(home, now()));
        assert!(!plan("two").usable_unattended(home, now()));
        // Static keys need no one; an MFA code does.
        assert!(plan("keys").usable_unattended(home, now()));
        let mfa = plan("keys-mfa");
        assert!(!mfa.usable_unattended(home, now()));
        // Cached credentials with more than 15 minutes left serve without the code.
        let top = mfa.steps.last().unwrap();
        let fresh = |minutes: i64| AssumeRoleOutput {
            credentials: Credentials {
                access_key_id: "ASIAX".into(),
                secret_access_key: "secret".into(),
                session_token: "token".into(),
                expiration: now() + time::Duration::minutes(minutes),
            },
            assumed_role_arn: "arn:aws:sts::1:assumed-role/m/s".into(),
            assumed_role_id: "AROAX:s".into(),
            packed_policy_size: None,
            source_identity: None,
            request_id: None,
        };
        top.save(home, fresh(10)).unwrap();
        assert!(
            !mfa.usable_unattended(home, now()),
            "10 minutes left is not fresh"
        );
        assert_eq!(mfa.cached(home).unwrap().access_key_id, "ASIAX");
        top.save(home, fresh(60)).unwrap();
        assert!(mfa.usable_unattended(home, now()));
        assert_eq!(mfa.cache_path(home), top.cache_path(home));
    }

    #[test]
    fn an_mfa_step_is_not_renewable_by_the_prompt() {
        assert!(!plan("keys-mfa").renewable(&Env::default()));
        assert!(plan("keys").renewable(&Env::default()));
    }

    /// The proof that commands ask the plan: no file under `src/cmd/` names
    /// a source variant or reads the resolved profile tree.
    #[test]
    fn no_command_matches_on_profile_or_source_variants() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cmd");
        let needles = [
            "Profile::Sso",
            "Profile::AssumeRole",
            "RoleSource",
            "ChainedProfile",
            "StaticKeys",
            "config::Profile",
            "Base::",
            "RoleStep",
            ".profile(&",
            "credential_profiles(",
            "profile_all(",
            "sso_root(",
            "as_chained(",
        ];
        let mut found = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for n in needles {
                if text.contains(n) {
                    found.push(format!("{}: {n}", path.display()));
                }
            }
        }
        assert!(found.is_empty(), "commands must ask the Plan: {found:#?}");
    }
}
