#!/usr/bin/env bash
# Installs the system packages tcpmem's tests need on a fresh Debian machine (run as root):
# QEMU and busybox to boot real kernels, OpenSSH and sudo for the SSH test hosts, iproute2 for their
# network namespaces, socat for the harness, shellcheck for apply's transaction.sh, strace to delay the test
# hosts' syscalls (fault injection), systemd for `systemd-analyze verify` of examples/on-host's unit. Node.js and npm are expected to be there already.
set -euo pipefail

packages=(qemu-system-x86 busybox-static openssh-server openssh-client sudo iproute2 socat cpio xz-utils procps kmod shellcheck strace systemd)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d keeps the package scripts from starting a system sshd on this machine's port 22.
  # (Only when the machine has no policy-rc.d of its own, and removed again afterwards.)
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "test dependencies present: ${packages[*]}"
