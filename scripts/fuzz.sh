#!/bin/sh
# Runs every libFuzzer target in BUILD_DIR for SECONDS each, from its seed corpus; fails on
# the first crash, leak or sanitizer report (the reproducer is left as crash-* in the cwd).
# Usage: scripts/fuzz.sh BUILD_DIR SECONDS
set -eu
dir=$1
secs=$2
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
for t in "$dir"/tests/fuzz/fuzz_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	corpus=$(mktemp -d)
	log=$(mktemp)
	if [ -d "$root/tests/fuzz/corpus/$name" ]; then
		cp "$root/tests/fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null || true
	fi
	echo "fuzz: $name for ${secs}s"
	if "$t" -max_total_time="$secs" -max_len=65536 -print_final_stats=1 "$corpus" >"$log" 2>&1; then
		grep -E "stat::number_of_executed_units|stat::new_units_added" "$log" | sed 's/^/  /'
	else
		echo "fuzz: $name FAILED" >&2
		tail -n 60 "$log" >&2
		status=1
	fi
	rm -rf "$corpus" "$log"
done
exit $status
