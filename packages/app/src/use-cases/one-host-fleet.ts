import { buildFleetModel, definedEntries, type FleetModel } from '@tcpmem/plan';
import type { Host, Preset } from '@tcpmem/schema';

/** One host given as data (the Pulumi provider's inputs), and the presets it may name. */
export interface OneHost {
  readonly name: string;
  readonly host: Host;
  /** Presets by name, defined beside the host (`presetDefinitions`). */
  readonly presets?: Readonly<Record<string, Preset | undefined>> | undefined;
  /** The name problems are filed under; pointers are relative to the given data. */
  readonly file: string;
}

/**
 * A fleet of one host, so that the very planner of `tcpmem plan` (planHost: layering, resolution, semantic
 * checks, diff) runs on a host given as data. The host sits at the root (its origin pointer is ""), its presets
 * at `/presetDefinitions/NAME`: every problem's path is a path into the given data.
 */
export function oneHostFleet(one: OneHost): FleetModel {
  return buildFleetModel({
    files: [],
    presets: definedEntries<Preset>(one.file, 'presetDefinitions', one.presets),
    hosts: [{ name: one.name, value: one.host, origin: { file: one.file, pointer: '' } }],
  });
}
