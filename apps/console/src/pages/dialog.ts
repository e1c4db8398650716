import { ApiError } from '../api/api-client.ts';
import { h, type Child } from '../dom.ts';

let dialogs = 0;

/** What an action's failure says: the API's code and message, or the error's message. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.body.code}: ${error.body.message}`;
  return error instanceof Error ? error.message : String(error);
}

export interface DialogOptions {
  title: string;
  /** The fields and text between the title and the buttons. */
  body: Child[];
  submitLabel: string;
  danger?: boolean;
  /** Runs on submit; the dialog closes when it resolves, and shows its error (in place) when it throws. */
  submit: () => Promise<void>;
  /** Shows an error from `submit` next to a field instead of below the form; true when it did. */
  showError?: (error: unknown) => boolean;
  /** What gets the focus when the dialog opens (the first field by default). */
  initialFocus?: HTMLElement;
  /** What gets the focus when it closes, when the element that had it is gone (a list drawn anew). */
  returnFocus?: () => HTMLElement | null | undefined;
}

/**
 * A modal dialog (role=dialog, aria-modal): Escape or Cancel closes it, Tab and Shift+Tab stay
 * inside it, and the focus goes back where it was when it closes, so a keyboard user lands
 * where they left off.
 */
export function openDialog(options: DialogOptions): { close: () => void; element: HTMLElement } {
  const id = `dialog-${++dialogs}`;
  const returnFocus = document.activeElement as HTMLElement | null;
  const error = h('div', { class: 'field-error', role: 'alert', id: `${id}-error` });
  const submit = h(
    'button',
    { class: options.danger ? 'btn danger' : 'btn primary', type: 'submit', dataset: { dialogSubmit: '' } },
    options.submitLabel,
  );
  const cancel = h('button', { class: 'btn', type: 'button', onclick: () => close() }, 'Cancel');
  const close = () => {
    back.remove();
    const target = returnFocus?.isConnected ? returnFocus : options.returnFocus?.();
    target?.focus();
  };
  const form = h(
    'form',
    {
      class: 'card form modal',
      role: 'dialog',
      'aria-modal': 'true',
      'aria-labelledby': `${id}-title`,
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        error.textContent = '';
        submit.disabled = true;
        try {
          await options.submit();
          close();
        } catch (e) {
          if (!options.showError?.(e)) error.textContent = errorText(e);
        } finally {
          submit.disabled = false;
        }
      },
      onkeydown: (event: KeyboardEvent) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          close();
        } else if (event.key === 'Tab') trapTab(form, event);
      },
    },
    h('h2', { id: `${id}-title` }, options.title),
    ...options.body,
    error,
    h('div', { class: 'dialog-buttons' }, cancel, submit),
  );
  const back = h('div', { class: 'modal-back', onclick: (e: Event) => e.target === back && close() }, form);
  document.body.append(back);
  // A dialog without fields that destroys something starts on Cancel: Enter alone does no harm.
  (
    options.initialFocus ??
    form.querySelector<HTMLElement>('input, select, textarea') ??
    (options.danger ? cancel : submit)
  ).focus();
  return { close, element: form };
}

/** Keeps Tab inside `container`: from its last focusable element to its first, and back. */
function trapTab(container: HTMLElement, event: KeyboardEvent): void {
  const focusable = [
    ...container.querySelectorAll<HTMLElement>(
      'button:not(:disabled), input:not(:disabled), select, textarea, a[href]',
    ),
  ];
  if (focusable.length === 0) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

/** Asks before an action that cannot be undone; the action's error stays in the dialog. */
export function confirmDialog(
  title: string,
  message: string,
  confirmLabel: string,
  action: () => Promise<void>,
  returnFocus?: () => HTMLElement | null | undefined,
): void {
  openDialog({
    title,
    body: [h('p', { style: 'margin:0' }, message)],
    submitLabel: confirmLabel,
    danger: true,
    submit: action,
    ...(returnFocus ? { returnFocus } : {}),
  });
}

/**
 * Asks for one name (a space, a folder) and runs `submit` with it; a check's message or the
 * API's error shows next to the field.
 */
export function promptDialog(options: {
  title: string;
  label: string;
  fieldId: string;
  placeholder?: string;
  hint?: string;
  submitLabel: string;
  validate?: (value: string) => string | null;
  submit: (value: string) => Promise<void>;
  returnFocus?: () => HTMLElement | null | undefined;
}): void {
  const fieldError = h('div', { class: 'field-error', id: `${options.fieldId}-error` });
  const input = h('input', {
    class: 'input',
    id: options.fieldId,
    placeholder: options.placeholder ?? '',
    autocomplete: 'off',
    'aria-describedby': `${options.fieldId}-error`,
  });
  const show = (message: string) => {
    fieldError.textContent = message;
    input.classList.add('invalid');
    input.setAttribute('aria-invalid', 'true');
  };
  openDialog({
    title: options.title,
    body: [
      h(
        'div',
        { class: 'field' },
        h('label', { for: options.fieldId }, options.label),
        input,
        options.hint ? h('div', { class: 'hint' }, options.hint) : null,
        fieldError,
      ),
    ],
    submitLabel: options.submitLabel,
    ...(options.returnFocus ? { returnFocus: options.returnFocus } : {}),
    submit: async () => {
      fieldError.textContent = '';
      input.classList.remove('invalid');
      input.removeAttribute('aria-invalid');
      const value = input.value.trim();
      const problem = value === '' ? `${options.label} is needed` : (options.validate?.(value) ?? null);
      if (problem) throw new Error(problem);
      await options.submit(value);
    },
    showError: (e) => {
      show(errorText(e));
      input.focus();
      return true;
    },
  });
}
