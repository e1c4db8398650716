/// <reference lib="dom" />
// (The checks run inside the page: page.evaluate sends these functions to the browser, whose types they use.)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** axe-core's browser build, injected into the page under test (it runs there, on the live DOM). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The serious and critical accessibility violations axe-core finds on the page as it is now. */
export async function axeProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<unknown> } }
    ).axe;
    const result = (await axe.run(document, { resultTypes: ['violations'] })) as {
      violations: AxeViolation[];
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 4).map((n) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(' | ')}`);
}

/**
 * What is cut off or overlapping on the page at its viewport's size: a horizontal scroll of
 * the document or of the page's content; each of `whole` (the application's frame: nav, top
 * bar, editor, toolbar…) not wholly inside the viewport, or overlapping another of them; each
 * of `across` (content that may scroll down: tables, forms) wider than the viewport; the
 * children of toolbars and bars outside their bar; a button whose label does not fit.
 */
export async function layoutProblems(page: Page, whole: string[], across: string[] = []): Promise<string[]> {
  return page.evaluate(
    ({ whole, across }) => {
      const problems: string[] = [];
      const vw = document.documentElement.clientWidth;
      const vh = document.documentElement.clientHeight;
      const slack = 0.5;
      const scroller = document.scrollingElement!;
      if (scroller.scrollWidth > scroller.clientWidth + slack)
        problems.push(`the document scrolls sideways (${scroller.scrollWidth} > ${scroller.clientWidth})`);
      for (const element of document.querySelectorAll<HTMLElement>('.page, .content'))
        if (element.scrollWidth > element.clientWidth + 1)
          problems.push(
            `.${element.className} scrolls sideways (${element.scrollWidth} > ${element.clientWidth})`,
          );
      const boxes: { selector: string; element: Element; box: DOMRect }[] = [];
      for (const selector of whole) {
        const element = document.querySelector(selector);
        if (!element) {
          problems.push(`${selector} is missing`);
          continue;
        }
        const box = element.getBoundingClientRect();
        if (box.width < 1 || box.height < 1) problems.push(`${selector} has no size`);
        if (box.left < -slack || box.top < -slack || box.right > vw + slack || box.bottom > vh + slack)
          problems.push(
            `${selector} is outside the ${vw}×${vh} viewport: ${Math.round(box.left)},${Math.round(box.top)} → ${Math.round(box.right)},${Math.round(box.bottom)}`,
          );
        boxes.push({ selector, element, box });
      }
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i];
          const b = boxes[j];
          if (a.element.contains(b.element) || b.element.contains(a.element)) continue;
          const w = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
          const h = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
          if (w > 1 && h > 1)
            problems.push(`${a.selector} and ${b.selector} overlap (${Math.round(w)}×${Math.round(h)})`);
        }
      for (const selector of across) {
        const element = document.querySelector(selector);
        if (!element) {
          problems.push(`${selector} is missing`);
          continue;
        }
        const box = element.getBoundingClientRect();
        if (box.left < -slack || box.right > vw + slack)
          problems.push(
            `${selector} is wider than the viewport: ${Math.round(box.left)} → ${Math.round(box.right)}`,
          );
      }
      const bars =
        '.topbar, .toolbar, .results-head, .filters, .catalog-head, .tabs, .dialog-buttons, .job-head, .stats';
      for (const bar of document.querySelectorAll<HTMLElement>(bars)) {
        const outer = bar.getBoundingClientRect();
        for (const child of bar.children) {
          const box = child.getBoundingClientRect();
          if (box.width === 0 && box.height === 0) continue;
          if (box.left < outer.left - 1 || box.right > outer.right + 1 || box.right > vw + slack)
            problems.push(
              `${bar.className} > ${child.tagName.toLowerCase()}.${child.className} sticks out of its bar`,
            );
        }
      }
      // A table's heading wider than its column overlaps the next one.
      for (const heading of document.querySelectorAll<HTMLElement>('th'))
        if (heading.scrollWidth > heading.clientWidth + 1)
          problems.push(`the heading "${heading.textContent?.trim()}" does not fit its column`);
      for (const button of document.querySelectorAll<HTMLElement>('button, .btn, .badge, .tab')) {
        const box = button.getBoundingClientRect();
        if (box.width === 0) continue;
        if (button.scrollWidth > button.clientWidth + 1 && !button.classList.contains('tab'))
          problems.push(`"${button.textContent?.trim()}" does not fit its ${button.tagName.toLowerCase()}`);
      }
      return problems;
    },
    { whole, across },
  );
}

/** Whether the focused element shows that it has the focus (an outline or a ring), and what it is. */
export async function focusShown(page: Page): Promise<{ what: string; shown: boolean }> {
  return page.evaluate(() => {
    const focused = document.activeElement as HTMLElement | null;
    if (!focused || focused === document.body) return { what: 'body', shown: false };
    // CodeMirror draws its focus on the editor around the content that has it.
    const drawn = focused.closest<HTMLElement>('.cm-editor') ?? focused;
    const style = getComputedStyle(drawn);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const ring = style.boxShadow !== 'none';
    const label =
      focused.getAttribute('aria-label') ?? focused.id ?? focused.textContent?.trim().slice(0, 30) ?? '';
    return {
      what: `${focused.tagName.toLowerCase()}${focused.getAttribute('role') ? `[role=${focused.getAttribute('role')}]` : ''} "${label}"`,
      shown: outline || ring,
    };
  });
}
