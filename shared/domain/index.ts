export * from './entities';
export * from './nhs-number';
export * from './status';
export * from './time';
export * from './search';
export * from './queue';
export * from './reception';
export * from './backlog';
