//! The real shells the integration is tested in, each in its strict mode:
//! bash with `-euo pipefail`, zsh with `err_exit no_unset pipe_fail`; fish
//! has no such mode, so a fish script's status is checked by the caller.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use super::{BIN, Sandbox, Tmux, have, stderr, stdout};

/// One real shell and how a test script talks to it.
pub struct RealShell {
    /// The program, and the value of `ssoenv init`/`--shell`.
    pub name: &'static str,
    /// Before `-c script`: no startup files, strict mode.
    pub args: &'static [&'static str],
    /// An interactive shell with no startup files (for a terminal; not strict,
    /// as a failing command there must not end the session).
    pub interactive: &'static str,
    /// Shell code setting a known prompt, `P> `.
    pub prompt_setup: &'static str,
    /// Shell code printing `segment=`, `state=`, `color=` and `prompt=` (the prompt as the
    /// terminal gets it), one a line.
    pub show_segment: &'static str,
    /// The current unix time as an expression.
    pub now: &'static str,
    /// An arithmetic expression's value, as a word: `$((…))`, `(math …)`.
    pub arith: fn(&str) -> String,
    /// Shell code exporting a variable as `word`, unquoted (an expansion: `$((…))`).
    pub export_word: fn(&str, &str) -> String,
    /// Shell code assigning a global (not exported) variable.
    pub assign: fn(&str, &str) -> String,
    /// Shell code removing a variable.
    pub unset: &'static str,
    /// Shell code printing the exported AWS_* and SSOENV_{PROFILE,EXPIRATION} variables.
    pub grep_session: &'static str,
    /// The prompt for the segment `seg` coloured with `sgr`, before the user's `P> `; fish
    /// ends its colour with the terminal's own sgr0, so only this much is known.
    pub coloured_prompt: fn(&str, &str) -> String,
}

fn posix_arith(e: &str) -> String {
    format!("$(({e}))")
}

fn posix_assign(name: &str, value: &str) -> String {
    format!("{name}={value}\n")
}

const POSIX_GREP_SESSION: &str = "env | grep -E '^(AWS_|SSOENV_(PROFILE|EXPIRATION))' || true\n";

pub const BASH: RealShell = RealShell {
    name: "bash",
    args: &["--noprofile", "--norc", "-euo", "pipefail"],
    interactive: "bash --noprofile --norc -i",
    prompt_setup: "PS1='P> '",
    show_segment: "printf 'segment=%s\\nstate=%s\\ncolor=%s\\nprompt=%s\\n' \"${SSOENV_SEGMENT-}\" \"${SSOENV_SEGMENT_STATE-}\" \"${SSOENV_SEGMENT_COLOR-}\" \"${PS1@P}\"\n",
    now: "$EPOCHSECONDS",
    arith: posix_arith,
    export_word: |name, word| format!("export {name}={word}\n"),
    assign: posix_assign,
    unset: "unset SSOENV_PROFILE\n",
    grep_session: POSIX_GREP_SESSION,
    // \001 \002: readline's markers for text that takes no room (what \[ \] become).
    coloured_prompt: |sgr, seg| format!("\x01{sgr}\x02({seg})\x01\x1b[0m\x02 P> "),
};

pub const ZSH: RealShell = RealShell {
    name: "zsh",
    args: &["-f", "-o", "err_exit", "-o", "no_unset", "-o", "pipe_fail"],
    interactive: "zsh -f -i",
    prompt_setup: "PROMPT='P> '",
    show_segment: "printf 'segment=%s\\nstate=%s\\ncolor=%s\\nprompt=%s\\n' \"${SSOENV_SEGMENT-}\" \"${SSOENV_SEGMENT_STATE-}\" \"${SSOENV_SEGMENT_COLOR-}\" \"${(%)PROMPT}\"\n",
    now: "$EPOCHSECONDS",
    arith: posix_arith,
    export_word: |name, word| format!("export {name}={word}\n"),
    assign: posix_assign,
    unset: "unset SSOENV_PROFILE\n",
    grep_session: POSIX_GREP_SESSION,
    coloured_prompt: |sgr, seg| format!("{sgr}({seg})\x1b[0m P> "),
};

pub const FISH: RealShell = RealShell {
    name: "fish",
    args: &["--no-config"],
    interactive: "fish --no-config -i",
    prompt_setup: "function fish_prompt; printf 'P> '; end",
    show_segment: "printf 'segment=%s\\nstate=%s\\ncolor=%s\\nprompt=%s\\n' \"$SSOENV_SEGMENT\" \"$SSOENV_SEGMENT_STATE\" \"$SSOENV_SEGMENT_COLOR\" (fish_prompt | string collect)\n",
    now: "(date +%s)",
    arith: |e| format!("(math {e})"),
    export_word: |name, word| format!("set -gx {name} {word}\n"),
    assign: |name, value| format!("set -g {name} {value}\n"),
    unset: "set -e SSOENV_PROFILE\n",
    grep_session: "env | string match -r '^(AWS_|SSOENV_(PROFILE|EXPIRATION))' ; true\n",
    // fish's `set_color normal` is the terminal's sgr0, whatever it is.
    coloured_prompt: |sgr, seg| format!("{sgr}({seg})"),
};

/// nushell with no config files and no standard library (`nu -n --no-std-lib SCRIPT`).
pub const NU_ARGS: &[&str] = &["-n", "--no-std-lib"];
/// nushell: evaluates no text; the matrix steps of [`RealShell`] write `ssoenv init nu` to
/// `init.nu` in the HOME and source it. The fields below serve the matrix only.
pub const NU: RealShell = RealShell {
    name: "nu",
    args: NU_ARGS,
    interactive: "nu -n --no-std-lib",
    prompt_setup: "$env.PROMPT_COMMAND_RIGHT = {|| 'P> ' }",
    show_segment: "let __s = (ssoenv-segment)\nprint $\"segment=($__s.text)\\nstate=($__s.state)\\ncolor=($__s.color)\"\n",
    now: "((date now | into int) // 1_000_000_000)",
    arith: |e| format!("({e})"),
    export_word: |name, word| format!("$env.{name} = ({word} | into string)\n"),
    assign: |name, value| format!("let {name} = {value}\n"),
    unset: "hide-env -i SSOENV_PROFILE\n",
    grep_session: "$env | columns | where {|n| $n =~ '^(AWS_|SSOENV_(PROFILE|EXPIRATION))' } | each {|n| print $n } | ignore\n",
    coloured_prompt: |sgr, seg| format!("{sgr}({seg})\x1b[0m P> "),
};
/// elvish 0.19: no strict mode (a failing command raises an exception that ends the
/// script with status 2), no editor under `-c`: the matrix steps run the script inside
/// `eval … &on-end`, with the integration's functions bound from its namespace.
pub const ELVISH: RealShell = RealShell {
    name: "elvish",
    args: &["-norc"],
    interactive: "elvish -norc",
    prompt_setup: "set edit:prompt = {|| put 'P> ' }",
    show_segment: "printf \"segment=%s\\nstate=%s\\ncolor=%s\\n\" $E:SSOENV_SEGMENT $E:SSOENV_SEGMENT_STATE $E:SSOENV_SEGMENT_COLOR\n",
    now: "(date +%s)",
    arith: |e| format!("({e})"),
    export_word: |name, word| format!("set-env {name} {word}\n"),
    assign: |name, value| format!("var {name} = {value}\n"),
    unset: "unset-env SSOENV_PROFILE\n",
    grep_session: "env | grep -E '^(AWS_|SSOENV_(PROFILE|EXPIRATION))'\n",
    coloured_prompt: |sgr, seg| format!("{sgr}({seg})"),
};

/// xonsh (Debian's 0.13): Python mode, no startup files.
pub const XONSH: RealShell = RealShell {
    name: "xonsh",
    args: &["--no-rc"],
    interactive: "xonsh --no-rc -i",
    prompt_setup: "$PROMPT = 'P> '\n",
    show_segment: "from xonsh.prompt.base import PromptFormatter\nfrom xonsh.ansi_colors import ansi_partial_color_format\n__s = ssoenv_segment()\nprint('segment=' + __s['segment'])\nprint('state=' + __s['state'])\nprint('color=' + __s['color'])\n$PROMPT_FIELDS.reset()\nprint('prompt=' + ansi_partial_color_format(PromptFormatter()($PROMPT)))\n",
    now: "int(__import__('time').time())",
    arith: |e| format!("@({e})"),
    export_word: |name, word| format!("${name} = str({word})\n"),
    assign: |name, value| format!("{name} = {value}\n"),
    unset: "if 'SSOENV_PROFILE' in ${...}: del $SSOENV_PROFILE\n",
    grep_session: "env | grep -E '^(AWS_|SSOENV_(PROFILE|EXPIRATION))' || true\n",
    coloured_prompt: |sgr, seg| format!("{sgr}({seg})\x1b[0m P> "),
};

/// The shells that evaluate text, for the tests written in their code (POSIX and fish:
/// PROMPT_COMMAND, precmd_functions, `eval`).
pub const SHELLS: [RealShell; 3] = [BASH, ZSH, FISH];

/// Every shell with an integration that runs here: the matrix of `shell_matrix.rs`, whose
/// cases each row expresses through the step methods of [`RealShell`] ([`RealShell::program`],
/// [`RealShell::call`], [`RealShell::print_hex`], [`RealShell::set_env`],
/// [`RealShell::prompt_line`]). A new shell is a row here and an arm in each step.
pub const ALL_SHELLS: [RealShell; 6] = [BASH, ZSH, FISH, NU, ELVISH, XONSH];

/// The rows of [`ALL_SHELLS`] that are installed (a missing one is skipped, or fails the
/// test under `CI`).
pub fn all_installed_shells() -> impl Iterator<Item = &'static RealShell> {
    ALL_SHELLS.iter().filter(|sh| have(sh.name))
}

/// The entry of [`ALL_SHELLS`] called `name`.
pub fn shell(name: &str) -> &'static RealShell {
    ALL_SHELLS
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no shell {name} in ALL_SHELLS"))
}

/// `f` for each shell in [`SHELLS`] that is installed; a missing one is
/// skipped, or fails the test under `CI`.
pub fn for_each_shell(f: impl FnMut(&'static RealShell)) {
    installed_shells().for_each(f)
}

impl RealShell {
    /// Whether this shell is installed (see [`have`]).
    pub fn available(&self) -> bool {
        have(self.name)
    }

    /// The shell running `script` in strict mode (environment untouched);
    /// further arguments are `$1`… in bash and zsh, `$argv` in fish.
    pub fn command(&self, script: &str) -> Command {
        let mut c = Command::new(self.name);
        c.args(self.args).arg("-c").arg(script);
        if matches!(self.name, "bash" | "zsh") {
            c.arg(self.name);
        }
        c
    }

    /// `script` in `home` with a cleared environment: HOME, PATH, TERM, `B`
    /// (the binary), then `env`.
    pub fn run(&self, home: &Path, script: &str, env: &[(&str, &str)]) -> Output {
        let mut c = self.command(script);
        c.current_dir(home)
            .env_clear()
            .env("HOME", home)
            .env("PATH", "/usr/bin:/bin")
            .env("TERM", "xterm-256color")
            .env("B", BIN)
            .stdin(Stdio::null());
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    }

    /// `script` as [`RealShell::run`] does, in the sandbox's HOME, talking to
    /// its emulator, with `SSOENV_INTERACTIVE=1`, then `env`.
    pub fn run_in(&self, sb: &Sandbox, script: &str, env: &[(&str, &str)]) -> Output {
        let url = sb.emu.url();
        let mut all = vec![
            ("AWS_ENDPOINT_URL_SSO_OIDC", url.as_str()),
            ("AWS_ENDPOINT_URL_SSO", url.as_str()),
            ("AWS_ENDPOINT_URL_STS", url.as_str()),
            ("AWS_ENDPOINT_URL_SIGNIN", url.as_str()),
            ("SSOENV_INTERACTIVE", "1"),
        ];
        all.extend_from_slice(env);
        self.run(&sb.home, script, &all)
    }

    /// The line that sets and exports `name` to `value` (quoted).
    pub fn export(&self, name: &str, value: &str) -> String {
        let value = shell_words::quote(value);
        match self.name {
            "fish" => format!("set -gx {name} {value}"),
            _ => format!("export {name}={value}"),
        }
    }

    /// The line that evaluates what `command` prints.
    pub fn eval_output_of(&self, command: &str) -> String {
        match self.name {
            "fish" => format!("{command} | source"),
            _ => format!("eval \"$({command})\""),
        }
    }

    /// The line that loads the integration, `"$B" init <shell>`.
    pub fn init(&self) -> String {
        self.eval_output_of(&format!("\"$B\" init {}", self.name))
    }

    /// `command`, then a line `label=<its exit status>`, a failure not ending
    /// the strict-mode script.
    pub fn status_of(&self, command: &str, label: &str) -> String {
        match self.name {
            "fish" => format!("{command}; echo {label}=$status"),
            _ => format!("{command} && echo {label}=0 || echo {label}=$?"),
        }
    }

    /// The value of variable `name` in double quotes, empty when unset (also
    /// under `no_unset`).
    pub fn var(&self, name: &str) -> String {
        match self.name {
            "fish" => format!("\"${name}\""),
            _ => format!("\"${{{name}-}}\""),
        }
    }

    /// The last exit status: `$?`, or `$status` in fish.
    pub fn last_status(&self) -> &'static str {
        match self.name {
            "fish" => "$status",
            _ => "$?",
        }
    }

    /// A line that runs the prompt hooks of the integration as the shell does
    /// before a prompt (`PROMPT_COMMAND`, `precmd_functions`, the
    /// `fish_prompt` event), then prints `status=<the status after them>`. In
    /// strict mode a hook that fails ends the script.
    pub fn prompt_hook(&self) -> String {
        let run = match self.name {
            "bash" => "eval \"$PROMPT_COMMAND\"",
            "zsh" => "for f in $precmd_functions; do $f; done",
            _ => "emit fish_prompt",
        };
        format!("{run}; echo status={}\n", self.last_status())
    }

    /// The matrix: a whole script that loads the integration the way this shell's users
    /// do (nu: from `init.nu`, written to `home` now), then runs `body`.
    pub fn program(&self, home: &Path, body: &str) -> String {
        match self.name {
            "nu" => {
                let init = Command::new(BIN).args(["init", "nu"]).output().unwrap();
                assert!(init.status.success(), "{}", stderr(&init));
                std::fs::write(home.join("init.nu"), &init.stdout).unwrap();
                format!("{}\nsource init.nu\n{body}", self.prompt_setup)
            }
            // No editor under `-c`: no prompt to set; the right prompt is called with `P> `.
            "elvish" => format!(
                "eval ((external $E:B) init elvish | slurp) &on-end={{|ns|\n\
                 var ssoenv~ = $ns[ssoenv~]\nvar ssoenv-segment~ = $ns[ssoenv-segment~]\n\
                 var __ssoenv_hook~ = $ns[__ssoenv_hook~]\nvar __ssoenv_rprompt~ = $ns[__ssoenv_rprompt~]\n\
                 {body}\n}}\n"
            ),
            "xonsh" => format!(
                "{}execx(__import__('subprocess').check_output([$B, 'init', 'xonsh'], env=__xonsh__.env.detype(), text=True), 'exec', __xonsh__.ctx, filename='ssoenv')\n{body}",
                self.prompt_setup
            ),
            _ => format!("{}\n{}\n{body}", self.prompt_setup, self.init()),
        }
    }

    /// The matrix: `ssoenv ARGS` through the integration's function, then a line
    /// `label=<its status>` (elvish: the exit status its exception carries; 2 for one
    /// raised in elvish, the status an uncaught one ends a script with).
    pub fn call(&self, args: &[&str], label: &str) -> String {
        match self.name {
            "nu" => {
                let list: Vec<String> = args.iter().map(|a| nu_literal(a)).collect();
                format!(
                    "try {{ ssoenv ...[{}]; print 'label=0' }} catch {{ print $\"{label}=($env.LAST_EXIT_CODE)\" }}\n",
                    list.join(" ")
                )
                .replace("label=0", &format!("{label}=0"))
            }
            "elvish" => {
                let list: Vec<String> = args.iter().map(|a| elvish_literal(a)).collect();
                format!(
                    "try {{ ssoenv {}; echo {label}=0 }} catch e {{ if (eq (kind-of $e[reason]) '!!eval.ExternalCmdExit') {{ echo {label}=$e[reason][exit-status] }} else {{ echo {label}=2 }} }}\n",
                    list.join(" ")
                )
            }
            "xonsh" => {
                let list: Vec<String> = args.iter().map(|a| python_literal(a)).collect();
                format!(
                    "ssoenv @([{}])\nprint('{label}=%d' % _.rtn)\n",
                    list.join(", ")
                )
            }
            _ => {
                let words: Vec<String> = args
                    .iter()
                    .map(|a| shell_words::quote(a).into_owned())
                    .collect();
                format!(
                    "{}\n",
                    self.status_of(&format!("ssoenv {}", words.join(" ")), label)
                )
            }
        }
    }

    /// The matrix: code printing each of `names` as `NAME=<hex of the value>` or `NAME
    /// unset`, one a line.
    pub fn print_hex(&self, names: &[&str]) -> String {
        let hex = "od -An -tx1 -v | tr -d ' \\n'";
        match self.name {
            "nu" => format!(
                "for n in [{}] {{ if $n in $env {{ print $\"($n)=($env | get $n | encode utf-8 | encode hex --lower)\" }} else {{ print $\"($n) unset\" }} }}\n",
                names.join(" ")
            ),
            "elvish" => format!(
                "for n [{}] {{ if (has-env $n) {{ echo $n=(print (get-env $n) | {hex}) }} else {{ echo $n' unset' }} }}\n",
                names.join(" ")
            ),
            "xonsh" => format!(
                "for __n in {names:?}:\n    print((__n + '=' + ${{...}}[__n].encode().hex()) if __n in ${{...}} else (__n + ' unset'))\n"
            ),
            _ => format!("{}\n", self.show(names)),
        }
    }

    /// The matrix: set and export `name` to `value` (any text).
    pub fn set_env(&self, name: &str, value: &str) -> String {
        match self.name {
            "nu" => format!("$env.{name} = {}\n", nu_literal(value)),
            "elvish" => format!("set-env {name} {}\n", elvish_literal(value)),
            "xonsh" => format!("${name} = {}\n", python_literal(value)),
            _ => format!("{}\n", self.export(name, value)),
        }
    }

    /// The matrix: run what the shell runs before a prompt (hooks), then print
    /// `label=<the prompt as the terminal gets it>`: the segment in front of `P> ` (nu and
    /// elvish: the right prompt).
    pub fn prompt_line(&self, label: &str) -> String {
        match self.name {
            "nu" => format!(
                "for h in $env.config.hooks.pre_prompt {{ do --env $h }}\nprint $\"{label}=(do $env.PROMPT_COMMAND_RIGHT)\"\n"
            ),
            "elvish" => format!(
                "__ssoenv_hook\nprint '{label}='; __ssoenv_rprompt {{|| put 'P> ' }} | each {{|p| print $p }}; print \"\\n\"\n"
            ),
            "xonsh" => format!(
                "from xonsh.prompt.base import PromptFormatter\nfrom xonsh.ansi_colors import ansi_partial_color_format\n$PROMPT_FIELDS.reset()\nprint('{label}=' + ansi_partial_color_format(PromptFormatter()($PROMPT)))\n"
            ),
            "bash" => format!(
                "{}printf '{label}=%s\\n' \"${{PS1@P}}\"\n",
                self.prompt_hook()
            ),
            "zsh" => format!(
                "{}printf '{label}=%s\\n' \"${{(%)PROMPT}}\"\n",
                self.prompt_hook()
            ),
            _ => format!(
                "{}printf '{label}=%s\\n' (fish_prompt | string collect)\n",
                self.prompt_hook()
            ),
        }
    }

    /// The matrix: code loading the integration once more, as a second line in a startup
    /// file does (nu: `init.nu` again; elvish: see [`RealShell::in_editor`]).
    pub fn load_again(&self) -> String {
        match self.name {
            "nu" => "source init.nu\n".to_owned(),
            "elvish" => "eval ((external $E:B) init elvish | slurp)\n".to_owned(),
            "xonsh" => "execx(__import__('subprocess').check_output([$B, 'init', 'xonsh'], env=__xonsh__.env.detype(), text=True), 'exec', __xonsh__.ctx, filename='ssoenv')\n".to_owned(),
            _ => format!("{}\n", self.init()),
        }
    }

    /// The matrix: code printing `label=<how many times the integration is hooked into the
    /// prompt>`: `__ssoenv_hook` in `PROMPT_COMMAND`, `precmd_functions`, fish's
    /// `fish_prompt` handlers; nu's `pre_prompt` hooks; elvish's `$edit:before-readline`
    /// (in the editor, [`RealShell::in_editor`]); `{ssoenv}` in xonsh's `$PROMPT`.
    pub fn count_hooks(&self, label: &str) -> String {
        match self.name {
            "bash" => format!(
                "printf '{label}=%s\\n' \"$(printf '%s\\n' \"${{PROMPT_COMMAND[*]-}}\" | {{ grep -o __ssoenv_hook || true; }} | wc -l)\"\n"
            ),
            "zsh" => {
                format!("print -r -- \"{label}=${{#${{(@M)precmd_functions:#__ssoenv_hook}}}}\"\n")
            }
            "fish" => format!(
                "printf '{label}=%s\\n' (functions --handlers-type generic | string match -e __ssoenv_hook | count)\n"
            ),
            "nu" => format!("print $\"{label}=($env.config.hooks.pre_prompt | length)\"\n"),
            "elvish" => format!("echo {label}=(count $edit:before-readline)\n"),
            "xonsh" => format!("print('{label}=%d' % $PROMPT.count('{{ssoenv}}'))\n"),
            _ => unreachable!("{}", self.name),
        }
    }

    /// elvish: `body` in the line editor of an interactive `elvish -norc` in a terminal
    /// (tmux), after the integration was loaded there as rc.elv does; `elvish -c` has no
    /// editor, so neither the right prompt the integration wraps nor its
    /// `before-readline` hook exist there. In `body`, [`RealShell::prompt_line`] runs the
    /// editor's hooks and right prompt. Returns what `body` printed; `None`: no tmux.
    pub fn in_editor(&self, home: &Path, body: &str, env: &[(&str, &str)]) -> Option<String> {
        assert_eq!(self.name, "elvish");
        if !have("tmux") {
            return None;
        }
        let out = home.join("editor.out");
        let _ = std::fs::remove_file(&out);
        let body = body.replace(
            "__ssoenv_hook\nprint '",
            "for h $edit:before-readline { $h }\nprint '",
        );
        let body = body.replace("__ssoenv_rprompt {|| put 'P> ' }", "$edit:rprompt");
        std::fs::write(home.join("body.elv"), format!("{body}echo done\n")).unwrap();
        let t = Tmux::start(home, env, self.interactive);
        std::thread::sleep(std::time::Duration::from_millis(300));
        t.line(
            "set edit:rprompt = { put 'P> ' }; eval ((external $E:B) init elvish | slurp); eval (slurp < body.elv) > editor.out 2>&1",
        );
        let start = std::time::Instant::now();
        loop {
            let text = std::fs::read_to_string(&out).unwrap_or_default();
            if text.ends_with("done\n") {
                return Some(text);
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(20),
                "elvish: {text}\n{}",
                t.screen()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// The matrix: ask the completer `ssoenv init` installs, as this shell calls it, for
    /// the word after each of `lines` (each ends in a space: an empty word is completed).
    /// Returns lines `c<i>=<hex>`, one per candidate for `lines[i]`: the word the shell
    /// reads back from what it would insert (bash: the `COMPREPLY` entry parsed by bash;
    /// nu: the value parsed by nu; xonsh: the word run as a command's argument; zsh, fish
    /// and elvish quote a candidate themselves on insertion: the candidate as offered),
    /// then `done`. bash, fish, nu, xonsh: a script; zsh and elvish offer their completers
    /// only in the line editor, which runs in a terminal: through tmux (zsh: Tab pressed,
    /// `compadd` recording what it is given; elvish: `$edit:completion:arg-completer[ssoenv]`
    /// called from the editor's namespace). `None`: tmux missing for those two.
    pub fn completions(&self, home: &Path, lines: &[&str]) -> Option<String> {
        let hex = "od -An -tx1 -v | tr -d ' \\n'";
        let script = match self.name {
            "bash" => {
                // Readline calls the function without errexit (nounset and pipefail stay).
                let mut s = String::from(
                    "set +e\nf=$(complete -p ssoenv | sed -E 's/.*-F ([^ ]+).*/\\1/')\n",
                );
                for (i, line) in lines.iter().enumerate() {
                    let w: Vec<String> = words_of(line)
                        .iter()
                        .map(|w| shell_words::quote(w).into_owned())
                        .collect();
                    s.push_str(&format!(
                        "COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE={}; COMP_POINT=${{#COMP_LINE}}; COMPREPLY=()\n\
                         \"$f\" ssoenv '' \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
                         for r in \"${{COMPREPLY[@]}}\"; do eval \"set -- $r\"; \
                         if [ $# = 1 ]; then printf 'c{i}=%s\\n' \"$(printf %s \"$1\" | {hex})\"; else printf 'split=%s\\n' \"$r\"; fi; done\n",
                        w.join(" "),
                        w.len() - 1,
                        shell_words::quote(line),
                    ));
                }
                s
            }
            "fish" => {
                let mut s = String::new();
                for (i, line) in lines.iter().enumerate() {
                    s.push_str(&format!(
                        "for c in (complete -C {}); printf 'c{i}=%s\\n' (printf %s (string split -f1 \\t -- $c) | {hex}); end\n",
                        shell_words::quote(line)
                    ));
                }
                s
            }
            "nu" => {
                let mut s = String::from(
                    "print $\"completer=(scope commands | where name == ssoenv | get 0.signatures | values | flatten | where parameter_name == args | get 0.completion)\"\n",
                );
                for (i, line) in lines.iter().enumerate() {
                    s.push_str(&format!(
                        "let r = (__ssoenv_complete {})\n\
                         for x in (if ($r | describe) =~ '^record' {{ $r.completions }} else {{ $r }}) {{\n\
                         let back = (^$nu.current-exe -n --no-std-lib -c $\"print -n ($x.value)\" | complete)\n\
                         print $\"c{i}=($back.stdout | encode utf-8 | encode hex --lower)\"\n}}\n",
                        nu_literal(line)
                    ));
                }
                s
            }
            "xonsh" => {
                let mut s =
                    String::from("from xonsh.completer import Completer\n__c = Completer()\n");
                for (i, line) in lines.iter().enumerate() {
                    s.push_str(&format!(
                        "__got, _ = __c.complete('', {l}, len({l}), len({l}), __xonsh__.ctx, multiline_text={l}, cursor_index=len({l}))\n\
                         for __w in sorted(__got):\n    execx('printf %s ' + __w.rstrip(' ') + ' > word.out')\n    \
                         print('c{i}=' + open('word.out', 'rb').read().hex())\n",
                        l = python_literal(line)
                    ));
                }
                s
            }
            "zsh" | "elvish" => return self.completions_in_terminal(home, lines),
            _ => unreachable!("{}", self.name),
        };
        let out = self.run(home, &self.program(home, &format!("{script}\n")), &[]);
        assert!(
            out.status.success(),
            "{}: {}\n{}",
            self.name,
            stdout(&out),
            stderr(&out)
        );
        Some(format!("{}{}done\n", stdout(&out), stderr(&out)))
    }

    fn completions_in_terminal(&self, home: &Path, lines: &[&str]) -> Option<String> {
        if !have("tmux") {
            return None;
        }
        let out = home.join("completions.out");
        let _ = std::fs::remove_file(&out);
        let hex = "od -An -tx1 -v | tr -d ' \\n'";
        let wait = |what: &str, t: &Tmux, pred: &dyn Fn(&str) -> bool| {
            let start = std::time::Instant::now();
            loop {
                let text = std::fs::read_to_string(&out).unwrap_or_default();
                if pred(&text) {
                    return text;
                }
                assert!(
                    start.elapsed() < std::time::Duration::from_secs(20),
                    "{}: {what}: {text}\n{}",
                    self.name,
                    t.screen()
                );
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        };
        if self.name == "zsh" {
            // Whatever the completion system adds is recorded with the line it completes
            // (the `-O`/`-A`/`-D` calls only compute, as in zsh-capture-completion), as
            // the word zsh reads back from the match it would insert (quoted by zsh).
            std::fs::write(
                home.join(".zshrc"),
                format!(
                    "autoload -Uz compinit; compinit -u -D\neval \"$(\"$B\" init zsh)\"\n\
                     compadd() {{\n  if [[ ${{@[1,(i)(-|--)]}} == *-(O|A|D)\\ * ]]; then builtin compadd \"$@\"; return $?; fi\n  \
                     local -a __hits; builtin compadd -A __hits \"$@\"\n  \
                     local w; local -a __word\n  \
                     for w in $__hits; do eval \"__word=($w)\"; if (( $#__word == 1 )); then print -r -- \"$BUFFER|$(print -rn -- $__word[1] | {hex})\"; else print -r -- \"split|$w\"; fi >> {out}; done\n  \
                     builtin compadd \"$@\"\n}}\nPS1='zsh-ready> '\n",
                    out = shell_words::quote(&out.display().to_string())
                ),
            )
            .unwrap();
            let t = Tmux::start(home, &[], "zsh -i");
            t.wait_for("zsh-ready> ");
            let mut text = String::new();
            for line in lines {
                t.keys(line);
                t.key("Tab");
                let tag = format!("\n{line}|");
                wait(line, &t, &|s: &str| format!("\n{s}").contains(&tag));
                // Give a second call (the listing) time to finish; then an empty line.
                std::thread::sleep(std::time::Duration::from_millis(300));
                t.key("C-u");
            }
            let all = std::fs::read_to_string(&out).unwrap();
            for (i, line) in lines.iter().enumerate() {
                let mut seen = Vec::new();
                for h in all
                    .lines()
                    .filter_map(|l| l.strip_prefix(&format!("{line}|")))
                {
                    if !seen.contains(&h) {
                        seen.push(h);
                        text.push_str(&format!("c{i}={h}\n"));
                    }
                }
            }
            for l in all.lines().filter(|l| l.starts_with("split|")) {
                text.push_str(&format!("split={l}\n"));
            }
            text.push_str("done\n");
            return Some(text);
        }
        // elvish: candidates are strings or complex candidates, whose stem is inserted.
        let mut body = String::new();
        for (i, line) in lines.iter().enumerate() {
            let list: Vec<String> = words_of(line).iter().map(|w| elvish_literal(w)).collect();
            body.push_str(&format!(
                "$edit:completion:arg-completer[ssoenv] {} | each {{|c| var s = (if (eq (kind-of $c) string) {{ put $c }} else {{ put $c[stem] }}); echo c{i}=(print $s | {hex}) }}\n",
                list.join(" ")
            ));
        }
        body.push_str("echo done\n");
        std::fs::write(home.join("complete.elv"), body).unwrap();
        let t = Tmux::start(home, &[], self.interactive);
        std::thread::sleep(std::time::Duration::from_millis(300));
        t.line(
            "eval ((external $E:B) init elvish | slurp); eval (slurp < complete.elv) > completions.out 2>&1",
        );
        Some(wait("done", &t, &|s: &str| s.ends_with("done\n")))
    }

    /// The line that sources the file `path`.
    pub fn source(&self, path: &str) -> String {
        format!("source {path}")
    }

    /// Code printing each variable of `names` as `NAME=<hex of the value>`,
    /// or `NAME unset`, one a line: a byte-exact view of the values.
    pub fn show(&self, names: &[&str]) -> String {
        let names = names.join(" ");
        let hex = "od -An -tx1 -v | tr -d ' \\n'";
        match self.name {
            "bash" => format!(
                "for n in {names}; do if [ -n \"${{!n+x}}\" ]; then printf '%s=' \"$n\"; printf '%s' \"${{!n}}\" | {hex}; echo; else echo \"$n unset\"; fi; done"
            ),
            "zsh" => format!(
                "for n in {names}; do if (( ${{(P)+n}} )); then printf '%s=' \"$n\"; printf '%s' \"${{(P)n}}\" | {hex}; echo; else echo \"$n unset\"; fi; done"
            ),
            _ => format!(
                "for n in {names}; if set -q $n; printf '%s=' $n; printf '%s' \"$$n\" | {hex}; echo; else; echo \"$n unset\"; end; end"
            ),
        }
    }
}

/// Source `script` in the real `shell` (strict mode) with stale AWS values
/// in the environment, then print the named variables as [`RealShell::show`]
/// does. The shell must succeed and write nothing to stderr.
pub fn eval_in(shell_name: &str, script: &str, names: &[&str], dir: &Path) -> String {
    let sh = shell(shell_name);
    let script_path = dir.join(format!("script.{shell_name}"));
    std::fs::write(&script_path, script).unwrap();
    let source = match shell_name {
        "fish" => "source $argv[1]; or exit 1".to_owned(),
        _ => sh.source("\"$1\""),
    };
    let out = sh
        .command(&format!("{source}; {}", sh.show(names)))
        .arg(&script_path)
        .current_dir(dir)
        .env("AWS_SECURITY_TOKEN", "stale")
        .env("AWS_REGION", "stale-region")
        .env("AWS_DEFAULT_REGION", "stale-region")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{shell_name} failed: {}",
        stderr(&out)
    );
    assert_eq!(stderr(&out), "", "{shell_name} wrote to stderr");
    stdout(&out)
}

/// The shells of [`SHELLS`] that are installed (a missing one is skipped, or
/// fails the test under `CI`), for a loop that needs `continue` or `break`.
pub fn installed_shells() -> impl Iterator<Item = &'static RealShell> {
    SHELLS.iter().filter(|sh| have(sh.name))
}

/// A nushell literal for any text: a raw string with enough `#`.
fn nu_literal(s: &str) -> String {
    let mut hashes = String::from("#");
    while s.contains(&format!("'{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}'{s}'{hashes}")
}

/// An elvish single-quoted literal (`'` doubled; nothing else is special inside).
fn elvish_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A Python string literal for any text (JSON's escapes are Python's).
fn python_literal(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// The words of a command line ending in a space (the last one empty).
fn words_of(line: &str) -> Vec<String> {
    assert!(line.ends_with(' '), "{line:?}");
    line.split(' ').map(str::to_owned).collect()
}
