# xonsh completion for ssoenv, appended to `ssoenv init xonsh` and printed by `ssoenv
# completions xonsh`. The @…@ lists are filled from the CLI definition
# (src/shell/xonsh.rs).

def __ssoenv_completion_setup():
    import os
    import re
    import shutil
    import subprocess
    from xonsh.completers.completer import add_one_completer
    from xonsh.completers.tools import RichCompletion, contextual_command_completer_for

    commands = @COMMANDS@
    profile_commands = @PROFILE_COMMANDS@
    session_commands = @SESSION_COMMANDS@
    valued = @VALUED@
    bin_path = globals().get('__ssoenv_bin', 'ssoenv')

    def quote(s):
        # A word xonsh reads back as exactly `s`: plain when safe, else `@('…')`, a Python
        # literal in printable ASCII (xonsh expands $NAME even in quoted subprocess words,
        # never inside @(…)).
        if re.fullmatch(r'[A-Za-z0-9_.:/+,=%-]+', s) and not s.startswith('-'):
            return s
        out = []
        for c in s:
            o = ord(c)
            if c in '\\\'':
                out.append('\\' + c)
            elif 0x20 <= o <= 0x7e:
                out.append(c)
            elif o < 0x100:
                out.append('\\x%02x' % o)
            elif o < 0x10000:
                out.append('\\u%04x' % o)
            else:
                out.append('\\U%08x' % o)
        return "@('" + ''.join(out) + "')"

    def names(flag):
        # `ssoenv profiles --names` (or --sessions) of the binary the alias runs.
        exe = bin_path if os.access(bin_path, os.X_OK) else shutil.which('ssoenv')
        if not exe:
            return []
        try:
            done = subprocess.run([exe, 'profiles', flag], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  env=__xonsh__.env.detype(), timeout=10)
        except (OSError, subprocess.SubprocessError):
            return []
        return [n for n in done.stdout.decode('utf-8', 'replace').split('\n') if n]

    def offer(words, ctx):
        # The word typed so far, an opening quote included, is replaced by the literal:
        # `'x` becomes `@('x…')`, not `'@('x…')`.
        typed = len(ctx.opening_quote) + len(ctx.prefix)
        return {RichCompletion(quote(w), prefix_len=typed, display=w, append_space=True,
                               append_closing_quote=False)
                for w in words if w.startswith(ctx.prefix)}

    def command_from(ctx, i):
        # `exec PROFILE [--] COMMAND ARGS…`: complete from word `i` on as xonsh completes a
        # line that starts there (the command name, then that command's own completion), as
        # xonsh's `sudo` skipper does.
        from xonsh.completer import Completer
        from xonsh.completers.commands import complete_command
        from xonsh.parsers.completion_context import CompletionContext
        rest = ctx._replace(args=ctx.args[i:], arg_index=ctx.arg_index - i)
        if rest.arg_index == 0:
            return set(complete_command(rest))
        shell = getattr(__xonsh__.shell, 'shell', None)
        completer = getattr(shell, 'completer', None) or Completer()
        got, _ = completer.complete_from_context(CompletionContext(rest))
        return set(got)

    @contextual_command_completer_for('ssoenv')
    def complete(ctx):
        prefix = ctx.prefix
        words = [a.value for a in ctx.args[:ctx.arg_index]]
        if ctx.arg_index == 1:
            return offer(commands, ctx)
        sub = words[1] if len(words) > 1 else ''
        if words[-1] == '--sso-session' and sub in session_commands:
            return offer(names('--sessions'), ctx)
        if sub not in profile_commands:
            return None
        skip, seen, check = False, False, False
        for i, w in enumerate(words[2:], 2):
            if skip:
                skip = False
            elif w in valued:
                skip = True
            elif w == '--check':
                check = True
            elif w == '--':
                return command_from(ctx, i + 1) if sub == 'exec' and seen else None
            elif not w.startswith('-'):
                if sub == 'exec' and seen:
                    return command_from(ctx, i)
                seen = True
        if skip or prefix.startswith('-'):
            return None
        if seen:
            return command_from(ctx, ctx.arg_index) if sub == 'exec' else None
        if sub == 'status' and not check:
            return None
        return offer(names('--names'), ctx)

    add_one_completer('ssoenv', complete, 'start')


__ssoenv_completion_setup()
del __ssoenv_completion_setup
