import type { ScanContext } from './connector.ts';
import { confineToRoots, resolveRoots } from './confine-path.ts';

/** The roots' real paths per context: a scan resolves them once, not at every file it opens. */
const realRootsByContext = new WeakMap<ScanContext, Promise<string[]>>();

function realRootsOf(context: ScanContext): Promise<string[]> {
  let roots = realRootsByContext.get(context);
  if (!roots) {
    roots = resolveRoots(context.roots);
    realRootsByContext.set(context, roots);
  }
  return roots;
}

/**
 * The real path of `path` if it lies inside the context's roots now; PATH_NOT_ALLOWED
 * (naming `shown`, the path as the table gave it) if not. Called just before a file is
 * opened, however it was checked before: a registration-time check says nothing about the
 * file a path names today.
 */
export async function confineScanPath(path: string, context: ScanContext, shown = path): Promise<string> {
  return confineToRoots(path, await realRootsOf(context), shown);
}

/** The context's roots, resolved (cached per context). */
export function scanRealRoots(context: ScanContext): Promise<readonly string[]> {
  return realRootsOf(context);
}
