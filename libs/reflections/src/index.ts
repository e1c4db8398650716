export * from './reflection-definition.ts';
export * from './reflection-relationship.ts';
export * from './substitute-reflections.ts';
export { planSignature } from './plan-signature.ts';
export * from './reflection-store.ts';
export * from './describe-reflection.ts';
