#!/usr/bin/env bash
# Benchmark: `ssoenv profiles --names` (what shell completion runs on every
# <Tab> after `use`, `exec`, `login`, `logout`) on a config of 100,000
# profiles, listed exactly as `use` would accept them. The aim: 100 ms.
#
# Usage: benches/profile_names.sh [PROFILES]   (hyperfine if installed,
# else a plain timing loop)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
CARGO_INCREMENTAL=0 cargo build --release --quiet
bin="$PWD/target/release/ssoenv"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export HOME="$work/home"
mkdir -p "$HOME/.aws"
# One session and N profiles as `aws configure sso` writes them, with a
# static-key [default] (left out) and every 10th profile a role chained
# from it (listed).
{
  printf '[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s\nregion = us-east-1\n\n'
  printf '[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n'
  awk -v n="$n" 'BEGIN {
    for (i = 1; i <= n; i++) {
      if (i % 10 == 0)
        printf "[profile p%d]\nrole_arn = arn:aws:iam::%012d:role/Admin\nsource_profile = default\n\n", i, i
      else
        printf "[profile p%d]\nsso_session = corp\nsso_account_id = %012d\nsso_role_name = Admin\nregion = eu-west-1\n\n", i, i
    }
  }'
} > "$HOME/.aws/config"
echo "config: $n profiles, $(wc -c < "$HOME/.aws/config") bytes"

# Sanity: every profile but [default].
listed=$("$bin" profiles --names | wc -l)
expected=$n
[ "$listed" -eq "$expected" ] || { echo "listed $listed names, expected $expected" >&2; exit 1; }

echo "== ssoenv profiles --names ($n profiles)"
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 3 --runs 20 "$bin profiles --names"
else
  python3 - "$bin" <<'PY'
import subprocess, sys, time, statistics
t = []
for _ in range(20):
    s = time.perf_counter()
    subprocess.run([sys.argv[1], "profiles", "--names"], stdout=subprocess.DEVNULL, check=True)
    t.append(time.perf_counter() - s)
print("median %.1f ms, min %.1f ms, max %.1f ms" % (statistics.median(t) * 1000, min(t) * 1000, max(t) * 1000))
PY
fi
