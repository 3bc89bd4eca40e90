import { createKernelLookup, layerHost, planHost, type FleetModel, type KernelLookup } from '@tcpmem/plan';
import { hasErrors, parseSource, problem, schemaProblems, toPointer, validateDefinition, type DefinitionName, type Problem } from '@tcpmem/schema';
import { inputNames, type HostTcpMemoryInputs } from './host-inputs';
import { hostPart, inputsFile, oneHostFleet } from './one-host-fleet';

/** A host name as a fleet allows it (the schema's `propertyNames` of `hosts`). */
const hostNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** A preset name a program may define (built-in ones start with `tcpmem:`, which this pattern excludes). */
const presetNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** `type base64 [comment]`, as in an OpenSSH `.pub` file. */
const publicKeyPattern = /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)\s+[A-Za-z0-9+/]+={0,3}(\s+\S.*)?\s*$/;
/** The first line of an OpenSSH or PEM private key. */
const privateKeyPattern = /^\s*-----BEGIN ((OPENSSH|RSA|EC|DSA|ENCRYPTED) )?PRIVATE KEY-----/;

/** The result of the input gate: the typed inputs and the one-host fleet, or every problem found. */
export type GateResult =
  | { readonly ok: true; readonly inputs: HostTcpMemoryInputs; readonly fleet: FleetModel; readonly warnings: readonly Problem[]; readonly plannedOffline: boolean }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/**
 * The one gate of a resource's inputs, in tcpmem's order: shapes first (the schema's `Host` definition for the
 * host part, `Preset` for each preset the program defines, plus the few inputs that are not in a fleet file:
 * `hostName`, `privateKey`, `hostKey`, …), then the planner's semantic rules on a fleet of this one host. With
 * `hardware.kernel` and a memory size the host is planned offline against the kernel model, which finds what
 * the kernel would reject, unordered triples, tcp_mem above half the RAM, workloads that do not fit; without
 * them only what needs no kernel is checked here, and the rest when the host is read live (diff, create).
 * Pure and synchronous. Every problem's `path` is a JSON pointer into the inputs; secrets never appear in a
 * message.
 */
export function gateInputs(raw: unknown, kernelFor: KernelLookup = createKernelLookup()): GateResult {
  const problems: Problem[] = [];
  const at = (pointer: string) => ({ file: inputsFile, path: pointer });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [problem('TCPMEM_PULUMI_INPUTS', 'the inputs must be an object', at(''))] };
  }
  const input = raw as Record<string, unknown>;
  const known = new Set<string>(inputNames);
  for (const key of Object.keys(input)) {
    if (key === '__provider' || known.has(key)) continue;
    problems.push(problem('TCPMEM_PULUMI_INPUTS', `unknown input "${key}"`, { ...at(toPointer([key])), hint: `Known inputs: ${inputNames.join(', ')}.` }));
  }

  if (typeof input['hostName'] !== 'string' || !hostNamePattern.test(input['hostName'])) {
    problems.push(problem('TCPMEM_PULUMI_INPUTS', 'hostName must be a host name: a letter or digit, then letters, digits, ".", "_" or "-"', { ...at('/hostName'), hint: 'It names the host in plans and in tcpmem\'s file; the resource name is used when it is not given.' }));
  }
  if (input['address'] === undefined) {
    problems.push(problem('TCPMEM_PULUMI_INPUTS', 'address is required: the DNS name or IP address to reach the host at over SSH', at('/address')));
  }
  for (const name of ['privateKey', 'privateKeyPassphrase', 'hostKey'] as const) {
    if (input[name] !== undefined && typeof input[name] !== 'string') problems.push(problem('TCPMEM_PULUMI_INPUTS', `${name} must be a string`, at(`/${name}`)));
  }
  if (typeof input['privateKey'] === 'string' && !privateKeyPattern.test(input['privateKey'])) {
    // The key itself is never quoted: it is a secret even when it is malformed.
    problems.push(problem('TCPMEM_PULUMI_INPUTS', 'privateKey is not an OpenSSH or PEM private key (it must start with "-----BEGIN … PRIVATE KEY-----")', { ...at('/privateKey'), hint: 'Pass the text of the key file, e.g. config.requireSecret("sshPrivateKey").' }));
  }
  if (input['privateKeyPassphrase'] !== undefined && input['privateKey'] === undefined) {
    problems.push(problem('TCPMEM_PULUMI_INPUTS', 'privateKeyPassphrase is given without privateKey', { ...at('/privateKeyPassphrase'), hint: 'For a key file named in ssh.identityFile, name the variable that holds its passphrase in ssh.passphraseEnv.' }));
  }
  if (typeof input['hostKey'] === 'string' && !publicKeyPattern.test(input['hostKey'])) {
    problems.push(problem('TCPMEM_PULUMI_INPUTS', 'hostKey is not an OpenSSH public key line ("ssh-ed25519 AAAA… [comment]")', { ...at('/hostKey'), hint: 'Use the content of the host\'s /etc/ssh/ssh_host_ed25519_key.pub, or `ssh-keyscan -t ed25519 HOST` without the host name.' }));
  }

  const host = hostPart(input as unknown as HostTcpMemoryInputs);
  problems.push(...definitionProblems('Host', host, ''));
  const ssh = (typeof input['ssh'] === 'object' && input['ssh'] !== null ? input['ssh'] : {}) as Record<string, unknown>;
  if (input['hostKey'] !== undefined && ssh['knownHostsFile'] !== undefined) {
    problems.push(problem('TCPMEM_PULUMI_INPUTS', 'give either hostKey or ssh.knownHostsFile, not both', { ...at('/hostKey'), hint: 'hostKey pins the host\'s key; ssh.knownHostsFile names a known_hosts file to look it up in.' }));
  }
  if (input['hostKey'] !== undefined && ssh['jumpHost'] !== undefined) {
    problems.push(problem('TCPMEM_PULUMI_INPUTS', 'hostKey pins the target\'s key only, so it cannot be used with ssh.jumpHost', { ...at('/hostKey'), hint: 'With a jump host, put both hosts\' keys in a known_hosts file and name it in ssh.knownHostsFile.' }));
  }
  const presetDefinitions = input['presetDefinitions'];
  if (presetDefinitions !== undefined) {
    if (typeof presetDefinitions !== 'object' || presetDefinitions === null || Array.isArray(presetDefinitions)) {
      problems.push(problem('TCPMEM_PULUMI_INPUTS', 'presetDefinitions must be an object of presets by name', at('/presetDefinitions')));
    } else {
      for (const [name, preset] of Object.entries(presetDefinitions)) {
        const pointer = toPointer(['presetDefinitions', name]);
        if (!presetNamePattern.test(name)) problems.push(problem('TCPMEM_PULUMI_INPUTS', `invalid preset name "${name}"`, { ...at(pointer), hint: 'Names start with a letter or digit and contain only letters, digits, ".", "_" and "-" (`tcpmem:` is for built-in presets).' }));
        problems.push(...definitionProblems('Preset', preset, pointer));
      }
    }
  }
  if (hasErrors(problems)) return { ok: false, problems };

  const inputs = input as unknown as HostTcpMemoryInputs;
  const fleet = oneHostFleet(inputs);
  const hardware = inputs.hardware ?? {};
  const plannable = hardware.kernel !== undefined && (hardware.memory !== undefined || hardware.nodes !== undefined);
  const semantic: Problem[] = [];
  if (plannable) semantic.push(...planHost(fleet, 0, undefined, kernelFor).problems);
  else layerHost(fleet, 0, semantic);
  const located = semantic.map(locateInInputs);
  if (hasErrors(located)) return { ok: false, problems: located };
  return { ok: true, inputs, fleet, warnings: located, plannedOffline: plannable };
}

/** Validates a value against a `$defs` entry; problems carry pointers under `prefix` and no file position. */
function definitionProblems(name: DefinitionName, value: unknown, prefix: string): Problem[] {
  const result = validateDefinition(name, value);
  if (result.ok) return [];
  const parsed = parseSource('inputs.json', JSON.stringify(value));
  if (!parsed.ok) return [problem('TCPMEM_PULUMI_INPUTS', `${prefix || 'the inputs'} cannot be read as JSON`, { file: inputsFile, path: prefix })];
  return schemaProblems(result.errors, parsed.document).map((p) => {
    // positions in the JSON text made here would mean nothing to the user: the path says where
    const located: Problem = { ...p, file: inputsFile, path: `${prefix}${p.path ?? ''}` };
    delete located.line;
    delete located.column;
    return located;
  });
}

/**
 * A problem the planner found, located in the inputs: values that come from a built-in preset are reported at
 * `presets`, the input that pulled the preset in.
 */
function locateInInputs(p: Problem): Problem {
  if (p.file === inputsFile) return p;
  return { ...p, file: inputsFile, path: '/presets', message: p.file === undefined ? p.message : `${p.message} (from ${p.path ?? 'a preset'}, ${p.file})` };
}
