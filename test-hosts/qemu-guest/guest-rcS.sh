#!/bin/sh
# /etc/init.d/rcS of the QEMU guest test host (busybox init's sysinit step).
# Mounts the pseudo filesystems, loads the NIC driver, configures the one
# virtio-net link on QEMU's user-mode (slirp) network, and returns; busybox
# init then starts sshd (and restarts it if it dies, see /etc/inittab).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
. /etc/tcpmem-guest.conf

mount -t proc -o nosuid,nodev,noexec proc /proc
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
mount -t devtmpfs -o nosuid devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts -o nosuid,noexec,gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs /dev/shm
mount -t tmpfs -o nosuid,nodev,mode=0755 tmpfs /run
# sshd's privilege separation dir; /run/sysctl.d as on a systemd host; sudo's timestamps.
mkdir -p /run/sshd /run/sysctl.d /run/sudo
chmod 0755 /run/sshd
: >/run/utmp
ln -sf /proc/self/mounts /etc/mtab
hostname -F /etc/hostname

rel=$(uname -r)
while read -r m; do
	insmod "/lib/modules/$rel/$m.ko" || echo "rcS: insmod $m failed"
done <"/lib/modules/$rel/modules.load"

i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
ip link set lo up
ip addr add "$GUEST_ADDRESS" dev eth0
ip link set eth0 up
# No default route: slirp's restrict=on drops everything but the forwarded
# port anyway, and the host side of that port is on-link.
echo "@@tcpmem-guest rcS done: $(hostname) $rel $GUEST_ADDRESS up $(cut -d' ' -f1 /proc/uptime)s"
