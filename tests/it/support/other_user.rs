//! Another local user (uid 65534, through `setpriv`) attacking a loopback
//! port: [`IdleFlood`] holds idle connections and reopens each one the
//! moment it is closed, so closing idle connections sooner frees nothing.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

use super::have;

/// The attacker, as a program: `python3 -c FLOOD PORT COUNT`. It prints
/// `ready UID` once COUNT sockets are open, and when its stdin closes
/// `reopened N` (how many of its sockets the server closed) and exits.
pub const FLOOD: &str = r#"
import os, selectors, socket, sys, time
port, count = int(sys.argv[1]), int(sys.argv[2])
sel = selectors.DefaultSelector()
def open_one():
    for _ in range(2000):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=1)
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ)
            return
        except OSError:
            time.sleep(0.005)
for _ in range(count):
    open_one()
print("ready", os.getuid(), flush=True)
sel.register(sys.stdin, selectors.EVENT_READ)
reopened = 0
while True:
    for key, _ in sel.select():
        if key.fileobj is sys.stdin:
            print("reopened", reopened, flush=True)
            sys.exit(0)
        s = key.fileobj
        try:
            data = s.recv(4096)
        except OSError:
            data = b""
        if data:
            continue
        sel.unregister(s)
        s.close()
        reopened += 1
        open_one()
"#;

/// Whether another user can be played here: root (to switch), setpriv and
/// python3. Missing, a test skips locally but fails under CI.
pub fn can_be_another_user() -> bool {
    if !have("setpriv") || !have("python3") {
        return false;
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        assert!(
            std::env::var_os("CI").is_none(),
            "the other-user tests need root (setpriv) under CI"
        );
        super::skip("not root: cannot run a test as another user");
    }
    root
}

/// `setpriv` and its arguments that run the rest of a command line as uid
/// and gid 65534 with no supplementary groups.
const AS_OTHER_USER: [&str; 4] = [
    "setpriv",
    "--reuid=65534",
    "--regid=65534",
    "--clear-groups",
];

/// `program` run as uid 65534, from `/` (a directory it can enter).
pub fn as_other_user(program: &str) -> Command {
    let mut c = Command::new(AS_OTHER_USER[0]);
    c.args(&AS_OTHER_USER[1..])
        .arg("--")
        .arg(program)
        .current_dir("/");
    c
}

/// A python3 that uid 65534 can run: the system's (a pyenv shim under
/// /root is out of its reach).
pub fn system_python() -> &'static str {
    ["/usr/bin/python3", "/usr/local/bin/python3"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .unwrap_or("python3")
}

/// The command line that runs the attacker as uid 65534 (for a script that
/// starts it itself, such as a stand-in browser).
pub fn flood_command(port: u16, count: usize) -> Vec<String> {
    AS_OTHER_USER
        .iter()
        .copied()
        .chain([system_python(), "-c", FLOOD])
        .map(str::to_owned)
        .chain([port.to_string(), count.to_string()])
        .collect()
}

/// A running flood against one port, stopped by [`IdleFlood::stop`].
pub struct IdleFlood {
    child: Child,
    out: BufReader<std::process::ChildStdout>,
}

impl IdleFlood {
    /// `count` idle sockets to 127.0.0.1:`port` from uid 65534, all open
    /// when this returns.
    pub fn start(port: u16, count: usize) -> IdleFlood {
        let argv = flood_command(port, count);
        let mut child = Command::new(&argv[0])
            .args(&argv[1..])
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("setpriv python3");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready 65534", "the attacker runs as uid 65534");
        IdleFlood { child, out }
    }

    /// Stops the attacker; returns how many of its sockets the server closed.
    pub fn stop(mut self) -> u64 {
        let _ = self.child.stdin.take().map(|mut s| s.flush());
        let mut line = String::new();
        self.out.read_line(&mut line).unwrap();
        let _ = self.child.wait();
        line.trim()
            .strip_prefix("reopened ")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("attacker said {line:?}"))
    }
}

impl Drop for IdleFlood {
    fn drop(&mut self) {
        // Killed by its own pid if a test failed before `stop`.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
