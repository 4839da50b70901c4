//! The local IAM Identity Center emulator: SSO-OIDC (docs/sso-oidc.md), the SSO portal
//! (docs/portal.md), STS AssumeRole (SigV4-verified, XML) and the sign-in federation endpoint
//! (`/federation`, console URLs) over plain HTTP on 127.0.0.1, with the same paths, JSON bodies, status
//! codes and error headers as AWS. `ssoenv demo` and the tests point tools at it
//! with `AWS_ENDPOINT_URL_SSO_OIDC` / `AWS_ENDPOINT_URL_SSO` (docs/endpoints.md#overrides).
//!
//! Behaviour worth knowing:
//! - A device code is approved after `approve_after_polls` CreateToken polls answered
//!   `authorization_pending` (then `access_denied` instead if `deny` is set).
//! - `GET /authorize` (PKCE) approves at once: a 302 to the client's
//!   `http://127.0.0.1:<port>/oauth/callback` with `code` and `state` (or
//!   `error=access_denied` if `deny` is set). The code is good for one CreateToken
//!   with the same client and redirect URI and the verifier of the challenge.
//! - Refresh tokens are issued only to clients registered with the scope
//!   `sso:account:access`, as AWS does; each refresh rotates the refresh token.
//! - Logout ends the whole session: its access tokens and refresh token stop working.
//! - Faults ([`Fault`]) make the next N requests to an operation fail or stall.
//!
//! This crate is ssoenv's test oracle: it shares no code with the client (only the
//! wire format, from the AWS models). Layout: `state.rs` holds what the services
//! share (settings, counters, identifiers) and dispatches to `oidc.rs` (registrations,
//! device codes, sessions, tokens) and `portal.rs` (accounts, roles, role credentials);
//! none of them does I/O or reads the clock. `server.rs` is the HTTP side and the
//! only reader of the clock; `api.rs` the errors and request parsing they all use.

mod api;
mod fault;
mod fixture;
mod ids;
mod oidc;
mod portal;
mod server;
mod signin;
mod state;
mod sts;
#[cfg(test)]
mod tests;

pub use fault::{FOREVER, Fault, FaultKind, Op};
pub use fixture::{Account, Fixture};
pub use oidc::{
    ACCOUNT_ACCESS_SCOPE, AUTH_CODE_TTL, AUTHORIZATION_CODE_GRANT, DEVICE_CODE_GRANT,
    REFRESH_TOKEN_GRANT,
};
pub use signin::SigninRequest;
pub use state::{IssuedCredentials, Stats};
pub use sts::AssumeRoleCall;

use server::{Shared, lock};
use state::State;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// How the emulator behaves. `Default` gives a fast, permissive emulator for tests.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// CreateToken polls answered `authorization_pending` before the device code is
    /// approved (0: the first poll succeeds). Default 1.
    pub approve_after_polls: u32,
    /// `interval` returned by StartDeviceAuthorization, in seconds. Default 1.
    pub interval: u32,
    /// `expiresIn` of a device code, in seconds. Default 600.
    pub device_code_ttl: u64,
    /// `expiresIn` of an access token, in seconds. Default 28800 (8 h).
    pub token_ttl: u64,
    /// Lifetime of role credentials, in seconds (`ssoenv emulator
    /// --credential-seconds N`, alias `--role-ttl`). Default 3600.
    pub role_ttl: u64,
    /// `clientSecretExpiresAt - clientIdIssuedAt`, in seconds. Default 90 days.
    pub registration_ttl: u64,
    /// When true (default), refresh tokens are issued to clients registered with the
    /// `sso:account:access` scope (and only to them, as AWS does); when false, never.
    pub issue_refresh_tokens: bool,
    /// ListAccounts/ListAccountRoles page size when `max_result` is absent. Default 2,
    /// so that clients exercise pagination.
    pub page_size: u32,
    /// The most items a page holds whatever `max_result` asks (AWS may return
    /// fewer than asked). Default 100, the model's limit.
    pub max_page_size: u32,
    pub fixture: Fixture,
    /// Faults pending at start-up, consumed in order.
    pub faults: Vec<Fault>,
    /// The user denies the device authorization or the authorize page: `access_denied`.
    pub deny: bool,
    /// Every device code is already expired: `expired_token`.
    pub expire_device_codes: bool,
    /// Milliseconds added to every API answer (not the control endpoints),
    /// as a distant region would. Default 0.
    pub latency_ms: u64,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            port: 0,
            approve_after_polls: 1,
            interval: 1,
            device_code_ttl: 600,
            token_ttl: 8 * 3600,
            role_ttl: 3600,
            registration_ttl: 90 * 24 * 3600,
            issue_refresh_tokens: true,
            page_size: 2,
            max_page_size: 100,
            fixture: Fixture::default(),
            faults: Vec::new(),
            deny: false,
            expire_device_codes: false,
            latency_ms: 0,
        }
    }
}

/// A running emulator. Dropping it (or [`Emulator::shutdown`]) stops the server.
pub struct Emulator {
    shared: Shared,
    server: Option<Arc<tiny_http::Server>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    addr: SocketAddr,
}

impl Emulator {
    /// Binds 127.0.0.1:`cfg.port` (never another interface) and serves on background
    /// threads: one receiving requests, one per request, so a `slow` fault stalls only
    /// its own request.
    pub fn start(cfg: EmulatorConfig) -> io::Result<Emulator> {
        let server = tiny_http::Server::http(("127.0.0.1", cfg.port)).map_err(|e| match e
            .downcast::<io::Error>()
        {
            Ok(e) => *e,
            Err(e) => io::Error::other(e.to_string()),
        })?;
        let addr = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| io::Error::other("the emulator is not listening on an IP address"))?;
        let server = Arc::new(server);
        let url = format!("http://127.0.0.1:{}", addr.port());
        let shared: Shared = Arc::new(Mutex::new(State::new(cfg, url, ids::seed_from_os())));
        let stop = Arc::new(AtomicBool::new(false));

        let thread = {
            let server = Arc::clone(&server);
            let shared = Arc::clone(&shared);
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("ssoenv-emulator".into())
                .spawn(move || serve(&server, &shared, &stop))?
        };
        Ok(Emulator {
            shared,
            server: Some(server),
            stop,
            thread: Some(thread),
            addr,
        })
    }

    /// `http://127.0.0.1:PORT`: the endpoint for both SSO-OIDC and the portal.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The address actually bound (always 127.0.0.1).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn stats(&self) -> Stats {
        lock(&self.shared).stats.clone()
    }

    /// Queues a fault after those already pending.
    pub fn add_fault(&self, fault: Fault) {
        lock(&self.shared).add_fault(fault);
    }

    /// Faults still pending (with their remaining counts).
    pub fn pending_faults(&self) -> Vec<Fault> {
        lock(&self.shared).cfg.faults.clone()
    }

    /// From now on, device authorizations end in `access_denied` (or no longer do).
    pub fn set_deny(&self, deny: bool) {
        lock(&self.shared).cfg.deny = deny;
    }

    /// From now on, device codes are expired (`expired_token`), or no longer are.
    pub fn set_expire_device_codes(&self, expire: bool) {
        lock(&self.shared).cfg.expire_device_codes = expire;
    }

    /// Lifetime of access tokens issued from now on (0: they are born expired).
    pub fn set_token_ttl(&self, seconds: u64) {
        lock(&self.shared).cfg.token_ttl = seconds;
    }

    /// Lifetime of role credentials issued from now on.
    pub fn set_role_ttl(&self, seconds: u64) {
        lock(&self.shared).cfg.role_ttl = seconds;
    }

    /// Every role credential issued so far expires now (as if its lifetime
    /// had run out): [`Emulator::credentials_valid`] says false for them.
    /// Returns how many were still valid.
    pub fn expire_credentials(&self) -> usize {
        lock(&self.shared).expire_credentials(server::now())
    }

    /// Whether credentials with this access key id were issued by the emulator
    /// (`None` if not) and are still within their lifetime.
    pub fn credentials_valid(&self, access_key_id: &str) -> Option<bool> {
        let exp = lock(&self.shared).credential_expiry(access_key_id)?;
        Some(exp > server::now())
    }

    /// What the emulator issued under this access key id (by the portal or
    /// by STS AssumeRole), if anything: secret, token, expiry, whether it is a
    /// chained role session, and the session's assumed-role ARN.
    pub fn issued_credentials(&self, access_key_id: &str) -> Option<IssuedCredentials> {
        lock(&self.shared)
            .issued_credentials(access_key_id)
            .cloned()
    }

    /// STS: AssumeRole of `role_arn` is refused (`AccessDenied`), or no longer is.
    pub fn set_role_denied(&self, role_arn: &str, denied: bool) {
        lock(&self.shared).sts.set_denied(role_arn, denied);
    }

    /// STS: AssumeRole of `role_arn` needs `SerialNumber` = `mfa.0` and
    /// `TokenCode` = `mfa.1` (`AccessDenied` otherwise); None lifts it.
    pub fn set_role_mfa(&self, role_arn: &str, mfa: Option<(&str, &str)>) {
        lock(&self.shared).sts.set_mfa(role_arn, mfa);
    }

    /// STS: AssumeRole of `role_arn` needs this `ExternalId` (`AccessDenied`
    /// otherwise); None lifts it.
    pub fn set_role_external_id(&self, role_arn: &str, external_id: Option<&str>) {
        lock(&self.shared)
            .sts
            .set_external_id(role_arn, external_id);
    }

    /// The parameters of the last AssumeRole request that passed
    /// authentication (whether or not it then succeeded).
    pub fn last_assume_role(&self) -> Option<AssumeRoleCall> {
        lock(&self.shared).sts.last.clone()
    }

    /// Every AssumeRole request that passed authentication, oldest first
    /// (with the region each was signed for).
    pub fn assume_role_calls(&self) -> Vec<AssumeRoleCall> {
        lock(&self.shared).sts.calls.clone()
    }

    /// The last getSigninToken request the sign-in endpoint parsed: whose
    /// credentials, and the `SessionDuration` asked for.
    pub fn last_signin_request(&self) -> Option<SigninRequest> {
        lock(&self.shared).last_signin_request()
    }
    /// Whether `token` is a SigninToken the emulator issued, still usable to log in.
    pub fn signin_token_valid(&self, token: &str) -> bool {
        lock(&self.shared).signin_token_valid(token, server::now())
    }
    /// Milliseconds added to every API answer from now on.
    pub fn set_latency_ms(&self, millis: u64) {
        lock(&self.shared).cfg.latency_ms = millis;
    }

    /// The accounts and roles served from now on (pages already handed out
    /// keep their offsets).
    pub fn set_fixture(&self, fixture: Fixture) {
        lock(&self.shared).cfg.fixture = fixture;
    }

    pub fn set_approve_after_polls(&self, polls: u32) {
        lock(&self.shared).cfg.approve_after_polls = polls;
    }

    /// Invalidates every access and refresh token issued so far (portal calls → 401,
    /// refresh → `invalid_grant`). Registered clients stay valid.
    pub fn revoke_all_tokens(&self) {
        lock(&self.shared).revoke_all_tokens();
    }

    /// Forgets pending faults and counters and restores the start-up settings.
    /// Clients and tokens stay valid.
    pub fn reset(&self) {
        lock(&self.shared).reset();
    }

    /// Stops the server and waits for its receiving thread. Requests already being
    /// answered finish on their own threads.
    pub fn shutdown(mut self) {
        self.stop_server();
    }

    /// Blocks until the server stops (for `ssoenv emulator`, that is until killed).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    fn stop_server(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(server) = self.server.take() {
            server.unblock();
            if let Some(t) = self.thread.take() {
                let _ = t.join();
            }
            // Last reference: tiny_http closes its listener as this drops.
            drop(server);
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop_server();
    }
}

fn serve(http: &tiny_http::Server, shared: &Shared, stop: &AtomicBool) {
    while !stop.load(Ordering::SeqCst) {
        // Err: unblocked by `shutdown`, or the listener failed; either way we are done.
        let Ok(rq) = http.recv() else { break };
        let shared = Arc::clone(shared);
        // If no thread can be spawned the request is dropped and its connection closed.
        let _ = std::thread::Builder::new()
            .name("ssoenv-emulator-request".into())
            .spawn(move || server::handle(&shared, rq));
    }
}
