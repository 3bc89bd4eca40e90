#!/usr/bin/env bash
# summarize.sh [FIXTURE_DIR...]
#
# Prints a Markdown table with the headline values of each fixture folder
# (default: every folder under packages/kernel-model/fixtures/qemu and
# fixtures/host):  tcp_mem, tcp_rmem[2], tcp_wmem[2], min_free_kbytes, THP
# state, the dmesg "TCP established"/"TCP bind" hash sizes, MemTotal and the
# dmesg "Memory: avail/total" line.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fx=$(cd "$here/../../packages/kernel-model/fixtures" && pwd)
if (($# == 0)); then
  set -- "$fx"/qemu/*/ "$fx"/host/*/
fi

echo "| case | kernel | MiB per node | cpus | extra cmdline | tcp_mem | tcp_rmem[2] | tcp_wmem[2] | min_free_kbytes | THP | ehash | bind | MemTotal kB | dmesg Memory: avail/total K |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for d in "$@"; do
  d=${d%/}
  [[ -f $d/case.json && -f $d/sysctls.json ]] || continue
  s=$d/sysctls.json c=$d/case.json
  id=$(jq -r .id "$c")
  kernel=$(jq -r '.kernel.release' "$c")
  nodes=$(jq -r '(.qemu.nodesMiB // .host.nodesMiB) | map(tostring) | join("+")' "$c")
  cpus=$(jq -r '.qemu.smp // .host.cpus' "$c")
  extra=$(jq -r 'if .source == "host" then "(host)" else .cmdline end' "$c")
  tcp_mem=$(jq -r '."net.ipv4.tcp_mem" | gsub("\t"; " ")' "$s")
  rmem2=$(jq -r '."net.ipv4.tcp_rmem" | split("\t")[2]' "$s")
  wmem2=$(jq -r '."net.ipv4.tcp_wmem" | split("\t")[2]' "$s")
  mfk=$(jq -r '."vm.min_free_kbytes"' "$s")
  thp=$(grep -oE '\[[a-z]+\]' "$d/thp_enabled" 2>/dev/null | tr -d '[]' || echo "?")
  ehash=bind=memline=
  if [[ -f $d/dmesg.txt ]]; then
    ehash=$(grep -oE 'TCP established hash table entries: [0-9]+' "$d/dmesg.txt" | grep -oE '[0-9]+$' | head -n1 || true)
    bind=$(grep -oE 'TCP bind hash table entries: [0-9]+' "$d/dmesg.txt" | grep -oE '[0-9]+$' | head -n1 || true)
    memline=$(grep -oE 'Memory: [0-9]+K/[0-9]+K' "$d/dmesg.txt" | head -n1 | sed 's/Memory: //' || true)
  fi
  memtotal=$(awk '$1=="MemTotal:" {print $2}' "$d/meminfo")
  echo "| $id | $kernel | $nodes | $cpus | ${extra:--} | $tcp_mem | $rmem2 | $wmem2 | $mfk | $thp | ${ehash:-?} | ${bind:-?} | $memtotal | ${memline:-?} |"
done
