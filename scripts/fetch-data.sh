#!/usr/bin/env bash
# Fetches the public vega-datasets package, pinned to one version, from the
# npm registry, checks it against the registry's published SHA-512, and
# extracts the two data files the demo and the tests use into
# data/vega-datasets-3.2.1/ (or the directory given as $1).
set -euo pipefail

version=3.2.1
# dist.integrity of vega-datasets@3.2.1, as hex.
sha512=9534b0640eb2abaa925366199bee9ba882e222f4cf3f19f88ad8abee33c61661c874fbd47d0f690b3cdcae4958cb030980b51b68879291941d88977ac01c4fba
top=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$top/data/vega-datasets-$version}
files=(airports.csv movies.json)

if [[ -f $dest/.sha512 && $(cat "$dest/.sha512") == "$sha512" ]]; then
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "fetching vega-datasets@$version from the npm registry" >&2
(cd "$tmp" && npm pack --silent "vega-datasets@$version" >/dev/null)
tarball=$tmp/vega-datasets-$version.tgz
actual=$(sha512sum "$tarball" | cut -d' ' -f1)
if [[ $actual != "$sha512" ]]; then
  echo "vega-datasets-$version.tgz: checksum mismatch (got $actual)" >&2
  exit 1
fi

tar -xzf "$tarball" -C "$tmp" "${files[@]/#/package/data/}"
mkdir -p "$dest"
for f in "${files[@]}"; do cp "$tmp/package/data/$f" "$dest/$f"; done
echo "$sha512" >"$dest/.sha512"
