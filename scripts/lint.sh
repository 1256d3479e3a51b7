#!/usr/bin/env bash
# Checks formatting (clang-format) and runs clang-tidy on the C++ files that
# differ from BASE (default: origin/main, else the previous commit). Needs a
# configured build/ for compile_commands.json.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
base=${1:-$(git rev-parse -q --verify origin/main || git rev-parse HEAD~1)}
mapfile -t files < <(git diff --name-only --diff-filter=ACMR "$base" -- \
  '*.cc' '*.h')
[[ ${#files[@]} -eq 0 ]] && { echo "no changed C++ files"; exit 0; }

status=0
clang-format --dry-run --Werror "${files[@]}" || status=1
sources=()
for f in "${files[@]}"; do [[ $f == *.cc ]] && sources+=("$f"); done
if [[ ${#sources[@]} -gt 0 ]]; then
  clang-tidy -p build --quiet "${sources[@]}" || status=1
fi
exit $status
