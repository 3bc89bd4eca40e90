#!/usr/bin/env bash
# bench/plan-live/ssh-floor.sh SSH_CONFIG [SSH_OPTION...] -- HOST... : `ssh -F SSH_CONFIG [OPTION...] HOST true` to
# every HOST at once (one OpenSSH client process each); exits 1 if any of them failed, after saying how many on
# stderr ("ssh-floor: K of N hosts failed"). The SSH floor of
# bench/plan-live/run.sh, a script of its own so that /usr/bin/time can measure it (wall, CPU of every ssh).
set -u
config=$1
shift
opts=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
[ $# -gt 0 ] && shift
pids=()
for h in "$@"; do
  ssh -F "$config" "${opts[@]}" "$h" true &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
if [ "$failed" -gt 0 ]; then
  echo "ssh-floor: $failed of $# hosts failed" >&2
  exit 1
fi
