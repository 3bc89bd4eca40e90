export { ConfigPathError } from './find-config-files';
export type { FleetLoad } from './load-fleet';
export { loadFleet } from './load-fleet';
export { locateProblems } from './locate-problems';
export { validateConfig } from './validate-config';
export type { ConfigRoot } from './find-config-files';
export { configRootOf, insideRoot, outsideRootProblem } from './find-config-files';
export { readFiles } from './read-sources';
export { configDigestOf } from './config-digest';
