#!/bin/sh
# Interleaved before/after of `plan FLEET_DIR --offline` (the folder: facts read as walked files) with
# TCPMEM_READ_WORKERS=0 and =1, then the fleet's read-and-parse floor; ROUNDS rounds PAUSE seconds apart (default 45).
#
#   sh bench/plan/discovered-workers-pairs.sh BEFORE_REPO AFTER_REPO ROUNDS FLEET_DIR
#   e.g. sh bench/plan/discovered-workers-pairs.sh /work/main . 3 /tmp/scale-d10000
#
# Prints the load average (1, 5, 15 min) before each run, then wall, user, sys and peak RSS.
set -u
before=$1; after=$2; rounds=$3; fleet=$4
floor="$(cd "$(dirname "$0")" && pwd)/generate-discovered-fleet.js"
for round in $(seq "$rounds"); do
  for w in 0 1; do
    for side in before after; do
      repo=$before; [ "$side" = after ] && repo=$after
      printf 'round %s W=%s %s load %s: ' "$round" "$w" "$side" "$(cut -d' ' -f1-3 /proc/loadavg)"
      TCPMEM_READ_WORKERS=$w /usr/bin/time -f "%e s wall %U u %S s %M KB" node "$repo/packages/cli/bin/run.js" plan "$fleet" --offline 2>&1 >/dev/null
    done
  done
  printf 'round %s floor load %s: ' "$round" "$(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/time -f "%e s wall %U u %S s %M KB" node -e "process.stdout.write(JSON.stringify(require('$floor').readParseFloor('$fleet')) + ' ')" 2>&1
  [ "$round" -lt "$rounds" ] && sleep "${PAUSE:-45}"
done
