//! Every account an SSO token can see, with its roles: ListAccounts (all
//! pages), then ListAccountRoles for each account (all pages).
//!
//! An organisation may have a thousand accounts, each costing one
//! ListAccountRoles round trip, so the listing is bounded-parallel: one thread
//! pages through ListAccounts and feeds a shared queue that the other workers
//! drain, at most [`MAX_IN_FLIGHT`] requests at a time (the lister becomes a
//! worker once the accounts are all known). A 429 is retried with backoff by
//! the HTTP layer (`Retry-After` honoured); any other failure stops every
//! worker and is returned. Logging in (and again on a 401) is the caller's
//! business (`crate::accounts`).

use super::http::{Http, HttpError};
use super::portal::{Account, Portal};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// Requests in flight at most (ListAccounts and ListAccountRoles together).
pub(crate) const MAX_IN_FLIGHT: usize = 16;

/// One account and the roles the user has in it (roles sorted).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AccountRoles {
    pub(crate) account_id: String,
    pub(crate) account_name: Option<String>,
    pub(crate) email_address: Option<String>,
    pub(crate) roles: Vec<String>,
}

#[cfg(test)]
impl AccountRoles {
    /// An account as the listing gives it, for the commands' tests.
    pub(crate) fn example(id: &str, name: Option<&str>, roles: &[&str]) -> AccountRoles {
        AccountRoles {
            account_id: id.into(),
            account_name: name.map(Into::into),
            email_address: None,
            roles: roles.iter().map(|r| r.to_string()).collect(),
        }
    }
}

/// What the workers share.
struct Queue {
    state: Mutex<QueueState>,
    ready: Condvar,
    /// Set on the first failure: everyone stops taking work.
    failed: AtomicBool,
    done: AtomicUsize,
}

#[derive(Default)]
struct QueueState {
    pending: VecDeque<Account>,
    /// All accounts are known (ListAccounts paged to the end, or failed).
    listed: bool,
    /// Accounts discovered so far.
    total: usize,
    results: Vec<AccountRoles>,
    error: Option<HttpError>,
}

impl Queue {
    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn fail(&self, e: HttpError) {
        let mut st = self.lock();
        if st.error.is_none() {
            st.error = Some(e);
        }
        self.failed.store(true, Ordering::SeqCst);
        st.listed = true;
        self.ready.notify_all();
    }

    /// The next account to list roles for; None when there is no more work.
    fn take(&self) -> Option<Account> {
        let mut st = self.lock();
        loop {
            if self.failed.load(Ordering::SeqCst) {
                return None;
            }
            if let Some(a) = st.pending.pop_front() {
                return Some(a);
            }
            if st.listed {
                return None;
            }
            st = self.ready.wait(st).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn work(&self, portal: &Portal, token: &str) {
        while let Some(a) = self.take() {
            match portal.list_account_roles(token, &a.account_id) {
                Ok(roles) => {
                    let mut roles: Vec<String> = roles.into_iter().map(|r| r.role_name).collect();
                    roles.sort();
                    roles.dedup();
                    self.lock().results.push(AccountRoles {
                        account_id: a.account_id,
                        account_name: a.account_name,
                        email_address: a.email_address,
                        roles,
                    });
                    self.done.fetch_add(1, Ordering::SeqCst);
                }
                Err(e) => {
                    self.fail(e);
                    return;
                }
            }
        }
    }
}

/// Every account `token` can see, with its roles, sorted by account name
/// (then id; an account without a name sorts by its id). `progress` shows
/// `accounts N/M` on stderr while listing (callers pass whether stderr is a
/// terminal).
pub(crate) fn list_all(
    http: &Http,
    portal_base: &str,
    token: &str,
    progress: bool,
) -> Result<Vec<AccountRoles>, HttpError> {
    let portal = Portal {
        http,
        base: portal_base,
    };
    let q = Queue {
        state: Mutex::new(QueueState::default()),
        ready: Condvar::new(),
        failed: AtomicBool::new(false),
        done: AtomicUsize::new(0),
    };
    let finished = AtomicBool::new(false);
    std::thread::scope(|s| {
        let workers: Vec<_> = (1..MAX_IN_FLIGHT)
            .map(|_| s.spawn(|| q.work(&portal, token)))
            .collect();
        if progress {
            s.spawn(|| show_progress(&q, &finished));
        }
        // This thread lists the accounts, then works the queue like the others.
        // An account listed twice (on two pages) is listed once.
        let mut seen = std::collections::HashSet::new();
        let listed = portal.list_accounts_each(token, |page| {
            let page: Vec<Account> = page
                .into_iter()
                .filter(|a| seen.insert(a.account_id.clone()))
                .collect();
            let mut st = q.lock();
            st.total += page.len();
            st.pending.extend(page);
            q.ready.notify_all();
        });
        match listed {
            Ok(()) => {
                q.lock().listed = true;
                q.ready.notify_all();
                q.work(&portal, token);
            }
            Err(e) => q.fail(e),
        }
        // Workers end on their own once the queue is empty; the progress
        // line ends when they have.
        for w in workers {
            let _ = w.join();
        }
        finished.store(true, Ordering::SeqCst);
    });
    let st = q.state.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(e) = st.error {
        return Err(e);
    }
    let mut all = st.results;
    sort(&mut all);
    Ok(all)
}

/// By account name, then id; an account without a name sorts by its id.
pub(crate) fn sort(all: &mut [AccountRoles]) {
    all.sort_by(|a, b| {
        let key = |x: &AccountRoles| {
            (
                x.account_name
                    .clone()
                    .unwrap_or_else(|| x.account_id.clone()),
                x.account_id.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
}

/// `accounts 340/1000` on one stderr line, redrawn at most ten times a second.
fn show_progress(q: &Queue, finished: &AtomicBool) {
    let mut last = String::new();
    let start = Instant::now();
    loop {
        let end = finished.load(Ordering::SeqCst);
        let total = q.lock().total;
        let line = format!("accounts {}/{total}", q.done.load(Ordering::SeqCst));
        // Nothing for a listing that is over quickly.
        if line != last && start.elapsed() > Duration::from_millis(300) {
            crate::output::stderr_text(&format!("\r\x1b[K{line}"));
            last = line;
        }
        if end {
            if !last.is_empty() {
                crate::output::stderr_text("\r\x1b[K");
            }
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
