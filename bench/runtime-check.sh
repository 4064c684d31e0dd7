#!/usr/bin/env bash
# Time `dockward check` on the generated trees of the compose and
# Kubernetes benchmarks in internal/rules/manifest.
#
# Usage: bench/runtime-check.sh          (RUNS=5 by default)
#
# TestWriteBenchTrees writes the inputs: 5,000 compose services in 250
# files, 5,000 workloads in 250 manifests, and one compose file of 5,000
# services. The script builds dockward and runs check RUNS times on each
# input: compose alone, Kubernetes alone, both trees in one run, and the
# single file. For each it prints every run as wall seconds, CPU seconds (user
# plus system) and peak RSS in MiB, then the medians. The runs of the
# inputs are interleaved, so a change in the machine's load affects all
# of them alike. GOGC and GOMEMLIMIT, when set, pass through to dockward
# and replace the collector setting that check chooses.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS=${RUNS:-5}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

DOCKWARD_BENCH_TREES="$work" go test ./internal/rules/manifest \
	-run '^TestWriteBenchTrees$' -count=1 >/dev/null
go build -o "$work/dockward" ./cmd/dockward

inputs=(compose kubernetes both single)
args() {
	case $1 in
	both) echo "$work/compose $work/kubernetes" ;;
	single) echo "$work/single/compose.yaml" ;;
	*) echo "$work/$1" ;;
	esac
}

uptime
for _ in $(seq "$RUNS"); do
	for in in "${inputs[@]}"; do
		# shellcheck disable=SC2046 # the paths contain no spaces
		/usr/bin/time -f "%e %U %S %M" -o "$work/time" \
			"$work/dockward" check --format json --fail-on none $(args "$in") >/dev/null
		read -r wall user sys rss <"$work/time"
		cpu=$(echo "$user + $sys" | bc)
		printf '%-10s wall %5.2f s  cpu %5.2f s  rss %4d MiB\n' "$in" "$wall" "$cpu" $((rss / 1024))
		echo "$wall $cpu $((rss / 1024))" >>"$work/$in.runs"
	done
done
uptime

echo "medians of $RUNS runs (min-max):"
for in in "${inputs[@]}"; do
	printf '%-10s' "$in"
	for col in 1 2 3; do
		cut -d' ' -f"$col" "$work/$in.runs" | sort -n | awk -v col="$col" '
			{ v[NR] = $1 }
			END {
				split("wall cpu rss", name, " ")
				printf "  %s %s (%s-%s)", name[col], v[int((NR + 1) / 2)], v[1], v[NR]
			}'
	done
	echo
done
