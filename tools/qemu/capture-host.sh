#!/usr/bin/env bash
# capture-host.sh [OUT_DIR]
#
# Stores this machine's own running kernel as a fixture, with the same file
# set as a QEMU capture (see README.md), in
#   packages/kernel-model/fixtures/host/<uname -r>/   (or OUT_DIR).
# Must run in the root network namespace (tcp_mem is not visible elsewhere).
# Unlike a QEMU capture these are values *now*, not at boot: min_free_kbytes,
# zoneinfo and meminfo may have moved since (tcp_mem, tcp_rmem/wmem and the
# hash sizes do not change after boot unless someone wrote them).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
release=$(uname -r)
out=${1:-$repo/packages/kernel-model/fixtures/host/$release}

command -v jq >/dev/null ||
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends jq >&2

# 4026531833 (0xEFFFFFF9, PROC_NET_INIT_INO) is the inode of init_net's
# namespace file.  A child netns has no net.ipv4.tcp_mem at all.
netns=$(readlink /proc/self/ns/net)
if [[ $netns != "net:[4026531833]" || ! -e /proc/sys/net/ipv4/tcp_mem ]]; then
  echo "capture-host: not in the root network namespace ($netns)" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
work=$tmp/fixture
mkdir "$work"

# --- sysctls.json: same set as guest-init.sh ---------------------------------
for f in /proc/sys/net/ipv4/tcp_* /proc/sys/net/ipv4/udp_* \
  /proc/sys/net/core/{somaxconn,rmem_max,wmem_max,rmem_default,wmem_default,optmem_max,netdev_max_backlog} \
  /proc/sys/vm/{min_free_kbytes,watermark_scale_factor,watermark_boost_factor,lowmem_reserve_ratio}; do
  [[ -f $f ]] || continue
  name=${f#/proc/sys/}
  name=${name//\//.}
  # Unreadable entries are skipped, as in the guest.
  cat "$f" >"$tmp/v" 2>/dev/null || continue
  printf '%s\t%s\n' "$name" "$(base64 -w0 <"$tmp/v")"
done | jq -S -R -s 'split("\n") | map(select(length > 0) | split("\t") | {(.[0]): (.[1] | @base64d | sub("\n$"; ""))}) | add' >"$work/sysctls.json"

# --- raw files ---------------------------------------------------------------
cp /proc/zoneinfo "$work/zoneinfo"
cp /proc/meminfo "$work/meminfo"
cp /proc/cmdline "$work/cmdline"
cp /proc/version "$work/version"
[[ -r /sys/kernel/mm/transparent_hugepage/enabled ]] &&
  cp /sys/kernel/mm/transparent_hugepage/enabled "$work/thp_enabled"
# dmesg: only worth keeping while the ring buffer still starts at boot (the
# "Linux version" line at 0.000000).  On a busy machine it wraps within
# minutes, so if it has wrapped we keep a complete dmesg.txt captured earlier
# in the same boot (same boot_id), and otherwise store none.
boot_id=$(cat /proc/sys/kernel/random/boot_id)
dmesg_state=unreadable
if dmesg >"$tmp/dmesg" 2>/dev/null && [[ -s $tmp/dmesg ]]; then
  if head -n 5 "$tmp/dmesg" | grep -q 'Linux version'; then
    dmesg_state=complete
    cp "$tmp/dmesg" "$work/dmesg.txt"
  elif [[ -f $out/dmesg.txt && -f $out/case.json ]] &&
    [[ $(jq -r '.host.bootId // ""' "$out/case.json") == "$boot_id" ]] &&
    [[ $(jq -r '.host.dmesg // ""' "$out/case.json") == complete* ]]; then
    dmesg_state="complete (kept from the capture of $(jq -r .capturedAt "$out/case.json"))"
    cp "$out/dmesg.txt" "$work/dmesg.txt"
  else
    dmesg_state="wrapped (boot lines lost; not stored)"
  fi
fi

# --- per-node memory -----------------------------------------------------------
# nodesMiB: online memory blocks per node x block size (the "installed" RAM
# as the kernel's memory hotplug layer sees it, in MiB); nodesMemTotalKiB:
# the node's MemTotal (managed pages).
block=$((16#$(cat /sys/devices/system/memory/block_size_bytes 2>/dev/null || echo 0)))
nodes_mib=() nodes_kib=()
for d in /sys/devices/system/node/node[0-9]*; do
  [[ -d $d ]] || continue
  n=${d##*/node}
  cp "$d/meminfo" "$work/node$n-meminfo"
  blocks=0
  for m in "$d"/memory[0-9]*; do
    [[ -e $m/state ]] && [[ $(cat "$m/state") == online ]] && blocks=$((blocks + 1))
  done
  nodes_mib[n]=$((blocks * block / 1048576))
  nodes_kib[n]=$(awk '$3=="MemTotal:" {print $4}' "$d/meminfo")
done
if ((${#nodes_mib[@]} == 0)); then   # kernel without NUMA sysfs
  nodes_kib[0]=$(awk '$1=="MemTotal:" {print $2}' /proc/meminfo)
  nodes_mib[0]=$((nodes_kib[0] / 1024))
fi
total_mib=0
for v in "${nodes_mib[@]}"; do total_mib=$((total_mib + v)); done

series=$(echo "$release" | grep -oE '^[0-9]+\.[0-9]+')
jq -n --arg id "host-$release" --arg release "$release" --arg series "$series" \
  --arg version "$(cat /proc/version)" \
  --argjson cpus "$(nproc --all)" --argjson online "$(grep -c '^processor' /proc/cpuinfo)" \
  --argjson total "$total_mib" \
  --argjson nodes "$(printf '%s\n' "${nodes_mib[@]}" | jq -s 'map(tonumber)')" \
  --argjson nodeskib "$(printf '%s\n' "${nodes_kib[@]}" | jq -s 'map(tonumber)')" \
  --argjson blockbytes "$block" --arg netns "$netns" --arg dmesg "$dmesg_state" --arg bootid "$boot_id" \
  --arg cmdline "$(cat /proc/cmdline)" --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" '
  {id: $id, source: "host",
   kernel: {series: $series, flavor: null, release: $release, package: null},
   host: {cpus: $cpus, memoryMiB: $total, nodesMiB: $nodes, nodesMemTotalKiB: $nodeskib,
          memoryBlockBytes: $blockbytes, netns: $netns, bootId: $bootid, dmesg: $dmesg},
   cmdline: $cmdline,
   observed: {processors: $online},
   capturedAt: $at}' >"$work/case.json"

rm -rf "$out.tmp"
mkdir -p "$(dirname "$out")"
cp -r "$work" "$out.tmp"
chmod 755 "$out.tmp"
chmod 644 "$out.tmp"/*   # files copied from /proc are read-only
rm -rf "$out"
mv "$out.tmp" "$out"
echo "capture-host: wrote $out" >&2
