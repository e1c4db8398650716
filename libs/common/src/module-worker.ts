import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread running the ES module at `url`, a TypeScript file included: Node 20
 * does not apply the `--import tsx` hooks of the process to a worker's entry module, so
 * the worker registers tsx itself before importing it.
 */
export function startModuleWorker(url: URL, options: WorkerOptions = {}): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const source =
    `import(${JSON.stringify(tsx)})` +
    `.then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(source, { ...options, eval: true });
}
