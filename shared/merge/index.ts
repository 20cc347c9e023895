export * from './plan';
export * from './worklist';
export * from './schemas';
