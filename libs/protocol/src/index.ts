export * from './frames.ts';
export * from './messages.ts';
export * from './backpressure.ts';
