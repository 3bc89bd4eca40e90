import { createKernelLookup, layerHost, planHost, type FleetModel, type KernelLookup } from '@tcpmem/plan';
import { hasErrors, parseSource, pointerSegments, problem, schemaProblems, toPointer, validateDefinition, type Problem, type SchemaError } from '@tcpmem/schema';
import { inputNames, type HostTcpMemoryInputs } from './host-inputs';
import { inputsFile, oneHostFleet } from './one-host-fleet';

/** The result of the input gate: the typed inputs and the one-host fleet, or every problem found. */
export type GateResult =
  | { readonly ok: true; readonly inputs: HostTcpMemoryInputs; readonly fleet: FleetModel; readonly warnings: readonly Problem[]; readonly plannedOffline: boolean }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/**
 * The one gate of a resource's inputs, in tcpmem's order: shapes first, against the schema's
 * `$defs/HostTcpMemoryInputs` (the host's settings in a fleet's forms, `Preset` for each preset the program
 * defines, and the inputs that are not in a fleet file: `hostName`, `privateKey`, `hostKey`, …), then the few
 * rules between inputs, then the planner's semantic rules on a fleet of this one host. With `hardware.kernel`
 * and a memory size the host is planned offline against the kernel model, which finds what the kernel would
 * reject, unordered triples, tcp_mem above half the RAM, workloads that do not fit; without them only what
 * needs no kernel is checked here, and the rest when the host is read live (diff, create). Pure and
 * synchronous. Every problem's `path` is a JSON pointer into the inputs; secrets never appear in a message.
 */
export function gateInputs(raw: unknown, kernelFor: KernelLookup = createKernelLookup()): GateResult {
  const at = (pointer: string) => ({ file: inputsFile, path: pointer });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [problem('TCPMEM_PULUMI_INPUTS', 'the inputs must be an object', at(''))] };
  }
  // Pulumi adds its serialized provider to the inputs; it is not one of ours.
  const input = Object.fromEntries(Object.entries(raw).filter(([key]) => key !== '__provider'));
  const checked = validateDefinition('HostTcpMemoryInputs', input);
  const problems = checked.ok ? [] : shapeProblems(checked.errors, input);

  if (input['privateKeyPassphrase'] !== undefined && input['privateKey'] === undefined) {
    problems.push(problem('TCPMEM_PULUMI_INPUTS', 'privateKeyPassphrase is given without privateKey', { ...at('/privateKeyPassphrase'), hint: 'For a key file named in ssh.identityFile, name the variable that holds its passphrase in ssh.passphraseEnv.' }));
  }
  const ssh = (typeof input['ssh'] === 'object' && input['ssh'] !== null ? input['ssh'] : {}) as Record<string, unknown>;
  if (input['hostKey'] !== undefined && ssh['knownHostsFile'] !== undefined) {
    problems.push(problem('TCPMEM_PULUMI_INPUTS', 'give either hostKey or ssh.knownHostsFile, not both', { ...at('/hostKey'), hint: 'hostKey pins the host\'s key; ssh.knownHostsFile names a known_hosts file to look it up in.' }));
  }
  if (input['hostKey'] !== undefined && ssh['jumpHost'] !== undefined) {
    problems.push(problem('TCPMEM_PULUMI_INPUTS', 'hostKey pins the target\'s key only, so it cannot be used with ssh.jumpHost', { ...at('/hostKey'), hint: 'With a jump host, put both hosts\' keys in a known_hosts file and name it in ssh.knownHostsFile.' }));
  }
  if (!checked.ok || hasErrors(problems)) return { ok: false, problems };

  const inputs = checked.value;
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

/**
 * The schema's errors as problems at their input paths, without file positions (positions in the JSON text
 * made here would mean nothing to the user: the path says where). Errors in a fleet host's settings are
 * TCPMEM_SCHEMA problems as in a config file; errors in the inputs only Pulumi has (an unknown input,
 * `hostName`, `address`, the keys, the names of `presetDefinitions`) are TCPMEM_PULUMI_INPUTS with a message
 * of their own, which never quotes a value.
 */
function shapeProblems(errors: readonly SchemaError[], input: Record<string, unknown>): Problem[] {
  const own: Problem[] = [];
  const rest: SchemaError[] = [];
  for (const error of errors) {
    const found = pulumiInputProblem(error);
    if (found === null) continue;
    if (found === undefined) rest.push(error);
    else if (!own.some((p) => p.path === found.path && p.message === found.message)) own.push(found);
  }
  if (rest.length === 0) return own;
  const parsed = parseSource('inputs.json', JSON.stringify(input));
  if (!parsed.ok) return [...own, problem('TCPMEM_PULUMI_INPUTS', 'the inputs cannot be read as JSON', { file: inputsFile, path: '' })];
  const located = schemaProblems(rest, parsed.document).map((p) => {
    const unlocated: Problem = { ...p, file: inputsFile };
    delete unlocated.line;
    delete unlocated.column;
    return unlocated;
  });
  return [...own, ...located];
}

/**
 * The problem of an error in an input only Pulumi has; `undefined` for an error in a fleet host's settings,
 * `null` for one that another error of the same input already says.
 */
function pulumiInputProblem(error: SchemaError): Problem | undefined | null {
  const at = (pointer: string, hint?: string) => ({ file: inputsFile, path: pointer, ...(hint === undefined ? {} : { hint }) });
  const params = error.params as Record<string, unknown>;
  const [input, ...below] = pointerSegments(error.instancePath);
  const hostName = () => problem('TCPMEM_PULUMI_INPUTS', 'hostName must be a host name: a letter or digit, then letters, digits, ".", "_" or "-"', at('/hostName', 'It names the host in plans and in tcpmem\'s file; the resource name is used when it is not given.'));
  if (input === undefined) {
    if (error.keyword === 'additionalProperties') {
      const key = String(params['additionalProperty']);
      return problem('TCPMEM_PULUMI_INPUTS', `unknown input "${key}"`, at(toPointer([key]), `Known inputs: ${inputNames.join(', ')}.`));
    }
    if (error.keyword === 'required' && params['missingProperty'] === 'hostName') return hostName();
    if (error.keyword === 'required' && params['missingProperty'] === 'address') {
      return problem('TCPMEM_PULUMI_INPUTS', 'address is required: the DNS name or IP address to reach the host at over SSH', at('/address'));
    }
    return undefined;
  }
  if (below.length > 0) return undefined;
  switch (input) {
    case 'hostName':
      return hostName();
    case 'privateKey':
    case 'privateKeyPassphrase':
    case 'hostKey':
      if (error.keyword === 'type') return problem('TCPMEM_PULUMI_INPUTS', `${input} must be a string`, at(`/${input}`));
      if (input === 'privateKey') {
        // The key itself is never quoted: it is a secret even when it is malformed.
        return problem('TCPMEM_PULUMI_INPUTS', 'privateKey is not an OpenSSH or PEM private key (it must start with "-----BEGIN … PRIVATE KEY-----")', at('/privateKey', 'Pass the text of the key file, e.g. config.requireSecret("sshPrivateKey").'));
      }
      if (input === 'hostKey') {
        return problem('TCPMEM_PULUMI_INPUTS', 'hostKey is not an OpenSSH public key line ("ssh-ed25519 AAAA… [comment]")', at('/hostKey', 'Use the content of the host\'s /etc/ssh/ssh_host_ed25519_key.pub, or `ssh-keyscan -t ed25519 HOST` without the host name.'));
      }
      return undefined;
    case 'presetDefinitions':
      if (error.keyword === 'type') return problem('TCPMEM_PULUMI_INPUTS', 'presetDefinitions must be an object of presets by name', at('/presetDefinitions'));
      // A bad name is reported by `propertyNames`, and once more by the `pattern` it failed.
      if (error.propertyName !== undefined) return null;
      if (error.keyword === 'propertyNames') {
        const name = String(params['propertyName']);
        return problem('TCPMEM_PULUMI_INPUTS', `invalid preset name "${name}"`, at(toPointer(['presetDefinitions', name]), 'Names start with an ASCII letter or digit and contain only ASCII letters (a–z, A–Z), digits, ".", "_" and "-" (`tcpmem:` is for built-in presets).'));
      }
      return undefined;
    default:
      return undefined;
  }
}

/**
 * A problem the planner found, located in the inputs: values that come from a built-in preset are reported at
 * `presets`, the input that pulled the preset in.
 */
function locateInInputs(p: Problem): Problem {
  if (p.file === inputsFile) return p;
  return { ...p, file: inputsFile, path: '/presets', message: p.file === undefined ? p.message : `${p.message} (from ${p.path ?? 'a preset'}, ${p.file})` };
}
