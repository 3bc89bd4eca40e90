#!/usr/bin/env bash
# Self-test of guest.sh: boots one QEMU guest, checks with real ssh (strict
# known_hosts, the deploy user's key, /bin/sh) that the whole-host TCP sysctls
# are there and writable through sudo, that a rejected write is reported, that
# /etc/sysctl.d takes an atomic tmp+mv write, that the guest cannot reach out,
# then tears down and checks that nothing is left.
#   test-hosts/qemu-guest/selftest.sh [STATE_DIR] [up options: --series 6.12 --flavor amd64 ...]
# Exit 0 only if every check passed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
G="$HERE/guest.sh"
S=
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then S=$1; shift; fi
S="$(realpath -m -- "${S:-$HERE/../run/qemu-selftest-$$}")"
pass=0
fail=0
failed=()

ok() { pass=$((pass + 1)); printf '  ok   %s\n' "$1"; }
ko() { fail=$((fail + 1)); failed+=("$1"); printf '  FAIL %s\n' "$1"; [ -z "${2:-}" ] || printf '       %s\n' "$2"; }
check() { # check "description" command... (passes when the command succeeds)
  local d=$1 out
  shift
  if out=$("$@" 2>&1); then ok "$d"; else ko "$d" "$(printf '%s' "$out" | tail -n 3 | tr '\n' ' ')"; fi
}
check_eq() { # check_eq "description" expected actual
  if [ "$2" = "$3" ]; then ok "$1"; else ko "$1" "expected [$2] got [$3]"; fi
}
not() { ! "$@"; }

cleanup() {
  local rc=$?
  trap - EXIT
  [ -n "${TMPD:-}" ] && rm -rf "$TMPD"
  if [ -e "$S/guest.json" ] || [ -e "$S/qemu.pid" ]; then "$G" down "$S" >/dev/null 2>&1 || true; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
TMPD=$(mktemp -d)

echo "== up ($S $*)"
t0=$(date +%s.%N)
"$G" up "$S" "$@"
printf '  up took %.1fs (boot-to-ssh %ss)\n' "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{print b-a}')" \
  "$(jq -r .bootSeconds "$S/guest.json")"

J="$S/guest.json"
jget() { jq -r "$1" "$J"; }
PORT=$(jget .port)
USER_NAME=$(jget .user)
KEY=$(jget .identityFile)
KH=$(jget .knownHosts)
RELEASE=$(jget .release)
PID=$(jget .qemuPid)
SSH_OPTS=(-F /dev/null -p "$PORT" -i "$KEY" -o BatchMode=yes -o IdentitiesOnly=yes -o IdentityAgent=none
  -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$KH" -o GlobalKnownHostsFile=/dev/null
  -o ConnectTimeout=20 -o LogLevel=ERROR)
g() { ssh "${SSH_OPTS[@]}" "$USER_NAME@127.0.0.1" "$@"; }
# (ssh keeps the FIRST value of an option: an override must come before SSH_OPTS)

echo "== guest.json"
check "guest.json has every promised field" jq -e '
  (.name|type=="string") and .address=="127.0.0.1" and (.port|type=="number") and (.user|type=="string")
  and (.identityFile|type=="string") and (.knownHosts|type=="string") and (.release|type=="string")
  and (.memoryMiB|type=="number") and (.series|type=="string") and (.flavor|type=="string")
  and (.qemuPid|type=="number") and (.serialLog|type=="string")' "$J"
check "known_hosts is one [127.0.0.1]:PORT ed25519 line" \
  bash -c "[ \$(wc -l <'$KH') = 1 ] && grep -q '^\[127.0.0.1\]:$PORT ssh-ed25519 ' '$KH'"
check "QEMU listens on 127.0.0.1:$PORT only" \
  bash -c "ss -Htln 'sport = :$PORT' | awk '{print \$4}' | grep -qx '127.0.0.1:$PORT' && ! ss -Htln 'sport = :$PORT' | awk '{print \$4}' | grep -qv '^127.0.0.1:'"
check "qemuPid is the running QEMU" bash -c "tr '\0' ' ' </proc/$PID/cmdline | grep -q 'restrict=on'"

echo "== login"
check_eq "uname -r is the booted kernel" "$RELEASE" "$(g 'uname -r')"
check_eq "logged in as the deploy user" "$USER_NAME" "$(g 'id -un')"
check_eq "login shell is /bin/sh (dash)" "/bin/sh" "$(g 'awk -F: -v u="$(id -un)" "\$1==u{print \$7}" /etc/passwd')"
check_eq "PATH is Debian's user PATH (no sbin)" "/usr/local/bin:/usr/bin:/bin:/usr/games" "$(g 'echo "$PATH"')"
check_eq "passwordless root through sudo -n" "0" "$(g 'sudo -n id -u')"
check "sudo -n needs no password prompt (no tty)" g 'sudo -n true </dev/null'
check "ssh guest.sh sub-command works" bash -c "[ \"\$('$G' ssh '$S' echo hi)\" = hi ]"
cp "$KH" "$TMPD/kh_wrong"
ssh-keygen -q -t ed25519 -N '' -f "$TMPD/other" >/dev/null
printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 "$TMPD/other.pub")" >"$TMPD/kh_wrong"
check "a wrong known_hosts key is refused" \
  bash -c "! ssh -o UserKnownHostsFile=$TMPD/kh_wrong $(printf '%q ' "${SSH_OPTS[@]}") '$USER_NAME@127.0.0.1' true"

echo "== whole-host sysctls"
ORIG=$(g 'sudo -n cat /proc/sys/net/ipv4/tcp_mem')
check "sudo -n cat /proc/sys/net/ipv4/tcp_mem gives 3 integers" \
  bash -c "printf '%s\n' '$ORIG' | grep -Eqx '[0-9]+[[:space:]]+[0-9]+[[:space:]]+[0-9]+'"
check "tcp_mem is readable without root" g 'cat /proc/sys/net/ipv4/tcp_mem'
check "tcp_mem is not writable without root" g '! sh -c "echo 1 2 3 >/proc/sys/net/ipv4/tcp_mem" 2>/dev/null'
check "sudo -n sysctl -w net.ipv4.tcp_mem" g 'sudo -n sysctl -w net.ipv4.tcp_mem="12345 23456 34567"'
check_eq "tcp_mem reads back" "12345 23456 34567" "$(g 'cat /proc/sys/net/ipv4/tcp_mem' | tr -s '\t ' '  ')"
check "write tcp_mem with sudo -n tee" g 'printf "22222 33333 44444\n" | sudo -n tee /proc/sys/net/ipv4/tcp_mem >/dev/null'
check_eq "tcp_mem reads back after tee" "22222 33333 44444" "$(g 'sudo -n sysctl -n net.ipv4.tcp_mem' | tr -s '\t ' '  ')"
WMEM=$(g 'cat /proc/sys/net/ipv4/tcp_wmem')
rc=0; err=$(g 'sudo -n sysctl -w net.ipv4.tcp_wmem="0 0 0"' 2>&1 >/dev/null) || rc=$?
check "rejected write (tcp_wmem=0 0 0) exits non-zero" test "$rc" -ne 0
check "rejected write says Invalid argument (EINVAL)" bash -c "printf '%s' '$err' | grep -q 'Invalid argument'"
check_eq "rejected write left tcp_wmem alone" "$WMEM" "$(g 'cat /proc/sys/net/ipv4/tcp_wmem')"
rc=0; err=$(g 'printf "0 0 0\n" | sudo -n tee /proc/sys/net/ipv4/tcp_wmem' 2>&1 >/dev/null) || rc=$?
check "rejected tee write exits non-zero with EINVAL" bash -c "[ $rc -ne 0 ] && printf '%s' '$err' | grep -q 'Invalid argument'"
check "other whole-host keys exist (vm.min_free_kbytes, net.core.somaxconn)" \
  g 'test -f /proc/sys/vm/min_free_kbytes && test -f /proc/sys/net/core/somaxconn && test -f /proc/sys/net/ipv4/tcp_limit_output_bytes'
check "getconf PAGESIZE works (read script)" bash -c "[ \"\$(ssh $(printf '%q ' "${SSH_OPTS[@]}") '$USER_NAME@127.0.0.1' 'getconf PAGESIZE')\" = 4096 ]"

echo "== /etc/sysctl.d"
check "atomic write: tmp + mv + sync into /etc/sysctl.d" g '
  set -e
  printf "net.ipv4.tcp_mem = 11111 22222 33333\n" | sudo -n tee /etc/sysctl.d/.90-tcpmem.conf.tmp >/dev/null
  sudo -n mv -f /etc/sysctl.d/.90-tcpmem.conf.tmp /etc/sysctl.d/90-tcpmem.conf
  sudo -n sync'
check_eq "file reads back in a new session" "net.ipv4.tcp_mem = 11111 22222 33333" "$(g 'cat /etc/sysctl.d/90-tcpmem.conf')"
check "no tmp file left" g '! ls -A /etc/sysctl.d | grep -q tmp'
check "/etc/sysctl.d is root's (deploy user cannot write without sudo)" g '! touch /etc/sysctl.d/x 2>/dev/null'
check "sudo -n sysctl --system applies it" g 'sudo -n sysctl --system >/dev/null'
check_eq "tcp_mem after sysctl --system" "11111 22222 33333" "$(g 'cat /proc/sys/net/ipv4/tcp_mem' | tr -s '\t ' '  ')"
check "/run/sysctl.d exists and is writable by root" g 'sudo -n touch /run/sysctl.d/probe && sudo -n rm /run/sysctl.d/probe'
check "restore the original tcp_mem" g "sudo -n sysctl -q -w net.ipv4.tcp_mem='$ORIG' && sudo -n rm -f /etc/sysctl.d/90-tcpmem.conf"

echo "== isolation"
# With restrict=on, slirp refuses (RST) every connection the guest starts, even
# to its own gateway, which would otherwise reach this machine's 127.0.0.1.
check "guest cannot connect to slirp's host address (restrict=on)" \
  g "! timeout 8 busybox nc -w 4 192.0.2.2 $PORT </dev/null >/dev/null 2>&1"
check "guest has no default route" g '! ip route | grep -q "^default"'

echo "== status / down"
check "status STATE_DIR says up" bash -c "'$G' status '$S' | grep -q ' up, '"
check "status lists the guest" bash -c "'$G' status | grep -qF '$S'"
"$G" down "$S"
check "state dir removed" test ! -e "$S"
check "QEMU gone" bash -c "! { [ -d /proc/$PID ] && [ \"\$(awk '{print \$3}' /proc/$PID/stat 2>/dev/null)\" != Z ]; }"
check "port $PORT closed" bash -c "[ -z \"\$(ss -Htln 'sport = :$PORT')\" ]"
check "down is idempotent" "$G" down "$S"

echo
echo "selftest: $pass passed, $fail failed"
[ "$fail" = 0 ] || { printf '  failed: %s\n' "${failed[@]}"; exit 1; }
