#!/usr/bin/env bash
# capture-all.sh [--force] [--cases FILE] [ID-REGEX]
#
# Captures every case of cases.tsv (or those whose id matches ID-REGEX), one
# boot at a time, into packages/kernel-model/fixtures/qemu/<id>/.  Cases that
# already have a fixture folder are skipped unless --force.  A failed case is
# reported and the run goes on; the exit status is 1 if any case failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
force=() cases=$here/cases.tsv filter=.
while (($#)); do
  case "$1" in
    --force) force=(--force); shift ;;
    --cases) cases=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) filter=$1; shift ;;
  esac
done

failed=() done_n=0
while IFS= read -r id; do
  # </dev/null: nothing in capture.sh may eat the id list on our stdin.
  if "$here/capture.sh" --case "$id" --cases "$cases" "${force[@]}" </dev/null; then
    done_n=$((done_n + 1))
  else
    failed+=("$id")
  fi
done < <(awk -F'\t' '!/^#/ && NF {print $1}' "$cases" | grep -E -- "$filter")

echo "capture-all: $done_n case(s) ok or already present; ${#failed[@]} failed${failed[*]:+: ${failed[*]}}" >&2
((${#failed[@]} == 0))
