export * from './tributary-error.ts';
export * from './did-you-mean.ts';
export * from './sql-type.ts';
export * from './temporal.ts';
export * from './decimal.ts';
export * from './arrow-types.ts';
export * from './arrow-columns.ts';
export * from './module-worker.ts';
