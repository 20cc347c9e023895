export * from './auth';
export * from './contract';
export * from './events';
export * from './result';
export * from './roles';
export * from './policy';
export * from './mirror-age';
export * from './group';
