#!/usr/bin/env bash
# Benchmark: `ssoenv use PROFILE` with valid cached credentials (the common
# case: no network), against the warm equivalent in Python botocore: a
# botocore Session resolving the same profile and loading the same cached
# role credentials through the AWS CLI's JSONFileCache, in an already-running
# interpreter (imports paid once). Reports medians and the ratio.
#
# Usage: benches/use_cached.sh [RUNS]   (needs hyperfine for the ssoenv side;
# falls back to a Python timing loop without it)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-2000}"
cargo build --release --quiet
bin="$PWD/target/release/ssoenv"

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
PY

# Sanity: it really is served from the cache (no endpoint is reachable here).
export AWS_ENDPOINT_URL_SSO=http://127.0.0.1:9 AWS_ENDPOINT_URL_SSO_OIDC=http://127.0.0.1:9
"$bin" use p100 --shell bash | grep -q "AWS_ACCESS_KEY_ID='ASIAEXAMPLE'"

echo "== ssoenv use p100 (cached; $runs runs)"
if command -v hyperfine >/dev/null 2>&1; then
  # Baselines: the cost of starting any process here, and of starting ssoenv at all.
  hyperfine -N --warmup 50 --runs "$runs" --export-json "$work/h.json" \
    "$bin use p100 --shell bash" "$bin --version" "/bin/true" >/dev/null
  python3 - "$work/h.json" <<'PY'
import json, statistics, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("  %-40s median %.3f ms" % (r["command"].replace(sys.argv[1], ""), statistics.median(r["times"]) * 1000))
PY
  ssoenv_ms=$(python3 -c "import json,statistics;r=json.load(open('$work/h.json'))['results'][0];print('%.3f'%(statistics.median(r['times'])*1000))")
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
