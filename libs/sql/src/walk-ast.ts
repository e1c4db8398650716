/** A parsed node, as the rewrites between parsing and binding edit it in place. */
export type MutableAstNode = Record<string, unknown>;

/**
 * Visits every object node under `ast` (array elements included; `loc` never), parents before
 * children. `visit` may edit the node in place; it returns the values to go on into instead of
 * the node's own (`[]` to go no deeper), or nothing to go on into all of them. Iterative: the
 * AST of a statement too deep to bind must not overflow the stack before that is found out.
 */
export function walkAst(ast: unknown, visit: (node: MutableAstNode) => readonly unknown[] | void): void {
  const stack: unknown[] = [ast];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (const v of value) stack.push(v);
      continue;
    }
    const node = value as MutableAstNode;
    const next = visit(node);
    if (next) for (const v of next) stack.push(v);
    else for (const key in node) if (key !== 'loc') stack.push(node[key]);
  }
}
