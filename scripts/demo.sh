#!/usr/bin/env bash
# The main job, end to end on a fresh Debian 12 machine: installs what is
# missing, builds, fetches public data, starts a local Caspio emulator with
# an API profile and two imported tables, and drives the connector through
# client credentials. Nothing is left running or written outside build/,
# data/ and a temporary directory.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

scripts/install-deps.sh
scripts/build.sh caspio_command caspio-emulator
scripts/fetch-data.sh
data=$top/data/vega-datasets-3.2.1
emulator=$top/build/src/emulator/caspio-emulator
caspio=$top/build/src/cli/caspio

work=$(mktemp -d)
server=""
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" || true
  rm -rf "$work"
}
trap cleanup EXIT
# Authentications, cached tokens and call counts of this demo stay in its
# own directory.
export XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache \
  XDG_STATE_HOME=$work/state

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() {
  local op=$1 input=$2
  shift 2
  printf '$ caspio run %s --input %q %s\n' "$op" "$input" "$*"
  "$caspio" run "$op" --auth demo --pretty --input "$input" "$@"
}

step "Import public data into a local Caspio (caspio-emulator)"
"$emulator" import --data "$work/caspio.db" --table Airports "$data/airports.csv"
"$emulator" import --data "$work/caspio.db" --table Movies "$data/movies.json"

step "Create an API profile and start the emulator on a free loopback port"
profile=$("$emulator" profile create --data "$work/caspio.db")
client_id=$(sed -E 's/.*"ClientId":"([^"]+)".*/\1/' <<<"$profile")
client_secret=$(sed -E 's/.*"ClientSecret":"([^"]+)".*/\1/' <<<"$profile")
"$emulator" serve --data "$work/caspio.db" --port 0 >"$work/url" &
server=$!
for _ in $(seq 100); do [[ -s $work/url ]] && break; sleep 0.1; done
url=$(head -n1 "$work/url")
echo "integration URL: $url"

step "Add an authentication (the secret is read from stdin, never argv)"
"$caspio" auth add demo --integration-url "$url" --client-id "$client_id" \
  <<<"$client_secret"
"$caspio" auth list
"$caspio" auth test demo

step "Test the connection"
run test_connection '{}'

step "List tables"
run list_tables '{}'

step "Fields of Airports"
run list_table_fields '{"table":"Airports"}'

step "Airports in California, first page of 5"
run list_table_records '{"table":"Airports","match":{"state":"CA"},
  "order_by":"city","select":"iata,name,city,state","page_size":5}'

step "Comedies rated 8 or more: every page, 5 records a page"
run list_table_records '{"table":"Movies",
  "where":"Major_Genre = '"'"'Comedy'"'"' AND IMDB_Rating >= 8",
  "order_by":"IMDB_Rating DESC, Title",
  "select":"Title,Release_Date,IMDB_Rating,Director",
  "page_size":5,"all_pages":true}' --stats

step "Insert a record (response=rows)"
inserted=$(run create_table_record '{"table":"Airports","record":{
  "iata":"ZZZ","name":"Demo Field","city":"Springfield","state":"CA",
  "country":"USA","latitude":37.5,"longitude":-122.25}}')
echo "$inserted"
pk=$(grep -o '"PK_ID": *[0-9]*' <<<"$inserted" | head -n1 | grep -o '[0-9]*$')

step "Update it"
run update_table_records '{"table":"Airports","match":{"PK_ID":'"$pk"'},
  "values":{"name":"Demo Field (renamed)"},"return_records":true}'

step "Delete it"
run delete_table_records '{"table":"Airports","match":{"PK_ID":'"$pk"'}}'

step "API calls counted for this profile (this machine only)"
"$caspio" usage --auth demo

step "Stop the emulator"
kill "$server" && wait "$server" || true
server=""
echo "done"
