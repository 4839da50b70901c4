#!/usr/bin/env bash
# Per-prompt cost of the ssoenv hook in bash and zsh (nushell, elvish, xonsh below): N calls of the hook as the
# shell makes them (PROMPT_COMMAND / precmd_functions), with no profile, with
# an active profile (the text changes at most once a minute above 60 s left, so
# most prompts find it cached), with an active profile recomputed every time
# (the worst case: the first prompt of each minute; bash also with an hour or more
# left, a text of its own), in the last minute (recomputed
# every second), with the renewal mark (SSOENV_RENEWABLE=1 SSOENV_AUTO_RENEW=1),
# and of an empty function
# for reference; then the cost of
# `ssoenv prompt` as a process (hyperfine). Figures go in the README.
#
#   benches/prompt_hook.sh [path/to/ssoenv] [N] [RUNS]
#
# Each case runs RUNS times (default 5) and reports its best run, hook and empty
# function alike: on a shared, noisy machine the best run is the hook's own cost.
# With CPU=1 (Linux) a run is timed by the shell's own CPU time (utime + stime
# from /proc, 10 ms ticks: use N of 20000 or more) instead of the wall clock,
# which on a loaded machine also counts the time the shell waited for a core.
set -euo pipefail
bin=${1:-target/release/ssoenv}
n=${2:-10000}
runs=${3:-5}
[[ -x $bin ]] || { echo "build first: cargo build --release" >&2; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
cpu=${CPU:-0}

bash_case() { # $1: label, $2: setup code (run before each of the $runs runs)
    env -i HOME=/tmp PATH=/usr/bin:/bin B="$bin" N="$n" R="$runs" CPU="$cpu" bash --noprofile --norc -c '
        eval "$("$B" init bash)"; PS1="\\u\\$ "
        now() { if ((CPU)); then read -ra s </proc/$BASHPID/stat; REPLY=$(((s[13] + s[14]) * 10000)); else REPLY=${EPOCHREALTIME/[.,]}; fi; }
        __empty() { :; }
        hook=$PROMPT_COMMAND best=999999999 ebest=999999999
        for ((r = 0; r < R; r++)); do
            MISS=""
            '"$2"'
            PROMPT_COMMAND=$hook; now; t0=$REPLY
            for ((i = 0; i < N; i++)); do eval "$MISS"; eval "$PROMPT_COMMAND"; done
            now; t1=$REPLY; PROMPT_COMMAND=__empty; now; u0=$REPLY
            for ((i = 0; i < N; i++)); do eval "$MISS"; eval "$PROMPT_COMMAND"; done
            now; u1=$REPLY
            ((t1 - t0 < best)) && best=$((t1 - t0)); ((u1 - u0 < ebest)) && ebest=$((u1 - u0))
        done
        awk -v l="'"$1"'" -v h="$best" -v e="$ebest" -v n="$N" \
            "BEGIN { h /= n; e /= n;
                     printf \"bash  %-34s %7.2f µs/prompt   (empty hook %5.2f µs, difference %6.2f µs)\\n\", l, h, e, h - e }"'
}

zsh_case() {
    env -i HOME=/tmp PATH=/usr/bin:/bin B="$bin" N="$n" R="$runs" CPU="$cpu" zsh -f -c '
        eval "$("$B" init zsh)"; PROMPT="%n%# "
        zmodload zsh/datetime
        now() { if (( CPU )); then local -a s; s=(${=$(</proc/$$/stat)}); REPLY=$(( (s[14] + s[15]) / 100.0 )); else REPLY=$EPOCHREALTIME; fi }
        __empty() { : }
        hooks=($precmd_functions) best=999 ebest=999
        for ((r = 0; r < R; r++)); do
            MISS=""
            '"$2"'
            precmd_functions=($hooks); now; t0=$REPLY
            for ((i = 0; i < N; i++)); do eval "$MISS"; for f in $precmd_functions; do $f; done; done
            now; t1=$REPLY; precmd_functions=(__empty); now; u0=$REPLY
            for ((i = 0; i < N; i++)); do eval "$MISS"; for f in $precmd_functions; do $f; done; done
            now; u1=$REPLY
            (( t1 - t0 < best )) && best=$(( t1 - t0 )); (( u1 - u0 < ebest )) && ebest=$(( u1 - u0 ))
        done
        printf "zsh   %-34s %7.2f µs/prompt   (empty hook %5.2f µs, difference %6.2f µs)\n" "'"$1"'" \
            $(( best * 1e6 / N )) $(( ebest * 1e6 / N )) $(( (best - ebest) * 1e6 / N ))'
}

# nushell: what it runs before each prompt, the pre_prompt hooks and the right prompt
# (PROMPT_COMMAND_RIGHT, a closure), against an empty closure; `timeit`, wall clock, best
# of RUNS. nushell sources files only: the init goes to a temporary file first.
nu_case() { # $1: label, $2: nushell code setting the environment
    local dir
    dir=$(mktemp -d)
    # NU_INIT=FILE: that script instead (an older version, for a before/after figure).
    if [[ -n ${NU_INIT-} ]]; then cp "$NU_INIT" "$dir/init.nu"; else "$bin" init nu >"$dir/init.nu"; fi
    (cd "$dir" && env -i HOME=/tmp PATH=/usr/bin:/bin N="$n" R="$runs" nu -n --no-std-lib -c '
        source init.nu
        $env.PROMPT_COMMAND_RIGHT = {|| "P> " } | ignore
        source init.nu
        '"$2"'
        let n = ($env.N | into int)
        let empty = {|| }
        let hooks = $env.config.hooks.pre_prompt
        let run = {|| for h in $hooks { do --env $h }; do $env.PROMPT_COMMAND_RIGHT }
        let best = (1..($env.R | into int) | each { timeit { for i in 1..$n { do $run } } } | math min)
        let ebest = (1..($env.R | into int) | each { timeit { for i in 1..$n { do $empty } } } | math min)
        let h = ($best | into int) / $n / 1000
        let e = ($ebest | into int) / $n / 1000
        print ($"nu    %-34s" | str replace "%-34s" ("'"$1"'" | fill -w 34)) --no-newline
        print $" ($h | math round -p 2 | fill -a r -w 7) µs/prompt   \(empty closure ($e | math round -p 2) µs, difference ($h - $e | math round -p 2) µs\)"
    ')
    rm -r "$dir"
}

# elvish: what its editor runs before each prompt, the `before-readline` hook and the right
# prompt the integration wraps (`__ssoenv_hook`, `__ssoenv_rprompt` around the user's), against
# an empty function and the user's right prompt alone; wall clock (`date +%s%N` around the N
# calls), best of RUNS. `elvish -c` has no editor: the functions come from the namespace
# `eval … &on-end` hands back, as in the tests. ELVISH_INIT=FILE: that script instead.
elvish_case() { # $1: label, $2: elvish code setting the environment
    local init
    if [[ -n ${ELVISH_INIT-} ]]; then init=$(<"$ELVISH_INIT"); else init=$("$bin" init elvish); fi
    env -i HOME=/tmp PATH=/usr/bin:/bin N="$n" R="$runs" INIT="$init" elvish -norc -c '
        eval $E:INIT &on-end={|ns|
            var hook~ = $ns[__ssoenv_hook~]
            var rprompt~ = $ns[__ssoenv_rprompt~]
            '"$2"'
            var n = (num $E:N)
            var user~ = {|| put "P> " }
            var empty~ = {|| }
            var best = (num 1e18); var ebest = (num 1e18)
            for r [(range (num $E:R))] {
                var t0 = (num (e:date +%s%N))
                for i [(range $n)] { hook; rprompt $user~ | each {|_| } }
                var t1 = (num (e:date +%s%N))
                for i [(range $n)] { empty; user | each {|_| } }
                var t2 = (num (e:date +%s%N))
                if (< (- $t1 $t0) $best) { set best = (- $t1 $t0) }
                if (< (- $t2 $t1) $ebest) { set ebest = (- $t2 $t1) }
            }
            var h = (/ $best $n 1000.0); var e = (/ $ebest $n 1000.0)
            printf "elvish %-33s %7.2f µs/prompt   (empty hook + prompt %5.2f µs, difference %6.2f µs)\n" '"'$1'"' $h $e (- $h $e)
        }'
}

# xonsh: what it runs for each prompt, `$PROMPT` formatted with its fields (the integration
# puts `{ssoenv}` in front of it), against the same prompt without `{ssoenv}`; wall clock
# (time.perf_counter), best of RUNS.
xonsh_case() { # $1: label, $2: Python/xonsh code setting the environment
    env -i HOME=/tmp PATH=/usr/bin:/bin B="$bin" N="$n" R="$runs" L="$1" xonsh --no-rc -c '
$PROMPT = "P> "
execx(__import__("subprocess").check_output([$B, "init", "xonsh"], env=__xonsh__.env.detype(), text=True), "exec", __xonsh__.ctx, filename="ssoenv")
'"$2"'
import time
from xonsh.prompt.base import PromptFormatter
n, runs = int($N), int($R)
def __bench(prompt):
    best = 1e18
    for _ in range(runs):
        f = PromptFormatter()
        t0 = time.perf_counter()
        for _ in range(n):
            $PROMPT_FIELDS.reset()
            f(prompt)
        best = min(best, time.perf_counter() - t0)
    return best / n * 1e6
__h = __bench($PROMPT)
__e = __bench($PROMPT.replace("{ssoenv}", ""))
print("xonsh  %-33s %7.2f µs/prompt   (prompt alone %5.2f µs, difference %6.2f µs)" % ($L, __h, __e, __h - __e))
'
}

echo "N = $n hook calls per case, best of $runs runs, $( ((cpu)) && echo "CPU time" || echo "wall clock")"
bash_case "no profile" ":"
bash_case "active (prod 42m)" 'export SSOENV_PROFILE=prod SSOENV_EXPIRATION=$((EPOCHSECONDS + 2550))'
bash_case "active, recomputed each time" 'export SSOENV_PROFILE=prod SSOENV_EXPIRATION=$((EPOCHSECONDS + 2550)); MISS="__ssoenv_until=0"'
bash_case "1h15m, recomputed each time" 'export SSOENV_PROFILE=prod SSOENV_EXPIRATION=$((EPOCHSECONDS + 4550)); MISS="__ssoenv_until=0"'
bash_case "last minute, recomputed each time" 'export SSOENV_PROFILE=prod SSOENV_EXPIRATION=$((EPOCHSECONDS + 45)); MISS="__ssoenv_until=0"'
bash_case "marked (prod 42m ↻)" 'export SSOENV_PROFILE=prod SSOENV_EXPIRATION=$((EPOCHSECONDS + 2550)) SSOENV_RENEWABLE=1 SSOENV_AUTO_RENEW=1 LANG=C.UTF-8'
bash_case "marked, recomputed each time" 'export SSOENV_PROFILE=prod SSOENV_EXPIRATION=$((EPOCHSECONDS + 2550)) SSOENV_RENEWABLE=1 SSOENV_AUTO_RENEW=1 LANG=C.UTF-8; MISS="__ssoenv_until=0"'
bash_case "active, SSOENV_PROMPT=off" 'export SSOENV_PROFILE=prod SSOENV_EXPIRATION=$((EPOCHSECONDS + 2550)) SSOENV_PROMPT=off'
zsh_case "no profile" ":"
zsh_case "active (prod 42m)" 'export SSOENV_PROFILE=prod SSOENV_EXPIRATION=$((EPOCHSECONDS + 2550))'
zsh_case "active, recomputed each time" 'export SSOENV_PROFILE=prod SSOENV_EXPIRATION=$((EPOCHSECONDS + 2550)); MISS="__ssoenv_until=0"'
zsh_case "last minute, recomputed each time" 'export SSOENV_PROFILE=prod SSOENV_EXPIRATION=$((EPOCHSECONDS + 45)); MISS="__ssoenv_until=0"'
zsh_case "marked (prod 42m ↻)" 'export SSOENV_PROFILE=prod SSOENV_EXPIRATION=$((EPOCHSECONDS + 2550)) SSOENV_RENEWABLE=1 SSOENV_AUTO_RENEW=1 LANG=C.UTF-8'
zsh_case "active, SSOENV_PROMPT=off" 'export SSOENV_PROFILE=prod SSOENV_EXPIRATION=$((EPOCHSECONDS + 2550)) SSOENV_PROMPT=off'
if command -v nu >/dev/null; then
    nu_case "no profile" ""
    nu_case "active (prod 42m)" '$env.SSOENV_PROFILE = "prod"; $env.SSOENV_EXPIRATION = ((date now | into int) // 1_000_000_000 + 2550 | into string)'
    nu_case "marked (prod 42m ↻)" '$env.SSOENV_PROFILE = "prod"; $env.SSOENV_EXPIRATION = ((date now | into int) // 1_000_000_000 + 2550 | into string); $env.SSOENV_RENEWABLE = "1"; $env.SSOENV_AUTO_RENEW = "1"; $env.LANG = "C.UTF-8"'
    nu_case "active, SSOENV_PROMPT=off" '$env.SSOENV_PROFILE = "prod"; $env.SSOENV_EXPIRATION = ((date now | into int) // 1_000_000_000 + 2550 | into string); $env.SSOENV_PROMPT = "off"'
fi

if command -v elvish >/dev/null; then
    elvish_case "no profile" ""
    elvish_case "active (prod 42m)" 'set-env SSOENV_PROFILE prod; set-env SSOENV_EXPIRATION (to-string (+ 2550 (num (e:date +%s))))'
    elvish_case "marked (prod 42m ↻)" 'set-env SSOENV_PROFILE prod; set-env SSOENV_EXPIRATION (to-string (+ 2550 (num (e:date +%s)))); set-env SSOENV_RENEWABLE 1; set-env SSOENV_AUTO_RENEW 1; set-env LANG C.UTF-8'
    elvish_case "active, SSOENV_PROMPT=off" 'set-env SSOENV_PROFILE prod; set-env SSOENV_EXPIRATION (to-string (+ 2550 (num (e:date +%s)))); set-env SSOENV_PROMPT off'
fi
if command -v xonsh >/dev/null; then
    xonsh_case "no profile" ""
    xonsh_case "active (prod 42m)" '$SSOENV_PROFILE = "prod"; $SSOENV_EXPIRATION = str(int(__import__("time").time()) + 2550)'
    xonsh_case "marked (prod 42m ↻)" '$SSOENV_PROFILE = "prod"; $SSOENV_EXPIRATION = str(int(__import__("time").time()) + 2550); $SSOENV_RENEWABLE = "1"; $SSOENV_AUTO_RENEW = "1"; $LANG = "C.UTF-8"'
    xonsh_case "active, SSOENV_PROMPT=off" '$SSOENV_PROFILE = "prod"; $SSOENV_EXPIRATION = str(int(__import__("time").time()) + 2550); $SSOENV_PROMPT = "off"'
fi

if command -v hyperfine >/dev/null; then
    echo
    echo "ssoenv prompt as a process (hyperfine -N):"
    SSOENV_PROFILE=prod SSOENV_EXPIRATION=$(($(date +%s) + 2550)) \
        hyperfine -N --warmup 50 --runs 1000 --style basic "$bin prompt" 2>&1 | grep -E "Time|Range"
    env -u SSOENV_PROFILE hyperfine -N --warmup 50 --runs 1000 --style basic -n "$bin prompt (no profile)" "$bin prompt" 2>&1 | grep -E "Time|Range"
else
    echo "hyperfine not installed: skipping the process benchmark"
fi
