import { delimiter } from 'node:path';

/**
 * The items of a list setting given as one string (an environment variable such as
 * TRIBUTARY_SOURCE_ROOTS): separated by commas or by the platform's path-list separator
 * (`:` on POSIX, `;` on Windows), as PATH is. Blank items are dropped, items are trimmed.
 */
export function splitListSetting(text: string, separator: string = delimiter): string[] {
  return text
    .split(separator === ',' ? ',' : new RegExp(`[,${escapeForClass(separator)}]`))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function escapeForClass(char: string): string {
  return char.replace(/[\\\]^-]/g, '\\$&');
}
