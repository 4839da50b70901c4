//! The name of the process that started us: in normal use the shell that evaluates our output
//! (`eval "$(ssoenv use prod)"`, `ssoenv use prod | source`), which [`super::Shell::detect`]
//! maps to a shell with [`super::Shell::from_name`].
//!
//! Linux reads `/proc/<ppid>/comm`. macOS has no `/proc`: the parent's executable and arguments
//! come from `sysctl(KERN_PROCARGS2)` (what `ps -o args` shows; psutil and sysinfo read the same),
//! else its executable path from libproc's `proc_pidpath`. The choice of a name from those
//! ([`name_from_exe_and_args`], [`name_from_procargs`]) is plain code, unit-tested on every
//! platform. Elsewhere the name is unknown and detection falls back to `SSOENV_SHELL`, `$SHELL`.

#[cfg(any(target_os = "macos", test))]
use super::Shell;

/// The parent process's name, `None` when it cannot be read.
#[cfg(target_os = "linux")]
pub(super) fn parent_process_name() -> Option<String> {
    // SAFETY: getppid has no preconditions and cannot fail.
    let ppid = unsafe { libc::getppid() };
    let comm = std::fs::read_to_string(format!("/proc/{ppid}/comm")).ok()?;
    let comm = comm.trim_end_matches('\n');
    (!comm.is_empty()).then(|| comm.to_owned())
}

/// The parent process's name, `None` when it cannot be read.
#[cfg(target_os = "macos")]
pub(super) fn parent_process_name() -> Option<String> {
    // SAFETY: getppid has no preconditions and cannot fail.
    let ppid = unsafe { libc::getppid() };
    procargs(ppid)
        .and_then(|buf| name_from_procargs(&buf))
        .or_else(|| pidpath(ppid).map(|path| name_from_exe_and_args(&path, &[])))
        .filter(|n| !n.is_empty())
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
pub(super) fn parent_process_name() -> Option<String> {
    None
}

/// `sysctl({CTL_KERN, KERN_PROCARGS2, pid})`: the process's argument area (see
/// [`name_from_procargs`]), readable for one's own processes. At most `KERN_ARGMAX` bytes.
#[cfg(target_os = "macos")]
fn procargs(pid: libc::pid_t) -> Option<Vec<u8>> {
    let mut argmax: libc::c_int = 0;
    let mut size = std::mem::size_of::<libc::c_int>();
    let mut mib = [libc::CTL_KERN, libc::KERN_ARGMAX];
    // SAFETY: mib names 2 integers; argmax is a c_int and size its size.
    let rc = unsafe {
        libc::sysctl(
            mib.as_mut_ptr(),
            2,
            (&raw mut argmax).cast(),
            &mut size,
            std::ptr::null_mut(),
            0,
        )
    };
    let argmax = usize::try_from(argmax).ok().filter(|&n| rc == 0 && n > 0)?;
    let mut buf = vec![0u8; argmax];
    let mut size = buf.len();
    let mut mib = [libc::CTL_KERN, libc::KERN_PROCARGS2, pid];
    // SAFETY: mib names 3 integers; buf is writable for `size` bytes, and sysctl writes at
    // most that many and stores the count written in `size`.
    let rc = unsafe {
        libc::sysctl(
            mib.as_mut_ptr(),
            3,
            buf.as_mut_ptr().cast(),
            &mut size,
            std::ptr::null_mut(),
            0,
        )
    };
    if rc != 0 {
        return None;
    }
    buf.truncate(size);
    Some(buf)
}

/// libproc's `proc_pidpath`: the executable's absolute path.
#[cfg(target_os = "macos")]
fn pidpath(pid: libc::pid_t) -> Option<String> {
    let mut buf = vec![0u8; libc::PROC_PIDPATHINFO_MAXSIZE as usize];
    // SAFETY: buf is writable for the size passed; proc_pidpath writes at most that many
    // bytes and returns the length of the path (0 or less on failure).
    let n = unsafe { libc::proc_pidpath(pid, buf.as_mut_ptr().cast(), buf.len() as u32) };
    let n = usize::try_from(n)
        .ok()
        .filter(|&n| n > 0 && n <= buf.len())?;
    buf.truncate(n);
    String::from_utf8(buf).ok()
}

/// The name in a `KERN_PROCARGS2` buffer (XNU `sysctl_procargsx`): `argc` as a native-endian
/// 32-bit integer, the executable's path and its NUL, NUL padding, then `argc` NUL-terminated
/// arguments (the environment follows, and is not read). `None` for a buffer not of that shape.
#[cfg(any(target_os = "macos", test))]
pub(super) fn name_from_procargs(buf: &[u8]) -> Option<String> {
    let argc = i32::from_ne_bytes(buf.get(..4)?.try_into().ok()?);
    let argc = usize::try_from(argc).ok()?;
    let rest = &buf[4..];
    let end = memchr::memchr(0, rest)?;
    let exe = std::str::from_utf8(&rest[..end]).ok()?;
    let mut rest = &rest[end..];
    while let [0, tail @ ..] = rest {
        rest = tail;
    }
    let mut args = Vec::new();
    for word in rest.split(|&b| b == 0).take(argc) {
        // A word that is not UTF-8 names no shell: kept as an empty word.
        args.push(std::str::from_utf8(word).unwrap_or(""));
    }
    Some(name_from_exe_and_args(exe, &args))
}

/// Which name stands for the process whose executable is `exe` (a path) and whose arguments
/// are `args` (`args[0]` the name it was started under):
/// - the executable's file name when that is a shell (`/bin/zsh`; a login shell's `-zsh`
///   in `args[0]` is the same program);
/// - else `args[0]`'s first word when that is a shell (a process that retitled itself, as
///   xonsh does with setproctitle: `xonsh --no-rc -`);
/// - else, for a Python interpreter (xonsh is a Python program: macOS names the process after
///   the interpreter, `Python` or `python3.12`, where Linux names it after the script), the
///   script it runs (`python3 /opt/homebrew/bin/xonsh`, `python3 -m xonsh`) when that is a
///   shell;
/// - else the executable's file name, which names the parent in the error message.
#[cfg(any(target_os = "macos", test))]
pub(super) fn name_from_exe_and_args(exe: &str, args: &[&str]) -> String {
    let file_name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_owned();
    let exe_name = file_name(exe);
    if Shell::from_name(&exe_name).is_some() {
        return exe_name;
    }
    if let Some(first) = args.first().and_then(|a| a.split(' ').next())
        && Shell::from_name(first).is_some()
    {
        return file_name(first.strip_prefix('-').unwrap_or(first));
    }
    if exe_name.to_ascii_lowercase().starts_with("python") {
        let mut words = args.iter().skip(1);
        while let Some(word) = words.next() {
            let script = match *word {
                "-m" => words.next().copied().unwrap_or(""),
                w if w.starts_with('-') => continue,
                w => w,
            };
            if Shell::from_name(script).is_some() {
                return file_name(script);
            }
            break;
        }
    }
    exe_name
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `KERN_PROCARGS2` buffer as XNU lays it out, with `pad` NULs after the path.
    fn procargs(exe: &str, pad: usize, args: &[&str], env: &[&str]) -> Vec<u8> {
        let mut b = i32::try_from(args.len()).unwrap().to_ne_bytes().to_vec();
        b.extend_from_slice(exe.as_bytes());
        b.extend(std::iter::repeat_n(0, 1 + pad));
        for w in args.iter().chain(env) {
            b.extend_from_slice(w.as_bytes());
            b.push(0);
        }
        b
    }

    fn detected(name: &str) -> Shell {
        let env = crate::env::Env::from_pairs([("SHELL", "/bin/zsh")]);
        Shell::detect_from(None, &env, Some(name)).unwrap()
    }

    #[test]
    fn a_shell_is_named_by_its_executable_also_as_a_login_shell() {
        let b = procargs("/bin/bash", 7, &["-bash"], &["SHELL=/bin/zsh"]);
        assert_eq!(name_from_procargs(&b).as_deref(), Some("bash"));
        assert_eq!(detected("bash"), Shell::Bash);
        let b = procargs("/opt/homebrew/bin/fish", 0, &["-fish", "-l"], &[]);
        assert_eq!(name_from_procargs(&b).as_deref(), Some("fish"));
        assert_eq!(detected("fish"), Shell::Fish);
        let b = procargs(
            "/usr/local/microsoft/powershell/7/pwsh",
            3,
            &["pwsh", "-NoLogo"],
            &[],
        );
        assert_eq!(
            detected(&name_from_procargs(&b).unwrap()),
            Shell::PowerShell
        );
        let b = procargs("/opt/homebrew/bin/nu", 2, &["nu"], &[]);
        assert_eq!(detected(&name_from_procargs(&b).unwrap()), Shell::Nu);
    }

    #[test]
    fn xonsh_under_the_python_that_macos_names_the_process_after_is_xonsh() {
        // A Homebrew framework Python runs the script as its first argument.
        let python = "/opt/homebrew/Cellar/python@3.12/3.12.4/Frameworks/Python.framework/Versions/3.12/Resources/Python.app/Contents/MacOS/Python";
        let b = procargs(
            python,
            5,
            &[
                "/opt/homebrew/opt/python@3.12/bin/python3.12",
                "/opt/homebrew/bin/xonsh",
                "--no-rc",
            ],
            &["TERM=xterm"],
        );
        assert_eq!(name_from_procargs(&b).as_deref(), Some("xonsh"));
        assert_eq!(detected("xonsh"), Shell::Xonsh);
        // `python3 -I -m xonsh`, and a retitled process (setproctitle).
        let b = procargs(
            "/usr/bin/python3",
            0,
            &["python3", "-I", "-m", "xonsh"],
            &[],
        );
        assert_eq!(name_from_procargs(&b).as_deref(), Some("xonsh"));
        let b = procargs("/usr/bin/python3", 0, &["xonsh --no-rc -"], &[]);
        assert_eq!(name_from_procargs(&b).as_deref(), Some("xonsh"));
    }

    #[test]
    fn a_parent_that_is_no_shell_is_named_by_its_executable_for_the_error() {
        // sudo with a shell among its arguments is still sudo, and a Python running a script
        // that is no shell is Python: detection falls back to $SHELL.
        let b = procargs("/usr/bin/sudo", 0, &["sudo", "bash"], &[]);
        assert_eq!(name_from_procargs(&b).as_deref(), Some("sudo"));
        let b = procargs("/usr/bin/python3", 0, &["python3", "tool.py", "bash"], &[]);
        assert_eq!(name_from_procargs(&b).as_deref(), Some("python3"));
        assert_eq!(detected("python3"), Shell::Zsh);
        let err = Shell::detect_from(
            None,
            &crate::env::Env::from_pairs::<&str, &str>([]),
            Some("sudo"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("\"sudo\""), "{err}");
    }

    #[test]
    fn a_buffer_of_another_shape_names_nothing_and_never_panics() {
        assert_eq!(name_from_procargs(&[]), None);
        assert_eq!(name_from_procargs(&[1, 0]), None);
        // No NUL after the path; a negative argc.
        assert_eq!(name_from_procargs(b"\x01\0\0\0/bin/zsh"), None);
        let mut b = (-1i32).to_ne_bytes().to_vec();
        b.extend_from_slice(b"/bin/zsh\0zsh\0");
        assert_eq!(name_from_procargs(&b), None);
        // argc larger than the words there, and words that are not UTF-8.
        let mut b = 9i32.to_ne_bytes().to_vec();
        b.extend_from_slice(b"/usr/bin/python3\0\0\xff\xfe\0");
        assert_eq!(name_from_procargs(&b).as_deref(), Some("python3"));
        // Every truncation of a real buffer.
        let full = procargs("/bin/zsh", 3, &["-zsh"], &["HOME=/Users/a"]);
        for n in 0..full.len() {
            let _ = name_from_procargs(&full[..n]);
        }
    }
}
