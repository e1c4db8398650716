export * from './catalog-store.ts';
export * from './job-store.ts';
export * from './migrations.ts';
