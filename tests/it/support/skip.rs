//! Skipped steps, recorded so that `cargo test` ends by saying what did not run and why
//! (issue 19, item 22). A test's own output is shown only when it fails, so a skip also
//! goes where the harness does not capture:
//!
//! - each skip is one line appended to `target/tmp/skips/<pid of cargo>/<binary>.txt`
//!   (cargo runs every test binary of one `cargo test` as its child), naming who skipped:
//!   the binary, or in `it` (all the integration tests) the test's module, `init_pty`;
//! - when the test binary exits, an `atexit` handler writes its skips to stderr, one line
//!   per reason (seen with `cargo test --test it -- init_pty::` too);
//! - `tests/zz_skipped.rs`, the last test binary of the package (cargo runs them by name),
//!   prints the list of the whole run and removes it.
//!
//! Under `CI` a missing tool fails instead (see [`super::have`]); nothing is skipped there.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Mutex, Once};

/// The reasons this binary skipped something, with the tests that did.
static SKIPS: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

/// Skip the rest of a test (or one step of it) for `reason`: said in the test's output,
/// recorded for the summaries.
pub fn skip(reason: &str) {
    eprintln!("skipping: {reason}");
    let test = std::thread::current().name().unwrap_or("(main)").to_owned();
    SKIPS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((reason.to_owned(), test.clone()));
    static AT_EXIT: Once = Once::new();
    AT_EXIT.call_once(|| {
        // SAFETY: registers a plain `extern "C" fn` with no arguments, as atexit(3) asks.
        unsafe { libc::atexit(say_skips_at_exit) };
    });
    let dir = run_dir();
    if std::fs::create_dir_all(&dir).is_ok()
        && let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(format!("{}.txt", binary_name())))
    {
        let _ = f.write_all(format!("{}\t{test}\t{reason}\n", origin(&test)).as_bytes());
    }
}

/// Where the skips of this `cargo test` run go: one directory per cargo process.
pub fn run_dir() -> PathBuf {
    // SAFETY: getppid has no preconditions and cannot fail.
    let cargo = unsafe { libc::getppid() };
    skips_dir().join(cargo.to_string())
}

/// The directory holding one directory per run.
pub fn skips_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("skips")
}

/// This test binary's name without cargo's hash: `init_pty`.
fn binary_name() -> String {
    let exe = std::env::current_exe().unwrap_or_default();
    let stem = exe
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match stem.rsplit_once('-') {
        Some((name, hash)) if hash.bytes().all(|b| b.is_ascii_hexdigit()) => name.to_owned(),
        _ => stem,
    }
}

/// Who skipped, for the run's summary: the test binary, or in `it`, the one binary of the
/// integration tests, the test's module (the file it is in): `init_pty`, not `it`.
fn origin(test: &str) -> String {
    let binary = binary_name();
    match test.split_once("::") {
        Some((module, _)) if binary == "it" => module.to_owned(),
        _ => binary,
    }
}

/// `reason: a, b (2 tests)` lines for (reason, who) pairs, one per reason.
pub fn summary_lines(skips: &[(String, String)]) -> Vec<String> {
    let mut by_reason: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for (reason, who) in skips {
        *by_reason.entry(reason).or_default().entry(who).or_default() += 1;
    }
    by_reason
        .into_iter()
        .map(|(reason, who)| {
            let names: Vec<String> = who
                .into_iter()
                .map(|(w, n)| {
                    if n > 1 {
                        format!("{w} ×{n}")
                    } else {
                        w.to_owned()
                    }
                })
                .collect();
            format!("  {reason}: {}", names.join(", "))
        })
        .collect()
}

extern "C" fn say_skips_at_exit() {
    let skips = SKIPS.lock().unwrap_or_else(|e| e.into_inner());
    if skips.is_empty() {
        return;
    }
    let mut text = format!(
        "skipped in {} (not installed or not possible here):\n",
        binary_name()
    );
    for line in summary_lines(&skips) {
        text.push_str(&line);
        text.push('\n');
    }
    let _ = std::io::stderr().write_all(text.as_bytes());
}
