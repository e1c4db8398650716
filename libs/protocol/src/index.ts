export * from './frames.ts';
export * from './messages.ts';
export * from './backpressure.ts';
export * from './physical-plan.ts';
export * from './distributed-plan.ts';
export * from './cluster-auth.ts';
export * from './internal-http.ts';
