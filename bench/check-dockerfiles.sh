#!/usr/bin/env bash
# Measure `dockward check` on a tree of Dockerfiles built from the shared
# corpus: files per second and peak memory for the whole tree, and the wall
# time of one Dockerfile checked as a whole process.
#
# Usage: bench/check-dockerfiles.sh [COPIES]   (default 32 copies of each file)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
copies="${1:-32}"
corpus="../shared/corpus/dockerfiles"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

go build -o "$work/dockward" ./cmd/dockward

tree="$work/tree"
n=0
for ((i = 0; i < copies; i++)); do
	dir="$tree/copy$i"
	mkdir -p "$dir"
	for f in "$corpus"/*.Dockerfile; do
		name="$(basename "$f" .Dockerfile)"
		mkdir -p "$dir/$name"
		cp "$f" "$dir/$name/Dockerfile"
		n=$((n + 1))
	done
done
echo "tree: $n Dockerfiles"

# Warm the page cache so the first run measures the same as the rest.
"$work/dockward" check --fail-on none --format json --output "$work/warm.json" "$tree" >/dev/null 2>&1 || true

for run in 1 2 3; do
	out="$( { /usr/bin/time -f '%e %M %U %S' "$work/dockward" check --fail-on none --format json \
		--output "$work/report.json" "$tree" >/dev/null; } 2>&1 | tail -n 1)"
	read -r secs kib user sys <<<"$out"
	rate="$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')"
	cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
	echo "run $run: ${secs}s wall, ${cpu}s CPU, $rate files/s, peak RSS $((kib / 1024)) MiB"
done

single="$corpus/python-3.14-slim-trixie.Dockerfile"
start="$(date +%s%N)"
for _ in $(seq 20); do
	"$work/dockward" check --fail-on none --format json "$single" >/dev/null
done
end="$(date +%s%N)"
echo "one Dockerfile as a whole process: $(((end - start) / 20 / 1000000)) ms (mean of 20)"
echo "peak RSS of one Dockerfile: $( { /usr/bin/time -f '%M' "$work/dockward" check --fail-on none "$single" >/dev/null; } 2>&1 | tail -n1) KiB"
