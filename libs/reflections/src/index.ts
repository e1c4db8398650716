export * from './reflection-definition.ts';
export * from './reflection-store.ts';
export * from './describe-reflection.ts';
