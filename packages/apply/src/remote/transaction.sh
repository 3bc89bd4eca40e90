# shellcheck shell=sh
# tcpmem's remote transaction: applies one host's live sysctl writes and its /etc/sysctl.d file, all or nothing.
#
# The client runs it as `sudo -n sh -s` with this file on stdin, its data right behind it, at once: the whole
# script is one `{ … }` group whose stdin is a quoted here-document holding the data (`} 3<&0 <<'@@tcpmem-data'`;
# the client sends the data lines and the delimiter in place of this file's last line), so the shell has read all
# of it, data included, before it runs anything (no round trip to wait for a hello first). The client's own word
# (COMMIT) comes later on the connection's stdin, which the group reads as fd 3. The data lines:
#
#   nonce HEX16            marks every later output line (`@@tcpmem-HEX16 …`) and names the temporary file
#   wait SECONDS           how long to wait for the client's word (COMMIT)
#   pause SECONDS          tests only: sleep in the commit step, after the live writes and before the file
#   read NAME              a sysctl the read section reads (repeated)
#   scan DIR               a sysctl.d folder the read section lists (repeated, in precedence order)
#   write NAME V [V V]     a live write: the sysctl and its integers (repeated, in plan order)
#   file keep|write|remove what happens to tcpmem's file
#   text LINE              a line of tcpmem's new file (repeated; with `file write`)
#   go                     end of the data
#
# No data line can equal the delimiter: each starts with its keyword. Then, in lines marked `@@tcpmem-NONCE`:
#   0. lock: `mkdir RUN/tcpmem/ns-NET-lock` (one per network namespace) holding `PID NONCE`; `busy PID`
#      while its holder lives; `nolock WHY` when it cannot be made at all (no permission: not root). A dead holder's
#      lock is taken over once every process it left (found by TCPMEM_TRANSACTION=NONCE in their environment) is
#      killed and gone. Then a journal left by a killed commit or a failed rollback is recovered:
#      `recovered committed|rolled-back|failed killed|rollback-failed`; stale temporary files are removed;
#   1. read the host's sysctls and sysctl.d files exactly like `plan` does (`… end`; read-script.ts: every sysctl
#      in one `grep -H`), not the other facts plan reads (nothing compares them);
#   2. prepare at once, in the same reply (protocol 2; protocol 1 waited for the client's PREPARE here), changing
#      nothing: record each sysctl's live value as the read under the lock found it (`old NAME V…`), check that the
#      sysctl.d folder is writable; print
#      `prepared` (or `refused`), and wait for `COMMIT` (the client compares the fingerprint and the recorded values
#      meanwhile, and ends stdin instead when the host is stale);
#   3. commit: write a journal, then each live value (`wrote`), read it back (`verified`), write the new file to a
#      temporary file, fsync, rename it over 99-tcpmem.conf, fsync the folder (`persisted`), or remove the file
#      when it would be empty (`removed`); drop the journal; `committed`. On any failure: restore the recorded
#      values, read them back, remove the temporary file (`failed STAGE NAME DETAIL`, `restored NAME V…`,
#      `rolled-back`, or `rollback-failed` when a restore did not take).
#
# Anything else than the expected word (EOF from a dropped connection, a timeout) ends the script before step 3
# with the host untouched; nothing is created before COMMIT. The commit step ignores HUP, PIPE, INT, TERM and QUIT;
# if it is SIGKILLed half-way, its journal (RUN/tcpmem/ns-NET-journal, outside the lock) lets the next
# transaction on the host finish or undo it. The rename of the temporary file is the commit point of the file:
# recovery claims the temporary file by renaming it first, and finds the commit done when it is gone.
#
# Roots, for tests that run it in a temporary folder (the defaults are the real ones):
#   TCPMEM_PROC_SYS (/proc/sys), TCPMEM_SYSCTL_D (/etc/sysctl.d), TCPMEM_RUN (/run).
#
# Forks are few on purpose (on a fleet of namespaces of one machine they are what the hosts cost): names become
# paths and values are split by the shell itself; the read is one grep for every sysctl. (`read` cannot replace
# `cat` for a sysctl: it reads one byte at a time, and the kernel's integer sysctls return nothing past offset 0.)
{
LC_ALL=C; export LC_ALL; umask 022; set -f
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; export PATH
# a dropped connection (HUP, EPIPE on stdout) or a stray signal must not stop the commit step half-way
trap '' HUP PIPE INT TERM QUIT

proc_sys=${TCPMEM_PROC_SYS:-/proc/sys}
sysctl_d=${TCPMEM_SYSCTL_D:-/etc/sysctl.d}
run_root=${TCPMEM_RUN:-/run}
own_file="$sysctl_d/99-tcpmem.conf"
lock_root="$run_root/tcpmem"

# ---------------------------------------------------------------------------------------------------- data ---
nl='
'
data_error() { printf '@@tcpmem bad-data %s\n' "$1"; exit 0; }
is_int_list() { case "$1" in '' | *[!0-9\ -]*) return 1 ;; esac; return 0; }
is_name() { case "$1" in '' | *[!a-z0-9_.]*) return 1 ;; esac; return 0; }
# a sysctl's path under proc_sys in $path: its dots made slashes (a checked name)
path_of() {
  path=$proc_sys path_rest=$1
  while :; do
    case "$path_rest" in
      *.*) path=$path/${path_rest%%.*}; path_rest=${path_rest#*.} ;;
      *) path=$path/$path_rest; return 0 ;;
    esac
  done
}
nonce='' wait_seconds=60 pause_seconds=0 read_names='' scan_dirs='' write_count=0 file_mode=keep file_text='' data_done=''
while IFS= read -r data_line; do
  data_word=${data_line%% *}
  data_rest=${data_line#"$data_word"}; data_rest=${data_rest# }
  case "$data_word" in
    go) data_done=1; break ;;
    nonce)
      case "$data_rest" in *[!0-9a-f]*) data_error "nonce: not hex" ;; esac
      [ "${#data_rest}" -eq 16 ] || data_error "nonce: not 16 hex digits"
      nonce=$data_rest ;;
    wait) case "$data_rest" in '' | *[!0-9]*) data_error "wait: not a number" ;; esac; wait_seconds=$data_rest ;;
    pause) case "$data_rest" in '' | *[!0-9]*) data_error "pause: not a number" ;; esac; pause_seconds=$data_rest ;;
    read) is_name "$data_rest" || data_error "read: not a sysctl name"; read_names="$read_names $data_rest" ;;
    scan) case "$data_rest" in /* ) ;; *) data_error "scan: not an absolute path" ;; esac
      case "$data_rest" in *[!A-Za-z0-9_./-]*) data_error "scan: unusual characters" ;; esac
      scan_dirs="$scan_dirs $data_rest" ;;
    write)
      write_name=${data_rest%% *}; write_values=${data_rest#"$write_name"}; write_values=${write_values# }
      is_name "$write_name" || data_error "write: not a sysctl name"
      is_int_list "$write_values" || data_error "write $write_name: not integers"
      path_of "$write_name"
      eval "write_name_$write_count=\$write_name write_values_$write_count=\$write_values write_path_$write_count=\$path"
      write_count=$((write_count + 1)) ;;
    file) case "$data_rest" in keep | write | remove) file_mode=$data_rest ;; *) data_error "file: keep, write or remove" ;; esac ;;
    text) file_text="$file_text$data_rest
" ;;
    *) data_error "unknown line" ;;
  esac
done
[ -n "$data_done" ] || data_error "no go line"
[ -n "$nonce" ] || data_error "no nonce line"

marker="@@tcpmem-$nonce"
temp_file="$sysctl_d/.99-tcpmem.conf.$nonce.tmp"

# ---------------------------------------------------------------------------------------------- functions ---
say() { printf '%s %s\n' "$marker" "$*"; }
one_line() { printf '%s' "$1" | tr '\n\t' '  '; }
# the client's next line (from fd 3, the connection's stdin) in $client_line, or nothing after wait_seconds
# (timeout -s KILL: TERM is ignored here). Without a usable timeout (none, or one that does not take -s: its own
# failure, not the inner shell's 0, 3 or the KILL's 137), a plain read.
next_client_line() {
  client_line=
  if command -v timeout >/dev/null 2>&1; then
    # shellcheck disable=SC2016 # $l is the inner shell's
    client_line=$(timeout -s KILL "$wait_seconds" sh -c 'IFS= read -r l || exit 3; printf %s "$l"' <&3 2>/dev/null)
    case $? in 0) return 0 ;; 3 | 137) client_line=; return 0 ;; esac
    client_line=
  fi
  IFS= read -r client_line <&3 || client_line=
}
# runs of blanks in $value made one space (the kernel prints triples with tabs)
one_space() {
  # shellcheck disable=SC2086 # split on blanks (globbing is off)
  set -- $value; value="$*"
}
# a sysctl's value in $value, read from its file now
get_value() {
  value=$(cat "$1" 2>/dev/null) || return 1
  one_space
}
# what the read section's grep printed for the file $path, in $value; fails when it printed nothing for it
read_value() {
  case "$read_got" in *"$nl$path:"*) ;; *) return 1 ;; esac
  value=${read_got#*"$nl$path:"}; value=${value%%"$nl"*}
}
# one write(2) of the value, by the shell's own printf (no process); when the kernel refuses it, once more by
# coreutils printf, which names the errno (dash's builtin says only "I/O error"): the same value written twice
put_value() {
  { printf '%s\n' "$2" >"$1"; } 2>/dev/null && return 0
  if [ -x /usr/bin/printf ]; then error=$(/usr/bin/printf '%s\n' "$2" 2>&1 >"$1"); else error=$(printf '%s\n' "$2" 2>&1 >"$1"); fi && return 0
  error=$(one_line "$error"); return 1
}
is_alive() { [ -n "$1" ] && [ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# -------------------------------------------------------------------------------------------------- 0. lock ---
# `N-` from the link `net:[N]` (empty when it cannot be read). One lock per network namespace, whatever mount
# namespace the transaction runs in: the live values it writes are the network namespace's (the whole-host ones
# exist only in the first), and the mount namespace changes under the same host (sshd restarted by `ip netns exec`,
# a unit with PrivateTmp, pam_namespace, a DaemonSet's container sharing the node's /run/tcpmem and /etc/sysctl.d)
ns_net=$(readlink /proc/self/ns/net 2>/dev/null)
case "$ns_net" in "net:["*"]") ns_net=${ns_net#"net:["}; ns_net=${ns_net%"]"} ;; *) ns_net= ;; esac
case "$ns_net" in '' | *[!0-9]*) ns_net=''; namespace_key='' ;; *) namespace_key="$ns_net-" ;; esac
lock_dir="$lock_root/ns-${namespace_key}lock"
# outside the lock: a lock never outlives the transaction that took it, a journal outlives a killed commit
journal="$lock_root/ns-${namespace_key}journal"
# every process this transaction starts carries its nonce, so that a taker-over can find what a killed one left
TCPMEM_TRANSACTION=$nonce; export TCPMEM_TRANSACTION

# the processes a dead holder left running (a `mv` or `rm` of its commit step), by the nonce in their environment
survivors_of() {
  set +f
  # shellcheck disable=SC2046 # a list of pids
  grep -l -F "TCPMEM_TRANSACTION=$1" /proc/[0-9]*/environ 2>/dev/null | sed 's|^/proc/||; s|/environ$||'
  set -f
}
# kills them and waits until they are gone: then nothing but this transaction can still change the host
stop_survivors() {
  { [ -n "$1" ] && [ "$1" != "$nonce" ]; } || return 0
  tries=0
  while :; do
    left=$(survivors_of "$1")
    [ -z "$left" ] && return 0
    # shellcheck disable=SC2086 # a list of pids
    kill -KILL $left 2>/dev/null
    tries=$((tries + 1))
    [ "$tries" -le 100 ] || return 1
    sleep 0.1 2>/dev/null || sleep 1
  done
}

# recovers what a transaction killed in its commit step (or whose rollback failed) left: finishes it if its
# rename happened, else undoes it. Called holding the lock, once no process of that transaction is left.
recover_journal() {
  recover_temp='' recover_stage='' recover_cause=killed
  while IFS=" " read -r word first rest; do
    case "$word" in tmp) recover_temp=$first ;; staged | removing) recover_stage=$word ;; rollback-failed) recover_cause=rollback-failed ;; esac
  done <"$journal"
  case "$recover_temp" in "$sysctl_d"/.*.tmp) ;; *) recover_temp='' ;; esac
  # the rename is the commit point: claim the temporary file by renaming it first; if it is gone, the rename happened
  if [ "$recover_stage" = staged ] && [ -n "$recover_temp" ]; then
    if ! mv -f "$recover_temp" "$recover_temp.claimed" 2>/dev/null && [ ! -e "$recover_temp" ]; then
      rm -f "$journal"; say recovered committed "$recover_cause"; return 0
    fi
  fi
  if [ "$recover_stage" = removing ] && [ ! -e "$own_file" ]; then rm -f "$journal"; say recovered committed "$recover_cause"; return 0; fi
  recover_ok=1
  while IFS=" " read -r word first rest; do
    [ "$word" = set ] || continue
    case "$first" in "$proc_sys"/*) ;; *) continue ;; esac
    is_int_list "$rest" || continue
    # a value that reads back as recorded needs no write
    { get_value "$first" && [ "$value" = "$rest" ]; } || { put_value "$first" "$rest" && get_value "$first" && [ "$value" = "$rest" ]; } || recover_ok=''
  done <"$journal"
  [ -z "$recover_temp" ] || rm -f "$recover_temp" "$recover_temp.claimed"
  if [ -n "$recover_ok" ]; then rm -f "$journal"; say recovered rolled-back "$recover_cause"; return 0; fi
  say recovered failed "$recover_cause"; return 1
}

[ -d "$lock_root" ] || mkdir -p "$lock_root" 2>/dev/null
if ! lock_error=$(mkdir "$lock_dir" 2>&1); then
  # not there after all: no permission (not root?), no /run; anything but "taken"
  [ -d "$lock_dir" ] || { say nolock "$(one_line "$lock_error")"; exit 0; }
  holder=$(cat "$lock_dir/pid" 2>/dev/null)
  holder_pid=${holder%% *}
  holder_nonce=${holder#"$holder_pid"}; holder_nonce=${holder_nonce# }
  # a holder that has not written its pid yet (and is less than a minute old) is alive
  if [ -z "$holder" ] && [ -z "$(find "$lock_dir" -maxdepth 0 -mmin +1 2>/dev/null)" ]; then say busy starting; exit 0; fi
  if is_alive "$holder_pid"; then say busy "$holder_pid"; exit 0; fi
  stop_survivors "$holder_nonce" || { say busy "left by a killed transaction whose processes do not end"; exit 0; }
  # (a journal an older tcpmem kept inside its lock)
  if [ -f "$lock_dir/journal" ] && [ ! -e "$journal" ]; then mv -f "$lock_dir/journal" "$journal"; fi
  rm -rf "$lock_dir"; mkdir "$lock_dir" 2>/dev/null || { say busy unknown; exit 0; }
fi
echo "$$ $nonce" >"$lock_dir/pid"
# shellcheck disable=SC2317 # run by the EXIT trap
on_exit() { rm -rf "$temp_file" "$lock_dir"; }
trap on_exit EXIT
# An older tcpmem keyed its lock and journal by network and mount namespace (`ns-NET-MNT-lock`): one of this network
# namespace whose holder lives is a transaction in progress (this lock is released: busy); a dead one's processes
# are stopped and its journal is recovered as this one's. No process runs unless such a lock or journal is there.
if [ -n "$ns_net" ]; then
  set +f
  for old_lock in "$lock_root/ns-$ns_net-"*-lock; do
    [ -d "$old_lock" ] || continue
    old_holder=$(cat "$old_lock/pid" 2>/dev/null)
    old_pid=${old_holder%% *}; old_nonce=${old_holder#"$old_pid"}; old_nonce=${old_nonce# }
    if [ -z "$old_holder" ] && [ -z "$(find "$old_lock" -maxdepth 0 -mmin +1 2>/dev/null)" ]; then say busy starting; exit 0; fi
    if is_alive "$old_pid"; then say busy "$old_pid"; exit 0; fi
    stop_survivors "$old_nonce" || { say busy "left by a killed transaction whose processes do not end"; exit 0; }
    if [ -f "$old_lock/journal" ] && [ ! -e "$journal" ]; then mv -f "$old_lock/journal" "$journal"; fi
    rm -rf "$old_lock"
  done
  for old_journal in "$lock_root/ns-$ns_net-"*-journal; do
    if [ -f "$old_journal" ] && [ ! -e "$journal" ]; then mv -f "$old_journal" "$journal"; fi
  done
  set -f
fi
if [ -f "$journal" ]; then recover_journal || { say busy "a journal in $lock_root could not be recovered"; exit 0; }; fi
# temporary files of transactions that were killed (we hold the lock: none is in progress)
set +f
for stale in "$sysctl_d"/.99-tcpmem.conf.*.tmp; do [ -e "$stale" ] && rm -f "$stale"; done
set -f

# -------------------------------------------------------------------------------------------------- 1. read ---
# what the client's fingerprint and stale check compare, read exactly as `plan` reads it (read-script.ts): every
# sysctl and every sysctl.d file. Not the facts plan reads besides (release, page size, CPUs, meminfo, zoneinfo,
# cmdline, version, THP): nothing compares them, and they cost four processes and most of the output.
# every sysctl in one grep, `PATH:VALUE` (a file it cannot read prints nothing: missing); no access(2) call, so a
# test can delay the one prepare makes
read_paths=
for name in $read_names; do path_of "$name"; read_paths="$read_paths $path"; done
read_got=$nl
# shellcheck disable=SC2086 # paths of checked names (globbing is off)
[ -z "$read_paths" ] || read_got=$nl$(grep -H '' $read_paths 2>/dev/null </dev/null)$nl
for name in $read_names; do
  path_of "$name"
  if read_value; then echo "$marker sysctl $name"; printf '%s\n' "$value"; else echo "$marker missing $name"; fi
done
# a file named as one an earlier folder printed is masked by it (sysctl.d(5); plan's persistedState skips it), so
# it is not read: on a merged-/usr host /lib/sysctl.d is /usr/lib/sysctl.d, and every file of it came twice. A link
# to /dev/null (a character device) is how an administrator masks a vendor file: printed as an empty file, it masks.
read_confs=/
set +f
for dir in $scan_dirs; do
  for conf in "$dir"/*.conf; do
    [ -f "$conf" ] || [ -c "$conf" ] || continue
    case "$read_confs" in *"/${conf##*/}/"*) continue ;; esac
    read_confs="$read_confs${conf##*/}/"
    echo "$marker file $conf"; [ -c "$conf" ] || cat "$conf"; echo
  done
done
set -f
echo "$marker end"

# ----------------------------------------------------------------------------------------------- 2. prepare ---
# read-only, so it needs no word of the client: it follows the read in the same reply (one round trip less)
prepare_failed=
i=0
while [ "$i" -lt "$write_count" ]; do
  eval "name=\$write_name_$i path=\$write_path_$i"
  # the value the read under the lock found (a name it did not read is read now)
  # shellcheck disable=SC2154 # set by eval
  if { { read_value && one_space; } || get_value "$path"; } && is_int_list "$value"; then eval "old_$i=\$value"; say old "$name" "$value"; else say missing "$name"; prepare_failed=1; fi
  i=$((i + 1))
done
if [ "$file_mode" != keep ]; then
  [ -d "$sysctl_d" ] || { say unwritable "$sysctl_d does not exist"; prepare_failed=1; }
  # access(2) says whether the folder is writable (a read-only mount too) without creating anything; only when
  # it is not, creating the temporary file names the reason (and fails, so nothing is left)
  if [ -z "$prepare_failed" ] && [ ! -w "$sysctl_d" ]; then
    if error=$( { : >"$temp_file"; } 2>&1 ); then rm -f "$temp_file"; error='access(2) refuses writing'; fi
    say unwritable "$(one_line "$error")"; prepare_failed=1
  fi
fi
if [ -n "$prepare_failed" ]; then say refused; exit 0; fi
say prepared
next_client_line
[ "$client_line" = COMMIT ] || { say aborted; exit 0; }

# ------------------------------------------------------------------------------------------------ 3. commit ---
# restores every value the commit step may have touched, newest first
fail() {
  say failed "$1" "$2" "$(one_line "$3")"
  rm -f "$temp_file"; rollback_ok=1
  i=$write_count
  while [ "$i" -gt 0 ]; do
    i=$((i - 1))
    eval "touched=\${written_$i:-} name=\$write_name_$i path=\$write_path_$i old=\$old_$i"
    [ -n "$touched" ] || continue
    error=''
    # a value that reads back as it was needs no write (the failed write may not have changed it)
    # shellcheck disable=SC2154 # old is set by eval
    if { get_value "$path" && [ "$value" = "$old" ]; } || { put_value "$path" "$old" && get_value "$path" && [ "$value" = "$old" ]; }; then
      say restored "$name" "$old"
    else
      say restore-failed "$name" "$error"; rollback_ok=''
    fi
  done
  # a failed rollback keeps its journal: the next transaction on the host tries again
  if [ -n "$rollback_ok" ]; then rm -f "$journal"; say rolled-back; else echo rollback-failed >>"$journal"; say rollback-failed; fi
  exit 0
}

{
  echo "tmp $temp_file"
  i=0
  while [ "$i" -lt "$write_count" ]; do eval "echo \"set \$write_path_$i \$old_$i\""; i=$((i + 1)); done
} >"$journal" 2>/dev/null || fail commit - "cannot write the journal $journal"

i=0
while [ "$i" -lt "$write_count" ]; do
  eval "name=\$write_name_$i path=\$write_path_$i values=\$write_values_$i old=\$old_$i"
  eval "written_$i="
  # shellcheck disable=SC2154 # set by eval
  if [ "$old" != "$values" ]; then
    eval "written_$i=1"
    put_value "$path" "$values" || fail write "$name" "$error"
    say wrote "$name" "$values"
  fi
  get_value "$path" || fail verify "$name" "cannot read it back"
  [ "$value" = "$values" ] || fail verify "$name" "read back $value"
  say verified "$name" "$value"
  i=$((i + 1))
done
if [ "$pause_seconds" -gt 0 ]; then say pausing; sleep "$pause_seconds"; fi

case "$file_mode" in
  write)
    # the shell's own printf (no process); coreutils printf only to name the errno of a failed write
    if ! { printf '%s' "$file_text" >"$temp_file"; } 2>/dev/null; then
      if [ -x /usr/bin/printf ]; then error=$( { /usr/bin/printf '%s' "$file_text" >"$temp_file"; } 2>&1 ); else error=$( { printf '%s' "$file_text" >"$temp_file"; } 2>&1 ); fi || fail persist - "$error"
    fi
    sync "$temp_file" 2>/dev/null || sync
    echo staged >>"$journal" || fail persist - "cannot write the journal $journal"
    error=$(mv -f "$temp_file" "$own_file" 2>&1) || fail persist - "$error"
    sync "$sysctl_d" 2>/dev/null || sync
    say persisted "$own_file" ;;
  remove)
    echo removing >>"$journal" || fail persist - "cannot write the journal $journal"
    error=$(rm -f "$own_file" 2>&1) || fail persist - "$error"
    [ ! -e "$own_file" ] || fail persist - "$own_file is still there"
    sync "$sysctl_d" 2>/dev/null || sync
    say removed "$own_file" ;;
esac
# the EXIT trap's rm with the journal put first, one process for both (rm takes its operands in order): the
# journal never outlives the lock (the next holder would undo a commit that kept the file), nor `committed`
rm -rf "$journal" "$temp_file" "$lock_dir"
trap - EXIT
say committed
exit 0
} 3<&0 <<'@@tcpmem-data'
@@tcpmem-data
