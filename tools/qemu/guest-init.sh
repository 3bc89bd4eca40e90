#!/bin/sh
# /init of the capture initramfs (runs under busybox sh as PID 1 in the guest).
#
# Dumps boot-time memory/TCP state to the serial console and powers off.
# Each item is printed as one block:
#
#   @@TCPMEM-Q9 BEGIN <kind> <name>
#   <base64 of the exact bytes, 76 chars a line>
#   @@TCPMEM-Q9 END <kind> <name> <byte count> <md5>
#
# kind is "sysctl" (name = dotted sysctl name), "file" (name = fixture file
# name) or "value" (a computed value).  Base64 keeps tabs, trailing newlines
# and odd bytes intact across the serial line (which turns \n into \r\n), and
# the length + md5 let the host reject a garbled block.  '@' never occurs in
# base64, so the markers cannot collide with the payload.
export PATH=/bin:/sbin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /tmp

# Keep kernel messages off the console while we print (only emergencies):
# they would interleave with our blocks.  dmesg still has everything.
echo 1 >/proc/sys/kernel/printk

M='@@TCPMEM-Q9'
T=/tmp/item

# emit KIND NAME  -- prints the content of $T as one block
emit() {
	echo "$M BEGIN $1 $2"
	base64 <"$T"
	echo "$M END $1 $2 $(wc -c <"$T") $(md5sum <"$T" | cut -d' ' -f1)"
}

# emit_path KIND NAME PATH  -- emits PATH if it is readable
emit_path() {
	if [ -r "$3" ] && cat "$3" >"$T" 2>/dev/null; then
		emit "$1" "$2"
	fi
}

echo "$M START $(cat /proc/sys/kernel/osrelease)"

# --- sysctls -------------------------------------------------------------
for f in /proc/sys/net/ipv4/tcp_* /proc/sys/net/ipv4/udp_* \
	/proc/sys/net/core/somaxconn /proc/sys/net/core/rmem_max \
	/proc/sys/net/core/wmem_max /proc/sys/net/core/rmem_default \
	/proc/sys/net/core/wmem_default /proc/sys/net/core/optmem_max \
	/proc/sys/net/core/netdev_max_backlog \
	/proc/sys/vm/min_free_kbytes /proc/sys/vm/watermark_scale_factor \
	/proc/sys/vm/watermark_boost_factor /proc/sys/vm/lowmem_reserve_ratio; do
	[ -f "$f" ] || continue
	name=$(echo "${f#/proc/sys/}" | tr / .)
	emit_path sysctl "$name" "$f"
done

# --- raw files -----------------------------------------------------------
emit_path file thp_enabled /sys/kernel/mm/transparent_hugepage/enabled
emit_path file zoneinfo /proc/zoneinfo
emit_path file meminfo /proc/meminfo
emit_path file cmdline /proc/cmdline
emit_path file version /proc/version
for d in /sys/devices/system/node/node*; do
	[ -d "$d" ] || continue
	emit_path file "${d##*/}-meminfo" "$d/meminfo"
done

grep -c '^processor' /proc/cpuinfo >"$T"
emit value processors

# Whole ring buffer (-s: ask for more than the default read size).
dmesg -s 4194304 >"$T" 2>/dev/null || dmesg >"$T"
emit file dmesg.txt

echo "$M DONE"
sync
poweroff -f
# If power-off failed, exiting PID 1 panics; panic=-1 reboots and QEMU's
# -no-reboot turns that into an exit.
exit 1
