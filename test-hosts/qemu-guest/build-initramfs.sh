#!/usr/bin/env bash
# build-initramfs.sh base --out FILE --release R --modules DIR [--user NAME]
# build-initramfs.sh overlay --out FILE --host-key KEY --authorized-key PUB
#                    [--user NAME] [--hostname NAME] [--address A.B.C.D/NN]
#
# Builds the initramfs of the QEMU guest test host as two gzip'ed newc cpio
# archives that the kernel unpacks one after the other when they are
# concatenated (base first):
#
# base -- everything that does not change from run to run (guest.sh caches it
# per kernel release and package versions): a tiny merged-/usr Debian-like root
# with
#   - Debian's dash as /bin/sh, coreutils, grep, sed, mawk, findutils, and
#     busybox-static for the rest (init, mount, ip, insmod, hostname, ...),
#   - this machine's OpenSSH sshd (+ sftp-server) with its shared libraries
#     (found with ldd),
#   - sudo (setuid root, sudoers.so plugin, libsudo_util) with PAM reduced to
#     pam_permit for sudo and pam_deny for everything else, and a sudoers that
#     gives the deploy user passwordless root (checked with visudo -c),
#   - procps' sysctl (what a Debian host has) and glibc's getconf,
#   - the virtio-net driver (+ virtio-pci / virtio-rng where they are modules)
#     from the kernel package's MODULES dir, decompressed, in load order,
#   - the deploy user (uid 1000, login shell /bin/sh, password field '*').
# overlay -- this run's secrets and names: the fresh host key KEY (+ KEY.pub),
# the deploy user's ~/.ssh/authorized_keys = PUB, hostname, guest address.
#
# The root is the kernel's rootfs (tmpfs), so /etc/sysctl.d is writable and
# lives as long as the boot.  Prints FILE's path; base also writes
# FILE.manifest ("path size mtime" of every file of this machine it took).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "build-initramfs: $*" >&2; exit 1; }

mode=${1:-}
shift || true
out= release= moddir= host_key= auth_key= user=tcpmem-deploy hostname=tcpmem-vm1 address=192.0.2.15/24
while (($#)); do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --release) release=$2; shift 2 ;;
    --modules) moddir=$2; shift 2 ;;
    --host-key) host_key=$2; shift 2 ;;
    --authorized-key) auth_key=$2; shift 2 ;;
    --user) user=$2; shift 2 ;;
    --hostname) hostname=$2; shift 2 ;;
    --address) address=$2; shift 2 ;;
    *) die "unknown argument: $1" ;;
  esac
done
[[ $user =~ ^[a-z_][a-z0-9_-]*$ ]] || die "bad user name: $user"
[[ -n $out ]] || die "need --out FILE"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# mktemp -d makes 0700, and each cpio's "." entry sets the guest's / to its
# mode: the deploy user could not even reach /bin/sh.
chmod 0755 "$root"

# pack: write $root as a gzip'ed newc cpio to $out (sorted names; ownership as
# staged: root, except the deploy user's home).
pack() {
  mkdir -p "$(dirname "$out")"
  if [[ $mode == base ]]; then
    # OUT.manifest: "path size mtime" of every host file the base was built
    # from; guest.sh reuses a cached base only while it still matches.
    printf '%s\n' "${sources[@]}" | LC_ALL=C sort -u | xargs -d '\n' stat -c '%n %s %Y' >"$out.manifest.tmp.$$"
  fi
  (cd "$root" && find . -print0 | LC_ALL=C sort -z |
    cpio --null --create --format=newc --reproducible --quiet) |
    gzip -6 -n >"$out.tmp.$$"
  mv "$out.tmp.$$" "$out"
  [[ $mode != base ]] || mv "$out.manifest.tmp.$$" "$out.manifest"
  echo "$out"
}

case "$mode" in
  base)
    [[ -n $release && -d $moddir ]] || die "base needs --release R --modules DIR"
    ;;
  overlay)
    [[ -f $host_key && -f $auth_key ]] || die "overlay needs --host-key KEY --authorized-key PUB"
    [[ $address =~ ^[0-9.]+/[0-9]+$ ]] || die "bad address: $address"
    [[ $hostname =~ ^[A-Za-z0-9-]+$ ]] || die "bad hostname: $hostname"
    mkdir -p "$root/etc/ssh" "$root/home/$user/.ssh"
    install -m 0600 "$host_key" "$root/etc/ssh/ssh_host_ed25519_key"
    [[ ! -f $host_key.pub ]] || install -m 0644 "$host_key.pub" "$root/etc/ssh/ssh_host_ed25519_key.pub"
    echo "$hostname" >"$root/etc/hostname"
    printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$hostname" >"$root/etc/hosts"
    printf 'GUEST_ADDRESS=%s\n' "$address" >"$root/etc/tcpmem-guest.conf"
    # StrictModes: home and key owned by the user, not group/world-writable.
    install -m 0600 "$auth_key" "$root/home/$user/.ssh/authorized_keys"
    chmod 0755 "$root/home" "$root/home/$user"
    chmod 0700 "$root/home/$user/.ssh"
    chown -R 1000:1000 "$root/home/$user"
    pack
    exit 0
    ;;
  *) die "usage: build-initramfs.sh base|overlay --out FILE ... (see the header)" ;;
esac

busybox=/bin/busybox
ldd "$busybox" >/dev/null 2>&1 && die "$busybox is dynamically linked; install busybox-static"
for f in /usr/bin/dash /usr/sbin/sshd /usr/lib/openssh/sftp-server /usr/bin/sudo /usr/libexec/sudo/sudoers.so \
  /usr/sbin/sysctl /usr/bin/getconf /usr/sbin/visudo; do
  [[ -e $f ]] || die "missing $f (dash, openssh-server, sudo, procps, libc-bin)"
done
pamdir=/usr/lib/x86_64-linux-gnu/security
[[ -f $pamdir/pam_permit.so && -f $pamdir/pam_deny.so ]] || die "missing $pamdir/pam_permit.so (libpam-modules)"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# mktemp -d makes 0700, and the cpio's "." entry sets the guest's / to that
# mode: the deploy user could not even reach /bin/sh.
chmod 0755 "$root"

# ---- layout: merged /usr like Debian 12 -----------------------------------
mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{dev,proc,sys,run,tmp,root,home,etc,var/log,var/lib/sudo,mnt}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$root/$d"; done
chmod 1777 "$root/tmp"
chmod 0700 "$root/root" "$root/var/lib/sudo"

# Every file of this machine that goes into the base, for its manifest.
sources=("$here/build-initramfs.sh" "$here/guest-rcS.sh" /bin/busybox /usr/sbin/visudo)

# /bin/x, /lib/x, ... -> /usr/bin/x, /usr/lib/x (the image's canonical path)
canon() {
  case "$1" in
    /bin/* | /sbin/* | /lib/* | /lib64/*) echo "/usr$1" ;;
    *) echo "$1" ;;
  esac
}

# add_file PATH: copy this machine's PATH into the image under the same name,
# keeping its mode (sudo's setuid bit) and recreating one level of symlink
# (libfoo.so.1 -> libfoo.so.1.2.3).
add_file() {
  local src=$1 real dst rdst
  real=$(readlink -f -- "$src")
  sources+=("$real")
  dst=$(canon "$src")
  rdst=$(canon "$real")
  if [[ ! -e $root$rdst ]]; then
    mkdir -p "$(dirname "$root$rdst")"
    install -m "$(stat -c %a "$real")" "$real" "$root$rdst"
  fi
  if [[ $dst != "$rdst" && ! -e $root$dst && ! -L $root$dst ]]; then
    mkdir -p "$(dirname "$root$dst")"
    ln -sr "$root$rdst" "$root$dst"
  fi
}

# add_elf PATH: the file and every shared library ldd says it needs.
add_elf() {
  add_file "$1"
  local lib
  for lib in $(ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' || true); do
    add_file "$lib"
  done
}

# ---- programs with their libraries ------------------------------------------
# A Debian userland where it matters to tcpmem's remote scripts and their error
# messages: dash as /bin/sh (busybox's sh would run its own applets before
# $PATH), coreutils (cat, tee, mv, sync, mktemp, ...), grep, sed, mawk,
# findutils, procps' sysctl (--system, Debian's messages), glibc's getconf.
for f in /usr/bin/dash /usr/sbin/sshd /usr/lib/openssh/sftp-server /usr/bin/sudo /usr/libexec/sudo/sudoers.so \
  /usr/sbin/sysctl /usr/bin/getconf /usr/bin/mawk "$pamdir/pam_permit.so" "$pamdir/pam_deny.so"; do
  add_elf "$f"
done
for f in $(dpkg -L coreutils grep sed findutils 2>/dev/null | grep -E '^(/usr)?/s?bin/[^/]+$' | sort -u); do
  [[ -f $f && -x $f ]] || continue
  if [[ $(od -An -c -N4 "$f" | tr -d ' ') == 177ELF ]]; then add_elf "$f"; else add_file "$f"; fi
done
ln -s dash "$root/usr/bin/sh"
ln -s mawk "$root/usr/bin/awk"
# sudo checks that its plugin and its conf files are root's and not writable by others.
chmod 0644 "$root/usr/libexec/sudo/sudoers.so"
[[ -u $root/usr/bin/sudo ]] || die "sudo lost its setuid bit"
# No ld.so.cache otherwise: the loader would still find the multiarch dirs, but a cache is what Debian has.
ldconfig -r "$root" 2>/dev/null || true

# ---- busybox for the rest (init, mount, ip, insmod, hostname, ...) ------------
# One symlink per applet, only where no real program took the name.
install -m 0755 "$busybox" "$root/usr/bin/busybox"
for applet in $("$busybox" --list-full); do
  p=$(canon "/$applet")
  [[ -e $root$p || -L $root$p ]] && continue
  case "$p" in
    /usr/bin/*) ln -s busybox "$root$p" ;;
    /usr/sbin/*) ln -s ../bin/busybox "$root$p" ;;
    *) mkdir -p "$(dirname "$root$p")"; ln -sr "$root/usr/bin/busybox" "$root$p" ;;
  esac
done
# init is busybox init (reaps orphans, respawns sshd); the kernel runs /init.
ln -s usr/bin/busybox "$root/init"
# The kernel needs /dev/console to give init a stdout before devtmpfs exists.
mknod -m 600 "$root/dev/console" c 5 1

# ---- kernel modules ----------------------------------------------------------
# Wanted: virtio_pci (the bus; built in on 6.12), virtio_net (the NIC; a module
# in every Debian flavor -- the cloud flavor has no e1000 at all), virtio_rng
# (entropy for sshd early in boot).  Dependencies from modinfo, loaded first.
mods_out=$root/usr/lib/modules/$release
mkdir -p "$mods_out"
: >"$mods_out/modules.load"
declare -A done_mod=()
declare -A builtin_mod=()
if [[ -f $moddir/modules.builtin ]]; then
  while read -r m; do builtin_mod[$m]=1; done < <(sed 's|.*/||; s|\.ko$||; s|-|_|g' "$moddir/modules.builtin")
fi
builtin_has() { [[ -n ${builtin_mod[$1]:-} ]]; } # module name (underscores) is built into the kernel?
find_mod() { # path of module $1's .ko / .ko.xz / .ko.zst, or nothing
  local n=$1 alt=${1//_/-}
  find "$moddir/kernel" \( -name "$n.ko" -o -name "$n.ko.xz" -o -name "$n.ko.zst" -o -name "$n.ko.gz" \
    -o -name "$alt.ko" -o -name "$alt.ko.xz" -o -name "$alt.ko.zst" -o -name "$alt.ko.gz" \) | head -n1
}
add_mod() { # add_mod NAME REQUIRED(0|1)
  local name=${1//-/_} required=$2 file dep
  [[ -n ${done_mod[$name]:-} ]] && return 0
  done_mod[$name]=1
  if builtin_has "$name"; then return 0; fi
  file=$(find_mod "$name")
  if [[ -z $file ]]; then
    ((required)) && die "module $name is neither built in nor in $moddir"
    return 0
  fi
  sources+=("$file")
  for dep in $(modinfo -F depends "$file" | tr ',' ' '); do add_mod "$dep" 1; done
  case "$file" in
    *.xz) xz -dc "$file" ;;
    *.zst) zstd -dcq "$file" ;;
    *.gz) gzip -dc "$file" ;;
    *) cat "$file" ;;
  esac >"$mods_out/$name.ko"
  echo "$name" >>"$mods_out/modules.load"
}
add_mod virtio_pci 1
add_mod virtio_net 1
add_mod virtio_rng 0

# ---- /etc ------------------------------------------------------------------------
etc=$root/etc
printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n' >"$etc/nsswitch.conf"
echo /bin/sh >"$etc/shells"
cat >"$etc/passwd" <<EOF
root:x:0:0:root:/root:/bin/sh
sshd:x:100:65534::/run/sshd:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
$user:x:1000:1000:tcpmem deploy user:/home/$user:/bin/sh
EOF
cat >"$etc/group" <<EOF
root:x:0:
tty:x:5:
shadow:x:42:
nogroup:x:65534:
$user:x:1000:
EOF
# '*': no password, but not "locked" (sshd without PAM refuses '!' accounts).
cat >"$etc/shadow" <<EOF
root:*:19000:0:99999:7:::
sshd:*:19000:0:99999:7:::
nobody:*:19000:0:99999:7:::
$user:*:19000:0:99999:7:::
EOF
chmod 0640 "$etc/shadow"
chgrp 42 "$etc/shadow"

mkdir -p "$etc/ssh" "$etc/sysctl.d" "$etc/pam.d" "$etc/init.d" "$etc/sudoers.d"
cat >"$etc/ssh/sshd_config" <<EOF
# tcpmem QEMU guest test host
Port 22
ListenAddress 0.0.0.0
HostKey /etc/ssh/ssh_host_ed25519_key
PidFile /run/sshd.pid
AllowUsers $user
PermitRootLogin no
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PrintMotd no
PrintLastLog no
X11Forwarding no
AllowTcpForwarding yes
MaxStartups 64:30:128
LogLevel VERBOSE
Subsystem sftp /usr/lib/openssh/sftp-server
EOF

# sudo: passwordless root for the deploy user; PAM reduced to pam_permit.
cat >"$etc/sudoers" <<EOF
Defaults	env_reset
Defaults	secure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
Defaults	!lecture
Defaults	!syslog
root	ALL=(ALL:ALL) ALL
$user	ALL=(ALL:ALL) NOPASSWD: ALL
EOF
chmod 0440 "$etc/sudoers"
visudo -c -q -f "$etc/sudoers" >/dev/null || die "generated sudoers does not parse"
printf 'Plugin sudoers_policy sudoers.so\nPlugin sudoers_io sudoers.so\nPlugin sudoers_audit sudoers.so\n' >"$etc/sudo.conf"
cat >"$etc/pam.d/sudo" <<'EOF'
# The guest has no passwords: sudo's own NOPASSWD rule decides; PAM just says yes.
auth     sufficient pam_permit.so
account  required   pam_permit.so
session  required   pam_permit.so
password required   pam_deny.so
EOF
cat >"$etc/pam.d/other" <<'EOF'
auth     required pam_deny.so
account  required pam_deny.so
password required pam_deny.so
session  required pam_deny.so
EOF

install -m 0755 "$here/guest-rcS.sh" "$etc/init.d/rcS"
cat >"$etc/inittab" <<'EOF'
::sysinit:/etc/init.d/rcS
::respawn:/usr/sbin/sshd -D -e -f /etc/ssh/sshd_config
::ctrlaltdel:/sbin/poweroff
::shutdown:/bin/sync
EOF

pack
