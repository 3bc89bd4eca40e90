export { modelExecutor } from './model-executor';
