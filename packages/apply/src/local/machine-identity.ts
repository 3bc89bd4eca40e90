import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** tcpmem's application ID for systemd's app-specific machine IDs (`systemd-id128 machine-id --app-specific=…`). */
export const tcpmemAppId = 'f6b1a3c84e2d4f0b9a7c5d3e1f2a4b6c';

/**
 * The app-specific ID of a machine for tcpmem, from its /etc/machine-id text, exactly as systemd's
 * `sd_id128_get_app_specific()` makes it: HMAC-SHA256 keyed by the 16 bytes of the machine ID over the 16 bytes of
 * the application ID, its first 16 bytes made a version 4 UUID. Stored in facts instead of the machine ID, which
 * systemd asks never to expose. Undefined when the text is no machine ID (32 hex digits). Pure.
 */
export function machineAppId(machineIdText: string): string | undefined {
  const text = machineIdText.trim().toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(text) || /^0+$/.test(text)) return undefined;
  const id = createHmac('sha256', Buffer.from(text, 'hex')).update(Buffer.from(tcpmemAppId, 'hex')).digest().subarray(0, 16);
  id[6] = (id[6]! & 0x0f) | 0x40;
  id[8] = (id[8]! & 0x3f) | 0x80;
  return id.toString('hex');
}

/** What this machine is called and, when it has one, its app-specific machine ID: what `--local` matches a host by. */
export interface MachineIdentity {
  /** The host name as the kernel has it (`os.hostname()`), then its first label when that differs. */
  readonly hostnames: readonly string[];
  /** machineAppId of /etc/machine-id; undefined when there is none (a container without one). */
  readonly machineAppId: string | undefined;
}

/** The short name of a host name: its first label (`web-1` of `web-1.example.com`). Pure. */
export const shortHostname = (name: string): string => name.split('.')[0] ?? name;

/** This machine's identity (reads os.hostname() and /etc/machine-id). */
export function localIdentity(machineIdFile = '/etc/machine-id'): MachineIdentity {
  const full = os.hostname();
  const hostnames = [...new Set([full, shortHostname(full)].filter((n) => n !== ''))];
  let text: string | undefined;
  try {
    text = readFileSync(machineIdFile, 'utf8');
  } catch {
    text = undefined;
  }
  return { hostnames, machineAppId: text === undefined ? undefined : machineAppId(text) };
}
