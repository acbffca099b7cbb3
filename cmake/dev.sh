#!/usr/bin/env bash
# Sets up this machine, builds XCS and runs it. The README's commands:
#
#   bash cmake/dev.sh example   build, then run the ensemble-judge example
#   bash cmake/dev.sh test      build, then run the test suite
#   bash cmake/dev.sh asan      build and test under ASan + UBSan
#   bash cmake/dev.sh tsan      build and test under TSan
#
# Every step is idempotent and cheap when already done, so the commands can
# be run again and again.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Everything the build and the tests use, from Debian.
readonly packages=(
  cmake g++ ninja-build
  llvm-19-dev llvm-19-tools
  libboost-container-dev libspdlog-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libtbb-dev
)

usage() {
  echo "usage: bash cmake/dev.sh example|test|asan|tsan" >&2
  exit 2
}

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# Installs the missing packages; touches apt only when one is missing.
install_packages() {
  local missing=() package
  for package in "${packages[@]}"; do
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

(($# == 1)) || usage
case $1 in
  example)
    install_packages
    build default --target xcs-jit-dump
    build/default/tools/xcs-jit-dump/xcs-jit-dump --example ensemble-judge --print=ir-opt
    ;;
  test) run_tests default ;;
  asan | tsan) run_tests "$1" ;;
  *) usage ;;
esac
