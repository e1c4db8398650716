import { closestNames, SourceError } from '@tributary/common';

/**
 * Refuses option names a connector does not know, so a misspelt option (`delimter`) never
 * silently leaves the default in place: SOURCE_OPTION_UNKNOWN, with the closest known names
 * as a "did you mean". `where` names the options' place ("CSV option", "option of table t").
 */
export function checkOptionNames(
  options: Readonly<Record<string, unknown>>,
  known: readonly string[],
  where: string,
): void {
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    const suggestions = closestNames(name, known);
    const hint = suggestions.length > 0 ? `; did you mean "${suggestions[0]}"?` : '';
    throw new SourceError(
      'SOURCE_OPTION_UNKNOWN',
      `unknown ${where} "${name}"${hint} The options are ${known.join(', ')}`,
      { suggestions },
    );
  }
}
