#!/usr/bin/env bash
# Benchmark: `ssoenv use PROFILE` with valid cached credentials (the common
# case: no network) and `ssoenv prompt`, for both release builds — the static
# musl binary (the Linux release build, the .deb's) and the default glibc,
# dynamically linked one — against `/bin/true` (the cost of starting any
# process), all in one hyperfine run; then the warm equivalent in Python
# botocore: a botocore Session resolving the same profile and loading the same
# cached role credentials through the AWS CLI's JSONFileCache, in an
# already-running interpreter (imports paid once). Reports medians.
#
# Usage: benches/use_cached.sh [RUNS]   (needs hyperfine for the ssoenv side,
# and the x86_64-unknown-linux-musl target with musl-gcc for the static build;
# without them: a Python timing loop, and the glibc build alone)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-2000}"
cargo build --release --locked --quiet
bin="$PWD/target/release/ssoenv"
musl="$PWD/target/x86_64-unknown-linux-musl/release/ssoenv"
if cargo build --release --locked --quiet --target x86_64-unknown-linux-musl; then
  bin="$musl"
else
  echo "warning: no static musl build (rustup target add x86_64-unknown-linux-musl; apt-get install musl-tools)" >&2
  musl=""
fi
glibc="$PWD/target/release/ssoenv"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export HOME="$work/home"
mkdir -p "$HOME/.aws"
# A realistic config: one session, 200 profiles.
{
  printf '[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n'
  for i in $(seq 1 200); do
    printf '[profile p%s]\nsso_session = corp\nsso_account_id = %012d\nsso_role_name = Admin\nregion = eu-west-1\n\n' "$i" "$i"
  done
  # A role-chaining profile on top of p100: its AssumeRole credentials come from botocore's
  # assume-role cache (key of {"RoleArn": …}, spec aws-credentials-more §5.2).
  printf '[profile chained]\nrole_arn = arn:aws:iam::123456789012:role/demo\nsource_profile = p100\n'
} > "$HOME/.aws/config"

# Valid cached token and role credentials for p100, exactly as the CLI writes them.
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
utc = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SUTC")
assumed = {"Credentials": {"AccessKeyId": "ASIACHAINED", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": utc, "AccountId": "123456789012"},
           "AssumedRoleUser": {"AssumedRoleId": "AROAEXAMPLE:botocore-session-1", "Arn": "arn:aws:sts::123456789012:assumed-role/demo/botocore-session-1"}}
open(f"{home}/.aws/cli/cache/5f52c9c583acfd120a607977e4f21fe86b7fa42d.json", "w").write(json.dumps(assumed))
PY

# Sanity: it really is served from the cache (no endpoint is reachable here).
export AWS_ENDPOINT_URL_SSO=http://127.0.0.1:9 AWS_ENDPOINT_URL_SSO_OIDC=http://127.0.0.1:9 AWS_ENDPOINT_URL_STS=http://127.0.0.1:9
for b in $musl "$glibc"; do
  "$b" use p100 --shell bash | grep -q "AWS_ACCESS_KEY_ID='ASIAEXAMPLE'"
  "$b" use chained --shell bash | grep -q "AWS_ACCESS_KEY_ID='ASIACHAINED'"
done
# A shell with the profile active, as `ssoenv prompt` finds it (from starship, oh-my-posh…).
export SSOENV_PROFILE=p100 SSOENV_EXPIRATION=$(($(date +%s) + 3600))
"$bin" prompt --no-color | grep -q "p100"

echo "== ssoenv use p100 (cached) and ssoenv prompt; $runs runs each"
if command -v hyperfine >/dev/null 2>&1; then
  cmds=()
  for b in $musl "$glibc"; do
    cmds+=("$b use p100 --shell bash" "$b prompt --no-color" "$b --version")
  done
  # Role chaining, warm: the AssumeRole credentials from the shared cache (no STS call).
  cmds+=("$bin use chained --shell bash")
  # Baselines: /bin/true (starting any process: dynamically linked, so it pays ld.so and
  # glibc's start-up) and, where musl-gcc is, a static C `return 0` (the floor for a static
  # binary: fork, exec, exit).
  cmds+=(/bin/true)
  if command -v musl-gcc >/dev/null 2>&1; then
    printf 'int main(void) { return 0; }\n' | musl-gcc -static -O2 -x c - -o "$work/true-static"
    cmds+=("$work/true-static")
  fi
  # The machine's load drifts: several short rounds, each running every command, pooled.
  rounds=5
  for r in $(seq 1 "$rounds"); do
    hyperfine -N --warmup 50 --runs "$((runs / rounds))" --export-json "$work/h$r.json" "${cmds[@]}" >/dev/null 2>&1
  done
  python3 - "$work" "$rounds" "$PWD/" <<'PY'
import json, statistics, sys
work, rounds, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
times = {}
for r in range(1, rounds + 1):
    for res in json.load(open(f"{work}/h{r}.json"))["results"]:
        times.setdefault(res["command"], []).extend(res["times"])
med = {c: statistics.median(t) * 1000 for c, t in times.items()}
json.dump(med, open(f"{work}/medians.json", "w"))
true = med["/bin/true"]
print("  %-70s %9s %13s" % ("command", "median", "- /bin/true"))
for c, m in med.items():
    name = c.replace(root, "").replace(work + "/", "")
    print("  %-70s %6.3f ms %+9.3f ms" % (name, m, m - true))
PY
  ssoenv_ms=$(python3 -c "import json;print('%.3f'%list(json.load(open('$work/medians.json')).values())[0])")
else
  ssoenv_ms=$(python3 - "$bin" "$runs" <<'PY'
import subprocess, sys, time, statistics
b, n = sys.argv[1], int(sys.argv[2])
t = []
for _ in range(n):
    s = time.perf_counter(); subprocess.run([b, "use", "p100", "--shell", "bash"], stdout=subprocess.DEVNULL, check=True); t.append(time.perf_counter() - s)
print("%.3f" % (statistics.median(t) * 1000))
PY
)
fi
echo "ssoenv median: ${ssoenv_ms} ms"

echo "== botocore, warm interpreter, same profile and cache"
boto_ms=$(python3 - "$runs" <<'PY'
import sys, time, statistics, os
import botocore.session
from botocore.utils import JSONFileCache
n = int(sys.argv[1])
cache = JSONFileCache(os.path.expanduser("~/.aws/cli/cache"))
def once():
    s = botocore.session.Session(profile="p100")
    s.get_component("credential_provider").get_provider("sso").cache = cache
    c = s.get_credentials().get_frozen_credentials()
    assert c.access_key == "ASIAEXAMPLE"
for _ in range(20): once()
t = []
for _ in range(min(n, 500)):
    s = time.perf_counter(); once(); t.append(time.perf_counter() - s)
print("%.3f" % (statistics.median(t) * 1000))
PY
)
echo "botocore median: ${boto_ms} ms"
python3 -c "print('ratio (botocore / ssoenv): %.1fx' % ($boto_ms / $ssoenv_ms))"
