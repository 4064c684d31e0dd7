#!/usr/bin/env bash
# Image scan benchmark: compares `dockward scan` on a Debian image (docker
# save archive, uncompressed) and its OCI layout (gzip layers) with the
# physical floor, bench/imagefloor, which only decompresses and reads every
# layer once, and with the floor of a read that checks digests
# (imagefloor -verify), which also computes each blob's SHA-256. All run
# in the same loop, interleaved, so machine load hits them alike. With
# BIG=1 it also builds a 1 GiB image from the Debian one.
#
# Needs the Docker Engine with the dockward-test/debian image (the
# integration tests build it) and skopeo. Prints a Markdown table of
# medians: wall seconds, CPU seconds (user+system) and peak RSS in MiB.
#
#   RUNS=5 BIG=1 bench/image.sh
set -euo pipefail

runs=${RUNS:-5}
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/dockward-bench-image.XXXXXX)
trap 'rm -rf "$work"' EXIT
docker=${DOCKWARD_DOCKER_CLI:-docker}
base=dockward-test/debian:bookworm-1

go build -o "$work/dockward" ./cmd/dockward
go build -o "$work/imagefloor" ./bench/imagefloor

if ! "$docker" image inspect "$base" >/dev/null 2>&1; then
	go test ./internal/source/image -run TestIntegrationBusyboxEngine -count=1 >/dev/null
	go test ./internal/source/image -run TestIntegrationDebianRootfs -count=1 >/dev/null
fi

# prepare NAME TAG writes NAME.tar (docker save) and NAME-oci (gzip layers).
prepare() {
	"$docker" save -o "$work/$1.tar" "$2"
	skopeo copy -q --dest-compress --dest-compress-format gzip \
		"docker-archive:$work/$1.tar" "oci:$work/$1-oci:bench"
}
prepare debian "$base"
inputs=("debian.tar" "debian-oci")

if [[ ${BIG:-0} == 1 ]]; then
	mkdir "$work/ctx"
	cat >"$work/ctx/Dockerfile" <<DOCKERFILE
FROM $base
RUN mkdir /data && for i in \$(seq 1 200); do head -c 4M /dev/urandom > /data/random-\$i; done
RUN cp -a /usr /usr-copy-1 && cp -a /usr /usr-copy-2
DOCKERFILE
	"$docker" build -q --network none -t dockward-bench/debian-1g:1 "$work/ctx" >/dev/null
	prepare big dockward-bench/debian-1g:1
	inputs+=("big.tar" "big-oci")
fi

# timeit runs a command once and prints its wall and CPU seconds and peak
# RSS in KiB, with millisecond resolution (GNU time rounds to 10 ms).
cat >"$work/timeit.py" <<'PY'
import os, subprocess, sys, time
start = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=open(os.environ["STDERR"], "w"))
_, status, ru = os.wait4(p.pid, 0)
wall = time.perf_counter() - start
code = os.waitstatus_to_exitcode(status)
if code not in (0, 1):
    sys.exit(f"{sys.argv[1:]} exited with {code}")
print(f"{wall:.4f} {ru.ru_utime:.4f} {ru.ru_stime:.4f} {ru.ru_maxrss}")
PY

# measure LABEL CMD... appends "label wall user sys rss" to results.
measure() {
	local label=$1
	shift
	STDERR="$work/stderr" python3 "$work/timeit.py" "$@" >"$work/time" || { cat "$work/stderr"; exit 1; }
	read -r wall user sys rss <"$work/time"
	echo "$label $wall $user $sys $rss" >>"$work/results"
}

for input in "${inputs[@]}"; do
	ref="$work/$input"
	for _ in $(seq "$runs"); do
		measure "$input floor" "$work/imagefloor" "$ref"
		measure "$input floor-verify" "$work/imagefloor" -verify "$ref"
		measure "$input scan" "$work/dockward" scan -q -f json -o /dev/null --fail-on none "$ref"
		measure "$input scan-config" "$work/dockward" scan --scanners config -f json -o /dev/null --fail-on none "$ref"
		measure "$input scan-inventory" "$work/dockward" scan -f cyclonedx -o /dev/null "$ref"
		measure "$input scan-config-secret" "$work/dockward" scan --scanners config,secret -f json -o /dev/null \
			--fail-on none "$ref"
	done
done

python3 - "$work/results" "$work" <<'PY'
import os, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    inp, what, wall, user, sys_, rss = line.split()
    rows.setdefault((inp, what), []).append((float(wall), float(user) + float(sys_), int(rss)))
work = sys.argv[2]
def size(inp):
    p = os.path.join(work, inp)
    if os.path.isdir(p):
        return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(p) for f in fs)
    return os.path.getsize(p)
print("| input | size MiB | command | wall s | CPU s | peak RSS MiB | wall / floor | wall / verify floor | CPU / verify floor |")
print("|---|---|---|---|---|---|---|---|---|")
def med(inp, what, i):
    return statistics.median(x[i] for x in rows[(inp, what)])
for (inp, what), v in rows.items():
    wall, cpu = med(inp, what, 0), med(inp, what, 1)
    rss = max(x[2] for x in v) / 1024
    fwall = med(inp, "floor", 0)
    vwall, vcpu = med(inp, "floor-verify", 0), med(inp, "floor-verify", 1)
    print(f"| {inp} | {size(inp)/2**20:.0f} | {what} | {wall:.3f} | {cpu:.3f} | {rss:.0f} | "
          f"{wall/max(fwall,0.01):.2f} | {wall/max(vwall,0.01):.2f} | {cpu/max(vcpu,0.01):.2f} |")
PY
