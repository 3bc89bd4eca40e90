import { Flags } from '@oclif/core';

/** `--strict` (validate, plan, apply): warnings, tcpmem's advice among them, fail the command with exit code 5. */
export const strictFlag = {
  strict: Flags.boolean({ description: 'Fail with exit code 5 when there are warnings (tcpmem\'s advice on values that cripple TCP among them): for CI. apply then applies nothing.' }),
};

/** The line a person reads when --strict fails a command. */
export function strictLine(warnings: number): string {
  return `--strict: ${warnings} warning${warnings === 1 ? '' : 's'}, so this fails (exit code 5).`;
}
