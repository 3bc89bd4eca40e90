export { calibrateBuild } from './calibrate-build';
export { CalibrationError } from './calibrate-build';
export { bootLogLines, bootLogLineWords } from './parse-boot-log';
