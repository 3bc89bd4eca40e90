#!/usr/bin/env bash
# bench/apply/host-cpu.sh — where the CPU of one `tcpmem apply CONFIG --auto-approve` goes, per process name, on
# N netns test hosts, against the curve25519 SSH floor (`ssh -o KexAlgorithms=curve25519-sha256 HOST true` to every
# host at once): BSD process accounting (acct: `accton`, `sa`) around each run, which counts every process that
# ended during it, the client and the hosts' sshd session children, shells, sudo and the scripts' forks alike.
# A measurement, not a test. Needs root (the harness and accton do). See bench/apply/ANALYSIS.md.
#
#   bench/apply/host-cpu.sh [--hosts 100] [--rounds 2] [--cli DIR]... [--keep]
#
# Each --cli DIR is a checkout whose packages/cli/bin/run.js is run (default: this one); several are interleaved
# within each round (floor, then each CLI's apply from the hosts' starting values). Prints, per run, the CPU
# (user + sys, s) of each process name, the number of processes, and the total; the run's wall time and load.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/bench/apply
HARNESS=$ROOT/test-hosts/netns-hosts.sh
N=100
ROUNDS=2
KEEP=0
CLIS=()
while [ $# -gt 0 ]; do
  case $1 in
    --hosts) N=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --cli) CLIS+=("$(cd "$2" && pwd)"); shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "host-cpu.sh: unknown argument $1" >&2; exit 64 ;;
  esac
done
[ ${#CLIS[@]} -gt 0 ] || CLIS=("$ROOT")

say() { printf '[bench/apply/host-cpu %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root"
if ! command -v accton >/dev/null || ! command -v sa >/dev/null; then
  say "installing acct (accton, sa)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq acct >/dev/null || die "apt-get install acct"
fi

WORK=$(mktemp -d /tmp/tcpmem-host-cpu.XXXXXX)
chmod 755 "$WORK"
G=$WORK/g
STATE=$G/state
mkdir -p "$G" && chmod 755 "$G"
ACCT=$WORK/pacct
CG=''
cleanup() {
  local rc=$?
  accton off >/dev/null 2>&1
  "$HARNESS" down "$STATE" >/dev/null 2>&1 || say "harness down failed"
  if [ -n "$CG" ]; then sleep 1; rmdir "$CG" 2>/dev/null || say "rmdir $CG failed"; fi
  if [ "$KEEP" = 1 ] || [ $rc != 0 ]; then say "work folder kept: $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "bringing up $N hosts"
"$HARNESS" up "$N" "$STATE" > "$WORK/up.log" 2>&1 || die "harness up (see $WORK/up.log)"
node "$HERE/gen.js" "$STATE/hosts.json" "$G" || die "gen.js"
mapfile -t NAMES < <(cut -f1 "$G/hosts.tsv")

# the hosts' starting values, and a reset to them (as run.sh does)
while IFS=$'\t' read -r _ ns _ _ _; do
  while IFS=$'\t' read -r f _; do printf '%s\t%s\t%s\n' "$ns" "$f" "$(ip netns exec "$ns" cat "$f")"; done < "$G/expected.tsv"
done < "$G/hosts.tsv" > "$G/defaults.tsv"
reset_hosts() {
  local ns dir script
  while IFS=$'\t' read -r _ ns _ _ dir; do
    script=$(awk -F'\t' -v ns="$ns" '$1 == ns { v = $3; for (i = 4; i <= NF; i++) v = v "\t" $i; printf "printf %%s \"%s\" > %s\n", v, $2 }' "$G/defaults.tsv")
    ip netns exec "$ns" sh -c "$script" || die "reset $ns"
    rm -f "$dir"/99-tcpmem.conf "$dir"/.99-tcpmem.conf.*
  done < "$G/hosts.tsv"
}

floor() {
  local pids=() h pid fail=0
  for h in "${NAMES[@]}"; do ssh -F "$STATE/ssh_config" -o KexAlgorithms=curve25519-sha256 "$h" true & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid" || fail=1; done
  return $fail
}

# The hosts' side, to the nanosecond: every host's sshd (and so every session process it starts) in a cpuacct cgroup.
CG=/sys/fs/cgroup/cpuacct/tcpmem-host-cpu-$$
mkdir "$CG" || die "mkdir $CG (cgroup v1 cpuacct)"
for pidfile in "$STATE"/hosts/*/sshd.pid; do cat "$pidfile" > "$CG/cgroup.procs" || die "move $pidfile's sshd into $CG"; done

# accounted LABEL CMD... : runs CMD with process accounting on. Prints the wall time, the client's CPU (CMD and the
# children it waited for, exact), the hosts' CPU (the cgroup, exact), and per user:command the number of processes
# that ended and their CPU as acct has it (each process's CPU truncated to 10 ms: short ones count 0; a count).
accounted() {
  local label=$1 t0 t1 rc load h0 h1 tf=$WORK/time.out TIMEFORMAT='%U %S'; shift
  : > "$ACCT"
  sleep 1   # what ran before ends outside the file
  load=$(cut -d' ' -f1 /proc/loadavg)
  accton "$ACCT" > /dev/null || die "accton"
  h0=$(cat "$CG/cpuacct.usage")
  t0=$(date +%s%N)
  { time "$@" > "$WORK/$label.log" 2>&1 ; } 2> "$tf"
  rc=$?
  t1=$(date +%s%N)
  sleep 2   # sessions closing in the background on the hosts end within it
  h1=$(cat "$CG/cpuacct.usage")
  accton off > /dev/null
  sa -a -u "$ACCT" 2>/dev/null | awk -v label="$label" -v rc="$rc" -v load="$load" \
    -v wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')" \
    -v client="$(tail -1 "$tf" | awk '{ printf "%.2f", $1 + $2 }')" \
    -v hosts="$(awk -v a="$h0" -v b="$h1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')" '
    # sa -u: "USER CPU cpu MEM mem IO io COMMAND", one line a process
    $3 == "cpu" { c = $1 ":" $NF; cpu[c] += $2; n[c]++; procs++ }
    END {
      printf "%s: wall %s s (exit %s, load %s); CPU: client %s s, hosts %s s (cgroup); %d processes ended\n", label, wall, rc, load, client, hosts, procs
      for (c in cpu) printf "  %-28s %5d  %6.2f s\n", c, n[c], cpu[c] | "sort -k2 -rn"
      close("sort -k2 -rn")
    }'
}

say "warm-up (untimed)"
for cli in "${CLIS[@]}"; do
  node "$cli/packages/cli/bin/run.js" apply "$G/fleet.yaml" --auto-approve --parallelism "$N" > /dev/null 2>&1 || die "warm-up $cli"
  reset_hosts
done
for r in $(seq "$ROUNDS"); do
  say "round $r of $ROUNDS"
  accounted "floor-x25519-r$r" floor
  for i in "${!CLIS[@]}"; do
    accounted "apply-cli$i-r$r" node "${CLIS[$i]}/packages/cli/bin/run.js" apply "$G/fleet.yaml" --auto-approve --parallelism "$N"
    grep -q "applied" "$WORK/apply-cli$i-r$r.log" || say "apply-cli$i-r$r: no 'applied' in its output"
    reset_hosts
  done
done
for i in "${!CLIS[@]}"; do say "cli$i = ${CLIS[$i]} ($(git -C "${CLIS[$i]}" log --oneline -1 2>/dev/null))"; done
