#!/usr/bin/env bash
# build-initramfs.sh [OUT]
#
# Builds the tiny capture initramfs (gzip'ed newc cpio): Debian's statically
# linked busybox plus guest-init.sh as /init.  No kernel modules are needed:
# proc, sysfs, devtmpfs, the 8250 serial console and ACPI power-off are all
# built into Debian's amd64 and cloud-amd64 kernels.
#
# OUT defaults to tools/qemu/cache/initramfs.cpio.gz.  Prints OUT's path.
# TCPMEM_QEMU_ARCH=arm64 builds the arm64 guest's initramfs: Debian's
# busybox-static:arm64 is downloaded (apt-get download) and unpacked into the
# cache instead of installed; its applet list is the host busybox's (same
# Debian version), since an arm64 binary cannot run here.
set -euo pipefail
arch=${TCPMEM_QEMU_ARCH:-amd64}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-${TCPMEM_QEMU_CACHE:-$here/cache}/initramfs.cpio.gz}

need=()
[[ -x /bin/busybox ]] && /bin/busybox --list >/dev/null 2>&1 && dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
if ((${#need[@]})); then
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${need[@]}" >&2
fi
busybox=/bin/busybox
applets=$("$busybox" --list)
if [[ $arch == arm64 ]]; then
  cache=${TCPMEM_QEMU_CACHE:-$here/cache}
  bbdir=$cache/busybox-arm64
  if [[ ! -x $bbdir/bin/busybox ]]; then
    dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
    apt-cache show busybox-static:arm64 >/dev/null 2>&1 || apt-get -o DPkg::Lock::Timeout=600 update >&2
    mkdir -p "$cache/debs"
    (cd "$cache/debs" && apt-get download busybox-static:arm64 >&2)
    rm -rf "$bbdir" && mkdir -p "$bbdir"
    dpkg-deb -x "$(ls "$cache"/debs/busybox-static_*_arm64.deb | tail -n1)" "$bbdir"
  fi
  busybox=$bbdir/bin/busybox
fi
# busybox-static must really be static: the initramfs has no libc.
if [[ $arch != arm64 ]] && ldd "$busybox" >/dev/null 2>&1; then
  echo "build-initramfs: $busybox is dynamically linked; install busybox-static" >&2
  exit 1
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,etc}
cp "$busybox" "$root/bin/busybox"
# One symlink per applet (sh, cat, base64, md5sum, dmesg, poweroff, ...).
for applet in $applets; do
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
