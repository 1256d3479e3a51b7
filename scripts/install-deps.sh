#!/usr/bin/env bash
# Installs the Debian 12 packages the project builds and tests with.
# Safe to run again: packages already present are left alone.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates curl
  nlohmann-json3-dev libcurl4-openssl-dev libsqlite3-dev libssl-dev
  libcpp-httplib-dev libcli11-dev libabsl-dev libvalijson-dev
  libgtest-dev libgmock-dev libbenchmark-dev openssl
  nodejs npm
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' \
    || missing+=("$p")
done
# Node.js from another source ships npm inside its own package.
if [[ " ${missing[*]} " == *" npm "* ]] && command -v npm >/dev/null; then
  missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >&2
