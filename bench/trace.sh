#!/usr/bin/env bash
# Measure the overhead of dockward trace on a syscall-heavy program: dd
# copying one byte per read and write call, so every byte costs two
# syscalls and four ptrace stops.
#
# Usage: bench/trace.sh [COUNT]   (default 200000 bytes, so 400000 syscalls)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
count="${1:-200000}"
bin="$(mktemp -d)/dockward"
trap 'rm -rf "$(dirname "$bin")"' EXIT
CGO_ENABLED=0 go build -o "$bin" ./cmd/dockward

workload=(dd if=/dev/zero of=/dev/null bs=1 count="$count" status=none)

seconds() {
	local start end
	start=$(date +%s.%N)
	"$@" >/dev/null
	end=$(date +%s.%N)
	echo "$end - $start" | bc -l
}

best() {
	local min="" t
	for _ in 1 2 3; do
		t=$(seconds "$@")
		if [[ -z "$min" ]] || (($(echo "$t < $min" | bc -l))); then
			min=$t
		fi
	done
	echo "$min"
}

native=$(best "${workload[@]}")
traced=$(best "$bin" trace -o /dev/null -- "${workload[@]}")
printf 'syscalls: %d\nnative: %.3f s\ntraced: %.3f s\noverhead: %.1fx\n' \
	"$((2 * count))" "$native" "$traced" "$(echo "$traced / $native" | bc -l)"
