#!/usr/bin/env bash
# fetch-kernel.sh SERIES FLAVOR
#
# Download (apt-get download) and unpack (dpkg-deb -x) a Debian kernel image
# package into tools/qemu/cache/, then print, one per line on stdout:
#   VMLINUZ=<absolute path to the bzImage>
#   MODULES=<absolute path to .../lib/modules/<release>>
#   RELEASE=<uname -r of that kernel>
#   PACKAGE=<package name>=<package version>
#   CONFIG=<absolute path to the kernel's config-<release>>
# Nothing else goes to stdout (progress goes to stderr), so callers can do
#   eval "$(tools/qemu/fetch-kernel.sh 6.12 cloud-amd64)"
#
# SERIES: 6.1 | 6.12      FLAVOR: amd64 | cloud-amd64 | rt-amd64 | arm64 | cloud-arm64 | rt-arm64
# (rt-* are the PREEMPT_RT builds; arm64 flavors are Debian's arm64 packages, fetched with apt's ":arm64"
# architecture qualifier; `dpkg --add-architecture arm64` is done if needed.)
# The newest kernel of the series is the one Debian's meta-package points to:
#   6.1  -> linux-image-<flavor>        (bookworm's own kernel)
#   6.12 -> linux-image-6.12-<flavor>   (bookworm's linux-6.12 packages)
# and we take the "-unsigned" variant of the image it depends on (same kernel,
# no Secure Boot signature, no extra dependencies).
#
# Idempotent: a package already unpacked in the cache is reused.  Set
# TCPMEM_KERNEL_PACKAGE=<exact package name> to pin a specific ABI instead of
# the newest (e.g. linux-image-6.1.0-50-cloud-amd64-unsigned).
set -euo pipefail

usage() { echo "usage: $0 {6.1|6.12} {amd64|cloud-amd64|rt-amd64|arm64|cloud-arm64|rt-arm64}" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
series=$1 flavor=$2
case "$series" in 6.1|6.12) ;; *) usage ;; esac
case "$flavor" in amd64|cloud-amd64|rt-amd64) arch='' ;; arm64|cloud-arm64|rt-arm64) arch=':arm64' ;; *) usage ;; esac

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${TCPMEM_QEMU_CACHE:-$here/cache}
mkdir -p "$cache/debs" "$cache/kernels"

log() { echo "fetch-kernel: $*" >&2; }

# Resolve the package name.  A previous resolution is reused while its
# unpacked tree is in the cache, so repeated calls work offline and always
# give the same kernel; delete cache/kernels/resolved-* to move to a newer one.
resolved="$cache/kernels/resolved-$series-$flavor"
pkg=${TCPMEM_KERNEL_PACKAGE:-}
if [[ -z $pkg && -s $resolved ]]; then
  pkg=$(cat "$resolved")
  # An old ABI may have left the mirror: re-resolve if it is not unpacked.
  [[ -f $cache/kernels/$pkg/.complete ]] || pkg=''
fi
if [[ -z $pkg ]]; then
  if [[ $series == 6.1 ]]; then meta=linux-image-$flavor; else meta=linux-image-6.12-$flavor; fi
  # arm64 packages need the foreign architecture in dpkg (and its apt lists).
  if [[ -n $arch ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
    log "adding the arm64 architecture to dpkg"
    dpkg --add-architecture arm64
  fi
  # The apt lists may be missing on a fresh machine.
  if ! apt-cache show "$meta$arch" >/dev/null 2>&1; then
    log "apt-cache does not know $meta; running apt-get update"
    apt-get -o DPkg::Lock::Timeout=600 update >&2
  fi
  dep=$(apt-cache depends "$meta$arch" | awk '$1=="Depends:" && $2 ~ /^linux-image-/ {print $2; exit}')
  [[ -n $dep ]] || { log "cannot resolve $meta to a kernel image package"; exit 1; }
  dep=${dep%:arm64}
  pkg="${dep%-unsigned}-unsigned"
  echo "$pkg" >"$resolved"
fi

dest="$cache/kernels/$pkg"
if [[ ! -f $dest/.complete ]]; then
  ver=$(apt-cache policy "$pkg$arch" | awk '$1=="Candidate:" {print $2}')
  [[ -n $ver && $ver != "(none)" ]] || { log "no candidate version for $pkg"; exit 1; }
  # apt-get download writes into the current directory.
  debs=("$cache/debs/${pkg}_"*.deb)
  if [[ ! -f ${debs[0]} ]]; then
    log "downloading $pkg=$ver"
    (cd "$cache/debs" && apt-get download "$pkg$arch=$ver" >&2)
    debs=("$cache/debs/${pkg}_"*.deb)
  fi
  deb=$(basename "${debs[0]}")
  log "unpacking $deb"
  rm -rf "$dest.tmp"
  mkdir -p "$dest.tmp"
  dpkg-deb -x "$cache/debs/$deb" "$dest.tmp"
  # Record the exact package name=version next to the tree.
  echo "$(dpkg-deb -f "$cache/debs/$deb" Package)=$(dpkg-deb -f "$cache/debs/$deb" Version)" >"$dest.tmp/.package"
  rm -rf "$dest"
  mv "$dest.tmp" "$dest"
  touch "$dest/.complete"
fi

# Modules live in lib/modules or (merged-/usr packaging) usr/lib/modules.
moddir=
for d in "$dest"/lib/modules/* "$dest"/usr/lib/modules/*; do
  [[ -d $d ]] && { moddir=$d; break; }
done
[[ -n $moddir ]] || { log "no lib/modules/<release> in $dest"; exit 1; }
release=$(basename "$moddir")
vmlinuz="$dest/boot/vmlinuz-$release"
[[ -f $vmlinuz ]] || { log "missing $vmlinuz"; exit 1; }

echo "VMLINUZ=$vmlinuz"
echo "MODULES=$moddir"
echo "RELEASE=$release"
echo "PACKAGE=$(cat "$dest/.package")"
echo "CONFIG=$dest/boot/config-$release"
