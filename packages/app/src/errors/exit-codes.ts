/**
 * tcpmem's exit codes (docs/errors.md lists them). Errors are of three kinds, as in terraform-cdk: the user's
 * mistake (a config or a flag), an outside system failing (a host, SSH, the file system), or our own bug.
 */
export const ExitCode = {
  /** Everything worked; for `plan --detailed-exitcode`: no changes. */
  ok: 0,
  /** The input is wrong: a config file, a hardware file, a saved plan; the problems say where. */
  invalidInput: 1,
  /** `plan --detailed-exitcode`: the plan has changes. */
  changes: 2,
  /** `apply`: some hosts failed and were rolled back. */
  hostsFailed: 3,
  /** `apply`/`plan`: some hosts could not be reached. */
  hostsUnreachable: 4,
  /** `--strict` (validate, plan, apply): there are warnings, tcpmem's advice among them; apply applied nothing. */
  warnings: 5,
  /** A flag or argument is wrong (what `tcpmem CMD --help` documents). */
  usage: 64,
  /** Something outside tcpmem failed: a file could not be written, SSH broke. */
  external: 69,
  /** A bug in tcpmem: please report it with the command you ran. */
  internal: 70,
  /**
   * `apply` was interrupted (Ctrl-C: SIGINT, or SIGTERM; 128 + 2 by the shells' convention): no new host was
   * started, the running ones ended (committed or rolled back, or, after a second Ctrl-C, stopped before COMMIT),
   * and the report says what each host is.
   */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
