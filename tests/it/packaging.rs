//! Release packaging: `--version` names the commit and target, the committed man pages in
//! `man/` match the CLI, and (when .ci/run points `SSOENV_TEST_DEB` at the built .deb, as root)
//! the Debian package installs, completes in every shell with no rc-file line, and removes.
//! Also: host names resolve in whatever binary is tested (the static musl one in CI), and every
//! `docs/<file>.md#<heading>` pointer in a code comment names a heading that exists.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::support as common;
use common::{BIN, have, stderr, stdout};

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// What build.rs should have found: the short commit when this package is the top of a git
/// work tree, else `unknown`.
fn expected_commit() -> String {
    let dir = env!("CARGO_MANIFEST_DIR");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(dir)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    match git(&["rev-parse", "--show-toplevel"]) {
        Some(top) if std::fs::canonicalize(&top).ok() == std::fs::canonicalize(dir).ok() => {
            git(&["rev-parse", "--short", "HEAD"]).unwrap()
        }
        _ => "unknown".into(),
    }
}

#[test]
fn version_names_the_package_version_the_git_commit_and_the_target() {
    let commit = expected_commit();
    // The binary cargo built here is for this build's target; a prebuilt one
    // (`SSOENV_TEST_BIN`, the musl release build in CI) names its own.
    let target = match option_env!("SSOENV_TEST_BIN") {
        None => env!("SSOENV_BUILD_TARGET").to_owned(),
        Some(_) => option_env!("SSOENV_TEST_BIN_TARGET")
            .unwrap_or("x86_64-unknown-linux-musl")
            .to_owned(),
    };
    let want = format!("ssoenv {} ({commit} {target})\n", env!("CARGO_PKG_VERSION"));
    for flag in ["--version", "-V"] {
        let out = run(Command::new(BIN).arg(flag).env_clear());
        assert_eq!(String::from_utf8_lossy(&out.stdout), want, "{flag}");
    }
    assert!(
        commit == "unknown" || commit.chars().all(|c| c.is_ascii_hexdigit()),
        "{commit}"
    );
}

/// The endpoints named by host name, not address: the name goes through the C library's
/// resolver (musl's reads /etc/hosts and /etc/resolv.conf itself, with no NSS), so this is
/// what tells the static build's name resolution works.
#[test]
fn endpoints_named_by_host_name_resolve_through_etc_hosts() {
    let sb = common::Sandbox::new();
    let url = format!("http://localhost:{}", sb.emu.port());
    let out = sb
        .cmd(["use", "dev", "--shell", "bash"])
        .env("AWS_ENDPOINT_URL_SSO_OIDC", &url)
        .env("AWS_ENDPOINT_URL_SSO", &url)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(common::stdout(&out).contains("export AWS_SESSION_TOKEN="));
    assert_eq!(sb.emu.stats().get_role_credentials, 1);
}

/// One page per command, `ssoenv(1)` and `ssoenv-SUBCOMMAND(1)`, as clap_mangen's
/// `generate_to` names them, rendered from the same definitions `--help` prints. The version
/// is the package's alone (the commit would change every page at every commit).
///
/// clap_mangen draws NAME, DESCRIPTION, OPTIONS and SUBCOMMANDS; the rest is drawn here:
/// a SYNOPSIS with the value placeholders (`--region REGION`), the help's closing text with
/// its indented lines (examples, JSON shapes) preformatted rather than refilled, no
/// hyphenation, and ENVIRONMENT and FILES (ssoenv(1)), EXIT STATUS and SEE ALSO.
#[cfg(feature = "emulator")]
fn man_pages() -> Vec<(String, Vec<u8>)> {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, top: bool, subs: &[String], out: &mut Vec<(String, Vec<u8>)>) {
        // No date (it would change the pages at every release); clap_mangen then writes no
        // date argument, so the source must be the last one given or it would shift.
        let man = clap_mangen::Man::new(cmd.clone())
            .source(format!("ssoenv {}", env!("CARGO_PKG_VERSION")));
        // Each part after the first without roff's preamble (the `Aq` string, defined once).
        let part = |f: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>, first: bool| {
            let mut b = Vec::new();
            f(&mut b).unwrap();
            let text = String::from_utf8(b).unwrap();
            if first {
                return text;
            }
            text.splitn(3, '\n')
                .enumerate()
                .filter(|(i, l)| {
                    *i == 2 || !l.starts_with(".ie \\n(.g") && !l.starts_with(".el .ds Aq")
                })
                .map(|(_, l)| l)
                .collect::<Vec<_>>()
                .join("\n")
        };
        let mut page = part(&|w| man.render_title(w), true);
        page.push_str(".nh\n.ad l\n");
        page.push_str(&part(&|w| man.render_name_section(w), false));
        page.push_str(&synopsis(cmd));
        page.push_str(&part(&|w| man.render_description_section(w), false));
        if cmd.get_arguments().any(|a| !a.is_hide_set()) {
            page.push_str(&part(&|w| man.render_options_section(w), false));
        }
        if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
            page.push_str(&part(&|w| man.render_subcommands_section(w), false));
        }
        if let Some(after) = cmd.get_after_help() {
            page.push_str(".SH NOTES\n");
            page.push_str(&notes(&after.to_string()));
        }
        if top {
            page.push_str(".SH ENVIRONMENT\n");
            for (name, what) in ssoenv::cli::MAN_ENVIRONMENT {
                page.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", esc(name), esc(what)));
            }
            page.push_str(&format!(".PP\n{}\n", esc(ssoenv::cli::MAN_ENVIRONMENT_SET)));
            page.push_str(".SH FILES\n");
            for (name, what) in ssoenv::cli::MAN_FILES {
                page.push_str(&format!(".TP\n\\fI{}\\fR\n{}\n", esc(name), esc(what)));
            }
        }
        page.push_str(".SH \"EXIT STATUS\"\n");
        for (code, what) in ssoenv::cli::MAN_EXIT_STATUS {
            page.push_str(&format!(".TP\n{}\n{}\n", esc(code), esc(what)));
        }
        let see: Vec<String> = if top {
            subs.iter()
                .map(|s| format!("\\fB{}\\fR(1)", esc(s)))
                .collect()
        } else {
            vec!["\\fBssoenv\\fR(1)".to_owned()]
        };
        page.push_str(&format!(
            ".SH \"SEE ALSO\"\n{}, \\fBaws\\fR(1)\n",
            see.join(", ")
        ));
        if cmd.get_version().is_some() {
            page.push_str(&part(&|w| man.render_version_section(w), false));
        }
        out.push((man.get_filename(), page.into_bytes()));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, false, &[], out);
        }
    }
    let mut cmd = ssoenv::cli::Cli::command()
        .version(env!("CARGO_PKG_VERSION"))
        .disable_help_subcommand(true);
    cmd.build();
    let subs: Vec<String> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| format!("ssoenv-{}", s.get_name()))
        .collect();
    let mut out = Vec::new();
    walk(&cmd, true, &subs, &mut out);
    out
}

/// Text for roff: backslashes and dashes escaped, apostrophes as the preamble's `\*(Aq`,
/// and no line starting with a control character.
#[cfg(feature = "emulator")]
fn esc(text: &str) -> String {
    let t = text
        .replace('\\', "\\\\")
        .replace('-', "\\-")
        .replace('\'', "\\*(Aq");
    t.lines()
        .map(|l| {
            if l.starts_with('.') {
                format!("\\&{l}")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The SYNOPSIS: options (with their value placeholders), then the positionals, then the
/// subcommand.
#[cfg(feature = "emulator")]
fn synopsis(cmd: &clap::Command) -> String {
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    let mut parts = vec![format!("\\fB{}\\fR", esc(name))];
    let placeholder = |a: &clap::Arg| {
        let v = a
            .get_value_names()
            .map(|v| v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| a.get_id().as_str().to_uppercase());
        let many = a.get_num_args().is_some_and(|n| n.max_values() > 1);
        format!("\\fI{}\\fR{}", esc(&v), if many { "..." } else { "" })
    };
    let args = cmd.get_arguments().filter(|a| !a.is_hide_set());
    let (positionals, options): (Vec<_>, Vec<_>) = args.partition(|a| a.is_positional());
    for a in options {
        let mut flag = match (a.get_short(), a.get_long()) {
            (Some(s), Some(l)) => format!("\\fB\\-{s}\\fR|\\fB\\-\\-{}\\fR", esc(l)),
            (Some(s), None) => format!("\\fB\\-{s}\\fR"),
            (None, Some(l)) => format!("\\fB\\-\\-{}\\fR", esc(l)),
            (None, None) => continue,
        };
        if a.get_action().takes_values() {
            flag.push(' ');
            flag.push_str(&placeholder(a));
        }
        parts.push(if a.is_required_set() {
            flag
        } else {
            format!("[{flag}]")
        });
    }
    for a in positionals {
        let p = placeholder(a);
        parts.push(if a.is_required_set() {
            p
        } else {
            format!("[{p}]")
        });
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        parts.push("\\fISUBCOMMAND\\fR".to_owned());
    }
    format!(".SH SYNOPSIS\n{}\n", parts.join(" "))
}

/// The help's closing text: its indented lines (examples, JSON) as they are (`.nf`), the
/// others filled as prose, a blank line a new paragraph.
#[cfg(feature = "emulator")]
fn notes(text: &str) -> String {
    let mut out = String::new();
    for para in text.split("\n\n") {
        out.push_str(".PP\n");
        let mut pre = false;
        for line in para.lines() {
            let indented = line.starts_with(' ');
            if indented != pre {
                out.push_str(if indented { ".nf\n" } else { ".fi\n" });
                pre = indented;
            }
            out.push_str(&esc(line));
            out.push('\n');
        }
        if pre {
            out.push_str(".fi\n");
        }
    }
    out
}

/// The committed pages are generated from the default build (with `emulator` and `demo`).
#[cfg(feature = "emulator")]
#[test]
fn committed_man_pages_match_the_cli() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let update = std::env::var_os("SSOENV_UPDATE_MAN").is_some();
    let pages = man_pages();
    let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.contains(&"ssoenv.1") && names.contains(&"ssoenv-use.1"),
        "{names:?}"
    );
    let mut stale = Vec::new();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    // A page whose subcommand is gone.
    for entry in std::fs::read_dir(&dir).into_iter().flatten() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".1") && !names.contains(&name.as_str()) {
            if update {
                std::fs::remove_file(dir.join(&name)).unwrap();
            } else {
                stale.push(name);
            }
        }
    }
    for (name, page) in &pages {
        let path = dir.join(name);
        if update {
            std::fs::write(&path, page).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(&page[..]) {
            stale.push(name.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "these man pages no longer match the CLI: {stale:?}\n\
         regenerate them with: SSOENV_UPDATE_MAN=1 cargo test --test it -- packaging::"
    );
}

/// A tmux server of our own running one interactive shell, killed on drop.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(home: &Path, shell_cmd: &str) -> Tmux {
        let t = Tmux {
            socket: format!("ssoenv-deb-{}-{}", std::process::id(), shell_cmd.len()),
        };
        // A login environment as a new user's: nothing of ssoenv's in any rc file.
        let cmd = format!(
            "env -i HOME='{h}' USER=root PATH=/usr/local/bin:/usr/bin:/bin TERM=xterm-256color \
             LC_ALL=C.UTF-8 {shell_cmd}",
            h = home.display()
        );
        let started = t.tmux(&[
            "new-session",
            "-d",
            "-x",
            "200",
            "-y",
            "50",
            "-c",
            &home.display().to_string(),
            "-s",
            "t",
            &cmd,
        ]);
        assert!(started.status.success(), "tmux new-session failed");
        t
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .unwrap()
    }

    fn send(&self, args: &[&str]) {
        let mut all = vec!["send-keys", "-t", "t"];
        all.extend_from_slice(args);
        assert!(self.tmux(&all).status.success());
    }

    fn screen(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-J", "-S", "-", "-t", "t"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits up to 15 s for a screen line that is exactly `line`.
    fn wait_line(&self, line: &str) -> (bool, String) {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.lines().any(|l| l.trim_end() == line) {
                return (true, s);
            }
            if start.elapsed() > Duration::from_secs(15) {
                return (false, s);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// Types `ssoenv us`, Tab, then puts `echo ` before the line and runs it: the shell prints
/// `ssoenv use` only if Tab completed the word (an autosuggestion is never echoed).
fn tab_completes_use(shell: &str, cmd: &str, setup: &str) {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(home.path(), cmd);
    std::thread::sleep(Duration::from_millis(500));
    t.send(&["-l", &format!("{setup}echo READY")]);
    t.send(&["Enter"]);
    let (ready, s) = t.wait_line("READY");
    assert!(ready, "{shell}: not ready:\n{s}");
    t.send(&["-l", "ssoenv us"]);
    t.send(&["Tab"]);
    std::thread::sleep(Duration::from_millis(1000));
    t.send(&["C-a"]);
    t.send(&["-l", "echo "]);
    t.send(&["Enter"]);
    let (done, s) = t.wait_line("ssoenv use");
    assert!(
        done,
        "{shell}: `ssoenv us<Tab>` did not complete to `ssoenv use`:\n{s}"
    );
}

/// Installs the .deb (as root), checks the binary, man pages, docs and completions, removes it.
#[test]
fn the_debian_package_installs_completes_in_every_shell_and_removes_cleanly() {
    let Some(deb) = std::env::var_os("SSOENV_TEST_DEB") else {
        common::skip("SSOENV_TEST_DEB (a built .deb to install as root) is not set");
        return;
    };
    for tool in ["dpkg", "man", "tmux", "bash", "zsh", "fish"] {
        assert!(have(tool), "{tool} is needed to test the package");
    }
    assert!(
        Path::new("/usr/share/bash-completion/bash_completion").exists(),
        "Debian's bash-completion package is needed to test the package"
    );
    run(Command::new("dpkg").arg("-i").arg(&deb));

    let out = run(Command::new("/usr/bin/ssoenv").arg("--version").env_clear());
    let version = String::from_utf8_lossy(&out.stdout);
    assert!(
        version.starts_with(&format!("ssoenv {} (", env!("CARGO_PKG_VERSION")))
            && version.trim_end().ends_with(" x86_64-unknown-linux-musl)"),
        "{version}"
    );
    let out = run(Command::new("man").args(["-w", "ssoenv"]));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "/usr/share/man/man1/ssoenv.1.gz"
    );
    let out = run(Command::new("man").args(["-w", "ssoenv-use"]));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "/usr/share/man/man1/ssoenv-use.1.gz"
    );
    let out = run(Command::new("man")
        .arg("ssoenv-exec")
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100"));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ssoenv-exec"),
        "man ssoenv-exec did not render"
    );
    for file in [
        "/usr/share/bash-completion/completions/ssoenv",
        "/usr/share/zsh/vendor-completions/_ssoenv",
        "/usr/share/fish/vendor_completions.d/ssoenv.fish",
        "/usr/share/doc/ssoenv/README.md",
        "/usr/share/doc/ssoenv/LICENSE-MIT",
        "/usr/share/doc/ssoenv/LICENSE-APACHE",
        "/usr/share/doc/ssoenv/copyright",
    ] {
        assert!(Path::new(file).is_file(), "{file} is not installed");
    }

    // Each shell as a new user starts it, nothing about ssoenv in any rc file.
    tab_completes_use("bash", "bash -l -i", "PS1='$ '; ");
    tab_completes_use(
        "zsh",
        "zsh -f -i",
        "PROMPT='$ '; autoload -U compinit; compinit; ",
    );
    tab_completes_use(
        "fish",
        "fish -i",
        "function fish_prompt; printf '$ '; end; ",
    );

    let listed = run(Command::new("dpkg").args(["-L", "ssoenv"]));
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    run(Command::new("dpkg").args(["-r", "ssoenv"]));
    let status = Command::new("dpkg")
        .args(["-s", "ssoenv"])
        .output()
        .unwrap();
    let state = String::from_utf8_lossy(&status.stdout);
    assert!(
        !status.status.success() || !state.contains("Status: install ok installed"),
        "ssoenv is still installed:\n{state}"
    );
    // Every file the package listed is gone (directories such as /usr/bin stay, shared).
    for path in listed.lines() {
        let left = std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_dir());
        assert!(!left, "{path} is left after dpkg -r");
    }
    assert!(!Path::new("/usr/bin/ssoenv").exists());
    assert!(
        !Command::new("man")
            .args(["-w", "ssoenv"])
            .output()
            .unwrap()
            .status
            .success(),
        "man still finds ssoenv"
    );
}

/// Every subcommand's `--help` ends with an `Examples:` section of real
/// command lines (issue 17, item 13: `init` had its examples under another
/// heading). The subcommands are read from `ssoenv --help`.
#[test]
fn every_subcommand_help_has_an_examples_section() {
    let help = |args: &[&str]| {
        let out = Command::new(BIN).args(args).env_clear().output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out)
    };
    let top = help(&["--help"]);
    let commands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 15, "{commands:?}");
    assert!(top.contains("\nExamples:\n"), "{top}");
    for c in &commands {
        for flag in ["--help", "-h"] {
            let text = help(&[c, flag]);
            let examples: Vec<&str> = text
                .lines()
                .skip_while(|l| *l != "Examples:")
                .skip(1)
                .take_while(|l| l.starts_with("  "))
                .collect();
            assert!(
                examples.iter().any(|l| l.contains(&format!("ssoenv {c}"))),
                "`ssoenv {c} {flag}` has no Examples: section showing `ssoenv {c}`:\n{text}"
            );
        }
    }
    // init's examples are the README's startup-file lines, for every shell.
    let init = help(&["init", "--help"]);
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for line in [
        "eval \"$(ssoenv init bash)\"",
        "eval \"$(ssoenv init zsh)\"",
        "ssoenv init fish | source",
        "Invoke-Expression (& ssoenv init powershell | Out-String)",
    ] {
        assert!(init.contains(&format!("  {line}")), "{line}: {init}");
        assert!(
            readme.contains(line) || readme.contains(&line.replace('|', "\\|")),
            "the README lacks {line}"
        );
    }
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// GitHub's anchor for a Markdown heading: lower case, punctuation other than
/// `-` and `_` dropped, spaces turned into `-`.
fn heading_slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown file's headings (outside code fences), with
/// GitHub's `-1`, `-2` suffixes for repeated headings.
fn heading_anchors(markdown: &str) -> Vec<String> {
    let mut anchors: Vec<String> = Vec::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        let Some(text) = line.strip_prefix('#').filter(|_| !fenced) else {
            continue;
        };
        let slug = heading_slug(text.trim_start_matches('#'));
        let seen = anchors
            .iter()
            .filter(|a| {
                **a == slug
                    || a.strip_prefix(&format!("{slug}-"))
                        .is_some_and(|n| n.parse::<u32>().is_ok())
            })
            .count();
        anchors.push(if seen == 0 {
            slug
        } else {
            format!("{slug}-{seen}")
        });
    }
    anchors
}

/// Every `docs/<file>.md` or `docs/<file>.md#<anchor>` a text names.
fn docs_pointers(text: &str) -> Vec<(String, Option<String>)> {
    let word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_');
    let mut found = Vec::new();
    for (at, _) in text.match_indices("docs/") {
        if text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| word(c) || c == '/' || c == '.')
        {
            continue;
        }
        let rest = &text[at + "docs/".len()..];
        let name_len = rest.find(|c: char| !word(c)).unwrap_or(rest.len());
        let Some(after) = rest[name_len..].strip_prefix(".md") else {
            continue;
        };
        let file = format!("{}.md", &rest[..name_len]);
        let anchor = after.strip_prefix('#').map(|a| {
            let len = a.find(|c: char| !word(c)).unwrap_or(a.len());
            a[..len].to_owned()
        });
        found.push((file, anchor));
    }
    found
}

/// Code comments cite the protocol notes as `docs/<file>.md#<heading>`: each
/// such pointer in src/ and crates/ names a file in docs/ and a heading it
/// has, the links between the notes resolve too, and no comment cites the
/// old out-of-tree "spec §" any more.
#[test]
fn docs_pointers_in_comments_resolve() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = root.join("docs");
    let anchors_of = |file: &str| -> Option<Vec<String>> {
        std::fs::read_to_string(docs.join(file))
            .ok()
            .map(|md| heading_anchors(&md))
    };
    let mut sources = Vec::new();
    rust_files(&root.join("src"), &mut sources);
    rust_files(&root.join("crates"), &mut sources);
    let mut broken = Vec::new();
    let mut pointers = 0;
    for path in &sources {
        let text = std::fs::read_to_string(path).unwrap();
        let shown = path.strip_prefix(root).unwrap().display();
        for (n, line) in text.lines().enumerate() {
            if line.contains("spec §") || line.contains("aws-credentials-more") {
                broken.push(format!(
                    "{shown}:{}: cites the out-of-tree spec: {line}",
                    n + 1
                ));
            }
        }
        for (file, anchor) in docs_pointers(&text) {
            pointers += 1;
            match (anchors_of(&file), anchor) {
                (None, _) => broken.push(format!("{shown}: docs/{file} does not exist")),
                (Some(have), Some(a)) if !have.contains(&a) => {
                    broken.push(format!("{shown}: docs/{file} has no heading #{a}"))
                }
                _ => {}
            }
        }
    }
    for entry in std::fs::read_dir(&docs).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let md = std::fs::read_to_string(&path).unwrap();
        for (at, _) in md.match_indices("](") {
            let target = &md[at + 2..md[at..].find(')').map_or(md.len(), |e| at + e)];
            if target.contains("://") {
                continue;
            }
            let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
            let file = if file.is_empty() { name.as_str() } else { file };
            match anchors_of(file) {
                None => broken.push(format!("docs/{name}: link to missing {file}")),
                Some(have) if !anchor.is_empty() && !have.iter().any(|a| a == anchor) => broken
                    .push(format!(
                        "docs/{name}: link to {file}#{anchor}, no such heading"
                    )),
                _ => {}
            }
        }
    }
    assert!(
        broken.is_empty(),
        "docs pointers that do not resolve:\n{}",
        broken.join("\n")
    );
    assert!(
        pointers > 50,
        "only {pointers} docs pointers found in src/ and crates/"
    );
}

/// Every `"SSOENV_…"` and `"AWS_…"` name in the source (the debug-only test knobs and
/// build.rs's outputs aside).
fn variables_in_the_source() -> std::collections::BTreeSet<String> {
    fn visit(dir: &Path, out: &mut std::collections::BTreeSet<String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                visit(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                for (i, _) in text.match_indices('"') {
                    let rest = &text[i + 1..];
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                        .collect();
                    let closed = rest[name.len()..].starts_with('"');
                    if closed
                        && (name.starts_with("SSOENV_") || name.starts_with("AWS_"))
                        && !name.starts_with("SSOENV_TEST_")
                        && !name.starts_with("SSOENV_BUILD_")
                        && !name.ends_with('_')
                    {
                        out.insert(name);
                    }
                }
            }
        }
    }
    let mut out = std::collections::BTreeSet::new();
    visit(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

/// The man pages show examples and JSON shapes as written (`.nf`, no hyphenation), the
/// SYNOPSIS names each option's value, and ssoenv(1) has ENVIRONMENT (every variable in the
/// source), FILES, EXIT STATUS and SEE ALSO; `ssoenv --help` shows the init line first.
#[test]
fn man_pages_preformat_examples_and_document_environment_files_and_exit_status() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let status = read("ssoenv-status.1");
    assert!(status.contains("\n.nh\n"), "hyphenation is on:\n{status}");
    let in_nf = |page: &str, needle: &str| {
        let at = page
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} missing:\n{page}"));
        let before = &page[..at];
        before
            .rfind("\n.nf\n")
            .is_some_and(|nf| before.rfind("\n.fi\n").is_none_or(|fi| fi < nf))
    };
    for needle in [
        "  ssoenv status \\-\\-check prod",
        "    \"active_profile\": \"prod\" | null,",
    ] {
        assert!(in_nf(&status, needle), "{needle:?} is refilled:\n{status}");
    }
    let doctor = read("ssoenv-doctor.1");
    assert!(
        in_nf(&doctor, "  ssoenv doctor prod \\-\\-network"),
        "{doctor}"
    );
    let use_page = read("ssoenv-use.1");
    let synopsis = use_page
        .split(".SH SYNOPSIS\n")
        .nth(1)
        .unwrap()
        .lines()
        .next()
        .unwrap();
    for want in [
        "[\\fB\\-\\-region\\fR \\fIREGION\\fR]",
        "[\\fB\\-\\-shell\\fR \\fISHELL\\fR]",
        "[\\fIPROFILE\\fR]",
    ] {
        assert!(synopsis.contains(want), "{want} not in {synopsis}");
    }
    let top = read("ssoenv.1");
    for section in [
        ".SH ENVIRONMENT",
        ".SH FILES",
        ".SH \"EXIT STATUS\"",
        ".SH \"SEE ALSO\"",
    ] {
        assert!(top.contains(section), "{section} missing");
    }
    assert!(use_page.contains(".SH \"EXIT STATUS\"") && use_page.contains("\\fBssoenv\\fR(1)"));
    let environment = top
        .split(".SH ENVIRONMENT")
        .nth(1)
        .unwrap()
        .split(".SH FILES")
        .next()
        .unwrap();
    let missing: Vec<String> = variables_in_the_source()
        .into_iter()
        .filter(|v| !environment.contains(v.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "not in ssoenv(1)'s ENVIRONMENT: {missing:?}"
    );
    let help = String::from_utf8(run(Command::new(BIN).arg("--help").env_clear()).stdout).unwrap();
    let init = help.find("ssoenv init bash").expect("the init line");
    let eval = help.find("eval \"$(ssoenv use").expect("the eval form");
    assert!(init < eval, "{help}");
}

/// The .deb's metadata gives `depends` (none: the binary is static), so cargo-deb does not
/// run dpkg-shlibdeps on a static binary and warn (its default is `$auto`).
#[test]
fn the_debian_metadata_gives_depends() {
    let toml =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let deb = toml.split("[package.metadata.deb]").nth(1).unwrap();
    let deb = deb.split("\n[").next().unwrap();
    assert!(deb.lines().any(|l| l.trim() == "depends = \"\""), "{deb}");
}

/// zsh loads vendor completions only through compinit, which Debian's zsh does not run for
/// a user without one in ~/.zshrc: the README's install note says so.
#[test]
fn the_readme_says_zsh_completion_needs_compinit() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let install = readme
        .split("## Install")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    assert!(install.contains("compinit"), "{install}");
    assert!(
        !install.contains("zsh and fish look for them without any line"),
        "{install}"
    );
    if have("zsh") {
        // No compinit, no completion system: `compdef` is not defined.
        let out = run(Command::new("zsh").args(["-f", "-c", "whence -w compdef || echo none"]));
        assert!(stdout(&out).contains("none"), "{}", stdout(&out));
    }
}
