#!/usr/bin/env bash
# Benchmark: `ssoenv populate` against a large organisation far away: the
# emulator serves N accounts (default 1000) with 3 roles each and adds
# LATENCY ms (default 50) to every answer. Sequentially that is at least
# (N + N/100) * LATENCY (50 s for the defaults); the listing keeps 16
# requests in flight. Reports the wall time of the populate run (the login
# before it is not counted), the requests the emulator counted, the profiles
# written, and the time of a second run (nothing to change).
#
# Usage: benches/populate.sh [ACCOUNTS] [LATENCY_MS]
set -euo pipefail
cd "$(dirname "$0")/.."
accounts="${1:-1000}"
latency="${2:-50}"
cargo build --release --quiet
bin="$PWD/target/release/ssoenv"

work="$(mktemp -d)"
emu_pid=""
cleanup() {
  if [ -n "$emu_pid" ]; then kill "$emu_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
export HOME="$work/home"
mkdir -p "$HOME/.aws"

"$bin" emulator --port 0 --accounts "$accounts" --latency-ms "$latency" 2>"$work/emu.log" &
emu_pid=$!
url=""
for _ in $(seq 1 100); do
  url="$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/emu.log" | head -n1)"
  [ -n "$url" ] && break
  sleep 0.05
done
[ -n "$url" ] || { echo "the emulator did not start" >&2; cat "$work/emu.log" >&2; exit 1; }
export AWS_ENDPOINT_URL_SSO="$url" AWS_ENDPOINT_URL_SSO_OIDC="$url" SSOENV_INTERACTIVE=1

printf '[sso-session bench]\nsso_start_url = %s/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n' "$url" > "$HOME/.aws/config"
"$bin" login --sso-session bench --no-browser >/dev/null 2>&1

stats() {
  python3 -c 'import json,sys,urllib.request
s=json.load(urllib.request.urlopen(sys.argv[1]+"/_emulator/stats"))
print(s["list_accounts"], s["list_account_roles"])' "$url"
}
python3 -c 'import sys,urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1]+"/_emulator/reset", data=b"{}"))' "$url"

t0=$(date +%s.%N)
"$bin" populate --sso-session bench --region eu-west-1 2>"$work/populate.err"
t1=$(date +%s.%N)
read -r la lr < <(stats)
profiles=$(grep -c '^\[profile ' "$HOME/.aws/config")
t2=$(date +%s.%N)
"$bin" populate --sso-session bench --region eu-west-1 2>"$work/rerun.err"
t3=$(date +%s.%N)

echo "== ssoenv populate: $accounts accounts x 3 roles, ${latency} ms added to every answer"
python3 - "$t0" "$t1" "$t2" "$t3" "$la" "$lr" "$profiles" "$accounts" "$latency" <<'PY'
import sys
t0, t1, t2, t3 = map(float, sys.argv[1:5])
la, lr, profiles, n, lat = map(int, sys.argv[5:10])
print(f"  populate (first run)      {t1 - t0:6.2f} s   ({la} ListAccounts + {lr} ListAccountRoles requests, {profiles} profiles)")
print(f"  populate (nothing to do)  {t3 - t2:6.2f} s")
print(f"  one request at a time     {(la + lr) * lat / 1000:6.2f} s   (requests x latency, lower bound)")
PY
tail -n1 "$work/populate.err" | sed 's/^/  /'
tail -n1 "$work/rerun.err" | sed 's/^/  /'
