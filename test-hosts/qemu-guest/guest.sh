#!/usr/bin/env bash
# tcpmem QEMU guest test host: a real Debian kernel booted under QEMU (TCG)
# with OpenSSH's sshd inside, reachable only on a 127.0.0.1 port of this
# machine, for the whole-host sysctls (net.ipv4.tcp_mem, ...) that a network
# namespace does not have.
#
#   guest.sh up [STATE_DIR] [--series 6.1|6.12] [--flavor amd64|cloud-amd64]
#               [--memory MiB] [--cpus N] [--name NAME]
#                                 boot a guest, wait for sshd, write STATE_DIR/guest.json
#   guest.sh down [STATE_DIR]     kill QEMU, remove STATE_DIR (idempotent)
#   guest.sh status [STATE_DIR]   that guest (pid, port, ssh answers?), or every guest
#   guest.sh ssh [STATE_DIR] CMD...   run CMD in the guest as the deploy user
#   guest.sh down-all             kill every guest of this harness on this machine
#
# STATE_DIR defaults to $TCPMEM_QEMU_GUEST_DIR, else <repo>/test-hosts/run/qemu-vm1.
# For `ssh`, the first argument is taken as STATE_DIR when it is a directory
# holding a guest.json.  Environment: TCPMEM_QEMU_GUEST_TIMEOUT (seconds `up`
# waits for sshd, default 180), TCPMEM_QEMU_GUEST_KEEP=1 (keep STATE_DIR of a
# failed `up` for its serial log), TCPMEM_QEMU_GUEST_CACHE (where the base
# initramfs is cached, default <repo>/test-hosts/run/.qemu-guest-cache).
# See README.md next to this file.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/../.." && pwd)"
FETCH_KERNEL="$REPO/tools/qemu/fetch-kernel.sh"
MARKER=tcpmem-qemu-guest          # in QEMU's -name: how status/down-all find our guests
GUEST_NET=192.0.2                 # slirp's virtual LAN (RFC 5737 TEST-NET-1), inside QEMU only
GUEST_ADDR=$GUEST_NET.15
DEPLOY_USER=tcpmem-deploy
CACHE_DIR="${TCPMEM_QEMU_GUEST_CACHE:-$REPO/test-hosts/run/.qemu-guest-cache}"   # git-ignored
PORT_MIN=20000 PORT_MAX=32000     # below Linux's ephemeral range (32768-60999)

log() { printf 'qemu-guest: %s\n' "$*" >&2; }
die() { printf 'qemu-guest: error: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
  exit 2
}

resolve_state_dir() {
  local d="${1:-${TCPMEM_QEMU_GUEST_DIR:-$REPO/test-hosts/run/qemu-vm1}}"
  [ -n "$d" ] || die "empty STATE_DIR"
  realpath -m -- "$d"
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ------------------------------------------------------------------ deps ---

ensure_deps() {
  local pkgs=() had_sshd=0
  command -v qemu-system-x86_64 >/dev/null 2>&1 || pkgs+=(qemu-system-x86)
  { [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; } || pkgs+=(busybox-static)
  [ -x /usr/sbin/sshd ] && had_sshd=1 || pkgs+=(openssh-server)
  command -v ssh >/dev/null 2>&1 && command -v ssh-keygen >/dev/null 2>&1 || pkgs+=(openssh-client)
  [ -x /usr/bin/sudo ] && [ -x /usr/sbin/visudo ] || pkgs+=(sudo)
  command -v cpio >/dev/null 2>&1 || pkgs+=(cpio)
  command -v jq >/dev/null 2>&1 || pkgs+=(jq)
  command -v xz >/dev/null 2>&1 || pkgs+=(xz-utils)
  command -v modinfo >/dev/null 2>&1 || pkgs+=(kmod)
  [ -x /usr/sbin/sysctl ] || pkgs+=(procps)
  [ -f /usr/lib/x86_64-linux-gnu/security/pam_permit.so ] || pkgs+=(libpam-modules)
  command -v ss >/dev/null 2>&1 || pkgs+=(iproute2)
  command -v flock >/dev/null 2>&1 || pkgs+=(util-linux)
  [ ${#pkgs[@]} -eq 0 ] && return 0
  log "installing ${pkgs[*]}"
  local made_policy=0 rc=0
  # Keep openssh-server's maintainer scripts from starting a system sshd here.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  {
    { apt-cache show "${pkgs[0]}" >/dev/null 2>&1 || apt-get -o DPkg::Lock::Timeout=600 update -qq; } &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        --no-install-recommends "${pkgs[@]}"
  } >&2 || rc=$?
  [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || die "apt-get install failed (rc=$rc)"
  if [ "$had_sshd" = 0 ] && [ -s /run/sshd.pid ]; then
    local pid
    pid=$(cat /run/sshd.pid)
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sshd ]; then
      log "stopping the system sshd (pid $pid) that the openssh-server package started"
      kill "$pid" 2>/dev/null || true
    fi
  fi
}

# ------------------------------------------------------------- processes ---

# qemu_pid_of STATE_DIR: the live QEMU of that guest, or nothing.  Checks that
# the pid really is our QEMU for that STATE_DIR (pids get reused).
qemu_pid_of() {
  local dir=$1 pid
  [ -s "$dir/qemu.pid" ] || return 0
  pid=$(tr -dc 0-9 <"$dir/qemu.pid")
  [ -n "$pid" ] || return 0
  if { tr '\0' '\n' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -xF -- "$dir/qemu.pid" >/dev/null &&
     [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; then
    echo "$pid"
  fi
}

# all_guest_pids: "PID STATE_DIR" for every QEMU started by this harness.
all_guest_pids() {
  local p cmd
  for p in /proc/[0-9]*; do
    cmd=$( { tr '\0' '\n' <"$p/cmdline"; } 2>/dev/null) || continue
    case "$cmd" in *"$MARKER"*) ;; *) continue ;; esac
    [ "$(awk '{print $3}' "$p/stat" 2>/dev/null)" = Z ] && continue
    printf '%s %s\n' "${p#/proc/}" "$(printf '%s\n' "$cmd" | grep -m1 '/qemu\.pid$' | sed 's|/qemu\.pid$||')"
  done
}

kill_qemu() { # kill_qemu PID: TERM, then KILL after 5 s
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do
    [ -d "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

# ------------------------------------------------------------------ ssh ----

ssh_args() { # ssh_args STATE_DIR [EXTRA_OPTION...] -> ssh's argv up to the destination (one per line)
  local dir=$1; shift
  local port
  port=$(jq -r .port "$dir/guest.json")
  printf '%s\n' -F none -i "$dir/keys/id_ed25519" -p "$port" \
    -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes \
    -o "UserKnownHostsFile=$dir/known_hosts" -o GlobalKnownHostsFile=/dev/null \
    -o LogLevel=ERROR "$@" -o ConnectTimeout=10 "$DEPLOY_USER@127.0.0.1"
}

guest_ssh() { # guest_ssh STATE_DIR CMD...
  local dir=$1; shift
  local args
  mapfile -t args < <(ssh_args "$dir")
  ssh "${args[@]}" "$@"
}

# ------------------------------------------------------------------- up ----

free_port() { # a loopback TCP port nobody listens on (QEMU's bind is the real test)
  local p i
  for i in $(seq 1 50); do
    p=$((PORT_MIN + RANDOM % (PORT_MAX - PORT_MIN)))
    if [ -z "$(ss -Htan "( sport = :$p )" 2>/dev/null)" ]; then echo "$p"; return 0; fi
  done
  die "no free loopback port found in $PORT_MIN-$PORT_MAX"
}

# base_initramfs RELEASE MODULES: path of the cached base archive for that
# kernel, (re)built under a lock when missing or when its manifest no longer
# matches the files of this machine it was made from (a package upgrade, an
# edit of the build script).
base_initramfs() {
  local release=$1 moddir=$2
  local base="$CACHE_DIR/base-$release-$DEPLOY_USER.cpio.gz"
  mkdir -p "$CACHE_DIR"
  (
    flock -w 600 9 || die "timed out waiting for $CACHE_DIR/lock"
    if [ -s "$base" ] && [ -s "$base.manifest" ] &&
       [ "$(cut -d' ' -f1 "$base.manifest" | xargs -d '\n' stat -c '%n %s %Y' 2>/dev/null)" = "$(cat "$base.manifest")" ]; then
      exit 0
    fi
    local t
    t=$(now)
    "$SCRIPT_DIR/build-initramfs.sh" base --out "$base" --release "$release" --modules "$moddir" \
      --user "$DEPLOY_USER" >/dev/null
    log "built the base initramfs for $release in $(elapsed "$t")s ($base)"
  ) 9>"$CACHE_DIR/lock" >&2
  echo "$base"
}

cmd_up() {
  local dir= series=6.1 flavor=cloud-amd64 memory=1024 cpus=1 name=vm1
  while [ $# -gt 0 ]; do
    case "$1" in
      --series) series=${2:?}; shift 2 ;;
      --flavor) flavor=${2:?}; shift 2 ;;
      --memory) memory=${2:?}; shift 2 ;;
      --cpus) cpus=${2:?}; shift 2 ;;
      --name) name=${2:?}; shift 2 ;;
      -h|--help) usage ;;
      -*) die "unknown option $1" ;;
      *) [ -z "$dir" ] || die "unexpected argument $1"; dir=$1; shift ;;
    esac
  done
  case "$series" in 6.1|6.12) ;; *) die "--series must be 6.1 or 6.12" ;; esac
  case "$flavor" in amd64|cloud-amd64) ;; *) die "--flavor must be amd64 or cloud-amd64" ;; esac
  [[ $memory =~ ^[0-9]+$ ]] && [ "$memory" -ge 256 ] || die "--memory must be MiB >= 256"
  [[ $cpus =~ ^[0-9]+$ ]] && [ "$cpus" -ge 1 ] || die "--cpus must be >= 1"
  [[ $name =~ ^[A-Za-z0-9][A-Za-z0-9-]{0,30}$ ]] || die "--name must be [A-Za-z0-9-], up to 31 chars"
  dir=$(resolve_state_dir "$dir")
  local timeout_s=${TCPMEM_QEMU_GUEST_TIMEOUT:-180}

  ensure_deps
  if [ -e "$dir" ]; then
    [ -n "$(qemu_pid_of "$dir")" ] && log "$dir holds a running guest; taking it down first"
    cmd_down "$dir"
  fi
  mkdir -p "$dir/keys"
  chmod 0755 "$dir"
  UP_DIR=$dir
  trap 'up_failed' EXIT
  trap 'exit 130' INT TERM

  local t0 VMLINUZ= MODULES= RELEASE= PACKAGE= k v
  t0=$(now)
  # fetch-kernel.sh prints KEY=VALUE lines; take only the ones we know.
  while IFS='=' read -r k v; do
    case "$k" in VMLINUZ|MODULES|RELEASE|PACKAGE) printf -v "$k" '%s' "$v" ;; esac
  done < <("$FETCH_KERNEL" "$series" "$flavor")
  [ -f "$VMLINUZ" ] && [ -d "$MODULES" ] && [ -n "$RELEASE" ] ||
    die "fetch-kernel.sh $series $flavor did not give a kernel"

  ssh-keygen -q -t ed25519 -N '' -C "tcpmem-qemu-guest-$name-host" -f "$dir/keys/ssh_host_ed25519_key"
  ssh-keygen -q -t ed25519 -N '' -C "tcpmem-qemu-guest-$name-client" -f "$dir/keys/id_ed25519"
  local base
  base=$(base_initramfs "$RELEASE" "$MODULES")
  "$SCRIPT_DIR/build-initramfs.sh" overlay --out "$dir/overlay.cpio.gz" \
    --host-key "$dir/keys/ssh_host_ed25519_key" --authorized-key "$dir/keys/id_ed25519.pub" \
    --user "$DEPLOY_USER" --hostname "tcpmem-$name" --address "$GUEST_ADDR/24" >/dev/null
  # The kernel unpacks concatenated archives in order: the overlay adds this run's keys.
  cat "$base" "$dir/overlay.cpio.gz" >"$dir/initramfs.cpio.gz"
  rm -f "$dir/overlay.cpio.gz"
  log "kernel $RELEASE ($PACKAGE), initramfs ready in $(elapsed "$t0")s"

  # Start QEMU daemonized: it returns once the netdev (and so the hostfwd
  # listener) is set up, or fails if the port was taken meanwhile -> retry.
  local port= attempt qemu_err=$dir/qemu.err t_boot
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    rm -f "$dir/serial.log" "$dir/qemu.pid"
    t_boot=$(now)
    if qemu-system-x86_64 \
      -name "$MARKER-$name,process=$MARKER-$name" \
      -accel tcg -machine pc -cpu qemu64 -smp "$cpus" -m "${memory}M" \
      -nodefaults -display none -no-reboot -monitor none \
      -serial "file:$dir/serial.log" \
      -kernel "$VMLINUZ" -initrd "$dir/initramfs.cpio.gz" \
      -append "console=ttyS0 panic=-1" \
      -netdev "user,id=n0,restrict=on,net=$GUEST_NET.0/24,host=$GUEST_NET.2,dhcpstart=$GUEST_ADDR,hostfwd=tcp:127.0.0.1:$port-$GUEST_ADDR:22" \
      -device virtio-net-pci,netdev=n0 \
      -device virtio-rng-pci \
      -daemonize -pidfile "$dir/qemu.pid" 2>"$qemu_err"; then
      break
    fi
    if grep -qi 'forwarding rule\|address already in use' "$qemu_err"; then
      log "port $port was taken; trying another"
      port=
      continue
    fi
    die "qemu failed: $(cat "$qemu_err")"
  done
  [ -n "$port" ] || die "could not start QEMU on a free port"
  local pid
  pid=$(qemu_pid_of "$dir")
  [ -n "$pid" ] || die "QEMU exited at once: $(cat "$qemu_err")"

  printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$dir/keys/ssh_host_ed25519_key.pub")" >"$dir/known_hosts"
  cat >"$dir/ssh_config" <<EOF
Host $name
  HostName 127.0.0.1
  Port $port
  User $DEPLOY_USER
  IdentityFile $dir/keys/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $dir/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  BatchMode yes
EOF
  write_json "$dir" "$name" "$port" "$RELEASE" "$memory" "$series" "$flavor" "$pid" "$cpus" "$PACKAGE" null

  log "QEMU pid $pid: $series/$flavor, ${memory} MiB, $cpus cpu(s), sshd -> 127.0.0.1:$port; waiting for sshd (<= ${timeout_s}s)"
  local deadline=$(( $(date +%s) + timeout_s )) out poll
  mapfile -t poll < <(ssh_args "$dir" -o ConnectTimeout=5)   # ssh takes the first value given
  while :; do
    [ -n "$(qemu_pid_of "$dir")" ] || die "QEMU died during boot"
    if out=$(ssh "${poll[@]}" 'uname -r' 2>/dev/null) && [ -n "$out" ]; then break; fi
    [ "$(date +%s)" -lt "$deadline" ] || die "sshd did not answer within ${timeout_s}s"
    sleep 1
  done
  local boot_s
  boot_s=$(elapsed "$t_boot")
  [ "$out" = "$RELEASE" ] || die "guest runs $out, expected $RELEASE"
  write_json "$dir" "$name" "$port" "$RELEASE" "$memory" "$series" "$flavor" "$pid" "$cpus" "$PACKAGE" "$boot_s"
  trap - EXIT INT TERM
  log "up: $name ($RELEASE) answers on 127.0.0.1:$port after ${boot_s}s of boot (total $(elapsed "$t0")s)"
  echo "boot-to-ssh ${boot_s}s"
}

write_json() { # dir name port release memory series flavor pid cpus package bootSeconds|null
  local dir=$1
  jq -n --arg name "$2" --argjson port "$3" --arg user "$DEPLOY_USER" \
    --arg identity "$dir/keys/id_ed25519" --arg kh "$dir/known_hosts" --arg release "$4" \
    --argjson mem "$5" --arg series "$6" --arg flavor "$7" --argjson pid "$8" \
    --arg serial "$dir/serial.log" --argjson cpus "$9" --arg package "${10}" --argjson boot "${11}" \
    --arg stateDir "$dir" --arg sshConfig "$dir/ssh_config" \
    --arg hostKey "$dir/keys/ssh_host_ed25519_key.pub" \
    --arg fp "$(ssh-keygen -l -f "$dir/keys/ssh_host_ed25519_key.pub" | awk '{print $2}')" \
    '{name: $name, address: "127.0.0.1", port: $port, user: $user, identityFile: $identity,
      knownHosts: $kh, release: $release, memoryMiB: $mem, series: $series, flavor: $flavor,
      qemuPid: $pid, serialLog: $serial, cpus: $cpus, package: $package, bootSeconds: $boot,
      stateDir: $stateDir, sshConfig: $sshConfig, hostKeyFile: $hostKey, hostKeyFingerprint: $fp}' \
    >"$dir/guest.json.tmp"
  mv "$dir/guest.json.tmp" "$dir/guest.json"
}

up_failed() {
  local rc=$?
  [ -n "${UP_DIR:-}" ] || return
  log "up failed (rc=$rc); last lines of the serial log:"
  tail -n 30 "$UP_DIR/serial.log" 2>/dev/null | sed 's/^/  | /' >&2 || true
  if [ "${TCPMEM_QEMU_GUEST_KEEP:-0}" = 1 ]; then
    local pid
    pid=$(qemu_pid_of "$UP_DIR")
    [ -n "$pid" ] && kill_qemu "$pid"
    log "kept $UP_DIR (TCPMEM_QEMU_GUEST_KEEP=1)"
  else
    cmd_down "$UP_DIR" || true
  fi
  [ "$rc" != 0 ] || rc=1
  exit "$rc"
}

# ----------------------------------------------------------------- down ----

cmd_down() {
  local dir pid
  dir=$(resolve_state_dir "${1:-}")
  pid=$(qemu_pid_of "$dir")
  [ -n "$pid" ] && kill_qemu "$pid"
  if [ -d "$dir" ]; then
    # Only what `up` makes: refuse to rm -rf something that is not a guest dir.
    if [ -e "$dir/guest.json" ] || [ -e "$dir/keys" ] || [ -e "$dir/qemu.pid" ] || [ -z "$(ls -A "$dir")" ]; then
      rm -rf -- "$dir"
    else
      die "$dir does not look like a guest STATE_DIR; not removing it"
    fi
  fi
  return 0
}

cmd_down_all() {
  local pid dir
  while read -r pid dir; do
    [ -n "$pid" ] || continue
    log "killing guest QEMU $pid ($dir)"
    kill_qemu "$pid"
    [ -n "$dir" ] && [ -e "$dir/guest.json" ] && rm -rf -- "$dir"
  done < <(all_guest_pids)
  return 0
}

# --------------------------------------------------------------- status ----

cmd_status() {
  if [ $# -gt 0 ]; then
    local dir pid
    dir=$(resolve_state_dir "$1")
    [ -f "$dir/guest.json" ] || { echo "$dir: no guest"; return 1; }
    pid=$(qemu_pid_of "$dir")
    local port release
    port=$(jq -r .port "$dir/guest.json"); release=$(jq -r .release "$dir/guest.json")
    if [ -z "$pid" ]; then echo "$dir: QEMU DOWN (port $port, $release)"; return 1; fi
    if guest_ssh "$dir" true 2>/dev/null; then
      echo "$dir: up, QEMU pid $pid, ssh 127.0.0.1:$port answers, $release"
    else
      echo "$dir: QEMU pid $pid running, ssh 127.0.0.1:$port NOT answering, $release"
      return 1
    fi
    return 0
  fi
  local n=0 pid dir
  while read -r pid dir; do
    [ -n "$pid" ] || continue
    n=$((n + 1))
    if [ -f "$dir/guest.json" ]; then
      echo "pid $pid  $dir  port $(jq -r .port "$dir/guest.json")  $(jq -r .release "$dir/guest.json")"
    else
      echo "pid $pid  $dir  (no guest.json)"
    fi
  done < <(all_guest_pids)
  [ "$n" -gt 0 ] || echo "no guests running"
}

cmd_ssh() {
  local dir
  if [ $# -gt 0 ] && [ -f "$1/guest.json" ]; then dir=$(resolve_state_dir "$1"); shift
  else dir=$(resolve_state_dir ""); fi
  [ -f "$dir/guest.json" ] || die "no guest in $dir"
  [ $# -gt 0 ] || die "usage: guest.sh ssh [STATE_DIR] CMD..."
  guest_ssh "$dir" "$@"
}

# ----------------------------------------------------------------- main ----

[ $# -ge 1 ] || usage
[ "$(id -u)" = 0 ] || die "needs root (apt-get, QEMU in the background, the guest's files owned by uid 1000)"
sub=$1; shift
case "$sub" in
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  down-all) cmd_down_all ;;
  status) cmd_status "$@" ;;
  ssh) cmd_ssh "$@" ;;
  -h|--help|help) usage ;;
  *) usage ;;
esac
