export * from './contract';
export * from './events';
export * from './result';
