import type { AuditRecord, NewAuditRecord, UserStore } from '@tributary/catalog';

export type AuditEvent = NewAuditRecord;

/**
 * Who did what to users, tokens, sources, privileges (and views): a row in the catalog's
 * audit_log and a line on stderr. Events carry names and ids, never a password or a token
 * (callers pass none; the line is built from the fields alone).
 */
export class AuditLog {
  constructor(
    private readonly store: UserStore,
    private readonly log: (message: string) => void,
  ) {}

  record(event: AuditEvent): AuditRecord {
    const record = this.store.appendAudit(event);
    const fields = [
      `action=${record.action}`,
      `outcome=${record.outcome}`,
      `actor=${JSON.stringify(record.actor ?? null)}`,
      ...(record.target === undefined ? [] : [`target=${JSON.stringify(record.target)}`]),
      ...(record.details === undefined ? [] : [`details=${JSON.stringify(record.details)}`]),
    ];
    this.log(`audit ${fields.join(' ')}`);
    return record;
  }

  list(limit: number, before?: number): AuditRecord[] {
    return this.store.listAudit(limit, before);
  }
}
