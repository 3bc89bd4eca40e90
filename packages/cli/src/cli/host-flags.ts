import { Flags } from '@oclif/core';

/**
 * --target/--exclude as every fleet command takes them: repeatable and comma lists (`--target web,cache`), each
 * name a host, a group or a glob over both (`'web-*'`), as Ansible's --limit. Not greedy: `--target web CONFIG`
 * leaves CONFIG to the command. A name that matches nothing, or a selection that leaves no host, is a usage error.
 */
export function hostFlags(verb: string, prefix = ''): { target: ReturnType<typeof hostFlag>; exclude: ReturnType<typeof hostFlag> } {
  return {
    target: hostFlag(`${prefix}${verb} only these hosts: host or group names or globs ('web-*'), comma-separated or repeated.`),
    exclude: hostFlag(`${prefix}Leave out these hosts: host or group names or globs, comma-separated or repeated. Leaving no host is a usage error (exit 64).`),
  };
}

function hostFlag(description: string) {
  return Flags.string({ description, multiple: true, multipleNonGreedy: true, delimiter: ',', default: [] });
}
