/* Generated from schemas/tcpmem.schema.json by packages/schema/scripts/generate.js. Do not edit. */
import type { AcceptedHostKey, ApplyReport, ApplySummary, BufferTriple, Change, Duration, FactsDocument, Fleet, Group, Hardware, HardwareDocument, HardwareFields, Host, HostApplyResult, HostFacts, HostPlan, HostTcpMemoryInputs, KernelRelease, ModelReport, Name, NumaNode, Observation, ObservedHost, ObservedState, PagesTriple, Plan, PlanSummary, Preset, Problem, Rate, SettingResult, Settings, Shard, Size, SshConnection, StaleSetting, SysctlValues, Sysctls, TcpmemDocument, TsqReport, ValidationReport, ValueExpr, Workload } from './types';
import { validatorFor } from '../validator';

/** The kinds of document, each with the `$defs` entry that defines it (the schema's root picks it by `kind`). */
export const documentDefinitions = {
  'fleet': 'Fleet',
  'hardware': 'HardwareDocument',
  'facts': 'Facts',
  'model': 'ModelReport',
  'plan': 'Plan',
  'apply-report': 'ApplyReport',
} as const;

/** The `kind` of a document. */
export type DocumentKind = TcpmemDocument['kind'];

/** The document of one kind, e.g. `DocumentOfKind<'plan'>` is `Plan`. */
export type DocumentOfKind<K extends DocumentKind> = Extract<TcpmemDocument, { kind: K }>;

/** The type of each `$defs` entry, by its name in the schema. */
export interface DefinitionTypes {
  Fleet: Fleet;
  Name: Name;
  Settings: Settings;
  Group: Group;
  Host: Host;
  Preset: Preset;
  Sysctls: Sysctls;
  PagesTriple: PagesTriple;
  BufferTriple: BufferTriple;
  ValueExpr: ValueExpr;
  Workload: Workload;
  Ssh: SshConnection;
  Size: Size;
  Duration: Duration;
  Rate: Rate;
  KernelRelease: KernelRelease;
  NumaNode: NumaNode;
  HardwareFields: HardwareFields;
  Hardware: Hardware;
  HardwareDocument: HardwareDocument;
  HostFacts: HostFacts;
  Facts: FactsDocument;
  Problem: Problem;
  ValidationReport: ValidationReport;
  Plan: Plan;
  Shard: Shard;
  PlanSummary: PlanSummary;
  HostPlan: HostPlan;
  Observation: Observation;
  ObservedState: ObservedState;
  ObservedHost: ObservedHost;
  Change: Change;
  ModelReport: ModelReport;
  TsqReport: TsqReport;
  SysctlValues: SysctlValues;
  ApplyReport: ApplyReport;
  ApplySummary: ApplySummary;
  StaleSetting: StaleSetting;
  AcceptedHostKey: AcceptedHostKey;
  HostApplyResult: HostApplyResult;
  SettingResult: SettingResult;
  HostTcpMemoryInputs: HostTcpMemoryInputs;
}

/** Any tcpmem document, validated against the definition its `kind` picks. */
export const isTcpmemDocument = (value: unknown): value is TcpmemDocument => validatorFor('TcpmemDocument')(value);

/** A `kind: fleet` document, valid against `$defs/Fleet`. */
export const isFleet = (value: unknown): value is Fleet => validatorFor('Fleet')(value);

/** A `kind: hardware` document, valid against `$defs/HardwareDocument`. */
export const isHardwareDocument = (value: unknown): value is HardwareDocument => validatorFor('HardwareDocument')(value);

/** A `kind: facts` document, valid against `$defs/Facts`. */
export const isFactsDocument = (value: unknown): value is FactsDocument => validatorFor('Facts')(value);

/** A `kind: model` document, valid against `$defs/ModelReport`. */
export const isModelReport = (value: unknown): value is ModelReport => validatorFor('ModelReport')(value);

/** A `kind: plan` document, valid against `$defs/Plan`. */
export const isPlan = (value: unknown): value is Plan => validatorFor('Plan')(value);

/** A `kind: apply-report` document, valid against `$defs/ApplyReport`. */
export const isApplyReport = (value: unknown): value is ApplyReport => validatorFor('ApplyReport')(value);
