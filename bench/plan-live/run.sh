#!/usr/bin/env bash
# bench/plan-live/run.sh — a live `tcpmem plan` of N netns test hosts (test-hosts/netns-hosts.sh; N = 200 by
# default, the harness's maximum) against the SSH floor measured in the same run; writes bench/plan-live/results.md.
# A measurement, not a test: nothing here runs in CI. Needs root (the harness does) and a build. See bench/README.md.
#
#   bench/plan-live/run.sh [--hosts 200] [--runs 3] [--parallelism P] [--no-profile] [--no-write] [--keep]
#
# Each round runs, interleaved (a change of load on this shared machine hits all of them alike), each run once no
# host's sshd has a handshake left from the one before:
#   tcpmem-plan       `tcpmem plan fleet.yaml --json` (tcpmem's defaults; --parallelism P adds that flag)
#   ssh-floor-x25519  `ssh -F ssh_config hK true` to every host at once with `-o KexAlgorithms=curve25519-sha256`
#                     (the key exchange ssh2 negotiates)
#   ssh2-floor        bench/apply/phases.js --only-true: ssh2 connect + `true` on every host at once, one process
#   ssh-floor         the same `ssh … true` with OpenSSH's defaults
# After every run, each host's sshd log must show exactly one more connection, authentication and session.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/bench/plan-live
HARNESS=$ROOT/test-hosts/netns-hosts.sh
GEN=$ROOT/bench/apply/gen.js           # fleet.yaml and hosts.tsv from the harness's hosts.json
PHASES=$ROOT/bench/apply/phases.js     # tcpmem's ssh2 transport alone, phase by phase
HOTSPOTS=$ROOT/bench/plan/hotspots.js  # a V8 CPU profile, summarised
CLI=(node "$ROOT/packages/cli/bin/run.js")

HOSTS=200
RUNS=3
PARALLELISM=""
PROFILE=1
WRITE=1
KEEP=0
while [ $# -gt 0 ]; do
  case $1 in
    --hosts) HOSTS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --parallelism) PARALLELISM=$2; shift 2 ;;
    --no-profile) PROFILE=0; shift ;;
    --no-write) WRITE=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 64 ;;
  esac
done

exec 3>&2   # the script's own stderr: messages (also from the trap)
say() { printf '[bench/plan-live %s] %s\n' "$(date +%T)" "$*" >&3; }
die() { say "FAILED: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (the netns harness does)"
if [ ! -d "$ROOT/packages/cli/dist" ] || [ ! -d "$ROOT/packages/apply/dist" ]; then die "build first: npm run build"; fi
[ -x /usr/bin/time ] || die "/usr/bin/time is missing: apt-get install time"

WORK=$(mktemp -d /tmp/tcpmem-bench-plan-live.XXXXXX)
chmod 755 "$WORK"            # the deploy user reads authorized_keys below it
STATE=$WORK/state            # the harness: keys, known_hosts, ssh_config, the hosts' sshd logs
UP=0
OUT=$WORK/out                # env.tsv, times.tsv, sessions.tsv, memory.tsv, profile/: what report.js reads
LOGS=$WORK/logs
mkdir -p "$OUT" "$LOGS"
export NO_COLOR=1
cd "$WORK" || exit 1

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "$UP" = 1 ]; then "$HARNESS" down "$STATE" >/dev/null 2>&1 || say "harness down $STATE failed"; fi
  if [ "$KEEP" = 1 ] || [ $rc != 0 ]; then say "work folder kept: $WORK (logs in $LOGS)"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=bench/machine-env.sh
. "$ROOT/bench/machine-env.sh"
# The harness's ssh_config says ConnectTimeout 5 (its tests want quick failures). 200 OpenSSH clients with the
# default key exchange on 2 cores wait longer than that for the banner ("Connection timed out during banner
# exchange"), so the floors wait up to 60 s, as tcpmem's own connect timeout would let them wait (default 10 s).
FLOOR_OPTS=(-o ConnectTimeout=60)
plan_flags=(--json)
[ -n "$PARALLELISM" ] && plan_flags+=(--parallelism "$PARALLELISM")

{
  machine_env
  printf 'hosts\t%s\n' "$HOSTS"
  printf 'runs\t%s\n' "$RUNS"
  printf 'planFlags\t%s\n' "${plan_flags[*]}"
} > "$OUT/env.tsv"
say "load average at start: $(loadavg)"

# ---- helpers --------------------------------------------------------------------------------------------------

# count_sessions FILE: per host "name<TAB>connections<TAB>authentications<TAB>sessions" so far, from its sshd log
# (LogLevel VERBOSE: "Connection from", "Accepted publickey for", "Starting session:").
count_sessions() {
  awk 'function out() { if (f != "") { n = f; sub(/\/sshd\.log$/, "", n); sub(/.*\//, "", n); print n "\t" c "\t" a "\t" s } }
       FNR == 1 { out(); f = FILENAME; c = a = s = 0 }
       /^Connection from / { c++ } /^Accepted publickey for / { a++ } /^Starting session: / { s++ }
       END { out() }' "$STATE"/hosts/h*/sshd.log > "$1"
}

# check_sessions METHOD RUN BEFORE AFTER: appends to sessions.tsv the least and most new connections,
# authentications and sessions of any host in the run; fails unless every host has exactly one of each.
check_sessions() {
  local method=$1 run=$2 line
  line=$(awk -F'\t' -v hosts="$HOSTS" 'NR == FNR { c[$1] = $2; a[$1] = $3; s[$1] = $4; next }
    { dc = $2 - c[$1]; da = $3 - a[$1]; ds = $4 - s[$1]; n++
      if (n == 1 || dc < lc) lc = dc; if (n == 1 || dc > hc) hc = dc
      if (n == 1 || da < la) la = da; if (n == 1 || da > ha) ha = da
      if (n == 1 || ds < ls) ls = ds; if (n == 1 || ds > hs) hs = ds }
    END { ok = (n == hosts && lc == 1 && hc == 1 && la == 1 && ha == 1 && ls == 1 && hs == 1) ? "ok" : "WRONG"
          printf "%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s", n, lc, hc, la, ha, ls, hs, ok }' "$3" "$4")
  printf '%s\t%s\t%s\n' "$method" "$run" "$line" >> "$OUT/sessions.tsv"
  [ "${line##*$'\t'}" = ok ] || { say "  $method run $run: not exactly one connection/authentication/session per host: $line"; return 1; }
}

# check_plan FILE: the JSON plan names every host, each read (status not unreachable).
check_plan() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const p = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    const bad = p.hosts.filter((h) => h.status === "unreachable");
    if (p.mode !== "live" || p.hosts.length !== Number(process.argv[2]) || bad.length > 0) {
      console.error(`mode ${p.mode}, ${p.hosts.length} hosts, unreachable: ${bad.map((h) => h.name).join(" ")}`);
      process.exit(1);
    }' "$1" "$HOSTS"
}

# settle: wait (up to 60 s) until no host's sshd has a connection in its handshake ("[listener] N of … startups",
# N > 0). The sshd children of connections that OpenSSH clients gave up on (the default-key-exchange floor) go on
# with their key exchange and would load the run after it.
settle() {
  local i
  for i in $(seq 600); do
    pgrep -f "$STATE/hosts/h[0-9]+/sshd_config \[listener\] [1-9]" > /dev/null || return 0
    sleep 0.1
  done
  say "  some hosts' sshd still had connections in their handshake after 60 s"
}

# measure METHOD RUN CMD... : runs CMD under /usr/bin/time (stdout to LOGS/METHOD-rRUN.out, stderr to .err) and
# appends method, run, wall s, CPU s (user + system, children included), peak RSS KB, exit code, 1-minute load
# average before the run, hosts that failed (ssh-floor.sh says how many) to times.tsv; then checks that every host
# was connected to exactly once.
measure() {
  local method=$1 run=$2; shift 2
  local base=$LOGS/$method-r$run tf=$WORK/time.out rc load wall cpu rss failed
  settle
  load=$(loadavg | cut -d' ' -f1)
  count_sessions "$WORK/before.tsv"
  /usr/bin/time -o "$tf" -f '%e %U %S %M' "$@" > "$base.out" 2> "$base.err"
  rc=$?
  read -r wall cpu rss < <(tail -1 "$tf" | awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }')
  failed=$(sed -n 's/^ssh-floor: \([0-9]*\) of .*/\1/p' "$base.err")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$method" "$run" "$wall" "$cpu" "$rss" "$rc" "$load" "${failed:-0}" >> "$OUT/times.tsv"
  say "  $method run $run: $wall s, CPU $cpu s, peak RSS $rss KB (exit $rc${failed:+, $failed hosts failed}, load before $load)"
  count_sessions "$WORK/after.tsv"
  check_sessions "$method" "$run" "$WORK/before.tsv" "$WORK/after.tsv" || rc=1
  return $rc
}

# ---- the hosts and the fleet ----------------------------------------------------------------------------------
say "bringing up $HOSTS hosts"
UP=1
"$HARNESS" up "$HOSTS" "$STATE" > "$LOGS/up.log" 2>&1 || die "harness up $HOSTS (see $LOGS/up.log)"
node "$GEN" "$STATE/hosts.json" "$WORK" || die "gen.js"
mapfile -t NAMES < <(cut -f1 "$WORK/hosts.tsv")
# smaller fleets of the first K hosts, for peak RSS against the number of hosts
for k in 25 50 100; do
  [ "$k" -lt "$HOSTS" ] || continue
  awk -v k="$k" '/^hosts:/ { h = 1; print; next } h && ++i > k { next } { print }' "$WORK/fleet.yaml" > "$WORK/fleet-$k.yaml"
done

say "warm-up (untimed)"
"${CLI[@]}" plan "$WORK/fleet.yaml" "${plan_flags[@]}" > "$LOGS/warmup.out" 2> "$LOGS/warmup.err" || die "warm-up plan (see $LOGS/warmup.err)"
check_plan "$LOGS/warmup.out" || die "warm-up plan"
"$HERE/ssh-floor.sh" "$STATE/ssh_config" "${FLOOR_OPTS[@]}" -o KexAlgorithms=curve25519-sha256 -- "${NAMES[@]}" > "$LOGS/warmup-ssh.log" 2>&1 || die "warm-up ssh: $(sort "$LOGS/warmup-ssh.log" | uniq -c | head -3)"

for r in $(seq "$RUNS"); do
  say "round $r of $RUNS"
  if measure tcpmem-plan "$r" "${CLI[@]}" plan "$WORK/fleet.yaml" "${plan_flags[@]}"; then
    check_plan "$LOGS/tcpmem-plan-r$r.out" || die "the plan of round $r is incomplete (see $LOGS/tcpmem-plan-r$r.out)"
  else
    say "  tcpmem-plan run $r FAILED (left out of the medians): see $LOGS/tcpmem-plan-r$r.err"
  fi
  measure ssh-floor-x25519 "$r" "$HERE/ssh-floor.sh" "$STATE/ssh_config" "${FLOOR_OPTS[@]}" -o KexAlgorithms=curve25519-sha256 -- "${NAMES[@]}" || say "  ssh-floor-x25519 run $r FAILED (left out)"
  measure ssh2-floor "$r" node "$PHASES" "$STATE/hosts.json" --only-true || say "  ssh2-floor run $r FAILED (left out)"
  # last in the round: with 200 hosts it costs the most CPU (see bench/README.md)
  measure ssh-floor "$r" "$HERE/ssh-floor.sh" "$STATE/ssh_config" "${FLOOR_OPTS[@]}" -- "${NAMES[@]}" || say "  ssh-floor run $r FAILED (left out)"
done

# ---- memory: peak RSS against the number of hosts and the parallelism ------------------------------------------
say "memory"
mem() {  # mem LABEL HOSTS FLEET [FLAG...]
  local label=$1 n=$2 fleet=$3 tf=$WORK/time.out; shift 3
  /usr/bin/time -o "$tf" -f '%e %M' "${CLI[@]}" plan "$fleet" "$@" > "$LOGS/mem-$label.out" 2> "$LOGS/mem-$label.err" || die "plan for memory ($label, see $LOGS/mem-$label.err)"
  printf '%s\t%s\t%s\n' "$label" "$n" "$(tail -1 "$tf" | tr ' ' '\t')" >> "$OUT/memory.tsv"
}
for k in 25 50 100; do [ -f "$WORK/fleet-$k.yaml" ] && mem "live-$k" "$k" "$WORK/fleet-$k.yaml" "${plan_flags[@]}"; done
mem "live-$HOSTS" "$HOSTS" "$WORK/fleet.yaml" "${plan_flags[@]}"
mem "live-$HOSTS-p$HOSTS" "$HOSTS" "$WORK/fleet.yaml" --json --parallelism "$HOSTS"
# an offline plan needs each host's facts: discovered (untimed) into a copy of the config, which has none; at
# tcpmem's default parallelism (with all 200 at once, a few handshakes took more than the 10 s connect timeout)
mkdir -p "$WORK/offline" && cp "$WORK/fleet.yaml" "$WORK/offline/fleet.yaml"
"${CLI[@]}" discover "$WORK/offline" > "$LOGS/discover.log" 2>&1 || die "discover (see $LOGS/discover.log)"
mem "offline-$HOSTS" "$HOSTS" "$WORK/offline" --json --offline

# ---- profile (untimed in the table) ----------------------------------------------------------------------------
if [ "$PROFILE" = 1 ]; then
  say "profile"
  prof=$OUT/profile
  mkdir -p "$prof"
  for i in 1 2 3; do /usr/bin/time -o "$prof/startup-$i.time" -f '%e %U %S %M' "${CLI[@]}" --version > /dev/null 2>&1 || die "tcpmem --version"; done
  for i in 1 2 3; do /usr/bin/time -o "$prof/offline-$i.time" -f '%e %U %S %M' "${CLI[@]}" plan "$WORK/offline" --json --offline > /dev/null 2>&1 || die "plan --offline"; done
  default_p=$(node -e 'const s = require("node:fs").readFileSync(process.argv[1], "utf8"); const m = /parallelism: Flags\.integer\(\{[^}]*default: (\d+)/.exec(s); process.stdout.write(m ? m[1] : "16")' "$ROOT/packages/cli/src/commands/plan.ts")
  p=${PARALLELISM:-$default_p}
  printf 'parallelism\t%s\n' "$p" >> "$OUT/env.tsv"
  for i in 1 2 3; do
    node "$PHASES" "$STATE/hosts.json" --parallelism "$p" > "$prof/phases-p$p-$i.json" || die "phases.js"
    [ "$p" = "$HOSTS" ] || node "$PHASES" "$STATE/hosts.json" --parallelism "$HOSTS" > "$prof/phases-p$HOSTS-$i.json" || die "phases.js"
  done
  node --cpu-prof --cpu-prof-dir="$prof/cpuprof" "$ROOT/packages/cli/bin/run.js" plan "$WORK/fleet.yaml" "${plan_flags[@]}" > /dev/null 2> "$LOGS/cpuprof.err" || die "plan --cpu-prof"
  node "$HOTSPOTS" "$prof"/cpuprof/*.cpuprofile --top 15 > "$prof/hotspots.txt" 2>&1 || say "hotspots.js failed"
  rm -rf "$prof/cpuprof"
fi

say "tearing down"
"$HARNESS" down "$STATE" > "$LOGS/down.log" 2>&1 || die "harness down"
UP=0
printf 'loadEnd\t%s\n' "$(loadavg)" >> "$OUT/env.tsv"
if [ "$WRITE" = 1 ]; then
  node "$HERE/report.js" "$OUT" "$HERE/results.md" || die "report.js"
  cp "$OUT/times.tsv" "$HERE/results.tsv"
  say "wrote bench/plan-live/results.md and results.tsv"
else
  node "$HERE/report.js" "$OUT" - || die "report.js"
fi
