import { Flags } from '@oclif/core';

/**
 * --target/--exclude as every fleet command takes them: repeatable and comma lists (`--target web,cache`), each
 * name a host, a group or a glob over both (`'web-*'`), as Ansible's --limit. Not greedy: `--target web CONFIG`
 * leaves CONFIG to the command.
 */
export function hostFlags(verb: string, prefix = ''): { target: ReturnType<typeof hostFlag>; exclude: ReturnType<typeof hostFlag> } {
  return {
    target: hostFlag(`${prefix}${verb} only these hosts: host or group names or globs ('web-*'), comma-separated or repeated.`),
    exclude: hostFlag(`${prefix}Leave out these hosts: host or group names or globs, comma-separated or repeated.`),
  };
}

function hostFlag(description: string) {
  return Flags.string({ description, multiple: true, multipleNonGreedy: true, delimiter: ',', default: [] });
}
