import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
  ifNotIn,
  type CompletionContext,
  type CompletionResult,
  type CompletionSource,
} from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import {
  PostgreSQL,
  keywordCompletionSource,
  schemaCompletionSource,
  sql,
  type SQLNamespace,
} from '@codemirror/lang-sql';
import {
  bracketMatching,
  defaultHighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language';
import { EditorState, Prec, StateEffect, StateField, type Extension } from '@codemirror/state';
import {
  Decoration,
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
  placeholder,
  type DecorationSet,
} from '@codemirror/view';
import type { TextRange } from './sql-ranges.ts';

/** What the editor completes besides keywords: the catalog's names and the service's functions. */
export const completionData: {
  schema: SQLNamespace;
  functions: { name: string; kind: string }[];
  version: number;
} = {
  schema: {},
  functions: [],
  version: 0,
};

let cachedSchemaSource: { version: number; source: CompletionSource } | undefined;

/** Sources → tables → columns and spaces → views, from the catalog as last loaded. */
const catalogCompletions: CompletionSource = (context) => {
  if (cachedSchemaSource?.version !== completionData.version)
    cachedSchemaSource = {
      version: completionData.version,
      source: schemaCompletionSource({ dialect: PostgreSQL, schema: completionData.schema }),
    };
  return cachedSchemaSource.source(context);
};

const functionCompletions: CompletionSource = ifNotIn(
  ['QuotedIdentifier', 'String', 'LineComment', 'BlockComment', '.'],
  (context: CompletionContext): CompletionResult | null => {
    const word = context.matchBefore(/\w+/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    // After a dot it is a name's part, not a function.
    if (context.state.sliceDoc(word.from - 1, word.from) === '.') return null;
    return {
      from: word.from,
      options: completionData.functions.map((f) => ({
        label: f.name,
        type: 'function',
        detail: f.kind,
        apply: `${f.name}(`,
        boost: -1,
      })),
      validFor: /^\w*$/,
    };
  },
);

const setError = StateEffect.define<TextRange | null>();

/** The underline of the last SQL error: cleared by the next edit. */
const errorField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(decorations, transaction) {
    for (const effect of transaction.effects)
      if (effect.is(setError)) {
        const range = effect.value;
        if (!range) return Decoration.none;
        const line = transaction.state.doc.lineAt(range.from);
        return Decoration.set([
          Decoration.line({ class: 'cm-error-line' }).range(line.from),
          Decoration.mark({ class: 'cm-sql-error', attributes: { 'data-sql-error': 'true' } }).range(
            range.from,
            Math.max(range.to, range.from + 1),
          ),
        ]);
      }
    return transaction.docChanged ? Decoration.none : decorations;
  },
  provide: (field) => EditorView.decorations.from(field),
});

const theme = EditorView.theme({
  '&': { height: '100%' },
  '.cm-gutters': { background: '#fafbfc', borderRight: '1px solid #eef0f3', color: '#a0a8b6' },
  '.cm-activeLine': { background: '#f7f9fc' },
  '.cm-activeLineGutter': { background: '#eef2f8' },
  '.cm-content': { padding: '8px 0' },
  '.cm-tooltip-autocomplete': { fontFamily: 'var(--mono)', fontSize: '12px' },
});

/** The SQL editor's extensions; `run` is Ctrl/Cmd+Enter. */
export function editorExtensions(run: () => void, onChange: () => void): Extension[] {
  const language = sql({ dialect: PostgreSQL, upperCaseKeywords: true });
  return [
    // Escape, then Tab or Shift+Tab within two seconds, leaves the editor (Tab indents otherwise).
    // First of all: the completion's own Escape (closing its list) would take the key before CodeMirror sees it.
    Prec.highest(keymap.of([{ key: 'Escape', run: (view) => (view.setTabFocusMode(2000), false) }])),
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightActiveLine(),
    history(),
    drawSelection(),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    language,
    language.language.data.of({ autocomplete: catalogCompletions }),
    language.language.data.of({ autocomplete: functionCompletions }),
    language.language.data.of({ autocomplete: keywordCompletionSource(PostgreSQL, true) }),
    autocompletion({ activateOnTyping: true, override: null }),
    placeholder('SELECT … — Ctrl+Enter runs the statement at the cursor or the selection'),
    errorField,
    theme,
    // Tab indents in the editor; Escape then Tab leaves it (CodeMirror's tab focus mode), which the hint says.
    EditorView.contentAttributes.of({
      'aria-label': 'SQL editor',
      'aria-describedby': 'editor-keys',
      // Focusable already (contenteditable); said outright so that checkers see the scroller can be reached.
      tabindex: '0',
    }),
    Prec.highest(
      keymap.of([
        { key: 'Mod-Enter', run: () => (run(), true), preventDefault: true },
        { key: 'Shift-Enter', run: () => (run(), true), preventDefault: true },
      ]),
    ),
    keymap.of([
      ...closeBracketsKeymap,
      ...defaultKeymap,
      ...historyKeymap,
      ...completionKeymap,
      indentWithTab,
    ]),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onChange();
    }),
  ];
}

export function newEditorState(doc: string, extensions: Extension[]): EditorState {
  return EditorState.create({ doc, extensions });
}

export function showError(view: EditorView, range: TextRange | null): void {
  view.dispatch({
    effects: setError.of(range),
    ...(range ? { selection: { anchor: range.from }, scrollIntoView: true } : {}),
  });
}

/** Replaces a range with text (a "did you mean" accepted). */
export function replaceRange(view: EditorView, range: TextRange, text: string): void {
  view.dispatch({ changes: { from: range.from, to: range.to, insert: text } });
}

/** Inserts text at the cursor (a name clicked in the catalog). */
export function insertAtCursor(view: EditorView, text: string): void {
  const { from, to } = view.state.selection.main;
  view.dispatch({ changes: { from, to, insert: text }, selection: { anchor: from + text.length } });
  view.focus();
}
