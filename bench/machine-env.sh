# shellcheck shell=bash
# bench/machine-env.sh — sourced by the bench run scripts: the TSV lines (key TAB value) that say which machine, load,
# commit and tools a run measured. Needs ROOT (the repository) and CLI (an array: how to run tcpmem) set.

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

machine_env() {
  printf 'date\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf 'nproc\t%s\n' "$(nproc)"
  printf 'cpu\t%s\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  printf 'mem\t%s\n' "$(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  printf 'kernel\t%s\n' "$(uname -r)"
  printf 'loadStart\t%s\n' "$(loadavg)"
  printf 'commit\t%s%s\n' "$(git -C "$ROOT" rev-parse --short HEAD)" "$(git -C "$ROOT" diff --quiet HEAD -- packages 2>/dev/null || echo ' (packages/ modified)')"
  printf 'node\t%s\n' "$(node --version)"
  printf 'tcpmem\t%s\n' "$("${CLI[@]}" --version 2>/dev/null | head -1)"
  printf 'ssh2\t%s\n' "$(node -p "require('$ROOT/node_modules/ssh2/package.json').version" 2>/dev/null || echo '?')"
  printf 'openssh\t%s\n' "$(ssh -V 2>&1)"
  printf 'opensshServer\t%s\n' "$(dpkg-query -W -f '${Version}' openssh-server 2>/dev/null || echo '?')"
}
