#!/usr/bin/env bash
# Self-test of netns-hosts.sh: brings up 3 hosts, checks every promised property
# with real ssh, tears down, and checks that nothing is left behind.
#   test-hosts/selftest.sh [STATE_DIR]      (exit 0 only if every check passed)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
H="$HERE/netns-hosts.sh"
S="$(realpath -m -- "${1:-$HERE/run/selftest-$$}")"
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

cleanup() {
  local rc=$?
  trap - EXIT
  [ -n "${AGENT_DIR:-}" ] && rm -rf "$AGENT_DIR"
  if [ -e "$S/harness.env" ]; then "$H" down "$S" >/dev/null 2>&1 || true; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

json() { # json EXPR  -> value of JS expression over `j` (= parsed hosts.json)
  node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));const v=eval(process.argv[2]);process.stdout.write(typeof v==="string"?v:JSON.stringify(v))' "$S/hosts.json" "$1"
}
if ! command -v node >/dev/null; then echo "selftest needs node (to parse hosts.json)" >&2; exit 1; fi

echo "== up 3 ($S)"
t0=$(date +%s.%N)
"$H" up 3 "$S"
t1=$(date +%s.%N)
printf '  up 3 took %.2fs\n' "$(echo "$t1 - $t0" | bc 2>/dev/null || awk "BEGIN{print $t1-$t0}")"

USER_NAME=$(json 'j.user')
KEY=$(json 'j.identityFile')
KH=$(json 'j.knownHosts')
read -r -a ADDRS <<<"$(json 'j.hosts.map(h=>h.address).join(" ")')"
read -r -a PORTS <<<"$(json 'j.hosts.map(h=>h.port).join(" ")')"
read -r -a NSS <<<"$(json 'j.hosts.map(h=>h.namespace).join(" ")')"
addr() { echo "${ADDRS[$(($1 - 1))]}"; }
port() { echo "${PORTS[$(($1 - 1))]}"; }
ns() { echo "${NSS[$(($1 - 1))]}"; }
not() { ! "$@"; }
SSH_OPTS=(-o BatchMode=yes -o IdentitiesOnly=yes -o IdentityAgent=none -o StrictHostKeyChecking=yes
  -o GlobalKnownHostsFile=/dev/null -o ConnectTimeout=5 -o LogLevel=ERROR -F /dev/null)
sshh() { # sshh I CMD  (as the deploy user, strict known_hosts, the authorized key)
  local i=$1
  shift
  ssh "${SSH_OPTS[@]}" -i "$KEY" -o UserKnownHostsFile="$KH" -p "$(port "$i")" "$USER_NAME@$(addr "$i")" "$@"
}

echo "== hosts.json"
check_eq "3 hosts" 3 "$(json 'j.hosts.length')"
check_eq "h1 namespace/address/port" "tcpmem" "$(json 'j.hosts[0].namespace.replace(/(-s[0-9]+)?-h1$/,"")')"
check "addresses are in 198.18.0.0/15" bash -c "[[ '$(json 'j.hosts.map(h=>h.address).join(" ")')' =~ ^(198\.1[89]\.[0-9]+\.[0-9]+\ ?)+$ ]]"
check_eq "h3 listens on the custom port 2222" 2222 "$(port 3)"
check "files exist (keys, passphrase, known_hosts, sysctl dirs)" bash -c "
  test -s '$KEY' && test -s '$(json 'j.wrongIdentityFile')' && test -s '$(json 'j.encryptedIdentityFile')' &&
  test -s '$(json 'j.passphraseFile')' && test -s '$KH' && test -s '$(json 'j.knownHostsHashed')' &&
  test -d '$(json 'j.hosts[0].sysctlDir')' && test -d '$(json 'j.hosts[2].sysctlDir')'"
for i in 1 2 3; do
  scanned=$(ssh-keyscan -T 5 -t ed25519 -p "$(port "$i")" "$(addr "$i")" 2>/dev/null | ssh-keygen -lf - | awk '{print $2}')
  check_eq "h$i hostKeyFingerprint matches the key sshd serves" "$(json "j.hosts[$((i - 1))].hostKeyFingerprint")" "$scanned"
  check_eq "h$i sshdPid is its netns' sshd" "$(ns "$i")" "$(ip netns identify "$(json "j.hosts[$((i - 1))].sshdPid")")"
done

echo "== ssh as the deploy user, sudo -n, login shell, per-host view"
for i in 1 2 3; do
  check_eq "h$i: whoami / sudo -n / hostname" "$USER_NAME 0 $(ns "$i")" \
    "$(sshh "$i" 'echo "$(id -un) $(sudo -n id -u) $(hostname)"' 2>&1)"
done
check_eq "login shell is /bin/sh" "/bin/sh" "$(getent passwd "$USER_NAME" | cut -d: -f7)"
check_eq "sudo -n prints nothing on stderr" "" "$(sshh 1 'sudo -n true' 2>&1)"
check "sudoers file exists and is valid" visudo -cqf "/etc/sudoers.d/tcpmem-test-hosts-s$(json 'j.slot')"
t0=$(date +%s%N)
rt=$(sshh 1 'sudo -n cat /proc/sys/net/ipv4/tcp_rmem')
t1=$(date +%s%N)
printf '  one ssh round trip (sudo -n cat tcp_rmem): %d ms -> %s\n' $(((t1 - t0) / 1000000)) "$rt"

echo "== sysctl isolation"
KEYS="net.ipv4.tcp_rmem net.ipv4.tcp_wmem net.ipv4.tcp_max_syn_backlog net.ipv4.tcp_limit_output_bytes net.core.somaxconn"
root_before=$(sysctl -n $KEYS | tr '\t' ' ')
h2_before=$(sshh 2 "/usr/sbin/sysctl -n $KEYS" | tr '\t' ' ')
sshh 1 'sudo -n sysctl -q -w net.ipv4.tcp_rmem="4096 131072 7000000" net.ipv4.tcp_wmem="4096 65536 5000000" net.ipv4.tcp_max_syn_backlog=4096 net.ipv4.tcp_limit_output_bytes=2097152 net.core.somaxconn=8192' >/dev/null
check_eq "h1 sees its new values" "$(printf '%s\n' '4096 131072 7000000' '4096 65536 5000000' 4096 2097152 8192)" \
  "$(sshh 1 "/usr/sbin/sysctl -n $KEYS" | tr '\t' ' ')"
check_eq "h2 unchanged" "$h2_before" "$(sshh 2 "/usr/sbin/sysctl -n $KEYS" | tr '\t' ' ')"
check_eq "root namespace unchanged" "$root_before" "$(sysctl -n $KEYS | tr '\t' ' ')"
check "net.ipv4.tcp_mem exists in the root netns" test -e /proc/sys/net/ipv4/tcp_mem
check_eq "net.ipv4.tcp_mem is absent (ENOENT) in a child netns" \
  "absent" "$(sshh 1 'test -e /proc/sys/net/ipv4/tcp_mem && echo present || echo absent')"
check "sysctl net.ipv4.tcp_mem fails in a child netns" not sshh 1 'sudo -n sysctl net.ipv4.tcp_mem'
pid_max=$(cat /proc/sys/kernel/pid_max)
check "non-net sysctl write is refused inside a host" not sshh 1 "sudo -n sysctl -w kernel.pid_max=$((pid_max + 1))"
check_eq "kernel.pid_max unchanged on this machine" "$pid_max" "$(cat /proc/sys/kernel/pid_max)"

echo "== /etc/sysctl.d is per host"
F=zz-tcpmem-selftest-$$.conf
sshh 1 "echo 'net.ipv4.tcp_wmem = 4096 16384 4000000' | sudo -n tee /etc/sysctl.d/$F >/dev/null"
check "file lands in h1's sysctlDir" test -s "$(json 'j.hosts[0].sysctlDir')/$F"
check "not in this machine's /etc/sysctl.d" test ! -e "/etc/sysctl.d/$F"
check "not in h2's sysctlDir" test ! -e "$(json 'j.hosts[1].sysctlDir')/$F"
check_eq "not visible in h2 over ssh" "no" "$(sshh 2 "test -e /etc/sysctl.d/$F && echo yes || echo no")"
sshh 1 "echo 'net.core.somaxconn = 2048' | sudo -n tee /run/sysctl.d/$F >/dev/null"
check "/run/sysctl.d lands in h1's runSysctlDir" test -s "$(json 'j.hosts[0].runSysctlDir')/$F"
out=$(sshh 1 'sudo -n sysctl --system' 2>&1 || true)
check "sysctl --system in h1 loads h1's files" grep -q "$F" <<<"$out"
check "... and not this machine's /usr/lib/sysctl.d" not grep -q pid-max <<<"$out"
check_eq "h1 tcp_wmem now from the file" "4096 16384 4000000" "$(sshh 1 'cat /proc/sys/net/ipv4/tcp_wmem' | tr '\t' ' ')"
check_eq "root tcp_wmem still unchanged" "$root_before" "$(sysctl -n $KEYS | tr '\t' ' ')"

echo "== authentication and host keys"
check "custom port 2222 (h3) with the hashed known_hosts" \
  ssh "${SSH_OPTS[@]}" -i "$KEY" -o UserKnownHostsFile="$(json 'j.knownHostsHashed')" -p 2222 "$USER_NAME@$(addr 3)" true
check "ssh_config shortcut works (ssh -F STATE/ssh_config h2)" ssh -F "$(json 'j.sshConfig')" h2 true
check "the wrong key is refused" not ssh "${SSH_OPTS[@]}" -i "$(json 'j.wrongIdentityFile')" -o UserKnownHostsFile="$KH" "$USER_NAME@$(addr 1)" true
AGENT_DIR=$(mktemp -d)
printf '#!/bin/sh\ncat %q\n' "$(json 'j.passphraseFile')" >"$AGENT_DIR/askpass"
chmod 700 "$AGENT_DIR/askpass"
check "the encrypted key works with its passphrase" env SSH_ASKPASS="$AGENT_DIR/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=none \
  ssh -o IdentitiesOnly=yes -o IdentityAgent=none -o StrictHostKeyChecking=yes -o GlobalKnownHostsFile=/dev/null -F /dev/null \
  -o ConnectTimeout=5 -i "$(json 'j.encryptedIdentityFile')" -o UserKnownHostsFile="$KH" "$USER_NAME@$(addr 1)" true
check "unknown host is refused with an empty known_hosts" not ssh "${SSH_OPTS[@]}" -i "$KEY" -o UserKnownHostsFile=/dev/null "$USER_NAME@$(addr 1)" true

old_fp=$(json 'j.hosts[1].hostKeyFingerprint')
"$H" rotate-host-key h2 "$S"
new_fp=$(json 'j.hosts[1].hostKeyFingerprint')
check "rotate-host-key changes hosts.json's fingerprint" test "$old_fp" != "$new_fp"
out=$(sshh 2 true 2>&1 || true)
check "changed host key is refused by strict ssh" grep -q 'HOST IDENTIFICATION HAS CHANGED' <<<"$out"
"$H" refresh-known-hosts "$S"
check "after refresh-known-hosts h2 is trusted again" sshh 2 true

echo "== failure injection"
"$H" readonly-sysctl-dir h1 on "$S"
out=$(sshh 1 'echo x | sudo -n tee /etc/sysctl.d/ro-test.conf >/dev/null && echo WRITTEN' 2>&1 || true)
check "readonly on: write to /etc/sysctl.d fails (EROFS)" bash -c "grep -qi 'read-only' <<<'$out' && ! grep -q WRITTEN <<<'$out'"
check_eq "readonly on: h2 still writable" "ok" "$(sshh 2 'echo x | sudo -n tee /etc/sysctl.d/rw-test.conf >/dev/null && echo ok')"
"$H" readonly-sysctl-dir h1 off "$S"
check_eq "readonly off: h1 writable again" "ok" "$(sshh 1 'echo x | sudo -n tee /etc/sysctl.d/rw-test.conf >/dev/null && echo ok')"

(rc=0; sshh 1 'sleep 20; echo finished' >"$S/midcmd.out" 2>&1 || rc=$?; echo "$rc" >"$S/midcmd.rc") &
bg=$!
sleep 1
t0=$(date +%s)
"$H" kill-sshd h1 "$S"
wait "$bg" || true
t1=$(date +%s)
check_eq "kill-sshd drops a running command (ssh exit 255)" 255 "$(cat "$S/midcmd.rc")"
check "... within 3 s, without the command finishing" bash -c "[ $((t1 - t0)) -le 3 ] && ! grep -q finished '$S/midcmd.out'"
check_eq "hosts.json sshdPid is null after kill-sshd" null "$(json 'j.hosts[0].sshdPid')"
out=$(sshh 1 true 2>&1 || true)
check "connection refused while sshd is down" grep -q 'Connection refused' <<<"$out"
"$H" start-sshd h1 "$S"
check "start-sshd: h1 reachable again" sshh 1 true
check_eq "start-sshd: per-host mounts are back" "4096 16384 4000000|yes" \
  "$(sshh 1 "printf '%s|' \"\$(cat /proc/sys/net/ipv4/tcp_wmem)\"; test -e /etc/sysctl.d/$F && echo yes" | tr '\t' ' ')"

t0=$(date +%s%N)
out=$(ssh -o ConnectTimeout=2 "${SSH_OPTS[@]}" -i "$KEY" -o UserKnownHostsFile="$KH" "$USER_NAME@$(json 'j.unreachableAddress')" true 2>&1 || true)
t1=$(date +%s%N)
check "unreachableAddress: connect times out (no RST/ICMP)" grep -q 'timed out' <<<"$out"
check "... after the full ConnectTimeout (took $(((t1 - t0) / 1000000)) ms)" test $(((t1 - t0) / 1000000)) -ge 1800

"$H" partition h2 on "$S"
out=$(ssh -o ConnectTimeout=2 "${SSH_OPTS[@]}" -i "$KEY" -o UserKnownHostsFile="$KH" "$USER_NAME@$(addr 2)" true 2>&1 || true)
check "partition on: h2 times out" grep -q 'timed out' <<<"$out"
"$H" partition h2 off "$S"
check "partition off: h2 reachable again" sshh 2 true

echo "== down"
SLOT=$(json 'j.slot')
PIDS=$(json 'j.hosts.map(h=>h.sshdPid).join(" ")')
"$H" down "$S"
check "state dir removed" test ! -e "$S"
check "namespaces removed" bash -c "! ip netns list | grep -qwE '$(IFS='|'; echo "${NSS[*]}")'"
check "bridge and veths removed" bash -c "! ip -o link show | grep -qE ': tcpm${SLOT}(br|h[0-9]+)[:@]'"
alive_sshd() { # any of these pids still a live (non-zombie) sshd?
  local p
  for p in "$@"; do
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = sshd ] && [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != Z ] && return 0
  done
  return 1
}
# shellcheck disable=SC2086
check "sshd processes gone" not alive_sshd $PIDS
check "deploy user removed" bash -c "! getent passwd '$USER_NAME'"
check "sudoers file removed" test ! -e "/etc/sudoers.d/tcpmem-test-hosts-s$SLOT"
check "down is idempotent" "$H" down "$S"

echo
echo "selftest: $pass passed, $fail failed"
[ "$fail" = 0 ] || { printf '  failed: %s\n' "${failed[@]}"; exit 1; }
