export * from './optimizer-rule.ts';
export * from './optimize.ts';
export * from './push-down-filter.ts';
export * from './prune-columns.ts';
export * from './push-limit-into-scan.ts';
export * from './fold-constants.ts';
export * from './or-to-in-list.ts';
