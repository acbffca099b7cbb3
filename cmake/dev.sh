#!/usr/bin/env bash
# Sets up this machine, builds XCS and runs it. The README's commands:
#
#   bash cmake/dev.sh example   build, then run the ensemble-judge example
#   bash cmake/dev.sh test      build, then run the test suite
#   bash cmake/dev.sh asan      build and test under ASan + UBSan
#   bash cmake/dev.sh tsan      build and test under TSan
#   bash cmake/dev.sh fuzz [SECONDS]
#                               build the libFuzzer targets (Clang 14) and run
#                               each for SECONDS (default 600) on a copy of
#                               its seed corpus in build/fuzz
#
# Every step is idempotent and cheap when already done, so the commands can
# be run again and again.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Everything the build and the tests use, from Debian.
readonly packages=(
  cmake g++ ninja-build ccache
  llvm-19-dev llvm-19-tools
  libboost-container-dev libspdlog-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libtbb-dev pkg-config
  libcurl4-openssl-dev
  libopenmpi-dev openmpi-bin
)

# What the fuzz preset needs on top: Clang and its libFuzzer runtime.
readonly fuzz_packages=(clang-14 libclang-rt-14-dev)

# The fuzz targets (unittests/Fuzz/NAME_fuzzer.cpp, seeds in corpus/NAME).
readonly fuzz_targets=(ir json path compile)

usage() {
  echo "usage: bash cmake/dev.sh example|test|asan|tsan|fuzz [SECONDS]" >&2
  exit 2
}

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# Installs the missing ones of the given packages (by default the build's);
# touches apt only when one is missing.
install_packages() {
  local missing=() package
  (($# > 0)) || set -- "${packages[@]}"
  for package in "$@"; do
    is_installed "$package" || missing+=("$package")
  done
  if ((${#missing[@]} == 0)); then
    return
  fi
  echo "dev.sh: installing ${missing[*]}"
  local sudo=()
  if ((EUID != 0)); then
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
}

# Configures the preset's build tree once (a build re-runs CMake by itself
# when a CMakeLists.txt changes) and builds it; extra arguments go to the
# build, e.g. --target.
build() {
  local preset=$1
  shift
  if [[ ! -f build/$preset/CMakeCache.txt ]]; then
    cmake --preset "$preset"
  fi
  cmake --build --preset "$preset" "$@"
}

run_tests() {
  install_packages
  build "$1"
  ctest --preset "$1"
}

# Runs each fuzz target for $1 seconds on build/fuzz/corpus/NAME, which
# starts as a copy of its seeds and keeps what earlier runs found. Prints
# each target's figures from libFuzzer's final stats; fails if any target
# found a crash (the input is saved as build/fuzz/artifacts/NAME-*).
run_fuzzers() {
  local seconds=$1 name failed=0
  install_packages "${packages[@]}" "${fuzz_packages[@]}"
  build fuzz
  mkdir -p build/fuzz/artifacts build/fuzz/logs
  for name in "${fuzz_targets[@]}"; do
    local corpus=build/fuzz/corpus/$name log=build/fuzz/logs/$name.log
    mkdir -p "$corpus"
    cp -n unittests/Fuzz/corpus/"$name"/* "$corpus"/
    echo "dev.sh: fuzzing $name for ${seconds}s (log: $log)"
    if ! build/fuzz/unittests/Fuzz/xcs-"$name"-fuzzer \
      -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix=build/fuzz/artifacts/"$name"- "$corpus" >"$log" 2>&1; then
      echo "dev.sh: $name found a crash or a broken property, see $log" >&2
      failed=1
    fi
    summarize_fuzz_log "$name" "$log" "$corpus"
  done
  return "$failed"
}

# One line per target: executions, their rate, coverage and corpus size.
summarize_fuzz_log() {
  local name=$1 log=$2 corpus=$3
  local execs rate cov ft
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  printf '%-8s %12s execs %8s exec/s  cov %6s  ft %6s  corpus %5s files\n' \
    "$name" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" \
    "$(find "$corpus" -type f | wc -l)"
}

# Only fuzz takes an argument, a whole number of seconds.
(($# == 1)) || [[ $# == 2 && $1 == fuzz && $2 =~ ^[1-9][0-9]*$ ]] || usage
case $1 in
  example)
    install_packages
    build default --target xcs-jit-dump
    build/default/tools/xcs-jit-dump/xcs-jit-dump --example ensemble-judge --print=ir-opt
    ;;
  test) run_tests default ;;
  asan | tsan) run_tests "$1" ;;
  fuzz) run_fuzzers "${2:-600}" ;;
  *) usage ;;
esac
