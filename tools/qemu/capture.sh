#!/usr/bin/env bash
# capture.sh -- boot one Debian kernel under QEMU (TCG) and store its boot-time
# memory/TCP state as a fixture folder.
#
#   capture.sh --case ID [--cases FILE] [--out DIR] [--force]
#       takes the case from cases.tsv (default: tools/qemu/cases.tsv)
#   capture.sh --id ID --series 6.1|6.12 --flavor amd64|cloud-amd64|rt-amd64|arm64|cloud-arm64|rt-arm64 \
#              --mem MiB[,MiB...] --cpus N [--cmdline "extra params"] \
#              [--machine pc|q35] [--cpu MODEL] [--out DIR] [--force]
#       an ad-hoc case; --mem gives one size per NUMA node
#
# arm64 flavors boot under qemu-system-aarch64 -M virt (TCG, -cpu cortex-a57 by
# default, console ttyAMA0, the kernel's device tree from QEMU); --machine and
# --cpu then default to virt and cortex-a57.
#
# DIR defaults to packages/kernel-model/fixtures/qemu/ID.  An existing DIR is
# left alone unless --force.  See README.md for the fixture format.
#
# Environment: TCPMEM_QEMU_TIMEOUT (seconds, default 900) bounds one boot;
# TCPMEM_QEMU_CPU is the default -cpu model (default qemu64, QEMU's own
# default; "max" under TCG enables 5-level paging, which costs ~1 MiB of
# boot memory: see README.md).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${TCPMEM_QEMU_CACHE:-$here/cache}
timeout_s=${TCPMEM_QEMU_TIMEOUT:-900}
cpu=${TCPMEM_QEMU_CPU:-qemu64}

die() { echo "capture: $*" >&2; exit 1; }
log() { echo "capture: $*" >&2; }

id='' series='' flavor='' mem='' cpus='' extra='' machine='' out='' force=0 case_id='' cpu_given=
cases=$here/cases.tsv
while (($#)); do
  case "$1" in
    --case) case_id=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    --id) id=$2; shift 2 ;;
    --series) series=$2; shift 2 ;;
    --flavor) flavor=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --cmdline) extra=$2; shift 2 ;;
    --machine) machine=$2; shift 2 ;;
    --cpu) cpu=$2; cpu_given=1; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) sed -n "2,19p" "$0"; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

if [[ -n $case_id ]]; then
  # cases.tsv: id, series, flavor, MiB per node, cpus, extra cmdline,
  # [machine], [cpu model]; "-" means empty/default.
  line=$(awk -F'\t' -v id="$case_id" '!/^#/ && $1==id' "$cases")
  [[ -n $line ]] || die "case $case_id not found in $cases"
  IFS=$'\t' read -r id series flavor mem cpus extra tsv_machine tsv_cpu tsv_package <<<"$line"
  [[ $extra == - ]] && extra=
  [[ -n $tsv_machine && $tsv_machine != - ]] && machine=$tsv_machine
  [[ -n $tsv_cpu && $tsv_cpu != - ]] && { cpu=$tsv_cpu; cpu_given=1; }
  # A 9th field pins the exact kernel package (an ABI other than the newest).
  [[ -n $tsv_package && $tsv_package != - ]] && export TCPMEM_KERNEL_PACKAGE=$tsv_package
  # Cases of another file than cases.tsv go next to qemu/, in fixtures/<its name without cases->
  # (cases-heldout.tsv -> fixtures/qemu-heldout/).
  if [[ -z $out && $(basename "$cases") == cases-*.tsv ]]; then
    set_name=$(basename "$cases" .tsv); set_name=${set_name#cases-}
    out=$repo/packages/kernel-model/fixtures/qemu-$set_name/$id
  fi
fi
case "$flavor" in
  *arm64) arch=arm64 qemu_bin=qemu-system-aarch64 console=ttyAMA0 apt_qemu=qemu-system-arm
          machine=${machine:-virt}; [[ -n $cpu_given ]] || cpu=cortex-a57 ;;
  *) arch=amd64 qemu_bin=qemu-system-x86_64 console=ttyS0 apt_qemu=qemu-system-x86; machine=${machine:-pc} ;;
esac
[[ -n $id && -n $series && -n $flavor && -n $mem && -n $cpus ]] ||
  die "need --case ID, or --id --series --flavor --mem --cpus"
[[ $mem =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--mem must be MiB[,MiB...]: $mem"
[[ $cpus =~ ^[0-9]+$ && $cpus -ge 1 ]] || die "--cpus must be a positive integer"

out=${out:-$repo/packages/kernel-model/fixtures/qemu/$id}
if [[ -e $out && $force -eq 0 ]]; then
  log "$out exists; skipping (use --force to recapture)"
  exit 0
fi

# --- tools -----------------------------------------------------------------
need=()
command -v "$qemu_bin" >/dev/null || need+=("$apt_qemu")
command -v jq >/dev/null || need+=(jq)
if ((${#need[@]})); then
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${need[@]}" >&2
fi

eval "$("$here/fetch-kernel.sh" "$series" "$flavor")"
if [[ $arch == arm64 ]]; then initrd_out=$cache/initramfs-arm64.cpio.gz; else initrd_out=$cache/initramfs.cpio.gz; fi
initrd=$(TCPMEM_QEMU_ARCH=$arch "$here/build-initramfs.sh" "$initrd_out")

# --- QEMU command line -------------------------------------------------------
IFS=, read -r -a nodes <<<"$mem"
total=0
for n in "${nodes[@]}"; do total=$((total + n)); done
qemu=("$qemu_bin" -accel tcg -machine "$machine" -cpu "$cpu"
  -smp "$cpus" -m "${total}M" -nographic -no-reboot -nodefaults -serial stdio
  -kernel "$VMLINUZ" -initrd "$initrd"
  -append "console=$console panic=-1${extra:+ $extra}")
if ((${#nodes[@]} > 1)); then
  # One RAM backend per node; CPUs split into contiguous, near-equal ranges
  # (nodes beyond the CPU count are memory-only).
  nn=${#nodes[@]} first=0
  for ((i = 0; i < nn; i++)); do
    count=$(( cpus / nn + (i < cpus % nn ? 1 : 0) ))
    qemu+=(-object "memory-backend-ram,id=ram$i,size=${nodes[i]}M")
    if ((count > 0)); then
      qemu+=(-numa "node,nodeid=$i,memdev=ram$i,cpus=$first-$((first + count - 1))")
    else
      qemu+=(-numa "node,nodeid=$i,memdev=ram$i")
    fi
    first=$((first + count))
  done
fi

logdir=$cache/logs
mkdir -p "$logdir"
serial=$logdir/$id.serial.log
log "booting $id: $RELEASE, ${mem} MiB, $cpus cpu(s), machine $machine, cmdline '${extra}'"
# Under TCG (no KVM here) a guest now and then dies in early boot from an emulation fault (seen: an oops in
# enqueue_timer, then "Kernel panic - not syncing: Fatal exception in interrupt", on a kernel that boots fine the
# next time). The guest measures nothing before it panics, so such a boot is tried once more, and said so.
for attempt in 1 2; do
  start=$(date +%s.%N)
  rc=0
  timeout "$timeout_s" "${qemu[@]}" </dev/null >"$serial" 2>"$logdir/$id.qemu.err" || rc=$?
  secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
  log "$id: qemu exited with $rc after ${secs}s (serial log: $serial)"
  if ((attempt == 1 && rc == 0)) && grep -q 'Kernel panic - not syncing' "$serial" && ! grep -q '@@TCPMEM-Q9 DONE' "$serial"; then
    cp "$serial" "$serial.panic"
    log "$id: the guest kernel panicked during boot (kept as $serial.panic); booting it once more"
    continue
  fi
  break
done
((rc != 124)) || die "$id: boot timed out after ${timeout_s}s"

# --- split the serial log ------------------------------------------------------
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/blocks" "$work/fixture"
# Strip the serial \r, then cut the BEGIN/END blocks (see guest-init.sh) into
# blocks/N.b64; manifest gets "N kind name bytes md5" per block.
tr -d '\r' <"$serial" | awk -v dir="$work/blocks" '
  $1 == "@@TCPMEM-Q9" && $2 == "BEGIN" { n++; cur = dir "/" n ".b64"; kind = $3; name = $4; printf "" > cur; next }
  $1 == "@@TCPMEM-Q9" && $2 == "END" {
    if (cur == "" || $3 != kind || $4 != name) { print "bad END for " $4 > "/dev/stderr"; exit 1 }
    close(cur); print n, kind, name, $5, $6 > (dir "/manifest"); cur = ""; next }
  $1 == "@@TCPMEM-Q9" && $2 == "DONE" { print "done" > (dir "/done"); next }
  cur != "" { print >> cur }
' || die "$id: malformed serial log $serial"
[[ -f $work/blocks/done ]] || die "$id: guest did not finish (no DONE marker); see $serial"

# Turns "name<TAB>base64(value)" lines into {"name": "value minus one trailing \n"}.
SYSCTLS_JQ='split("\n") | map(select(length > 0) | split("\t") | {(.[0]): (.[1] | @base64d | sub("\n$"; ""))}) | add'
declare -A sysctl_files=()
processors=
while read -r n kind name bytes md5; do
  raw=$work/blocks/$n.raw
  base64 -d <"$work/blocks/$n.b64" >"$raw" || die "$id: bad base64 in block $name"
  [[ $(stat -c %s "$raw") == "$bytes" && $(md5sum <"$raw" | cut -d' ' -f1) == "$md5" ]] ||
    die "$id: block $name is corrupt (size/md5 mismatch)"
  case "$kind" in
    sysctl) sysctl_files[$name]=$raw ;;
    file) [[ $name =~ ^[A-Za-z0-9._-]+$ ]] || die "bad file name $name"; cp "$raw" "$work/fixture/$name" ;;
    value) [[ $name == processors ]] && processors=$(tr -d '\n' <"$raw") ;;
  esac
done <"$work/blocks/manifest"
((${#sysctl_files[@]} > 0)) || die "$id: no sysctls captured"

# sysctls.json: {"net.ipv4.tcp_mem": "2475\t3301\t4950", ...}, keys sorted,
# values as printed minus the one trailing newline.
# One jq run over "name<TAB>base64(value)" lines (one jq per sysctl is slow).
for name in "${!sysctl_files[@]}"; do
  printf '%s\t%s\n' "$name" "$(base64 -w0 <"${sysctl_files[$name]}")"
done | jq -S -R -s "$SYSCTLS_JQ" >"$work/fixture/sysctls.json"

# case.json: the hardware exactly as QEMU was given it.
nodes_json=$(printf '%s\n' "${nodes[@]}" | jq -s 'map(tonumber)')
# The argv with cache paths reduced to file names (they are machine-specific).
argv_json=$(printf '%s\n' "${qemu[@]}" | sed "s|^$VMLINUZ\$|$(basename "$VMLINUZ")|; s|^$initrd\$|$(basename "$initrd")|" | jq -R . | jq -s .)
jq -n \
  --arg id "$id" --arg series "$series" --arg flavor "$flavor" --arg release "$RELEASE" \
  --arg package "$PACKAGE" --arg machine "$machine" --arg cpu "$cpu" \
  --argjson smp "$cpus" --argjson total "$total" --argjson nodes "$nodes_json" \
  --arg cmdline "$extra" --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --arg qver "$("$qemu_bin" --version | head -n1)" --arg arch "$arch" \
  --argjson initrd_bytes "$(stat -c %s "$initrd")" --argjson argv "$argv_json" \
  --arg procs "$processors" --arg secs "$secs" '
  {id: $id, source: "qemu",
   kernel: {series: $series, flavor: $flavor, release: $release, package: $package, arch: $arch},
   qemu: {machine: $machine, cpu: $cpu, smp: $smp, memoryMiB: $total, nodesMiB: $nodes,
          accel: "tcg", version: $qver, argv: $argv, initrdBytes: $initrd_bytes},
   cmdline: $cmdline,
   observed: {processors: ($procs | tonumber? // null)},
   bootSeconds: ($secs | tonumber),
   capturedAt: $at}' >"$work/fixture/case.json"

for f in zoneinfo meminfo cmdline version dmesg.txt; do
  [[ -s $work/fixture/$f ]] || die "$id: $f missing from the guest output"
done

rm -rf "$out.tmp"
mkdir -p "$(dirname "$out")"
cp -r "$work/fixture" "$out.tmp"
rm -rf "$out"
mv "$out.tmp" "$out"
log "$id: wrote $out ($(find "$out" -type f | wc -l) files, ${#sysctl_files[@]} sysctls)"
