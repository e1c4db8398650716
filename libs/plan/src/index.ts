export * from './expr.ts';
export * from './expr-builders.ts';
export * from './expr-visitors.ts';
export * from './logical-plan.ts';
export * from './plan-builders.ts';
export * from './plan-visitors.ts';
export * from './plan-printer.ts';
export * from './catalog-view.ts';
