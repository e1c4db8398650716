export * from './reflection-definition.ts';
export * from './reflection-store.ts';
