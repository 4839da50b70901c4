//! A stand-in browser that is handed a private page (as `console` and
//! `login --pkce` hand one over) and another local user watching every
//! process's command line.

use super::{Sandbox, have};
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// Python for a stand-in browser: `read_page(arg, log)` takes what the
/// browser was given (a path or a `file://` URL; a plain URL is logged and
/// returned as it is), logs `page <path> <dir
/// mode> <file mode>`, reads the redirect target from the page's meta
/// refresh (checked against its `location.replace`), logs `url <target>` and
/// returns it.
pub const READ_PAGE_PY: &str = r#"
import html, json, os, re, stat, sys, urllib.parse
def read_page(arg, log):
    if arg.startswith(("http://", "https://")):
        # Handed the URL itself, on the command line.
        log.write("url " + arg + "\n"); log.flush()
        return arg
    path = urllib.parse.unquote(arg[len("file://"):]) if arg.startswith("file://") else arg
    mode = lambda p: "%o" % stat.S_IMODE(os.lstat(p).st_mode)
    log.write("page %s %s %s\n" % (path, mode(os.path.dirname(path)), mode(path))); log.flush()
    text = open(path).read()
    meta = re.search(r'http-equiv="refresh" content="0;url=([^"]*)"', text)
    url = html.unescape(meta.group(1))
    script = re.search(r'location\.replace\((".*?")\);', text)
    if json.loads(script.group(1)) != url:
        log.write("mismatch\n")
    log.write("url " + url + "\n"); log.flush()
    return url
"#;

/// A `BROWSER` that reads the page it is handed (see [`READ_PAGE_PY`]) and
/// then stays open `linger` seconds, as a browser does, before logging
/// `done`. Returns the command and its log.
pub fn page_browser(sb: &Sandbox, linger: f64) -> (String, PathBuf) {
    let log = sb.dir.path().join("browser.log");
    let script = sb.dir.path().join("browser.py");
    std::fs::write(
        &script,
        format!(
            "{READ_PAGE_PY}\nimport time\nlog = open({log:?}, \"a\")\nread_page(sys.argv[1], log)\ntime.sleep({linger})\nlog.write(\"done\\n\")\nlog.close()\n",
            log = log.display().to_string()
        ),
    )
    .unwrap();
    (format!("python3 {}", script.display()), log)
}

/// The `url` line of a stand-in browser's log.
pub fn opened_url(log: &str) -> Option<String> {
    log.lines()
        .find_map(|l| l.strip_prefix("url "))
        .map(str::to_owned)
}

/// The `page` line of a stand-in browser's log: (path, directory mode, file mode).
pub fn opened_page(log: &str) -> Option<(PathBuf, String, String)> {
    let line = log.lines().find_map(|l| l.strip_prefix("page "))?;
    let mut parts = line.rsplitn(3, ' ');
    let file = parts.next()?.to_owned();
    let dir = parts.next()?.to_owned();
    Some((PathBuf::from(parts.next()?), dir, file))
}

/// Another local user (uid 65534) reading `/proc/*/cmdline` of every process
/// in a tight loop, remembering each distinct command line.
pub struct CmdlineWatcher {
    child: Child,
    /// Drains the watcher's output as it comes (a full pipe would stall it).
    reader: std::thread::JoinHandle<Vec<String>>,
}

impl CmdlineWatcher {
    /// Started and sweeping; `None` (a skip, or a failure under CI) without
    /// `setpriv` or a python3 that uid 65534 can run.
    pub fn start() -> Option<CmdlineWatcher> {
        if !have("setpriv") {
            return None;
        }
        const WATCH: &str = r#"
import os, sys, time
seen = set()
print("ready", flush=True)
while True:
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                c = f.read()
        except OSError:
            continue
        if c and c not in seen:
            seen.add(c)
            line = c.replace(b"\0", b" ").decode("utf-8", "replace").replace("\n", " ")
            print(line, flush=True)
    time.sleep(0.001)
"#;
        // pyenv's shim under /root is not for other users: a system python3.
        let python = [super::system_python(), "python3"].into_iter().find(|py| {
            super::as_other_user(py)
                .args(["-c", "import os"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        });
        let Some(python) = python else {
            if std::env::var_os("CI").is_some() {
                panic!("no python3 that uid 65534 can run, required under CI");
            }
            super::skip("no python3 that uid 65534 can run");
            return None;
        };
        let mut child = super::as_other_user(python)
            .args(["-c", WATCH])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        out.read_line(&mut first).unwrap();
        assert_eq!(first.trim(), "ready", "the watcher did not start");
        let reader = std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = out.read_to_string(&mut rest);
            rest.lines().map(str::to_owned).collect()
        });
        Some(CmdlineWatcher { child, reader })
    }

    /// Stop it: every distinct command line it saw.
    pub fn stop(mut self) -> Vec<String> {
        // Let it finish a sweep or two after the last process of interest.
        std::thread::sleep(std::time::Duration::from_millis(200));
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.reader.join().unwrap()
    }
}
