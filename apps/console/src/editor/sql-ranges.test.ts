import { describe, expect, it } from 'vitest';
import { errorRange, statementAt } from './sql-ranges.ts';

const text = (doc: string, r: { from: number; to: number }) => doc.slice(r.from, r.to);

describe('statementAt', () => {
  const doc = "SELECT 1;\nSELECT ';' AS s -- a ; here\n  FROM t;\n\nSELECT 3";
  it('finds the statement around the cursor, ignoring semicolons in strings and comments', () => {
    expect(text(doc, statementAt(doc, 3))).toBe('SELECT 1');
    expect(text(doc, statementAt(doc, doc.indexOf('AS')))).toBe("SELECT ';' AS s -- a ; here\n  FROM t");
    expect(text(doc, statementAt(doc, doc.length))).toBe('SELECT 3');
  });
  it('takes the statement that ends just before the cursor', () => {
    expect(text(doc, statementAt(doc, doc.indexOf(';') + 1))).toBe('SELECT 1');
  });
  it('runs the last statement when the cursor is after the last semicolon', () => {
    const d = 'SELECT 1;\nSELECT 2;\n\n';
    expect(text(d, statementAt(d, d.length))).toBe('SELECT 2');
  });
  it('is the whole text when there is no semicolon', () => {
    expect(text('  SELECT 1\n', statementAt('  SELECT 1\n', 0))).toBe('SELECT 1');
  });
});

describe('errorRange', () => {
  it('underlines the name at a line and column', () => {
    const doc = 'SELECT l_orderkey,\n       l_quantiy\nFROM tpq.lineitem';
    expect(text(doc, errorRange(doc, 0, 2, 8))).toBe('l_quantiy');
  });
  it('counts lines and columns from where the statement that ran starts', () => {
    const doc = 'SELECT 1;\nSELECT x\nFROM t WHERE y = = 3';
    const base = doc.indexOf('SELECT x');
    expect(text(doc, errorRange(doc, base, 2, 18))).toBe('=');
    expect(errorRange(doc, base, 2, 18).from).toBe(doc.lastIndexOf('='));
  });
  it('a column in the middle of a name covers the whole name', () => {
    const doc = 'SELECT * FROM tpq.lineitems';
    expect(text(doc, errorRange(doc, 0, 1, 22))).toBe('lineitems');
  });
  it('at the end of a line, underlines the token before', () => {
    const doc = 'SELECT a FROM t ORDER';
    expect(text(doc, errorRange(doc, 0, 1, 22))).toBe('ORDER');
  });
  it('covers a quoted name whole', () => {
    const doc = 'SELECT "no such" FROM t';
    expect(text(doc, errorRange(doc, 0, 1, 8))).toBe('"no such"');
  });
  it('stays inside the document for positions past its end', () => {
    const r = errorRange('SELECT', 0, 9, 40);
    expect(r.from).toBeGreaterThanOrEqual(0);
    expect(r.to).toBeLessThanOrEqual(6);
  });
});
