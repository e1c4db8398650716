export * from './reflection-definition.ts';
