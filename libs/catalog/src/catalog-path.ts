/**
 * The key of a path in the catalog (spaces, folders, views): its parts lower-cased (names are
 * case-insensitive, as sources' are) and joined by a character no name holds.
 */
export function pathKey(path: readonly string[]): string {
  return path.map((p) => p.toLowerCase()).join('\u001f');
}

/** The key every path under `path` starts with. */
export function pathKeyPrefix(path: readonly string[]): string {
  return `${pathKey(path)}\u001f`;
}
