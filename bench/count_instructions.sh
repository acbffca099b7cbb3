#!/usr/bin/env bash
# Instructions per run of xcs-bench-dispatch benchmarks, from callgrind:
# each benchmark runs 1,000 and then 3,000 times (--runs), and the
# difference of the two counts over 2,000 is one run's, without setup.
#
#   bash bench/count_instructions.sh [BUILD_DIR] REGEX...
#
# e.g. bash bench/count_instructions.sh 'BM_Chain/compiled_serial/1/' \
#        'BM_Chain/handwritten/1/'. A regex should select one benchmark; with
# --runs its name ends in /iterations:N, so anchor it with a trailing '/'.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=build/default
if [[ $# -gt 0 && -d $1 ]]; then
  build=$1
  shift
fi
(($# > 0)) || { echo "usage: $0 [BUILD_DIR] REGEX..." >&2; exit 2; }
command -v valgrind >/dev/null || { echo "$0: needs valgrind" >&2; exit 1; }
bench=$build/bench/xcs-bench-dispatch
out=$(mktemp)
trap 'rm -f "$out"' EXIT

count() {
  valgrind --tool=callgrind --callgrind-out-file="$out" "$bench" \
    --runs="$2" --benchmark_filter="$1" >/dev/null 2>&1
  sed -n 's/^summary: //p' "$out"
}

for filter in "$@"; do
  few=$(count "$filter" 1000)
  many=$(count "$filter" 3000)
  echo "$filter $(((many - few) / 2000))"
done
