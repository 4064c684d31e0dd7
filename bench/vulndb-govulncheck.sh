#!/usr/bin/env bash
# Compares dockward's Go findings with govulncheck's on the same binary and
# the same advisories. It builds a static program against
# golang.org/x/text v0.3.5, serves the real Go vulnerability records to
# govulncheck as a file database (with the index files it expects), and
# imports the same records into a dockward database. It prints both
# advisory sets and the difference.
#
# Needs the Go module proxy (for govulncheck and golang.org/x/text) and
# the real records beside the project (../shared/vulndb/go-osv).
#
#   bench/vulndb-govulncheck.sh
set -euo pipefail

cd "$(dirname "$0")/.."
records=$(cd ../shared/vulndb/go-osv && pwd)
work=$(mktemp -d /tmp/dockward-govulncheck.XXXXXX)
trap 'rm -rf "$work"' EXIT

GOBIN=$work/bin GOFLAGS= go install golang.org/x/vuln/cmd/govulncheck@v1.9.0
go build -o "$work/dockward" ./cmd/dockward

mkdir -p "$work/src" "$work/rootfs"
printf 'module example.com/oldtext\n\ngo 1.22\n\nrequire golang.org/x/text v0.3.5\n' >"$work/src/go.mod"
cat >"$work/src/main.go" <<'GO'
package main

import (
	"fmt"
	"os"

	"golang.org/x/text/language"
)

func main() {
	tags, _, err := language.ParseAcceptLanguage(os.Getenv("LANG"))
	fmt.Println(tags, err)
}
GO
(cd "$work/src" && GOWORK=off CGO_ENABLED=0 GOFLAGS=-mod=mod go build -o "$work/rootfs/app" .)

python3 - "$records" "$work/govulndb" <<'PY'
import glob, json, os, sys
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst + "/index"); os.makedirs(dst + "/ID")
stamp = "2026-11-05T00:00:00Z"
modules, vulns = {}, []
for path in glob.glob(src + "/*.json"):
    r = json.load(open(path))
    json.dump(r, open(f"{dst}/ID/{r['id']}.json", "w"))
    vulns.append({"id": r["id"], "modified": stamp, "aliases": r.get("aliases", [])})
    for a in r.get("affected", []):
        fixed = ""
        for rg in a.get("ranges", []):
            for e in rg["events"]:
                fixed = e.get("fixed", fixed)
        modules.setdefault(a["package"]["name"], []).append({"id": r["id"], "modified": stamp, "fixed": fixed})
json.dump({"modified": stamp}, open(dst + "/index/db.json", "w"))
json.dump([{"path": p, "vulns": v} for p, v in sorted(modules.items())], open(dst + "/index/modules.json", "w"))
json.dump(vulns, open(dst + "/index/vulns.json", "w"))
PY

"$work/bin/govulncheck" -mode=binary -db "file://$work/govulndb" -format json "$work/rootfs/app" >"$work/govulncheck.json"
"$work/dockward" db import --db-dir "$work/db" "$records" >/dev/null
"$work/dockward" scan rootfs "$work/rootfs" --scanners vuln --db-dir "$work/db" -f json --fail-on none \
	>"$work/dockward.json"

python3 - "$work/govulncheck.json" "$work/dockward.json" <<'PY'
import json, sys
dec, text, i, gvc = json.JSONDecoder(), open(sys.argv[1]).read(), 0, {}
levels = {"module": 0, "package": 1, "symbol": 2}
while True:
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    obj, i = dec.raw_decode(text, i)
    if "finding" in obj:
        f = obj["finding"]
        frame = f["trace"][0]
        level = "symbol" if frame.get("function") else "package" if frame.get("package") else "module"
        if levels[level] > levels.get(gvc.get(f["osv"]), -1):
            gvc[f["osv"]] = level
dw = {f["rule_id"]: f["vulnerability"].get("reachability") for f in json.load(open(sys.argv[2]))["findings"]}
print("| advisory | govulncheck | dockward |")
print("|---|---|---|")
for osv in sorted(set(gvc) | set(dw)):
    print(f"| {osv} | {gvc.get(osv, '-')} | {dw.get(osv, '-')} |")
print(f"\nonly govulncheck: {sorted(set(gvc) - set(dw))}")
print(f"only dockward: {sorted(set(dw) - set(gvc))}")
PY
