#!/usr/bin/env bash
# Benchmark: the credential server of `ssoenv exec --server` answering warm
# requests (credentials in memory), as an SDK makes them: a fresh loopback
# connection, `GET` with the Authorization token, `Connection: close`.
# Reports p50/p99/max over RUNS sequential requests, then over 8 concurrent
# clients (RUNS/8 each). Also times a warm `ssoenv credential-process`.
# The client is Python (socket + perf_counter), so the figures include its
# own overhead: they are upper bounds for the server.
#
# Usage: benches/credential_server.sh [RUNS]   (default 5000; hyperfine optional)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5000}"
cargo build --release --quiet
bin="$PWD/target/release/ssoenv"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export HOME="$work/home"
mkdir -p "$HOME/.aws"
printf '[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n[profile p1]\nsso_session = corp\nsso_account_id = 000000000001\nsso_role_name = Admin\nregion = eu-west-1\n' > "$HOME/.aws/config"

# Valid cached token and role credentials, exactly as the AWS CLI writes them.
python3 - <<'PY'
import hashlib, json, os, datetime
home = os.environ["HOME"]
exp = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%SZ")
os.makedirs(f"{home}/.aws/sso/cache", exist_ok=True)
os.makedirs(f"{home}/.aws/cli/cache", exist_ok=True)
tok = {"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1", "accessToken": "x", "expiresAt": exp}
open(f"{home}/.aws/sso/cache/{hashlib.sha1(b'corp').hexdigest()}.json", "w").write(json.dumps(tok))
args = {"accountId": "000000000001", "roleName": "Admin", "sessionName": "corp"}
key = hashlib.sha1(json.dumps(args, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
creds = {"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": exp, "AccountId": "000000000001"}}
open(f"{home}/.aws/cli/cache/{key}.json", "w").write(json.dumps(creds))
PY
# Nothing is reachable: every answer comes from the caches.
export AWS_ENDPOINT_URL_SSO=http://127.0.0.1:9 AWS_ENDPOINT_URL_SSO_OIDC=http://127.0.0.1:9 SSOENV_INTERACTIVE=0

cat > "$work/client.py" <<'PY'
import os, socket, statistics, sys, threading, time
url = os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
tok = os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
hostport, path = url[len("http://"):].split("/", 1)
host, port = hostport.split(":")
req = ("GET /%s HTTP/1.1\r\nHost: %s\r\nAccept: application/json\r\nAuthorization: %s\r\n\r\n" % (path, hostport, tok)).encode()
def one():
    t = time.perf_counter()
    s = socket.create_connection((host, int(port)))
    s.sendall(req)
    data = b""
    while True:
        b = s.recv(4096)
        if not b: break
        data += b
    s.close()
    dt = time.perf_counter() - t
    assert data.startswith(b"HTTP/1.1 200 "), data[:80]
    return dt
def report(name, ts):
    ts = sorted(ts)
    q = lambda p: ts[min(len(ts) - 1, int(p * len(ts)))] * 1e3
    print("  %-28s n=%d  p50 %.3f ms  p99 %.3f ms  max %.3f ms" % (name, len(ts), q(0.50), q(0.99), ts[-1] * 1e3))
n = int(sys.argv[1])
for _ in range(200): one()
report("sequential", [one() for _ in range(n)])
out = []
def worker():
    r = [one() for _ in range(n // 8)]
    out.extend(r)
th = [threading.Thread(target=worker) for _ in range(8)]
for t in th: t.start()
for t in th: t.join()
report("8 concurrent clients", out)
PY

echo "== exec --server: warm requests ($runs)"
"$bin" exec --server p1 -- python3 "$work/client.py" "$runs"

echo "== ssoenv credential-process p1 (warm)"
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 50 --runs 1000 "$bin credential-process p1" | grep -E "Time|Range"
else
  python3 - "$bin" <<'PY'
import subprocess, sys, time, statistics
t = []
for _ in range(500):
    s = time.perf_counter(); subprocess.run([sys.argv[1], "credential-process", "p1"], stdout=subprocess.DEVNULL, check=True); t.append(time.perf_counter() - s)
t.sort()
print("  credential-process          p50 %.3f ms  p99 %.3f ms (incl. Python's fork+exec)" % (t[len(t)//2] * 1e3, t[int(len(t)*0.99)] * 1e3))
PY
fi
