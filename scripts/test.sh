#!/usr/bin/env bash
# The whole test suite from a fresh Debian 12 machine: installs what is
# missing, fetches the test data, builds everything and runs every test
# (unit, sanitizer, integration against the emulator, contract).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

scripts/install-deps.sh
scripts/fetch-data.sh
scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 600
