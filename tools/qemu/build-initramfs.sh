#!/usr/bin/env bash
# build-initramfs.sh [OUT]
#
# Builds the tiny capture initramfs (gzip'ed newc cpio): Debian's statically
# linked busybox plus guest-init.sh as /init.  No kernel modules are needed:
# proc, sysfs, devtmpfs, the 8250 serial console and ACPI power-off are all
# built into Debian's amd64 and cloud-amd64 kernels.
#
# OUT defaults to tools/qemu/cache/initramfs.cpio.gz.  Prints OUT's path.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-${TCPMEM_QEMU_CACHE:-$here/cache}/initramfs.cpio.gz}

need=()
[[ -x /bin/busybox ]] && /bin/busybox --list >/dev/null 2>&1 && dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
if ((${#need[@]})); then
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${need[@]}" >&2
fi
busybox=/bin/busybox
# busybox-static must really be static: the initramfs has no libc.
if ldd "$busybox" >/dev/null 2>&1; then
  echo "build-initramfs: $busybox is dynamically linked; install busybox-static" >&2
  exit 1
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,etc}
cp "$busybox" "$root/bin/busybox"
# One symlink per applet (sh, cat, base64, md5sum, dmesg, poweroff, ...).
for applet in $("$busybox" --list); do
  [[ $applet == busybox ]] && continue
  ln -s busybox "$root/bin/$applet"
done
install -m 0755 "$here/guest-init.sh" "$root/init"
# The kernel needs /dev/console to give init a stdout before devtmpfs exists.
mknod -m 600 "$root/dev/console" c 5 1

mkdir -p "$(dirname "$out")"
# Sorted names, fixed mtimes and root ownership: the archive is reproducible.
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
  cpio --null --create --format=newc --owner=0:0 --reproducible --quiet) |
  gzip -9 -n >"$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
