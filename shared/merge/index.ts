export * from './plan';
export * from './worklist';
export * from './impact';
export * from './claim';
export * from './measure-report';
export * from './contact-list';
export * from './schemas';
