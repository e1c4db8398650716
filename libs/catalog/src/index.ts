export * from './catalog-store.ts';
export * from './migrations.ts';
