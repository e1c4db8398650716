import { SourceError, TributaryError } from '@tributary/common';

/**
 * A PATH_NOT_ALLOWED refusal told which folders sources may point into and which setting
 * changes them, so that a first user can fix it. The one place that shows the roots: who
 * may see them (admins, once there are users) is decided here. Other errors pass unchanged.
 */
export function explainPathNotAllowed(error: unknown, roots: readonly string[]): unknown {
  if (!(error instanceof TributaryError) || error.code !== 'PATH_NOT_ALLOWED') return error;
  return new SourceError(
    error.code,
    `${error.message}; sources may point into ${roots.map((r) => `"${r}"`).join(', ')} ` +
      '(setting sourceRoots in config/default.yaml, or the environment variable TRIBUTARY_SOURCE_ROOTS, ' +
      'folders separated by ":" or ",")',
    { status: error.status, details: { ...error.details, allowedRoots: [...roots] }, cause: error },
  );
}
