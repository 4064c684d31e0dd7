#!/usr/bin/env bash
# SBOM benchmark: times `dockward sbom` on the Debian bookworm minbase test
# system as a root file system directory (dir:) and, when the Docker
# Engine has the dockward-test/debian image, as a docker save archive next
# to bench/imagefloor, which only reads every layer once. Runs are
# interleaved so machine load hits every command alike.
#
# Needs the Debian root file system that the integration tests build with
# debootstrap (DOCKWARD_TEST_CACHE or /var/cache/dockward-test). Prints a
# Markdown table of medians: wall seconds, CPU seconds (user+system) and
# peak RSS in MiB.
#
#   RUNS=5 bench/sbom.sh
set -euo pipefail

runs=${RUNS:-5}
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/dockward-bench-sbom.XXXXXX)
trap 'rm -rf "$work"' EXIT
docker=${DOCKWARD_DOCKER_CLI:-docker}
image=dockward-test/debian:bookworm-1
rootfs=${DOCKWARD_TEST_CACHE:-/var/cache/dockward-test}/debian-bookworm-minbase

if [[ ! -f $rootfs/etc/debian_version ]]; then
	go test ./internal/input/pkgdb -run TestCatalogDebianRootfsIntegration -count=1 >/dev/null
fi
go build -o "$work/dockward" ./cmd/dockward
go build -o "$work/imagefloor" ./bench/imagefloor

inputs=("dir:$rootfs")
if "$docker" image inspect "$image" >/dev/null 2>&1; then
	"$docker" save -o "$work/debian.tar" "$image"
	inputs+=("$work/debian.tar")
fi

# measure INPUT LABEL CMD... appends "input label wall user sys rss".
measure() {
	local input=$1 label=$2
	shift 2
	/usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" ||
		{ cat "$work/stderr"; exit 1; }
	read -r wall user sys rss <"$work/time"
	echo "$(basename "$input") $label $wall $user $sys $rss" >>"$work/results"
}

for _ in $(seq "$runs"); do
	for input in "${inputs[@]}"; do
		if [[ $input != dir:* ]]; then
			measure "$input" floor "$work/imagefloor" "$input"
		fi
		measure "$input" cyclonedx "$work/dockward" sbom -f cyclonedx -o /dev/null "$input"
		measure "$input" spdx-json "$work/dockward" sbom -f spdx-json -o /dev/null "$input"
	done
done

python3 - "$work/results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    inp, what, wall, user, sys_, rss = line.split()
    rows.setdefault((inp, what), []).append((float(wall), float(user) + float(sys_), int(rss)))
print("| input | command | wall s | CPU s | peak RSS MiB | wall / floor |")
print("|---|---|---|---|---|---|")
for (inp, what), v in rows.items():
    wall = statistics.median(x[0] for x in v)
    cpu = statistics.median(x[1] for x in v)
    rss = max(x[2] for x in v) / 1024
    floor = rows.get((inp, "floor"))
    ratio = f"{wall / max(statistics.median(x[0] for x in floor), 0.01):.2f}" if floor else "-"
    print(f"| {inp} | {what} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {ratio} |")
PY
