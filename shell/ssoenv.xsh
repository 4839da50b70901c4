# ssoenv shell integration for xonsh. Load it (in ~/.xonshrc) with:
#   execx(__import__('subprocess').check_output('ssoenv init xonsh'.split(),
#         env=__xonsh__.env.detype(), text=True), 'exec', __xonsh__.ctx, filename='ssoenv')
# (not `$(ssoenv init xonsh)`: xonsh's capture can lose output on a busy machine)
# Loading it twice is harmless: the alias, the prompt field and the completer are replaced.
#
# Public names (for people who build their own prompt):
#   $PROMPT_FIELDS['ssoenv']  "{GREEN}(prod 42m){RESET} ", empty when no profile is active
#                             or SSOENV_PROMPT=off; put {ssoenv} in $PROMPT or $RIGHT_PROMPT
#   ssoenv_segment()          {'segment': 'prod 42m', 'state': 'ok', 'color': 'green',
#                             'renew': ''}: computed in Python from SSOENV_EXPIRATION, no
#                             process per prompt
# `{ssoenv}` is put in front of a $PROMPT string that does not have it yet.

# The binary; `ssoenv init` replaces the quoted placeholder with its own path.
# (No SSOENV_SHELL: a child shell of another kind would inherit it.)
__ssoenv_bin = '@SSOENV_BIN@'


def __ssoenv_setup(bin_path):
    import json
    import os
    import re
    import shutil
    import subprocess
    import sys
    import time

    env = __xonsh__.env
    state = {'renew_at': 0}

    def find():
        # The binary that printed this script or, once that file is gone (the package
        # removed, the binary moved), the ssoenv on PATH, so open shells keep working.
        if bin_path.startswith('/') and os.access(bin_path, os.X_OK):
            return bin_path
        found = shutil.which('ssoenv', path=env.get('PATH') and os.pathsep.join(env['PATH']))
        if found:
            return found
        print(f'ssoenv: {bin_path} is gone and there is no ssoenv on PATH', file=sys.stderr)
        print('hint: install ssoenv again; this shell then finds it on PATH', file=sys.stderr)
        return None

    def child_env(**extra):
        e = env.detype()
        e['SSOENV_INIT'] = 'xonsh'
        e.update(extra)
        return e

    def fd(stream):
        try:
            stream.fileno()
            return stream
        except Exception:
            return None

    def apply(changes):
        # JSON of the binary: a name to its value, or null to unset it.
        for name, value in changes.items():
            if not re.fullmatch(r'[A-Za-z_][A-Za-z0-9_]*', name):
                continue
            if value is None:
                if name in env:
                    del env[name]
            else:
                env[name] = value

    def refuse(shell):
        print(f'ssoenv: refusing --shell {shell}: this alias applies the output in xonsh',
              file=sys.stderr)
        print('hint: drop --shell; to print code for another shell, run: '
              f'command ssoenv use PROFILE --shell {shell}', file=sys.stderr)
        return 2

    # `ssoenv use …` and `ssoenv unset` change this shell; everything else runs as is.
    def ssoenv(args, stdin=None, stdout=None, stderr=None):
        args = list(args)
        exe = find()
        if exe is None:
            return 127
        passthrough = not args or args[0] not in ('use', 'unset')
        rest = []
        i = 1
        while not passthrough and i < len(args):
            a = args[i]
            if a == '--':
                rest.extend(args[i:])
                break
            if a in ('-h', '--help', '-V', '--version'):
                passthrough = True
            elif a == '--shell':
                if i + 1 < len(args) and args[i + 1] != 'xonsh':
                    return refuse(args[i + 1])
                i += 2
                continue
            elif a.startswith('--shell='):
                if a[8:] != 'xonsh':
                    return refuse(a[8:])
                i += 1
                continue
            rest.append(a)
            i += 1
        if passthrough:
            return subprocess.run([exe] + args, env=child_env(), stdin=fd(stdin),
                                  stdout=fd(stdout), stderr=fd(stderr)).returncode
        done = subprocess.run([exe, args[0], '--shell', 'json'] + rest, env=child_env(),
                              stdin=fd(stdin), stdout=subprocess.PIPE, stderr=fd(stderr))
        if done.returncode != 0:
            return done.returncode
        try:
            changes = json.loads(done.stdout.decode('utf-8'))
        except ValueError as e:
            print(f'ssoenv: could not read the output of {exe} {args[0]}: {e}',
                  file=sys.stderr)
            return 1
        apply(changes)
        state['renew_at'] = 0
        return 0

    def printable(name):
        # C0, DEL and C1 control characters as escapes, as `ssoenv prompt` shows them.
        out = []
        for c in name:
            o = ord(c)
            if c == '\t':
                out.append('\\t')
            elif c == '\n':
                out.append('\\n')
            elif c == '\r':
                out.append('\\r')
            elif c == '\x1b':
                out.append('\\e')
            elif o < 0x20 or o == 0x7f:
                out.append('\\x%02x' % o)
            elif 0x80 <= o <= 0x9f:
                out.append('\\u{%x}' % o)
            else:
                out.append(c)
        return ''.join(out)

    def utf8_locale():
        for name in ('LC_ALL', 'LC_CTYPE', 'LANG'):
            v = env.get(name) or ''
            if v:
                v = v.lower()
                return 'utf-8' in v or 'utf8' in v
        return False

    def renew(profile):
        # Quiet renewal: role credentials from a valid or refreshable token, never a login.
        exe = find()
        if exe is None:
            return False
        done = subprocess.run(
            [exe, 'use', profile, '--shell', 'json'],
            env=child_env(SSOENV_INTERACTIVE='0', SSOENV_BACKGROUND_RENEW='1'),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        if done.returncode != 0:
            return False
        try:
            apply(json.loads(done.stdout.decode('utf-8')))
        except ValueError:
            return False
        return True

    # The segment: remaining >= 15 min green (ok), >= 5 min yellow (warn), >= 1 s red
    # (critical), else red "expired"; 1h05m, 42m, 59s.
    def segment(may_renew=True):
        profile = env.get('SSOENV_PROFILE') or ''
        if not profile:
            return {'segment': '', 'state': '', 'color': '', 'renew': ''}
        mark = ''
        if env.get('SSOENV_RENEWABLE') == '1' and env.get('SSOENV_AUTO_RENEW') == '1':
            mark = '\u21bb' if utf8_locale() else '+'
        name = printable(profile)
        exp = env.get('SSOENV_EXPIRATION') or ''
        if not re.fullmatch(r'[0-9]{1,15}', exp):
            return {'segment': name, 'state': 'unknown', 'color': '', 'renew': mark}
        now = int(time.time())
        left = int(exp) - now
        if (may_renew and env.get('SSOENV_AUTO_RENEW') == '1' and left < 600
                and now - state['renew_at'] >= 60):
            state['renew_at'] = now
            if renew(profile):
                return segment(False)
        if left <= 0:
            return {'segment': name + ' expired', 'state': 'expired', 'color': 'red',
                    'renew': mark}
        if left >= 3600:
            text = '%dh%02dm' % (left // 3600, left % 3600 // 60)
        elif left >= 60:
            text = '%dm' % (left // 60)
        else:
            text = '%ds' % left
        if left < 300:
            st, color = 'critical', 'red'
        elif left < 900:
            st, color = 'warn', 'yellow'
        else:
            st, color = 'ok', 'green'
        return {'segment': name + ' ' + text, 'state': st, 'color': color, 'renew': mark}

    # The prompt field: braces doubled, so a profile name is text, never a colour or field.
    def field():
        if env.get('SSOENV_PROMPT') == 'off':
            return ''
        s = segment()
        if not s['segment']:
            return ''
        text = '(' + s['segment'] + (' ' + s['renew'] if s['renew'] else '') + ')'
        text = text.replace('{', '{{').replace('}', '}}')
        if env.get('NO_COLOR') or not s['color']:
            return text + ' '
        return '{' + s['color'].upper() + '}' + text + '{RESET} '

    return ssoenv, segment, field


__ssoenv_alias, ssoenv_segment, __ssoenv_field = __ssoenv_setup(__ssoenv_bin)
del __ssoenv_setup
# Unthreadable: in the foreground thread, as a command that may read the terminal (a
# login prompt, `exec` of an interactive program); xonsh's threaded callable aliases also
# race on a redirected stderr.
from xonsh.tools import unthreadable as __ssoenv_unthreadable
aliases['ssoenv'] = __ssoenv_unthreadable(__ssoenv_alias)
del __ssoenv_unthreadable
$PROMPT_FIELDS['ssoenv'] = __ssoenv_field
if isinstance($PROMPT, str) and '{ssoenv}' not in $PROMPT:
    $PROMPT = '{ssoenv}' + $PROMPT
