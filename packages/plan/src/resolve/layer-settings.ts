import { problem, type HardwareFields, type Problem, type SshConnection, type Sysctls, type Workload } from '@tcpmem/schema';
import { childPointer, type FleetModel, type Origin } from '../fleet/fleet-model';
import { builtinPresets } from '../presets/builtin-presets';

/** One desired sysctl expression and the level that set it (for reasons and for locating problems). */
export interface LayeredSysctl {
  /** The merged expression: an array or string replaces, an object form merges field by field. */
  readonly expr: NonNullable<Sysctls[keyof Sysctls]>;
  /** Where each part was set: the whole value, or each field of the object form. */
  readonly origins: Readonly<Record<string, Origin>>;
  /** The level that set it last, e.g. `group frontend`, `preset esnet-100ms-10g`, `host web-1`. */
  readonly setBy: string;
  /** The label of the level that set it last (for a preset, the level that names it), e.g. `defaults`, `group rx`. */
  readonly level?: string;
}

/** A host's settings after layering defaults < groups (in the host's order) < the host itself. */
export interface LayeredHost {
  readonly name: string;
  readonly origin: Origin;
  readonly address: string | undefined;
  readonly groups: readonly string[];
  readonly ssh: SshConnection;
  readonly hardware: HardwareFields;
  readonly hardwareOrigin: Origin | undefined;
  readonly workload: LayeredWorkload | undefined;
  readonly sysctls: ReadonlyMap<string, LayeredSysctl>;
  /**
   * The levels that set this host's sysctls and workload, and how many of the former come before the latter, e.g.
   * `defaults␀group db|group db|1`: hosts with the same key have the same layered sysctls and workload, so on the
   * same kernel they resolve to the same values (and the same TCPMEM_WORKLOAD_OVERRIDDEN warnings).
   */
  readonly settingsKey: string;
}

/** A host's workload and where it was set. */
export interface LayeredWorkload {
  readonly value: Workload;
  readonly origin: Origin;
  /** The level that set it, e.g. `group rx`. */
  readonly setBy: string;
  /**
   * The labels of the levels that come before it (broader: `defaults`, earlier groups): a sysctl they set beats
   * what the workload would derive, which `planHost` warns about (TCPMEM_WORKLOAD_OVERRIDDEN).
   */
  readonly broaderLevels: ReadonlySet<string>;
}

/** A host's layered sysctls, with the problems of their presets: a function of the levels that set them. */
export interface LayeredSysctls {
  readonly sysctls: ReadonlyMap<string, LayeredSysctl>;
  readonly problems: readonly Problem[];
}

/**
 * How `layerHost` shares what hosts have in common; by default each host computes its own. A caller may share one
 * result between the hosts with the same key (memo/plan-memo.ts does): the key names everything the result depends
 * on, and a shared result is only read.
 */
export interface ShareLayers {
  /**
   * The layered sysctls of the levels `key` names: `layer()` computes them. Hosts whose group lists differ only in
   * groups that set no sysctls (datacenter, rack) have the same key.
   */
  sysctls(key: string, layer: () => LayeredSysctls): LayeredSysctls;
  /** The levels before a host's own, merged (`GroupLevels`), for the group list `key` names: `merge()` computes them. */
  groups(key: string, merge: () => GroupLevels): GroupLevels;
}

const layerEach: ShareLayers = {
  sysctls: (_key, layer) => layer(),
  groups: (_key, merge) => merge(),
};

interface Level {
  readonly label: string;
  readonly pointer: string;
  readonly file: string;
  readonly settings: {
    ssh?: SshConnection;
    sysctls?: Sysctls;
    workload?: Workload;
    presets?: string[];
    hardware?: HardwareFields;
  };
}

/**
 * The levels before a host's own — fleet `defaults`, then each defined group in the order the host lists them —
 * merged as `layerHost` merges them: the same for every host that lists the same groups.
 */
export interface GroupLevels {
  readonly ssh: SshConnection;
  readonly hardware: HardwareFields;
  readonly hardwareOrigin: Origin | undefined;
  readonly workload: LayeredWorkload | undefined;
  /** Their labels: the levels broader than a workload the host sets itself. */
  readonly labels: ReadonlySet<string>;
  /** Those that set sysctls or presets, in order, and their labels joined by NUL. */
  readonly setting: readonly Level[];
  readonly settingKey: string;
  /** How many of `setting` are broader than the workload (by label), when one of these levels sets it. */
  readonly settingBeforeWorkload: number;
}

/**
 * Layers a host's settings, with a documented, deterministic precedence: fleet `defaults`, then each group in
 * the order the host lists them, then the host. Within a level, its presets (in order) come before its own
 * sysctls (built-in presets are named `tcpmem:…`). A later level wins: `ssh` and `hardware` merge field by field (setting `memory` or `nodes` replaces
 * both); a sysctl in object form merges field by field, in array or string form it replaces; `workload`
 * replaces. Unknown groups and presets are reported and skipped.
 */
export function layerHost(fleet: FleetModel, index: number, problems: Problem[], share: ShareLayers = layerEach): LayeredHost {
  const host = fleet.hosts[index]!;
  const groups = host.value.groups ?? [];
  groups.forEach((groupName, i) => {
    if (fleet.groups.has(groupName)) return;
    problems.push(problem('TCPMEM_UNKNOWN_GROUP', `host "${host.name}" is in group "${groupName}", which is not defined`, {
      file: host.origin.file,
      path: childPointer(host.origin.pointer, 'groups', i),
      hint: `Define groups.${groupName} in a fleet file, or remove it from the host's groups. Defined: ${[...fleet.groups.keys()].join(', ') || 'none'}.`,
    }));
  });
  // Hosts that list the same groups share the levels before their own (a JSON array names the list exactly).
  const before = share.groups(JSON.stringify(groups), () => groupLevels(fleet, groups));
  const own: Level = { label: `host ${host.name}`, pointer: host.origin.pointer, file: host.origin.file, settings: host.value };
  const { ssh, hardware, workload } = own.settings;
  const layeredWorkload: LayeredWorkload | undefined =
    workload === undefined ? before.workload : { value: workload, origin: { file: own.file, pointer: childPointer(own.pointer, 'workload') }, setBy: own.label, broaderLevels: before.labels };

  const setsSysctls = setsSysctlsOf(own);
  const setting = setsSysctls ? [...before.setting, own] : before.setting;
  const sysctlsKey = !setsSysctls ? before.settingKey : before.setting.length === 0 ? own.label : `${before.settingKey}\0${own.label}`;
  const layered = share.sysctls(sysctlsKey, () => layerSysctls(fleet, setting));
  problems.push(...layered.problems);
  // Which of the levels that set sysctls come before the workload's is part of what the settings resolve to.
  const broaderSetting = workload !== undefined ? before.setting.length : before.workload === undefined ? 0 : before.settingBeforeWorkload;

  return {
    name: host.name,
    origin: host.origin,
    address: host.value.address,
    groups,
    ssh: ssh === undefined ? before.ssh : { ...before.ssh, ...ssh },
    hardware: hardware === undefined ? before.hardware : mergeHardware(before.hardware, hardware),
    hardwareOrigin: hardware === undefined ? before.hardwareOrigin : { file: own.file, pointer: childPointer(own.pointer, 'hardware') },
    workload: layeredWorkload,
    sysctls: layered.sysctls,
    settingsKey: `${sysctlsKey}|${layeredWorkload?.setBy ?? ''}|${broaderSetting}`,
  };
}

/** Merges the levels before a host's own: `defaults`, then each defined group of `groups` in order. */
function groupLevels(fleet: FleetModel, groups: readonly string[]): GroupLevels {
  const levels: Level[] = [];
  if (fleet.defaults !== undefined) levels.push({ label: 'defaults', pointer: fleet.defaults.origin.pointer, file: fleet.defaults.origin.file, settings: fleet.defaults.value });
  for (const groupName of groups) {
    const group = fleet.groups.get(groupName);
    if (group !== undefined) levels.push({ label: `group ${groupName}`, pointer: group.origin.pointer, file: group.origin.file, settings: group.value });
  }
  let ssh: SshConnection = {};
  let hardware: HardwareFields = {};
  let hardwareOrigin: Origin | undefined;
  let workload: LayeredWorkload | undefined;
  for (const [index, level] of levels.entries()) {
    const { settings } = level;
    if (settings.ssh !== undefined) ssh = { ...ssh, ...settings.ssh };
    if (settings.hardware !== undefined) {
      hardware = mergeHardware(hardware, settings.hardware);
      hardwareOrigin = { file: level.file, pointer: childPointer(level.pointer, 'hardware') };
    }
    if (settings.workload !== undefined) {
      workload = {
        value: settings.workload,
        origin: { file: level.file, pointer: childPointer(level.pointer, 'workload') },
        setBy: level.label,
        broaderLevels: new Set(levels.slice(0, index).map((l) => l.label)),
      };
    }
  }
  const setting = levels.filter(setsSysctlsOf);
  return {
    ssh,
    hardware,
    hardwareOrigin,
    workload,
    labels: new Set(levels.map((l) => l.label)),
    setting,
    settingKey: setting.map((level) => level.label).join('\0'),
    settingBeforeWorkload: workload === undefined ? 0 : setting.filter((level) => workload.broaderLevels.has(level.label)).length,
  };
}

/** Whether a level sets sysctls, itself or by presets. */
const setsSysctlsOf = (level: Level): boolean => level.settings.sysctls !== undefined || (level.settings.presets?.length ?? 0) > 0;

/**
 * A later level's hardware over an earlier one's, field by field, in the order spreading them would give; `memory`
 * or `nodes` replaces both. Copied key by key: spreading a copy after `delete` cost five times as much a host.
 */
function mergeHardware(earlier: HardwareFields, later: HardwareFields): HardwareFields {
  const merged: Record<string, unknown> = {};
  const replacesMemory = 'memory' in later || 'nodes' in later;
  for (const key of Object.keys(earlier)) if (!replacesMemory || (key !== 'memory' && key !== 'nodes')) merged[key] = earlier[key as keyof HardwareFields];
  for (const key of Object.keys(later)) merged[key] = later[key as keyof HardwareFields];
  return merged;
}

/** Layers the sysctls of the levels that set some, in order: each level's presets, then its own sysctls. */
function layerSysctls(fleet: FleetModel, levels: readonly Level[]): LayeredSysctls {
  const problems: Problem[] = [];
  const sysctls = new Map<string, LayeredSysctl>();
  const applySysctls = (values: Sysctls | undefined, file: string, pointer: string, setBy: string, level: string, atPointer = false) => {
    for (const [name, expr] of Object.entries(values ?? {}) as [string, LayeredSysctl['expr'] | undefined][]) {
      if (expr === undefined) continue;
      const at: Origin = { file, pointer: atPointer ? pointer : childPointer(pointer, name) };
      const earlier = sysctls.get(name);
      if (isFieldObject(expr) && earlier !== undefined && isFieldObject(earlier.expr)) {
        const origins: Record<string, Origin> = { ...earlier.origins };
        for (const field of Object.keys(expr)) origins[field] = atPointer ? at : { file, pointer: childPointer(at.pointer, field) };
        sysctls.set(name, { expr: { ...earlier.expr, ...expr }, origins, setBy, level });
      } else if (isFieldObject(expr)) {
        const origins: Record<string, Origin> = {};
        for (const field of Object.keys(expr)) origins[field] = atPointer ? at : { file, pointer: childPointer(at.pointer, field) };
        sysctls.set(name, { expr, origins, setBy, level });
      } else {
        sysctls.set(name, { expr, origins: { '': at }, setBy, level });
      }
    }
  };
  for (const level of levels) {
    (level.settings.presets ?? []).forEach((presetName, i) => {
      const preset = fleet.presets.get(presetName) ?? builtinPresets.get(presetName);
      if (preset === undefined) {
        problems.push(problem('TCPMEM_UNKNOWN_PRESET', `preset "${presetName}" is not defined`, {
          file: level.file,
          path: childPointer(level.pointer, 'presets', i),
          hint: `Define presets.${presetName} in a fleet file, or use a built-in one. Known: ${[...fleet.presets.keys(), ...builtinPresets.keys()].join(', ')}.`,
        }));
        return;
      }
      // A built-in preset is located where the config names it: that is what a user can change.
      const builtin = !fleet.presets.has(presetName);
      const file = builtin ? level.file : preset.origin.file;
      const pointer = builtin ? childPointer(level.pointer, 'presets', i) : childPointer(preset.origin.pointer, 'sysctls');
      applySysctls(preset.value.sysctls, file, pointer, `preset ${presetName} (${level.label})`, level.label, builtin);
    });
    applySysctls(level.settings.sysctls, level.file, childPointer(level.pointer, 'sysctls'), level.label, level.label);
  }
  return { sysctls, problems };
}

function isFieldObject(expr: unknown): expr is Record<string, unknown> {
  return typeof expr === 'object' && expr !== null && !Array.isArray(expr);
}
