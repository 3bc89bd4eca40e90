#!/usr/bin/env bash
# tcpmem test hosts: N real OpenSSH servers on this machine, one per network
# namespace (+ private mount and UTS namespace), so that per-netns TCP sysctls
# are really read and written over SSH without touching this machine's own
# values or its /etc/sysctl.d.
#
#   netns-hosts.sh up N [STATE_DIR]          create hosts h1..hN (cleans a stale run first)
#   netns-hosts.sh down [STATE_DIR]          remove everything `up` made (idempotent)
#   netns-hosts.sh status [STATE_DIR]        show hosts / sshd liveness / all slots
#   netns-hosts.sh kill-sshd NAME [STATE_DIR]            SIGKILL sshd + all its sessions
#   netns-hosts.sh start-sshd NAME [STATE_DIR]           (re)start sshd of NAME
#   netns-hosts.sh readonly-sysctl-dir NAME on|off [STATE_DIR]
#   netns-hosts.sh rotate-host-key NAME [STATE_DIR]      new host key; known_hosts is left stale
#   netns-hosts.sh refresh-known-hosts [STATE_DIR]       rewrite known_hosts from current keys
#   netns-hosts.sh partition NAME on|off [STATE_DIR]     silently drop all traffic to/from NAME
#   netns-hosts.sh readonly-proc-sys-net NAME on|off [STATE_DIR]   /proc/sys/net read-only in NAME's mount ns
#   netns-hosts.sh delay-syscalls NAME SYSCALL[,SYSCALL…]=MICROSECONDS… [STATE_DIR]
#                                             strace NAME's sshd and every process it starts from now on,
#                                             delaying each listed syscall on entry (opens timing windows)
#   netns-hosts.sh undelay-syscalls NAME [STATE_DIR]     detach that strace (delayed calls go on at once)
#   netns-hosts.sh down-all                  remove every harness on this machine (all slots)
#
# STATE_DIR defaults to $TCPMEM_TEST_HOSTS_DIR, else <this dir>/run/default.
# See README.md next to this file.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GLOBAL_DIR="${TCPMEM_TEST_HOSTS_GLOBAL_DIR:-/run/tcpmem-test-hosts}"
MAX_SLOTS=64     # 198.18.0.0/24 .. 198.18.63.0/24, one /24 per concurrent harness
MAX_HOSTS=200    # host i gets 198.18.SLOT.(10+i)
CUSTOM_PORT=2222
SSHD=/usr/sbin/sshd

log() { printf 'netns-hosts: %s\n' "$*" >&2; }
die() { printf 'netns-hosts: error: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
  exit 2
}

# ---------------------------------------------------------------- helpers ---

resolve_state_dir() {
  local d="${1:-${TCPMEM_TEST_HOSTS_DIR:-$SCRIPT_DIR/run/default}}"
  [ -n "$d" ] || die "empty STATE_DIR"
  realpath -m -- "$d"
}

json_str() { # JSON string literal for $1 (paths, fingerprints: no control chars)
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

# Names for slot $1 (slot 0 keeps the short, documented names).
slot_ns_prefix() { if [ "$1" -eq 0 ]; then echo "tcpmem"; else echo "tcpmem-s$1"; fi; }
slot_user()      { if [ "$1" -eq 0 ]; then echo "tcpmem-deploy"; else echo "tcpmem-deploy-s$1"; fi; }
slot_sudoers()   { echo "/etc/sudoers.d/tcpmem-test-hosts-s$1"; }
slot_bridge()    { echo "tcpm$1br"; }
slot_veth()      { echo "tcpm$1h$2"; }        # root-side end of host $2's veth (<=15 chars)
slot_net()       { echo "198.18.$1"; }        # the slot's /24 (RFC 2544 benchmarking range)

ensure_global_dir() { mkdir -p "$GLOBAL_DIR/slots"; }

with_global_lock() { # run "$@" holding the machine-wide harness lock
  ensure_global_dir
  (
    flock -w 300 9 || die "timed out waiting for $GLOBAL_DIR/lock"
    "$@"
  ) 9>"$GLOBAL_DIR/lock"
}

ensure_deps() {
  local missing=() c
  for c in "$SSHD" ssh ssh-keygen sudo visudo ip socat unshare nsenter flock setsid realpath runuser; do
    command -v "$c" >/dev/null 2>&1 || missing+=("$c")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "missing: ${missing[*]} -> installing openssh-server sudo iproute2 socat"
  with_global_lock install_deps_locked
}

install_deps_locked() {
  local had_sshd=0 made_policy=0
  [ -x "$SSHD" ] && had_sshd=1
  # Keep the package's init script from starting a system sshd on 0.0.0.0:22.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  local rc=0
  {
    apt-get -o DPkg::Lock::Timeout=600 update -qq &&
      apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
        openssh-server openssh-client sudo iproute2 socat util-linux
  } >&2 || rc=$?
  [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || die "apt-get install failed (rc=$rc)"
  if [ "$had_sshd" = 0 ]; then
    stop_system_sshd
  fi
}

stop_system_sshd() { # a system sshd that the package may have started in the root netns
  if [ -d /run/systemd/system ]; then
    systemctl disable --now ssh.service ssh.socket >/dev/null 2>&1 || true
  fi
  if [ -s /run/sshd.pid ]; then
    local pid
    pid=$(cat /run/sshd.pid)
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sshd ] &&
       [ "$(readlink "/proc/$pid/ns/net")" = "$(readlink /proc/self/ns/net)" ]; then
      log "stopping the system sshd (pid $pid) that the openssh-server package started"
      kill "$pid" || true
    fi
  fi
}

# -------------------------------------------------------- slot bookkeeping ---

slot_owner() { cat "$GLOBAL_DIR/slots/$1" 2>/dev/null || true; }

slot_is_live() { # slot $1 is in use by a state dir that still claims it
  local owner
  owner=$(slot_owner "$1")
  [ -n "$owner" ] && [ -f "$owner/harness.env" ] &&
    [ "$(sed -n 's/^SLOT=//p' "$owner/harness.env")" = "$1" ]
}

alloc_slot_locked() { # prints the slot claimed for STATE_DIR $1
  local k
  for ((k = 0; k < MAX_SLOTS; k++)); do
    if [ -e "$GLOBAL_DIR/slots/$k" ]; then
      slot_is_live "$k" && continue
      log "reclaiming stale slot $k (was $(slot_owner "$k"))"
      cleanup_slot "$k"
    fi
    # also skip slots whose resources exist without a slot file (foreign leftovers)
    if ip link show "$(slot_bridge "$k")" >/dev/null 2>&1; then
      cleanup_slot "$k"
    fi
    printf '%s\n' "$1" >"$GLOBAL_DIR/slots/$k"
    echo "$k"
    return 0
  done
  die "all $MAX_SLOTS harness slots are in use (see: $0 status)"
}

kill_netns_pids() { # SIGKILL every process in netns $1, wait until gone
  local ns=$1 pids i
  for i in 1 2 3 4 5 6 7 8 9 10; do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -z "$pids" ] && return 0
    # shellcheck disable=SC2086
    kill -9 $pids 2>/dev/null || true
    sleep 0.05
  done
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [ -z "$pids" ] || log "warning: processes still in $ns: $pids"
}

slot_namespaces() { # all netns names belonging to slot $1
  local prefix ns
  prefix=$(slot_ns_prefix "$1")
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
    [[ "$ns" =~ ^${prefix}-h[0-9]+$ ]] && echo "$ns"
  done
  return 0
}

cleanup_slot() { # remove every resource of slot $1 (by name; idempotent)
  local k=$1 ns link user nss pids
  nss=$(slot_namespaces "$k")
  for ns in $nss; do # SIGKILL everything first, then wait per namespace
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    # shellcheck disable=SC2086
    [ -n "$pids" ] && kill -9 $pids 2>/dev/null || true
  done
  for ns in $nss; do
    kill_netns_pids "$ns"
    ip netns del "$ns" 2>/dev/null || true
  done
  for link in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//'); do
    [[ "$link" =~ ^tcpm${k}h[0-9]+$ ]] && ip link del "$link" 2>/dev/null || true
  done
  ip link del "$(slot_bridge "$k")" 2>/dev/null || true
  user=$(slot_user "$k")
  if getent passwd "$user" >/dev/null; then
    # the user's processes all live in the slot's namespaces, killed above
    userdel "$user" >/dev/null 2>&1 || userdel -f "$user" >/dev/null 2>&1 ||
      log "warning: could not delete user $user"
  fi
  getent group "$user" >/dev/null && { groupdel "$user" 2>/dev/null || true; }
  rm -f "$(slot_sudoers "$k")"
  rm -f "$GLOBAL_DIR/slots/$k"
  return 0
}

release_shared_dirs_locked() { # remove /run dirs we created once no slot is in use
  if [ -z "$(ls -A "$GLOBAL_DIR/slots" 2>/dev/null)" ]; then
    if [ -f "$GLOBAL_DIR/created-run-sysctl.d" ]; then
      rmdir /run/sysctl.d 2>/dev/null || true
      rm -f "$GLOBAL_DIR/created-run-sysctl.d"
    fi
  fi
  return 0
}

# ------------------------------------------------------------------ state ---

load_state() { # loads harness.env of $STATE_DIR into globals
  [ -f "$STATE_DIR/harness.env" ] || die "no harness at $STATE_DIR (run: $0 up N $STATE_DIR)"
  # shellcheck disable=SC1091
  . "$STATE_DIR/harness.env"
}

host_index() { # NAME (h3 / tcpmem-h3 / 3) -> 3, validated against N
  local name=$1 i
  i=${name##*h}
  [[ "$i" =~ ^[0-9]+$ ]] || die "bad host name '$name' (expected h1..h$N)"
  [ "$i" -ge 1 ] && [ "$i" -le "$N" ] || die "no host '$name' in this harness (h1..h$N)"
  echo "$i"
}

host_dir() { echo "$STATE_DIR/hosts/h$1"; }
host_ns() { echo "$(slot_ns_prefix "$SLOT")-h$1"; }
host_addr() { echo "$(slot_net "$SLOT").$((10 + $1))"; }
host_port() { cat "$(host_dir "$1")/port"; }

host_pid() { # pid of host $1's listening sshd, or empty
  local f pid
  f="$(host_dir "$1")/sshd.pid"
  [ -s "$f" ] || return 0
  pid=$(cat "$f")
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sshd ] &&
     [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] &&
     [ "$(stat -L -c %i "/proc/$pid/ns/net" 2>/dev/null)" = "$(stat -L -c %i "/run/netns/$(host_ns "$1")" 2>/dev/null)" ]; then
    echo "$pid"
  fi
  return 0
}

host_fingerprint() { ssh-keygen -lf "$(host_dir "$1")/ssh_host_ed25519_key.pub" | awk '{print $2}'; }

write_known_hosts() {
  local i addr port tmp
  tmp="$STATE_DIR/known_hosts.tmp"
  : >"$tmp"
  for ((i = 1; i <= N; i++)); do
    addr=$(host_addr "$i")
    port=$(host_port "$i")
    if [ "$port" = 22 ]; then
      printf '%s %s\n' "$addr" "$(cut -d' ' -f1,2 "$(host_dir "$i")/ssh_host_ed25519_key.pub")" >>"$tmp"
    else
      printf '[%s]:%s %s\n' "$addr" "$port" "$(cut -d' ' -f1,2 "$(host_dir "$i")/ssh_host_ed25519_key.pub")" >>"$tmp"
    fi
  done
  cp "$tmp" "$STATE_DIR/known_hosts.hashed"
  ssh-keygen -q -H -f "$STATE_DIR/known_hosts.hashed" >/dev/null 2>&1
  rm -f "$STATE_DIR/known_hosts.hashed.old"
  mv "$tmp" "$STATE_DIR/known_hosts"
  chmod 644 "$STATE_DIR/known_hosts" "$STATE_DIR/known_hosts.hashed"
}

write_ssh_config() {
  local i f="$STATE_DIR/ssh_config"
  {
    echo "# ssh -F $f h1 'sudo -n cat /proc/sys/net/ipv4/tcp_rmem'"
    for ((i = 1; i <= N; i++)); do
      printf 'Host h%s %s\n  HostName %s\n  Port %s\n\n' "$i" "$(host_ns "$i")" "$(host_addr "$i")" "$(host_port "$i")"
    done
    printf 'Host *\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n  IdentityAgent none\n' "$USER_NAME" "$STATE_DIR/keys/id_ed25519"
    printf '  UserKnownHostsFile %s\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n' "$STATE_DIR/known_hosts"
    printf '  BatchMode yes\n  ConnectTimeout 5\n  LogLevel ERROR\n'
  } >"$f"
}

write_hosts_json() {
  local i first=1 pid tmp="$STATE_DIR/hosts.json.tmp"
  {
    printf '{\n'
    printf '  "stateDir": %s,\n' "$(json_str "$STATE_DIR")"
    printf '  "slot": %s,\n' "$SLOT"
    printf '  "user": %s,\n' "$(json_str "$USER_NAME")"
    printf '  "identityFile": %s,\n' "$(json_str "$STATE_DIR/keys/id_ed25519")"
    printf '  "wrongIdentityFile": %s,\n' "$(json_str "$STATE_DIR/keys/id_ed25519_wrong")"
    printf '  "encryptedIdentityFile": %s,\n' "$(json_str "$STATE_DIR/keys/id_ed25519_encrypted")"
    printf '  "passphraseFile": %s,\n' "$(json_str "$STATE_DIR/keys/encrypted_passphrase")"
    printf '  "knownHosts": %s,\n' "$(json_str "$STATE_DIR/known_hosts")"
    printf '  "knownHostsHashed": %s,\n' "$(json_str "$STATE_DIR/known_hosts.hashed")"
    printf '  "sshConfig": %s,\n' "$(json_str "$STATE_DIR/ssh_config")"
    printf '  "bridgeAddress": %s,\n' "$(json_str "$(slot_net "$SLOT").1")"
    printf '  "unreachableAddress": %s,\n' "$(json_str "$(slot_net "$SLOT").250")"
    printf '  "hosts": ['
    for ((i = 1; i <= N; i++)); do
      pid=$(host_pid "$i")
      [ "$first" = 1 ] && first=0 || printf ','
      printf '\n    {"name": "h%s", "namespace": %s, "address": %s, "port": %s, "user": %s,' \
        "$i" "$(json_str "$(host_ns "$i")")" "$(json_str "$(host_addr "$i")")" "$(host_port "$i")" "$(json_str "$USER_NAME")"
      printf ' "identityFile": %s, "hostKeyFingerprint": %s,' \
        "$(json_str "$STATE_DIR/keys/id_ed25519")" "$(json_str "$(host_fingerprint "$i")")"
      printf ' "hostKeyFile": %s, "sysctlDir": %s, "runSysctlDir": %s, "sshdLog": %s, "sshdPid": %s}' \
        "$(json_str "$(host_dir "$i")/ssh_host_ed25519_key.pub")" \
        "$(json_str "$(host_dir "$i")/etc/sysctl.d")" "$(json_str "$(host_dir "$i")/run/sysctl.d")" \
        "$(json_str "$(host_dir "$i")/sshd.log")" "${pid:-null}"
    done
    printf '\n  ]\n}\n'
  } >"$tmp"
  mv "$tmp" "$STATE_DIR/hosts.json"
}

# ------------------------------------------------------------------- sshd ---

write_sshd_config() {
  local i=$1 hd
  hd=$(host_dir "$i")
  cat >"$hd/sshd_config" <<EOF
# generated by netns-hosts.sh for $(host_ns "$i")
Port $(host_port "$i")
ListenAddress $(host_addr "$i")
AddressFamily inet
HostKey $hd/ssh_host_ed25519_key
PidFile $hd/sshd.pid
AuthorizedKeysFile $STATE_DIR/authorized_keys
AllowUsers $USER_NAME
PermitRootLogin no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
UseDNS no
PrintMotd no
PrintLastLog no
X11Forwarding no
AllowTcpForwarding yes
AllowAgentForwarding no
PermitTunnel no
MaxStartups 128:30:256
MaxSessions 64
LoginGraceTime 30
LogLevel VERBOSE
Subsystem sftp internal-sftp
EOF
}

# The sshd of host $1 runs in the host's netns (ip netns exec) and in a fresh
# private mount + UTS namespace where:
#   /etc/sysctl.d, /run/sysctl.d, /etc/sysctl.conf -> per-host copies in STATE_DIR
#   /usr/lib/sysctl.d (= /lib/sysctl.d)             -> an empty dir (so `sysctl --system`
#                                                      only loads the host's own files)
#   /proc/sys read-only except /proc/sys/net         (a stray non-net write fails with
#                                                      EROFS instead of changing this machine)
#   hostname = the namespace name
# Every session is a descendant of sshd, so it sees exactly this view.
NS_INIT='
set -e
hd=$1; hn=$2
mount --bind "$hd/etc/sysctl.d" /etc/sysctl.d
mount --bind "$hd/run/sysctl.d" /run/sysctl.d
mount --bind "$hd/sysctl.conf" /etc/sysctl.conf
mount --bind "$hd/empty" /usr/lib/sysctl.d
mount --bind "$hd/hosts" /etc/hosts
mount --bind /proc/sys /proc/sys
mount --bind /proc/sys/net /proc/sys/net
mount -o remount,bind,ro /proc/sys
if [ -e "$hd/readonly" ]; then mount -o remount,bind,ro /etc/sysctl.d; fi
hostname "$hn"
exec /usr/sbin/sshd -D -e -f "$hd/sshd_config"
'

start_sshd() { # start host $1's sshd (no wait)
  local i=$1 hd
  hd=$(host_dir "$i")
  rm -f "$hd/sshd.pid"
  setsid ip netns exec "$(host_ns "$i")" \
    unshare --mount --uts --propagation private \
    /bin/sh -c "$NS_INIT" sh "$hd" "$(host_ns "$i")" \
    >>"$hd/sshd.log" 2>&1 </dev/null &
  disown "$!" 2>/dev/null || true
}

wait_sshd() { # wait until host $1's sshd wrote its pidfile (it does so after listen())
  local i=$1 hd t
  hd=$(host_dir "$i")
  for ((t = 0; t < 300; t++)); do
    if [ -s "$hd/sshd.pid" ] && [ -n "$(host_pid "$i")" ]; then return 0; fi
    sleep 0.02
  done
  tail -n 20 "$hd/sshd.log" >&2 || true
  die "sshd of h$i did not start (log: $hd/sshd.log)"
}

# -------------------------------------------------------------------- up ----

cmd_up() {
  local n=${1:-}
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le "$MAX_HOSTS" ] ||
    die "usage: up N [STATE_DIR] with 1 <= N <= $MAX_HOSTS"
  STATE_DIR=$(resolve_state_dir "${2:-}")
  ensure_deps

  if [ -e "$STATE_DIR/harness.env" ]; then
    log "cleaning previous run in $STATE_DIR"
    cmd_down "$STATE_DIR"
  elif [ -e "$STATE_DIR" ] && [ -n "$(ls -A "$STATE_DIR")" ]; then
    die "$STATE_DIR exists, is not empty and is no harness state dir; refusing to use it"
  fi

  local t0=$SECONDS
  mkdir -p "$STATE_DIR"
  chmod 755 "$STATE_DIR"
  touch "$STATE_DIR/.tcpmem-test-hosts"
  # From here on, a failure removes everything made so far.
  trap 'rc=$?; trap - EXIT; if [ $rc != 0 ]; then log "up failed; cleaning up"; cmd_down "$STATE_DIR" || true; fi; exit $rc' EXIT
  trap 'exit 130' INT TERM

  SLOT=$(with_global_lock alloc_slot_locked "$STATE_DIR")
  N=$n
  USER_NAME=$(slot_user "$SLOT")
  cat >"$STATE_DIR/harness.env" <<EOF
SLOT=$SLOT
N=$N
USER_NAME=$USER_NAME
EOF
  local net bridge i
  net=$(slot_net "$SLOT")
  bridge=$(slot_bridge "$SLOT")

  # the machine-wide bits (shared dirs, user, sudoers) under the global lock
  with_global_lock setup_machine_locked

  # keys
  mkdir -p "$STATE_DIR/keys"
  chmod 700 "$STATE_DIR/keys"
  ssh-keygen -q -t ed25519 -N '' -C "tcpmem-test-deploy" -f "$STATE_DIR/keys/id_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C "tcpmem-test-not-authorized" -f "$STATE_DIR/keys/id_ed25519_wrong"
  head -c 18 /dev/urandom | base64 | tr -d '\n/+=' >"$STATE_DIR/keys/encrypted_passphrase"
  chmod 600 "$STATE_DIR/keys/encrypted_passphrase"
  ssh-keygen -q -t ed25519 -N "$(cat "$STATE_DIR/keys/encrypted_passphrase")" \
    -C "tcpmem-test-encrypted" -f "$STATE_DIR/keys/id_ed25519_encrypted"
  cat "$STATE_DIR/keys/id_ed25519.pub" "$STATE_DIR/keys/id_ed25519_encrypted.pub" >"$STATE_DIR/authorized_keys"
  chmod 644 "$STATE_DIR/authorized_keys"
  # sshd reads AuthorizedKeysFile as the user: every ancestor of STATE_DIR must be searchable by others
  if ! runuser -u "$USER_NAME" -- test -r "$STATE_DIR/authorized_keys"; then
    local a="$STATE_DIR" bad=""
    while [ "$a" != / ]; do
      a=$(dirname "$a")
      runuser -u "$USER_NAME" -- test -x "$a" || bad="$a"
    done
    die "the deploy user cannot reach $STATE_DIR/authorized_keys: ${bad:-an ancestor} is not searchable by other users (e.g. a mkdtemp dir, mode 0700); chmod o+x it or use another STATE_DIR"
  fi

  # network: one bridge in the root netns, one veth per host attached to it
  local batch="$STATE_DIR/ip-root.batch"
  {
    echo "link add $bridge type bridge forward_delay 0 stp_state 0"
    echo "link set $bridge addrgenmode none"
    echo "addr add $net.1/24 dev $bridge"
    echo "link set $bridge up"
    for ((i = 1; i <= N; i++)); do
      echo "netns add $(host_ns "$i")"
    done
  } >"$batch"
  ip -batch "$batch"
  : >"$batch"
  for ((i = 1; i <= N; i++)); do
    {
      echo "link add $(slot_veth "$SLOT" "$i") type veth peer name eth0 netns $(host_ns "$i")"
      echo "link set $(slot_veth "$SLOT" "$i") addrgenmode none master $bridge up"
    } >>"$batch"
  done
  ip -batch "$batch"
  for ((i = 1; i <= N; i++)); do
    printf '%s\n' "link set lo up" "link set eth0 addrgenmode none" \
      "addr add $(host_addr "$i")/24 dev eth0" "link set eth0 up" |
      ip -n "$(host_ns "$i")" -batch -
  done
  rm -f "$batch"
  # A silent black hole inside the slot's range: frames go to a MAC nobody has,
  # so a connect() to it times out (no RST, no ICMP) -> timeout tests. Added once
  # the bridge has live ports (an entry added before did not stick).
  ip neigh replace "$net.250" lladdr 02:00:5e:12:00:fa dev "$bridge" nud permanent

  # per-host files and sshd
  local port_host=${TCPMEM_CUSTOM_PORT_HOST:-}
  if [ -z "$port_host" ]; then
    if [ "$N" -ge 2 ]; then port_host="h$N"; else port_host=none; fi
  fi
  for ((i = 1; i <= N; i++)); do
    local hd
    hd=$(host_dir "$i")
    mkdir -p "$hd/etc/sysctl.d" "$hd/run/sysctl.d" "$hd/empty"
    printf '# /etc/sysctl.conf of test host h%s (netns %s)\n' "$i" "$(host_ns "$i")" >"$hd/sysctl.conf"
    printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n%s\t%s h%s\n' \
      "$(host_ns "$i")" "$(host_addr "$i")" "$(host_ns "$i")" "$i" >"$hd/hosts"
    if [ "$port_host" = "h$i" ]; then echo "$CUSTOM_PORT" >"$hd/port"; else echo 22 >"$hd/port"; fi
    ssh-keygen -q -t ed25519 -N '' -C "$(host_ns "$i")" -f "$hd/ssh_host_ed25519_key"
    write_sshd_config "$i"
    start_sshd "$i"
  done
  for ((i = 1; i <= N; i++)); do wait_sshd "$i"; done

  write_known_hosts
  write_ssh_config
  write_hosts_json
  trap - EXIT INT TERM
  log "up: $N host(s) in slot $SLOT ($net.11-$net.$((10 + N))) in $((SECONDS - t0))s; state: $STATE_DIR/hosts.json"
}

setup_machine_locked() {
  if [ ! -d /run/sysctl.d ]; then
    mkdir -p /run/sysctl.d
    touch "$GLOBAL_DIR/created-run-sysctl.d"
  fi
  mkdir -p /run/sshd && chmod 755 /run/sshd # sshd's privilege separation dir
  if getent passwd "$USER_NAME" >/dev/null; then userdel -f "$USER_NAME" >/dev/null 2>&1 || true; fi
  getent group "$USER_NAME" >/dev/null && { groupdel "$USER_NAME" 2>/dev/null || true; }
  mkdir -p "$STATE_DIR/home"
  # '*' (not '!'): no password, but not "locked", so sshd with UsePAM no accepts keys
  useradd --no-log-init -M -U -d "$STATE_DIR/home" -s /bin/sh -p '*' -c "tcpmem test deploy user" "$USER_NAME"
  chown "$USER_NAME:$USER_NAME" "$STATE_DIR/home"
  local f tmp
  f=$(slot_sudoers "$SLOT")
  tmp="$STATE_DIR/sudoers.tmp"
  printf '# made by tcpmem test-hosts (%s); removed by its down\n%s ALL=(ALL:ALL) NOPASSWD: ALL\n' \
    "$STATE_DIR" "$USER_NAME" >"$tmp"
  chmod 440 "$tmp"
  visudo -cqf "$tmp" || die "generated sudoers file is invalid"
  mv "$tmp" "$f"
}

# ------------------------------------------------------------------ down ----

cmd_down() {
  STATE_DIR=$(resolve_state_dir "${1:-}")
  local k slot=""
  if [ -f "$STATE_DIR/harness.env" ]; then
    slot=$(sed -n 's/^SLOT=//p' "$STATE_DIR/harness.env")
  fi
  with_global_lock down_locked "$STATE_DIR" "$slot"
  if [ -d "$STATE_DIR" ]; then
    if [ -e "$STATE_DIR/.tcpmem-test-hosts" ] || [ -e "$STATE_DIR/harness.env" ] || [ -z "$(ls -A "$STATE_DIR")" ]; then
      rm -rf -- "$STATE_DIR"
    else
      log "warning: $STATE_DIR does not look like a harness state dir; not removing it"
    fi
  fi
  return 0
}

down_locked() {
  local state=$1 slot=$2 k
  [ -n "$slot" ] && [ "$(slot_owner "$slot")" = "$state" ] && cleanup_slot "$slot"
  # any other slot that names this state dir
  for ((k = 0; k < MAX_SLOTS; k++)); do
    [ "$(slot_owner "$k")" = "$state" ] && cleanup_slot "$k"
  done
  # slot recorded in harness.env but no slot file (e.g. /run was wiped): clean by name
  if [ -n "$slot" ] && [ ! -e "$GLOBAL_DIR/slots/$slot" ]; then cleanup_slot "$slot"; fi
  release_shared_dirs_locked
}

cmd_down_all() {
  with_global_lock down_all_locked
  return 0
}

down_all_locked() {
  local k owner
  for ((k = 0; k < MAX_SLOTS; k++)); do
    owner=$(slot_owner "$k")
    if [ -e "$GLOBAL_DIR/slots/$k" ] || ip link show "$(slot_bridge "$k")" >/dev/null 2>&1 ||
       [ -n "$(slot_namespaces "$k")" ]; then
      cleanup_slot "$k"
      if [ -n "$owner" ] && [ -e "$owner/.tcpmem-test-hosts" ]; then rm -rf -- "$owner"; fi
    fi
  done
  release_shared_dirs_locked
}

# ---------------------------------------------------------------- status ----

cmd_status() {
  STATE_DIR=$(resolve_state_dir "${1:-}")
  local k
  echo "slots in use on this machine ($GLOBAL_DIR/slots):"
  for ((k = 0; k < MAX_SLOTS; k++)); do
    if [ -e "$GLOBAL_DIR/slots/$k" ]; then
      printf '  slot %-2s %s %s\n' "$k" "$(slot_owner "$k")" "$(slot_is_live "$k" && echo live || echo STALE)"
    fi
  done
  if [ ! -f "$STATE_DIR/harness.env" ]; then
    echo "no harness at $STATE_DIR"
    return 0
  fi
  load_state
  echo "harness $STATE_DIR: slot $SLOT, $N host(s), user $USER_NAME"
  local i pid
  for ((i = 1; i <= N; i++)); do
    pid=$(host_pid "$i")
    printf '  h%-3s %-18s %-15s port %-5s sshd %s%s\n' "$i" "$(host_ns "$i")" "$(host_addr "$i")" \
      "$(host_port "$i")" "${pid:-DOWN}" "$([ -e "$(host_dir "$i")/readonly" ] && echo ' sysctl.d=ro' || true)"
  done
}

# ------------------------------------------------------ failure injection ---

cmd_kill_sshd() {
  local i
  i=$(host_index "$1")
  kill_netns_pids "$(host_ns "$i")"
  rm -f "$(host_dir "$i")/sshd.pid"
  write_hosts_json
  log "h$i: sshd and all its sessions killed"
}

cmd_start_sshd() {
  local i
  i=$(host_index "$1")
  if [ -n "$(host_pid "$i")" ]; then
    log "h$i: sshd already running (pid $(host_pid "$i"))"
    return 0
  fi
  start_sshd "$i"
  wait_sshd "$i"
  write_hosts_json
  log "h$i: sshd started (pid $(host_pid "$i"))"
}

cmd_readonly() {
  local i mode=${2:-} pid hd
  i=$(host_index "$1")
  hd=$(host_dir "$i")
  case "$mode" in
    on) touch "$hd/readonly" ;;
    off) rm -f "$hd/readonly" ;;
    *) die "usage: readonly-sysctl-dir NAME on|off [STATE_DIR]" ;;
  esac
  pid=$(host_pid "$i")
  if [ -n "$pid" ]; then
    nsenter -t "$pid" -m -- mount -o "remount,bind,$([ "$mode" = on ] && echo ro || echo rw)" /etc/sysctl.d
  fi
  log "h$i: /etc/sysctl.d is now $([ "$mode" = on ] && echo read-only || echo writable)"
}

cmd_readonly_proc_sys_net() {
  local i mode=${2:-} pid
  i=$(host_index "$1")
  case "$mode" in on | off) ;; *) die "usage: readonly-proc-sys-net NAME on|off [STATE_DIR]" ;; esac
  pid=$(host_pid "$i")
  [ -n "$pid" ] || die "h$i: sshd is not running"
  # (the host's mount namespace has /proc/sys/net bind-mounted on itself, so it can be remounted alone)
  nsenter -t "$pid" -m -- mount -o "remount,bind,$([ "$mode" = on ] && echo ro || echo rw)" /proc/sys/net
  log "h$i: /proc/sys/net is now $([ "$mode" = on ] && echo read-only || echo writable)"
}

# strace -f attached to a host's sshd: every session started from now on is traced, and each listed syscall is
# delayed on entry (`inject=SET:delay_enter=US`), so a test can act while a process sits before that syscall.
cmd_delay_syscalls() {
  local i pid hd spec set us pidfile tries
  i=$(host_index "$1")
  shift
  hd=$(host_dir "$i")
  pidfile="$hd/strace.pid"
  pid=$(host_pid "$i")
  [ -n "$pid" ] || die "h$i: sshd is not running"
  command -v strace >/dev/null || die "strace is missing (tools/install-test-deps.sh installs it)"
  [ ! -s "$pidfile" ] || ! kill -0 "$(cat "$pidfile")" 2>/dev/null || die "h$i: syscalls are already delayed (undelay-syscalls first)"
  local args=(-f -qq -o /dev/null)
  local traced=""
  for spec in "$@"; do
    set=${spec%%=*}
    us=${spec#*=}
    [[ "$set" =~ ^[a-z0-9_]+(,[a-z0-9_]+)*$ && "$us" =~ ^[0-9]+$ ]] || die "usage: delay-syscalls NAME SYSCALL[,SYSCALL…]=MICROSECONDS…"
    args+=(-e "inject=$set:delay_enter=$us")
    traced="${traced:+$traced,}$set"
  done
  [ -n "$traced" ] || die "usage: delay-syscalls NAME SYSCALL[,SYSCALL…]=MICROSECONDS…"
  setsid strace "${args[@]}" -e "trace=$traced" -p "$pid" </dev/null >/dev/null 2>"$hd/strace.log" &
  echo $! >"$pidfile"
  # attached once the kernel names a tracer for sshd
  for tries in $(seq 1 100); do
    [ "$(awk '/^TracerPid:/ {print $2}' "/proc/$pid/status")" != 0 ] && break
    sleep 0.05
  done
  [ "$(awk '/^TracerPid:/ {print $2}' "/proc/$pid/status")" != 0 ] || die "h$i: strace did not attach (see $hd/strace.log)"
  log "h$i: delaying $* in sshd (pid $pid) and its sessions (strace pid $(cat "$pidfile"))"
}

cmd_undelay_syscalls() {
  local i hd pidfile spid tries
  i=$(host_index "$1")
  hd=$(host_dir "$i")
  pidfile="$hd/strace.pid"
  [ -s "$pidfile" ] || return 0
  spid=$(cat "$pidfile")
  rm -f "$pidfile"
  # SIGTERM: strace detaches from every tracee (they go on) and exits
  if [ "$(cat "/proc/$spid/comm" 2>/dev/null)" = strace ]; then
    kill -TERM "$spid" 2>/dev/null || true
    for tries in $(seq 1 100); do kill -0 "$spid" 2>/dev/null || break; sleep 0.05; done
  fi
  log "h$i: syscalls no longer delayed"
}

cmd_rotate_host_key() {
  local i hd pid
  i=$(host_index "$1")
  hd=$(host_dir "$i")
  rm -f "$hd/ssh_host_ed25519_key" "$hd/ssh_host_ed25519_key.pub"
  ssh-keygen -q -t ed25519 -N '' -C "$(host_ns "$i")-rotated" -f "$hd/ssh_host_ed25519_key"
  pid=$(host_pid "$i")
  if [ -n "$pid" ]; then
    # SIGHUP: sshd re-execs itself (same pid, same namespaces) and loads the new key;
    # existing sessions are not touched. It rewrites its pidfile once listening again.
    rm -f "$hd/sshd.pid"
    kill -HUP "$pid"
    wait_sshd "$i"
  fi
  write_hosts_json
  log "h$i: new host key $(host_fingerprint "$i") (known_hosts NOT updated; see refresh-known-hosts)"
}

cmd_refresh_known_hosts() {
  write_known_hosts
  log "known_hosts rewritten from the current host keys"
}

cmd_partition() {
  local i mode=${2:-}
  i=$(host_index "$1")
  case "$mode" in
    on) ip link set "$(slot_veth "$SLOT" "$i")" down ;;
    off) ip link set "$(slot_veth "$SLOT" "$i")" up ;;
    *) die "usage: partition NAME on|off [STATE_DIR]" ;;
  esac
  log "h$i: network $([ "$mode" = on ] && echo 'cut (packets silently dropped)' || echo restored)"
}

# ------------------------------------------------------------------- main ---

[ "$(id -u)" = 0 ] || die "must run as root (network/mount namespaces, useradd)"
cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  down-all) cmd_down_all ;;
  status) cmd_status "$@" ;;
  kill-sshd | start-sshd | rotate-host-key)
    [ $# -ge 1 ] || usage
    STATE_DIR=$(resolve_state_dir "${2:-}")
    load_state
    case "$cmd" in
      kill-sshd) cmd_kill_sshd "$1" ;;
      start-sshd) cmd_start_sshd "$1" ;;
      rotate-host-key) cmd_rotate_host_key "$1" ;;
    esac
    ;;
  readonly-sysctl-dir | partition | readonly-proc-sys-net)
    [ $# -ge 2 ] || usage
    STATE_DIR=$(resolve_state_dir "${3:-}")
    load_state
    case "$cmd" in
      partition) cmd_partition "$1" "$2" ;;
      readonly-sysctl-dir) cmd_readonly "$1" "$2" ;;
      readonly-proc-sys-net) cmd_readonly_proc_sys_net "$1" "$2" ;;
    esac
    ;;
  delay-syscalls)
    [ $# -ge 2 ] || usage
    last=${*: -1}
    if [[ "$last" != *=* ]]; then STATE_DIR=$(resolve_state_dir "$last"); set -- "${@:1:$#-1}"; else STATE_DIR=$(resolve_state_dir ""); fi
    load_state
    cmd_delay_syscalls "$@"
    ;;
  undelay-syscalls)
    [ $# -ge 1 ] || usage
    STATE_DIR=$(resolve_state_dir "${2:-}")
    load_state
    cmd_undelay_syscalls "$1"
    ;;
  refresh-known-hosts)
    STATE_DIR=$(resolve_state_dir "${1:-}")
    load_state
    cmd_refresh_known_hosts
    ;;
  -h | --help | help | "") usage ;;
  *) die "unknown command '$cmd' (try --help)" ;;
esac
