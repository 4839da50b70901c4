#!/usr/bin/env bash
# Benchmark: what the size of ~/.aws/config costs the commands that name one
# profile. Configs of 200, 3,000 and 30,000 SSO profiles (as `aws configure
# sso` writes them, one sso-session), warm caches for p100 (token and role
# credentials, exactly as the CLI writes them), and for each size:
# `status --check p100`, `use p100`, `credential-process p100` and
# `exec p100 -- /bin/true`. Reports hyperfine medians and each command's
# difference from the same command at 200 profiles (the aim: within 0.5 ms at
# 30,000), twice: as commands run day to day (the sections remembered in
# ~/.cache/ssoenv/config-sections, src/config/memo.rs) and as the first
# lookup after each edit of the config (the scan of the whole file, no memo:
# XDG_CACHE_HOME is a file, so none can be written). `profiles --names` at
# 100,000 profiles is benches/profile_names.sh.
#
# Usage: benches/config_size.sh [RUNS]   (needs hyperfine; the static musl
# build when the x86_64-unknown-linux-musl target and musl-gcc are there,
# else the glibc release build; BIN=/path/to/ssoenv measures another binary)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-500}"
command -v hyperfine >/dev/null 2>&1 || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
if [ -n "${BIN:-}" ]; then
  bin="$BIN"
elif cargo build --release --locked --quiet --target x86_64-unknown-linux-musl 2>/dev/null; then
  bin="$PWD/target/x86_64-unknown-linux-musl/release/ssoenv"
else
  echo "warning: no static musl build; measuring the glibc release build" >&2
  cargo build --release --locked --quiet
  bin="$PWD/target/release/ssoenv"
fi
echo "binary: $bin"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export HOME="$work/home"
mkdir -p "$HOME/.aws"
# No endpoint is reachable: everything must come from the caches.
export AWS_ENDPOINT_URL_SSO=http://127.0.0.1:9 AWS_ENDPOINT_URL_SSO_OIDC=http://127.0.0.1:9 AWS_ENDPOINT_URL_STS=http://127.0.0.1:9

python3 - <<'PY'
import hashlib, json, os, datetime
home = os.environ["HOME"]
exp = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%SZ")
os.makedirs(f"{home}/.aws/sso/cache", exist_ok=True)
os.makedirs(f"{home}/.aws/cli/cache", exist_ok=True)
tok = {"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1", "accessToken": "x", "expiresAt": exp}
open(f"{home}/.aws/sso/cache/{hashlib.sha1(b'corp').hexdigest()}.json", "w").write(json.dumps(tok))
args = {"accountId": "%012d" % 100, "roleName": "Admin", "sessionName": "corp"}
key = hashlib.sha1(json.dumps(args, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
creds = {"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": exp, "AccountId": "%012d" % 100}}
open(f"{home}/.aws/cli/cache/{key}.json", "w").write(json.dumps(creds))
PY

config() {
  {
    printf '[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n'
    awk -v n="$1" 'BEGIN {
      for (i = 1; i <= n; i++)
        printf "[profile p%d]\nsso_session = corp\nsso_account_id = %012d\nsso_role_name = Admin\nregion = eu-west-1\n\n", i, i
    }'
  } > "$work/config-$1"
}

sizes=(200 3000 30000)
cmds=()
for n in "${sizes[@]}"; do
  config "$n"
  AWS_CONFIG_FILE="$work/config-$n" "$bin" use p100 --shell bash | grep -q "AWS_ACCESS_KEY_ID='ASIAEXAMPLE'"
  AWS_CONFIG_FILE="$work/config-$n" "$bin" status --check p100
done
# A memo is written only for a config changed more than two seconds ago.
sleep 3
for n in "${sizes[@]}"; do AWS_CONFIG_FILE="$work/config-$n" "$bin" status --check p100; done
touch "$work/no-cache"
names=("status --check p100" "use p100 --shell bash" "credential-process p100" "exec p100 -- /bin/true")
for n in "${sizes[@]}"; do echo "config-$n: $(wc -c < "$work/config-$n") bytes"; done
# The machine's load drifts: several short rounds, each running every size, pooled.
rounds=5
for r in $(seq 1 "$rounds"); do
  for n in "${sizes[@]}"; do
    AWS_CONFIG_FILE="$work/config-$n" hyperfine -N --warmup 20 --runs "$((runs / rounds))" \
      --export-json "$work/h-$n-$r.json" "${names[@]/#/$bin }" >/dev/null 2>&1
    AWS_CONFIG_FILE="$work/config-$n" XDG_CACHE_HOME="$work/no-cache" hyperfine -N --warmup 20 \
      --runs "$((runs / rounds))" --export-json "$work/s-$n-$r.json" "${names[@]/#/$bin }" >/dev/null 2>&1
  done
done

python3 - "$work" "$bin" "$rounds" "${sizes[@]}" <<'PY'
import json, statistics, sys
work, b, rounds, sizes = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
for prefix, title in (("h", "remembered sections (every run but the first after an edit)"),
                      ("s", "the scan (the first run after an edit)")):
    times = {}
    for n in sizes:
        for r in range(1, rounds + 1):
            for res in json.load(open(f"{work}/{prefix}-{n}-{r}.json"))["results"]:
                times.setdefault((res["command"].replace(b + " ", ""), n), []).extend(res["times"])
    med = {k: statistics.median(t) * 1000 for k, t in times.items()}
    cmds = list(dict.fromkeys(c for c, _ in med))
    print(title)
    print("  %-26s" % "command" + "".join("%16s" % f"{n} profiles" for n in sizes))
    for c in cmds:
        base = med[(c, sizes[0])]
        cells = ["%7.2f ms" % base] + ["%7.2f (%+.2f)" % (med[(c, n)], med[(c, n)] - base) for n in sizes[1:]]
        print("  %-26s" % c + "".join("%16s" % x for x in cells))
PY
