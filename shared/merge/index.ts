export * from './plan';
export * from './worklist';
