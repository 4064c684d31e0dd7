#!/usr/bin/env bash
# Time `dockward audit --docker` over COUNT running containers.
#
# Usage: bench/runtime-live.sh          (COUNT=50 RUNS=5 by default)
#
# Starts COUNT containers of the busybox test image (built by the
# integration tests, or imported here from Debian's busybox-static) with
# --network none, runs the audit RUNS times, prints each wall time and the
# median, and removes the containers it started. Other running containers
# on the engine are audited too and counted in the output.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

COUNT=${COUNT:-50}
RUNS=${RUNS:-5}
IMAGE=${IMAGE:-dockward-test/busybox:1}
LABEL=dockward-bench=runtime-live

if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
	echo "bench/runtime-live.sh: image $IMAGE missing; run go test ./internal/rules/runtime -run Integration first" >&2
	exit 2
fi

cleanup() {
	docker ps -aq --filter "label=$LABEL" | xargs -r docker rm -f >/dev/null
}
trap cleanup EXIT

bin=$(mktemp -d)/dockward
go build -o "$bin" ./cmd/dockward

for i in $(seq "$COUNT"); do
	docker run -d --network none --label "$LABEL" --name "dockward-bench-$i" \
		--cap-drop ALL --read-only -m 32m --pids-limit 20 "$IMAGE" sleep 600 >/dev/null
done
running=$(docker ps -q | wc -l)
echo "running containers: $running"

times=()
for _ in $(seq "$RUNS"); do
	start=$(date +%s.%N)
	# Write to a pipe, not --output /dev/null: --output replaces its file.
	"$bin" audit --docker --format json --fail-on none >/dev/null
	end=$(date +%s.%N)
	times+=("$(echo "$end - $start" | bc)")
done
printf 'wall seconds: %s\n' "${times[*]}"
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "median: " a[int((NR+1)/2)]}'
