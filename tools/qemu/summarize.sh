#!/usr/bin/env bash
# summarize.sh [--readme] [FIXTURE_DIR...]
#
# Prints a Markdown table with the headline values of each fixture folder
# (default: the QEMU fixtures in cases.tsv order, then any other folder under
# packages/kernel-model/fixtures/qemu, then fixtures/host/*).  --readme
# instead rewrites the table between the summary:start/summary:end comments
# of tools/qemu/README.md.
# Columns: tcp_mem, tcp_rmem[2], tcp_wmem[2], min_free_kbytes, THP state, the
# dmesg "TCP established"/"TCP bind" hash sizes, MemTotal and the dmesg
# "Memory: avail/total" line.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fx=$(cd "$here/../../packages/kernel-model/fixtures" && pwd)
if [[ ${1:-} == --readme ]]; then
  shift
  readme=$here/README.md
  table=$(mktemp)
  trap 'rm -f "$table"' EXIT
  "$0" "$@" >"$table"
  awk -v t="$table" '
    /<!-- summary:start -->/ { print; while ((getline l < t) > 0) print l; skip = 1; next }
    /<!-- summary:end -->/ { skip = 0 }
    !skip' "$readme" >"$readme.new"
  mv "$readme.new" "$readme"
  exit 0
fi

if (($# == 0)); then
  dirs=()
  while IFS= read -r id; do
    [[ -d $fx/qemu/$id ]] && dirs+=("$fx/qemu/$id")
  done < <(awk -F'\t' '!/^#/ && NF {print $1}' "$here/cases.tsv")
  for d in "$fx"/qemu/*/ "$fx"/host/*/; do
    d=${d%/}
    [[ " ${dirs[*]} " == *" $d "* ]] || dirs+=("$d")
  done
  set -- "${dirs[@]}"
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
  ehash='' bind='' memline=''
  if [[ -f $d/dmesg.txt ]]; then
    ehash=$(grep -oE 'TCP established hash table entries: [0-9]+' "$d/dmesg.txt" | grep -oE '[0-9]+$' | head -n1 || true)
    bind=$(grep -oE 'TCP bind hash table entries: [0-9]+' "$d/dmesg.txt" | grep -oE '[0-9]+$' | head -n1 || true)
    memline=$(grep -oE 'Memory: [0-9]+K/[0-9]+K' "$d/dmesg.txt" | head -n1 | sed 's/Memory: //' || true)
  fi
  # No dmesg (host whose ring buffer wrapped): ehash from the 6.1+ sysctl.
  if [[ -z $ehash ]]; then
    ehash=$(jq -r '."net.ipv4.tcp_ehash_entries" // empty' "$s")
    [[ -n $ehash ]] && ehash="$ehash (sysctl)"
  fi
  memtotal=$(awk '$1=="MemTotal:" {print $2}' "$d/meminfo")
  echo "| $id | $kernel | $nodes | $cpus | ${extra:--} | $tcp_mem | $rmem2 | $wmem2 | $mfk | $thp | ${ehash:-?} | ${bind:-?} | $memtotal | ${memline:-?} |"
done
