#!/usr/bin/env bash
# Vulnerability database benchmark. It runs the Go benchmarks of
# internal/vulndb: import of the Go vulnerability database, opening the
# database and matching 1,000 packages, one lookup, and the JSON snapshot
# alternative. It then times `dockward db import` of the Go database and
# `dockward scan` of the Debian bookworm minbase test system with and
# without the vuln scanner. Scan runs are interleaved so machine load hits
# both alike.
#
# Needs the real records beside the project (../shared/vulndb) and the
# Debian root file system that the integration tests build with
# debootstrap (DOCKWARD_TEST_CACHE or /var/cache/dockward-test). Prints
# medians: wall seconds, CPU seconds (user+system) and peak RSS in MiB.
#
#   RUNS=5 bench/vulndb.sh
set -euo pipefail

runs=${RUNS:-5}
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/dockward-bench-vulndb.XXXXXX)
trap 'rm -rf "$work"' EXIT
records=../shared/vulndb
rootfs=${DOCKWARD_TEST_CACHE:-/var/cache/dockward-test}/debian-bookworm-minbase

go test ./internal/vulndb -run '^$' -bench 'ImportGoDatabase|OpenAndMatch1000|Lookup|Snapshot' \
	-benchtime 10x | grep -E '^Benchmark'

if [[ ! -f $rootfs/etc/debian_version ]]; then
	go test ./internal/input/pkgdb -run TestCatalogDebianRootfsIntegration -count=1 >/dev/null
fi
go build -o "$work/dockward" ./cmd/dockward

# measure LABEL CMD... appends "label wall user sys rss".
measure() {
	local label=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" ||
		{ cat "$work/stderr"; exit 1; }
	read -r wall user sys rss <"$work/time"
	echo "$label $wall $user $sys $rss" >>"$work/results"
}

for _ in $(seq "$runs"); do
	rm -rf "$work/db-go"
	measure "db-import-go" "$work/dockward" db import --db-dir "$work/db-go" "$records/go-osv"
done
"$work/dockward" db import --db-dir "$work/db" "$records/debian-12-osv" "$records/go-osv" >/dev/null
for _ in $(seq "$runs"); do
	measure "scan-config" "$work/dockward" scan --scanners config --fail-on none -f json "dir:$rootfs"
	measure "scan-config+vuln" "$work/dockward" scan --scanners config,vuln --db-dir "$work/db" \
		--fail-on none -f json "dir:$rootfs"
done

python3 - "$work/results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    what, wall, user, sys_, rss = line.split()
    rows.setdefault(what, []).append((float(wall), float(user) + float(sys_), int(rss)))
print("| command | wall s | CPU s | peak RSS MiB |")
print("|---|---|---|---|")
for what, v in rows.items():
    wall = statistics.median(x[0] for x in v)
    cpu = statistics.median(x[1] for x in v)
    rss = max(x[2] for x in v) / 1024
    print(f"| {what} | {wall:.2f} | {cpu:.2f} | {rss:.0f} |")
base = rows.get("scan-config")
full = rows.get("scan-config+vuln")
if base and full:
    ratio = statistics.median(x[0] for x in full) / max(statistics.median(x[0] for x in base), 0.01)
    print(f"\nscan with vuln / scan without, wall: {ratio:.2f}")
PY
