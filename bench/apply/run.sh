#!/usr/bin/env bash
# bench/apply/run.sh — `tcpmem apply` against Ansible's ansible.posix.sysctl and the SSH floor, on N netns test
# hosts (test-hosts/netns-hosts.sh), N = 20, 50 and 100 by default, 3 runs each; writes bench/apply/results.md.
# A measurement, not a test: nothing here runs in CI. Needs root (the harness does). See bench/README.md.
#
#   bench/apply/run.sh [--sizes 20,50,100] [--runs 3] [--no-profile | --profile-sizes 100] [--no-write] [--keep]
#
# Every timed run that changes hosts starts from the same state: each host's 4 settings back at the netns
# defaults read when the hosts came up (written with `ip netns exec`), and no 99-tcpmem.conf / 99-ansible.conf.
# Each run is checked afterwards (every host holds the 4 values and the tool's file). Methods are interleaved
# within a round, so a change of load on this shared machine hits all of them alike.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/bench/apply
HARNESS=$ROOT/test-hosts/netns-hosts.sh
CLI=(node "$ROOT/packages/cli/bin/run.js")

SIZES=20,50,100
RUNS=3
PROFILE=1
PROFILE_SIZES=''   # empty: every size
WRITE=1
KEEP=0
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) SIZES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --no-profile) PROFILE=0; shift ;;
    --profile-sizes) PROFILE_SIZES=$2; shift 2 ;;
    --no-write) WRITE=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 64 ;;
  esac
done

exec 3>&2   # the script's own stderr: messages (also from the trap, which may run inside a command's redirection)
say() { printf '[bench/apply %s] %s\n' "$(date +%T)" "$*" >&3; }
die() { say "FAILED: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (the netns harness does)"
if [ ! -d "$ROOT/packages/cli/dist" ] || [ ! -d "$ROOT/packages/apply/dist" ]; then die "build first: npm run build"; fi
if ! command -v ansible-playbook >/dev/null; then
  say "installing Debian's ansible"
  if ! { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ansible >/dev/null; }; then
    die "apt-get install ansible"
  fi
fi
ansible-doc ansible.posix.sysctl >/dev/null 2>&1 || die "ansible-doc ansible.posix.sysctl: the collection is missing"

WORK=$(mktemp -d /tmp/tcpmem-bench-apply.XXXXXX)
chmod 755 "$WORK"            # the deploy user reads authorized_keys below it
STATE=""                     # the harness currently up
OUT=$WORK/out                # times.tsv, env.tsv, profile-*.json: what report.js reads
LOGS=$WORK/logs
mkdir -p "$OUT" "$LOGS"

# Ansible: its own home, temp and ControlPath folder under WORK (nothing in /root/.ansible), no ansible.cfg
# from elsewhere (an empty one of ours), no colours. ControlPersist stays at its default (60 s): close_masters ends them.
# ANSIBLE_TIMEOUT=60 (default 10): with 50 forks on 2 busy cores, Ansible otherwise gives up on some hosts ("Timeout
# (12s) waiting for privilege escalation prompt"); it only lets Ansible wait, it makes nothing faster.
export ANSIBLE_HOME=$WORK/ansible-home ANSIBLE_LOCAL_TEMP=$WORK/ansible-home/tmp ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0
export ANSIBLE_TIMEOUT=60
export ANSIBLE_CONFIG=$WORK/ansible.cfg ANSIBLE_RETRY_FILES_ENABLED=0
printf '# empty: Ansible defaults\n[defaults]\n' > "$ANSIBLE_CONFIG"
export NO_COLOR=1
cd "$WORK" || exit 1

close_masters() {  # end Ansible's ControlPersist masters (ssh processes that outlive ansible-playbook)
  local s i
  for s in "$WORK"/cp/*/*; do
    [ -S "$s" ] && ssh -o ControlPath="$s" -O exit placeholder >/dev/null 2>&1
  done
  for i in $(seq 50); do
    compgen -G "$WORK/cp/*/*" >/dev/null || break
    sleep 0.1
  done
  rm -rf "$WORK/cp"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  close_masters
  if [ -n "$STATE" ]; then "$HARNESS" down "$STATE" >/dev/null 2>&1 || say "harness down $STATE failed"; fi
  if [ "$KEEP" = 1 ] || [ $rc != 0 ]; then say "work folder kept: $WORK (logs in $LOGS)"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=bench/machine-env.sh
. "$ROOT/bench/machine-env.sh"

# ---- the machine and the tools --------------------------------------------------------------------------------
{
  machine_env
  printf 'ansible\t%s\n' "$(ansible --version | head -1)"
  printf 'ansiblePython\t%s\n' "$(ansible --version | sed -n 's/^ *python version = \([^ ]*\).*/\1/p')"
  printf 'ansiblePosix\t%s\n' "$(python3 -c 'import json;print(json.load(open("/usr/lib/python3/dist-packages/ansible_collections/ansible/posix/MANIFEST.json"))["collection_info"]["version"])' 2>/dev/null || echo '?')"
  printf 'runs\t%s\n' "$RUNS"
} > "$OUT/env.tsv"
say "load average at start: $(loadavg)"

# ---- helpers --------------------------------------------------------------------------------------------------

# measure N METHOD RUN CMD... : runs CMD (output to a log), appends N, method, run, wall s, CPU s (user+sys
# of the shell and the children it waited for), exit code to times.tsv. Returns CMD's exit code.
measure() {
  local n=$1 method=$2 run=$3; shift 3
  local log=$LOGS/$method-n$n-r$run.log tf=$WORK/time.out t0 t1 rc cpu wall TIMEFORMAT='%U %S'
  t0=$(date +%s%N)
  { time "$@" >"$log" 2>&1 ; } 2>"$tf"   # bash's `time`: works on functions too, counts waited-for children
  rc=$?
  t1=$(date +%s%N)
  cpu=$(tail -1 "$tf" | awk '{printf "%.2f", $1 + $2}')
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$method" "$run" "$wall" "$cpu" "$rc" "$(loadavg | cut -d' ' -f1)" >> "$OUT/times.tsv"
  say "  N=$n $method run $run: $wall s, CPU $cpu s (exit $rc)"
  return $rc
}

# The hosts' starting values, captured once per harness: "namespace<TAB>path<TAB>value" lines.
capture_defaults() {
  local name ns dir f
  while IFS=$'\t' read -r name ns _ _ dir; do
    while IFS=$'\t' read -r f _; do
      printf '%s\t%s\t%s\n' "$ns" "$f" "$(ip netns exec "$ns" cat "$f")"
    done < "$G/expected.tsv"
  done < "$G/hosts.tsv" > "$G/defaults.tsv"
}

# Every host back to its starting values, without the tools' files.
reset_hosts() {
  local name ns dir script
  while IFS=$'\t' read -r name ns _ _ dir; do
    script=$(awk -F'\t' -v ns="$ns" '$1 == ns { v = $3; for (i = 4; i <= NF; i++) v = v "\t" $i; printf "printf %%s \"%s\" > %s\n", v, $2 }' "$G/defaults.tsv")
    ip netns exec "$ns" sh -c "$script" || die "reset $name"
    rm -f "$dir"/99-tcpmem.conf "$dir"/99-ansible.conf "$dir"/.99-tcpmem.conf.*
  done < "$G/hosts.tsv"
  check_hosts defaults
}

# check_hosts defaults|tcpmem|ansible: every host holds the expected values (and the tool's file).
check_hosts() {
  local what=$1 name ns dir f want got
  while IFS=$'\t' read -r name ns _ _ dir; do
    while IFS=$'\t' read -r f want; do
      got=$(ip netns exec "$ns" cat "$f" | tr -s '\t ' '  ')
      if [ "$what" = defaults ]; then
        want=$(awk -F'\t' -v ns="$ns" -v f="$f" '$1 == ns && $2 == f { v = $3; for (i = 4; i <= NF; i++) v = v " " $i; print v }' "$G/defaults.tsv")
      fi
      [ "$got" = "$want" ] || die "$name: $f is '$got', expected '$want' ($what)"
    done < "$G/expected.tsv"
    case $what in
      defaults) [ -z "$(ls -A "$dir")" ] || die "$name: $dir is not empty after reset" ;;
      tcpmem) [ -f "$dir/99-tcpmem.conf" ] || die "$name: no 99-tcpmem.conf" ;;
      ansible) [ -f "$dir/99-ansible.conf" ] || die "$name: no 99-ansible.conf" ;;
    esac
  done < "$G/hosts.tsv"
}

# timed_change METHOD defaults|tcpmem|ansible CMD... : a timed run that changes the hosts (in round $r of size $N).
# A run that fails (a timeout under load, say) is noted in times.tsv with its exit code, left out of the medians,
# and the round goes on (the hosts are reset after it anyway); a run that succeeds must have left every host right.
timed_change() {
  local method=$1 expect=$2; shift 2
  if measure "$N" "$method" "$r" "$@"; then
    check_hosts "$expect"
  else
    say "  N=$N $method run $r FAILED (left out of the medians): see $LOGS/$method-n$N-r$r.log"
    return 1
  fi
}

ssh_floor() {  # ssh_floor SSH_CONFIG [SSH_OPTION...] -- HOST... : `ssh HOST true` on every host at once; fails if any failed
  local config=$1 pid fail=0; shift
  local opts=() pids=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  for h in "$@"; do ssh -F "$config" "${opts[@]}" "$h" true & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid" || fail=1; done
  return $fail
}

ansible_run() {  # ansible_run N RUN_TAG [pipelining] : the playbook, cold (fresh ControlPath folder), forks = N
  local n=$1 tag=$2 pipelining=${3:-}
  mkdir -p "$WORK/cp/$tag"
  ANSIBLE_SSH_CONTROL_PATH_DIR=$WORK/cp/$tag ANSIBLE_PIPELINING=$([ -n "$pipelining" ] && echo True || echo False) \
    ansible-playbook -i "$G/inventory.ini" -f "$n" "$HERE/playbook.yml"
}

# ---- per fleet size -------------------------------------------------------------------------------------------
IFS=, read -r -a sizes <<< "$SIZES"
for N in "${sizes[@]}"; do
  G=$WORK/n$N
  STATE=$G/state
  mkdir -p "$G"
  chmod 755 "$G"
  say "N=$N: bringing up $N hosts"
  "$HARNESS" up "$N" "$STATE" > "$LOGS/up-n$N.log" 2>&1 || die "harness up $N (see $LOGS/up-n$N.log)"
  node "$HERE/gen.js" "$STATE/hosts.json" "$G" || die "gen.js"
  mapfile -t NAMES < <(cut -f1 "$G/hosts.tsv")
  capture_defaults
  printf '%s\tloadBefore\t%s\n' "$N" "$(loadavg)" >> "$OUT/load.tsv"

  # warm-up (untimed): page cache, Python bytecode, node's compile cache; then back to the defaults
  say "N=$N: warm-up"
  "${CLI[@]}" apply "$G/fleet.yaml" --auto-approve --parallelism "$N" > "$LOGS/warmup-tcpmem-n$N.log" 2>&1 || die "warm-up tcpmem apply (see $LOGS)"
  check_hosts tcpmem
  reset_hosts
  ansible_run "$N" "warmup-n$N" > "$LOGS/warmup-ansible-n$N.log" 2>&1 || die "warm-up ansible (see $LOGS)"
  close_masters
  check_hosts ansible
  reset_hosts

  for r in $(seq "$RUNS"); do
    say "N=$N: round $r of $RUNS"
    if timed_change tcpmem-apply tcpmem "${CLI[@]}" apply "$G/fleet.yaml" --auto-approve --parallelism "$N"; then
      if measure "$N" tcpmem-noop "$r" "${CLI[@]}" apply "$G/fleet.yaml" --auto-approve --parallelism "$N"; then
        grep -q "0 applied, $N unchanged" "$LOGS/tcpmem-noop-n$N-r$r.log" || die "the second apply was not a no-op (see $LOGS/tcpmem-noop-n$N-r$r.log)"
        check_hosts tcpmem
      fi
    fi
    reset_hosts

    if measure "$N" tcpmem-plan-out "$r" "${CLI[@]}" plan "$G/fleet.yaml" --parallelism "$N" --out "$G/plan.json"; then
      timed_change tcpmem-apply-planfile tcpmem "${CLI[@]}" apply "$G/plan.json" --parallelism "$N"
    fi
    reset_hosts

    timed_change ansible ansible ansible_run "$N" "r$r-n$N"
    close_masters
    reset_hosts

    timed_change ansible-pipelining ansible ansible_run "$N" "r$r-n$N-pipe" pipelining
    close_masters
    reset_hosts

    measure "$N" ssh-floor "$r" ssh_floor "$STATE/ssh_config" -- "${NAMES[@]}" || say "  N=$N ssh-floor run $r FAILED (left out)"
    # the same with the key exchange ssh2 negotiates (OpenSSH 9's default is sntrup761x25519, costlier on both ends)
    measure "$N" ssh-floor-x25519 "$r" ssh_floor "$STATE/ssh_config" -o KexAlgorithms=curve25519-sha256 -- "${NAMES[@]}" || say "  N=$N ssh-floor-x25519 run $r FAILED (left out)"
    measure "$N" ssh2-floor "$r" node "$HERE/phases.js" "$STATE/hosts.json" --only-true || say "  N=$N ssh2-floor run $r FAILED (left out)"
  done

  if [ "$PROFILE" = 1 ] && { [ -z "$PROFILE_SIZES" ] || [[ ",$PROFILE_SIZES," == *",$N,"* ]]; }; then
    say "N=$N: profile (untimed in the table)"
    prof=$OUT/profile-n$N
    mkdir -p "$prof"
    for i in 1 2 3; do measure "$N" node-startup "$i" "${CLI[@]}" --version > /dev/null || die "tcpmem --version"; done
    # an offline plan needs each host's facts: discovered into a copy of the config (the timed config has none)
    mkdir -p "$G/offline" && cp "$G/fleet.yaml" "$G/offline/fleet.yaml"
    measure "$N" discover 1 "${CLI[@]}" discover "$G/offline" --parallelism "$N" || die "discover"
    for i in 1 2 3; do measure "$N" plan-offline "$i" "${CLI[@]}" plan "$G/offline" --offline --json || die "plan --offline"; done
    for i in 1 2 3; do measure "$N" plan-live "$i" "${CLI[@]}" plan "$G/fleet.yaml" --parallelism "$N" --json || die "plan live"; done
    for i in 1 2 3; do
      node "$HERE/phases.js" "$STATE/hosts.json" > "$prof/phases-$i.json" || die "phases.js"
    done
    for i in 1 2 3; do
      measure "$N" events-apply "$i" "${CLI[@]}" apply "$G/fleet.yaml" --auto-approve --parallelism "$N" --events || die "apply --events"
      node "$HERE/events.js" "$LOGS/events-apply-n$N-r$i.log" > "$prof/events-apply-$i.json"
      check_hosts tcpmem
      reset_hosts
      "${CLI[@]}" plan "$G/fleet.yaml" --parallelism "$N" --out "$G/plan.json" > /dev/null 2>&1 || die "plan --out"
      measure "$N" events-planfile "$i" "${CLI[@]}" apply "$G/plan.json" --parallelism "$N" --events || die "apply PLANFILE --events"
      node "$HERE/events.js" "$LOGS/events-planfile-n$N-r$i.log" > "$prof/events-planfile-$i.json"
      check_hosts tcpmem
      reset_hosts
    done
    # where the client's CPU goes in one apply (a V8 CPU profile, summarised by bench/plan/hotspots.js)
    node --cpu-prof --cpu-prof-dir="$prof/cpuprof" "$ROOT/packages/cli/bin/run.js" apply "$G/fleet.yaml" --auto-approve --parallelism "$N" > "$LOGS/cpuprof-n$N.log" 2>&1 || die "apply --cpu-prof"
    check_hosts tcpmem
    reset_hosts
    node "$ROOT/bench/plan/hotspots.js" "$prof"/cpuprof/*.cpuprofile --top 20 > "$prof/hotspots.txt" 2>&1 || say "hotspots.js failed"
    rm -rf "$prof/cpuprof"
  fi

  printf '%s\tloadAfter\t%s\n' "$N" "$(loadavg)" >> "$OUT/load.tsv"
  say "N=$N: tearing down"
  close_masters
  "$HARNESS" down "$STATE" > "$LOGS/down-n$N.log" 2>&1 || die "harness down"
  STATE=""
done

printf 'loadEnd\t%s\n' "$(loadavg)" >> "$OUT/env.tsv"
if [ "$WRITE" = 1 ]; then
  node "$HERE/report.js" "$OUT" "$HERE/results.md" || die "report.js"
  cp "$OUT/times.tsv" "$HERE/results.tsv"
  say "wrote bench/apply/results.md and results.tsv"
else
  node "$HERE/report.js" "$OUT" - || die "report.js"
fi
