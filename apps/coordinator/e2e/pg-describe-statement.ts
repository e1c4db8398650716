import type pg from 'pg';

/** What a Describe of a prepared statement answers: its parameters' and columns' types, or an error. */
export interface StatementDescription {
  parameters?: number[];
  columns?: { name: string; type: number }[];
  error?: { code?: string; message: string; position?: string };
}

interface ProtocolConnection {
  on(event: string, listener: (message: unknown) => void): void;
  off(event: string, listener: (message: unknown) => void): void;
  parse(query: { text: string; types: number[] }): void;
  describe(target: { type: 'S'; name: string }): void;
  sync(): void;
}

/**
 * Parse, Describe (statement) and Sync over a node-postgres client, as pgJDBC and npgsql send
 * them before they bind: node-postgres has no call for it, so this is a query object of its
 * own (the client's Submittable protocol, which pg-cursor uses too).
 */
export function describeStatement(
  client: pg.Client,
  text: string,
  types: number[] = [],
): Promise<StatementDescription> {
  return new Promise((resolve) => {
    const out: StatementDescription = {};
    let connection: ProtocolConnection | undefined;
    const onParameters = (message: unknown) => {
      out.parameters = (message as { dataTypeIDs: number[] }).dataTypeIDs;
    };
    const submittable = {
      submit(c: ProtocolConnection) {
        connection = c;
        c.on('parameterDescription', onParameters);
        c.parse({ text, types });
        c.describe({ type: 'S', name: '' });
        c.sync();
      },
      handleRowDescription(message: { fields: { name: string; dataTypeID: number }[] }) {
        out.columns = message.fields.map((f) => ({ name: f.name, type: f.dataTypeID }));
      },
      // node-postgres ends the query at an error: the ReadyForQuery after it is the client's.
      handleError(error: { code?: string; message: string; position?: string }) {
        out.error = { code: error.code, message: error.message, position: error.position };
        this.handleReadyForQuery();
      },
      handleReadyForQuery() {
        connection?.off('parameterDescription', onParameters);
        resolve(out);
      },
      handleDataRow() {},
      handleCommandComplete() {},
      handleEmptyQuery() {},
      handlePortalSuspended() {},
    };
    void client.query(submittable as never);
  });
}
