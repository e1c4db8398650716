import * as Plot from '@observablehq/plot';
import { h } from '../dom.ts';
import { isNumericType } from '../grid/row-source.ts';
import type { ResultColumn } from '../results/result-pager.ts';

export type ChartKind = 'bar' | 'line' | 'scatter';

/** The most rows a chart draws: the first ones of the result. */
export const CHART_ROWS = 5000;

/**
 * A chart of the current result (Observable Plot, loaded on first use): bar, line or scatter
 * of one column against another. Numbers that arrive as strings (DECIMAL, BIGINT) are
 * plotted as numbers.
 */
export function chartView(
  columns: readonly ResultColumn[],
  rows: readonly (readonly unknown[])[],
): HTMLElement {
  const numeric = columns.map((c) => isNumericType(c.type));
  const firstText = Math.max(0, numeric.indexOf(false));
  const firstNumber = numeric.indexOf(true);
  const select = (id: string, label: string, selected: number) =>
    h(
      'label',
      { for: id },
      label,
      h(
        'select',
        { class: 'input', id, onchange: () => draw() },
        ...columns.map((c, i) =>
          h('option', { value: String(i), selected: i === selected }, `${c.name} · ${c.type}`),
        ),
      ),
    );
  const kind = h(
    'select',
    { class: 'input', id: 'chart-kind', onchange: () => draw() },
    h('option', { value: 'bar' }, 'Bar'),
    h('option', { value: 'line' }, 'Line'),
    h('option', { value: 'scatter' }, 'Scatter'),
  );
  const xLabel = select('chart-x', 'X', firstText);
  const yLabel = select('chart-y', 'Y', firstNumber < 0 ? 0 : firstNumber);
  const canvas = h('div', { class: 'chart-canvas', dataset: { testid: 'chart' } });
  const note = h('div', { class: 'muted' });
  const view = h(
    'div',
    { class: 'chart-view' },
    h('div', { class: 'chart-form' }, h('label', { for: 'chart-kind' }, 'Chart', kind), xLabel, yLabel, note),
    canvas,
  );

  const draw = () => {
    const x = Number((xLabel.querySelector('select') as HTMLSelectElement).value);
    const y = Number((yLabel.querySelector('select') as HTMLSelectElement).value);
    const asValue = (i: number, v: unknown) => (numeric[i] && v !== null ? Number(v) : v);
    const data = rows.slice(0, CHART_ROWS).map((r) => ({ x: asValue(x, r[x]), y: asValue(y, r[y]) }));
    note.textContent =
      rows.length > CHART_ROWS ? `The first ${CHART_ROWS} of ${rows.length} rows` : `${rows.length} rows`;
    const width = Math.max(320, canvas.clientWidth - 32);
    const height = Math.max(220, canvas.clientHeight - 40);
    const chosen = kind.value as ChartKind;
    const mark =
      chosen === 'bar'
        ? Plot.barY(data, { x: 'x', y: 'y', fill: '#3b82f6', tip: true })
        : chosen === 'line'
          ? Plot.lineY(data, {
              x: 'x',
              y: 'y',
              stroke: '#2563eb',
              strokeWidth: 2,
              marker: data.length < 60,
              tip: true,
            })
          : Plot.dot(data, { x: 'x', y: 'y', fill: '#2563eb', fillOpacity: 0.6, r: 3, tip: true });
    const plot = Plot.plot({
      width,
      height,
      marginLeft: 64,
      marginBottom: chosen === 'bar' && data.length > 12 ? 90 : 48,
      grid: true,
      style: { fontSize: '12px' },
      // Bars keep the result's order (Plot would sort the categories).
      x: {
        label: columns[x].name,
        ...(chosen === 'bar'
          ? { domain: [...new Set(data.map((d) => d.x))], tickRotate: data.length > 12 ? -40 : 0 }
          : {}),
      },
      y: { label: columns[y].name, ...(chosen === 'bar' ? { zero: true } : {}) },
      marks: [mark, ...(chosen === 'scatter' ? [] : [Plot.ruleY([0])])],
    });
    canvas.replaceChildren(plot);
  };
  requestAnimationFrame(draw);
  return view;
}
