export { calibrateBuild } from './calibrate-build';
export { CalibrationError } from './calibrate-build';
export { bootLogLines } from './parse-boot-log';
