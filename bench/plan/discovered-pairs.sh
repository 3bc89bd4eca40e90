#!/bin/sh
# Interleaved before/after runs of `plan --offline` on discovered fleets, each followed by its read-and-parse floor.
#
#   sh bench/plan/discovered-pairs.sh BEFORE_REPO AFTER_REPO ROUNDS FLEET_DIR...
#   e.g. sh bench/plan/discovered-pairs.sh /tmp/main . 2 /tmp/scale-d1000 /tmp/scale-d3000 /tmp/scale-d10000
#
# BEFORE_REPO and AFTER_REPO are built checkouts (packages/cli/bin/run.js); fleets come from
# generate-discovered-fleet.js. Prints one line per run: wall, user, sys (s) and peak RSS (KB). Set JSON=--json to
# plan with --json.
set -eu
before=$1; after=$2; rounds=$3; shift 3
floor="$(cd "$(dirname "$0")" && pwd)/generate-discovered-fleet.js"
for round in $(seq "$rounds"); do
  for fleet in "$@"; do
    for side in before after; do
      repo=$before; [ "$side" = after ] && repo=$after
      /usr/bin/time -f "round $round $(basename "$fleet") $side %e s %U u %S s %M KB" node "$repo/packages/cli/bin/run.js" plan "$fleet/fleet.yaml" --offline ${JSON:-} > /dev/null
    done
    /usr/bin/time -f "round $round $(basename "$fleet") floor %e s %U u %S s %M KB" node -e "require('$floor').readParseFloor('$fleet')"
  done
done
