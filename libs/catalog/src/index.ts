export * from './catalog-store.ts';
export * from './job-store.ts';
export * from './migrations.ts';
export * from './namespace-store.ts';
export * from './catalog-lookup.ts';
export * from './catalog-path.ts';
export * from './user-store.ts';
export * from './drop-reflections-on.ts';
