#!/usr/bin/env bash
# xcs-run across MPI ranks (docs/distributed.md), measured in one run:
#
#   bash bench/distributed_bench.sh [BUILD_DIR]     (default build/default)
#
# builds nothing: it needs xcs-run and the tests' work plugin
# (cmake --build BUILD_DIR --target xcs-run xcs-work-plugin) and mpiexec.
#
#  1. CPU-bound items (the plugin's "work" operator, calibrated here to
#     1 ms of computation an item, one item in flight per rank): items per
#     second in one process, under mpirun with 1 rank and with 2 ranks
#     (medians of 3 interleaved runs), and the ratio 2 ranks / 1 rank
#     (target >= 1.8 on 2 cores).
#  2. The coordinator's ceiling: no-op items, rank 0 running none itself
#     (--no-local-items) and one worker, for chunk sizes 16, 64 and 256:
#     the job's items per second, rank 0's items per CPU second (the
#     ceiling of one coordinator core, whatever feeds it) and the mean
#     message sizes.
#
# Prints one JSON object on stdout; progress on stderr.
set -euo pipefail

build=${1:-build/default}
tool=$build/tools/xcs-run/xcs-run
plugin=$build/unittests/Distributed/libxcs-work-plugin.so
# Open MPI takes its prefix from the launcher's path: not /bin's.
mpiexec=$(command -v /usr/bin/mpiexec || command -v mpiexec)
for file in "$tool" "$plugin" "$mpiexec"; do
  [[ -x $file || -f $file ]] || { echo "missing: $file" >&2; exit 1; }
done
launcher=("$mpiexec" --oversubscribe)
((EUID != 0)) || launcher+=(--allow-run-as-root)

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

pipeline() { # ITERATIONS
  cat >"$scratch/work.xcs" <<PIPELINE
operator @w "work" {"iterations": $1}
graph @work(x) -> (y) {
  %x = input x
  %r = call @w(x: %x)
  %y = get %r y
  output y: %y
}
PIPELINE
}

items() { # N FILE
  seq 0 $(($1 - 1)) | sed 's/.*/{"x": &}/' >"$2"
}

# The throughput line of a summary: "... throughput R items/s".
throughput() { sed -n 's/.*throughput \([0-9.]*\) items\/s.*/\1/p'; }

run_one() { # ARGS...
  "$tool" "$scratch/work.xcs" --load "$plugin" --quiet "$@"
}

run_ranks() { # RANKS ARGS...
  local ranks=$1
  shift
  "${launcher[@]}" -np "$ranks" "$tool" "$scratch/work.xcs" --load "$plugin" \
    --quiet "$@"
}

# 1 ms of computation: iterations scaled from a run of a million each.
items 200 "$scratch/calibrate.jsonl"
pipeline 1000000
rate=$(run_one --data "$scratch/calibrate.jsonl" --out "$scratch/c.jsonl" \
  --max-in-flight 1 | throughput)
iterations=$(awk -v r="$rate" 'BEGIN { printf "%d", r * 1000 }')
echo "distributed_bench: $iterations iterations = 1 ms an item" >&2
pipeline "$iterations"

n=3000
items $n "$scratch/items.jsonl"
cpu_args=(--data "$scratch/items.jsonl" --max-in-flight 1 --chunk-size 4)
# Interleaved repetitions and their medians: the machine is shared, and a
# build starting during one run must not decide the ratio.
repetitions=3
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
one_runs=() r1_runs=() r2_runs=()
for ((i = 0; i < repetitions; ++i)); do
  one_runs+=("$(run_one "${cpu_args[@]}" --out "$scratch/one.jsonl" | throughput)")
  r1_runs+=("$(run_ranks 1 "${cpu_args[@]}" --out "$scratch/r1.jsonl" | throughput)")
  r2_runs+=("$(run_ranks 2 "${cpu_args[@]}" --out "$scratch/r2.jsonl" | throughput)")
  for file in r1 r2; do
    cmp -s <(sort "$scratch/one.jsonl") <(sort "$scratch/$file.jsonl") ||
      { echo "distributed_bench: $file.jsonl differs from one process" >&2; exit 1; }
  done
  echo "distributed_bench: 1 ms items, run $((i + 1)): one process ${one_runs[i]}, 1 rank ${r1_runs[i]}, 2 ranks ${r2_runs[i]} items/s" >&2
done
one=$(printf '%s\n' "${one_runs[@]}" | median)
r1=$(printf '%s\n' "${r1_runs[@]}" | median)
r2=$(printf '%s\n' "${r2_runs[@]}" | median)

pipeline 0
m=200000
items $m "$scratch/many.jsonl"
ceiling=""
for chunk in 16 64 256; do
  summary=$(run_ranks 2 --data "$scratch/many.jsonl" --out "$scratch/m.jsonl" \
    --max-in-flight 256 --chunk-size "$chunk" --no-local-items)
  rate=$(throughput <<<"$summary")
  per_cpu=$(sed -n 's/.*, \([0-9]*\) items per cpu second.*/\1/p' <<<"$summary")
  chunk_bytes=$(sed -n 's/.*chunks [0-9]* x \([0-9]*\) B.*/\1/p' <<<"$summary")
  batch_bytes=$(sed -n 's/.*outcome batches [0-9]* x \([0-9]*\) B.*/\1/p' <<<"$summary")
  batches=$(sed -n 's/.*outcome batches \([0-9]*\) x.*/\1/p' <<<"$summary")
  echo "distributed_bench: no-op items, chunk $chunk: $rate items/s, rank 0 $per_cpu items per cpu second" >&2
  ceiling+="${ceiling:+, }{\"chunk_size\": $chunk, \"items_per_second\": $rate, \"rank0_items_per_cpu_second\": $per_cpu, \"chunk_message_bytes\": $chunk_bytes, \"outcome_batches\": $batches, \"outcome_batch_bytes\": $batch_bytes}"
done

cat <<JSON
{"cpu_bound": {"items": $n, "work_ms_per_item": 1, "iterations": $iterations,
  "repetitions": $repetitions, "statistic": "median",
  "one_process_items_per_second": $one, "ranks_1_items_per_second": $r1,
  "ranks_2_items_per_second": $r2,
  "ratio_2_ranks_to_1": $(awk -v a="$r2" -v b="$r1" 'BEGIN { printf "%.2f", a / b }'),
  "ratio_2_ranks_to_one_process": $(awk -v a="$r2" -v b="$one" 'BEGIN { printf "%.2f", a / b }')},
 "coordinator_ceiling": {"items": $m, "ranks": 2, "local_items": false,
  "runs": [$ceiling]}}
JSON
