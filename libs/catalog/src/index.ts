export * from './catalog-store.ts';
export * from './migrations.ts';
export * from './user-store.ts';
