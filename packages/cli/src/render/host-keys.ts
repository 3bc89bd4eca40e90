import type { AcceptedHostKeyReport } from '@tcpmem/apply';
import { printable } from '@tcpmem/schema';
import type { Style } from './style';

/**
 * The notice for a host key `hostKeyPolicy: accept-new` trusted on first use: host, key type, SHA256 fingerprint
 * and the known_hosts file it was added to, so that an operator can compare it with the host's real key.
 */
export function renderAcceptedHostKey(key: AcceptedHostKeyReport, style: Style): string {
  const port = key.port === 22 ? '' : `:${String(key.port)}`;
  const at = printable(`${key.address}${port}${key.address === key.host ? '' : ` (host ${key.host})`}`);
  return `${style.yellow('warning')} accept-new trusted a new host key for ${at}: ${key.keyType} ${key.fingerprint}, added to ${printable(key.file)} (check it against the host's own key)`;
}
