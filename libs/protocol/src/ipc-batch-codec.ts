import {
  Message,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  makeData,
  tableFromIPC,
} from 'apache-arrow';
import { RecordBatch as RecordBatchHeader } from 'apache-arrow/ipc/metadata/message';
import { VectorAssembler } from 'apache-arrow/visitor/vectorassembler';
import { VectorLoader } from 'apache-arrow/visitor/vectorloader';
import { recordBatchOf } from '@tributary/common';

/**
 * One record batch as a self-contained Arrow IPC stream (schema message, batch message, end
 * of stream) and back, built from Arrow JS's own pieces (its assembler and loader, its
 * flatbuffer messages) without its reader and writer objects: the bytes are exactly the ones
 * RecordBatchStreamWriter writes, and whatever these functions do not handle (dictionaries,
 * compression, several batches) goes through Arrow's reader and writer as before. Measured
 * on a point lookup served by a reflection, the writer's and the reader's stream plumbing
 * (sinks, byte queues, iterators) and the schema's flatbuffer, encoded and parsed again for
 * every frame, cost more CPU than the rows themselves; a schema's message is encoded and
 * parsed once per thread here.
 */

/** Encoded schema messages by schema signature (schemaSignature), on this thread. */
const schemaMessages = new Map<string, Uint8Array>();
/** Schemas parsed by their message's flatbuffer bytes, on this thread. */
const parsedSchemas = new Map<string, Schema>();
const MAX_SCHEMAS = 256;

const CONTINUATION = -1;
const ALIGN = 8;
const pad = (n: number) => (n + ALIGN - 1) & ~(ALIGN - 1);

/**
 * What identifies a schema's IPC message: each field's name, type and nullability; undefined
 * (not kept) for a schema with nested types, dictionaries or metadata, whose message says more.
 */
function schemaSignature(schema: Schema): string | undefined {
  if (schema.metadata.size > 0 || schema.dictionaries.size > 0) return undefined;
  let key = '';
  for (const field of schema.fields) {
    if (field.type.children?.length || field.metadata.size > 0) return undefined;
    key += `${field.name}\u0000${String(field.type)}\u0000${field.nullable ? 1 : 0}\u0001`;
  }
  return key;
}

/** A message as the stream writer frames it: continuation marker, length, flatbuffer, padding to 8. */
function framedMessage(flatbuffer: Uint8Array): Uint8Array {
  const size = pad(flatbuffer.byteLength + 8);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, CONTINUATION, true);
  view.setInt32(4, size - 8, true);
  bytes.set(flatbuffer, 8);
  return bytes;
}

function schemaMessage(schema: Schema): Uint8Array {
  const key = schemaSignature(schema);
  let bytes = key === undefined ? undefined : schemaMessages.get(key);
  if (!bytes) {
    bytes = framedMessage(Message.encode(Message.from(schema)));
    if (key !== undefined) {
      if (schemaMessages.size >= MAX_SCHEMAS) schemaMessages.clear();
      schemaMessages.set(key, bytes);
    }
  }
  return bytes;
}

/** Arrow's own stream writer, for what encodeIpcBatch does not write itself. */
function writtenByArrow(batch: RecordBatch): Uint8Array {
  const writer = new RecordBatchStreamWriter();
  writer.write(batch);
  writer.finish();
  return writer.toUint8Array(true);
}

/**
 * `batch` as an Arrow IPC stream, written into a new array after `prefix` bytes left for the
 * caller (a frame header).
 */
export function encodeIpcBatch(batch: RecordBatch, prefix = 0): Uint8Array {
  if (batch.schema.dictionaries.size > 0) {
    const written = writtenByArrow(batch);
    const out = new Uint8Array(prefix + written.byteLength);
    out.set(written, prefix);
    return out;
  }
  const schema = schemaMessage(batch.schema);
  const { byteLength, nodes, bufferRegions, buffers, variadicBufferCounts } = VectorAssembler.assemble(batch);
  const header = new RecordBatchHeader(
    batch.numRows,
    nodes,
    bufferRegions,
    null,
    variadicBufferCounts,
    batch.metadata,
  );
  const message = framedMessage(Message.encode(Message.from(header, byteLength)));
  let body = 0;
  for (const buffer of buffers) if (buffer && buffer.byteLength > 0) body += pad(buffer.byteLength);
  const out = new Uint8Array(prefix + schema.byteLength + message.byteLength + body + 8);
  let at = prefix;
  out.set(schema, at);
  at += schema.byteLength;
  out.set(message, at);
  at += message.byteLength;
  for (const buffer of buffers) {
    if (!buffer || buffer.byteLength === 0) continue;
    out.set(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), at);
    at += pad(buffer.byteLength);
  }
  // End of stream: a continuation marker and a zero length.
  new DataView(out.buffer).setInt32(at, CONTINUATION, true);
  return out;
}

/** The schema of a schema message's flatbuffer, parsed once per distinct message. */
function schemaOf(metadata: Uint8Array, message: Message): Schema {
  const key = Buffer.from(metadata.buffer, metadata.byteOffset, metadata.byteLength).toString('latin1');
  let schema = parsedSchemas.get(key);
  if (!schema) {
    schema = message.header() as Schema;
    if (parsedSchemas.size >= MAX_SCHEMAS) parsedSchemas.clear();
    parsedSchemas.set(key, schema);
  }
  return schema;
}

/**
 * The batches of an Arrow IPC stream of one schema message, record batch messages and an end
 * of stream, read in place; undefined for anything else (Arrow's reader then reads it).
 */
function readPlainStream(payload: Uint8Array): RecordBatch[] | undefined {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  let at = 0;
  let schema: Schema | undefined;
  const batches: RecordBatch[] = [];
  for (;;) {
    if (at + 8 > payload.byteLength || view.getInt32(at, true) !== CONTINUATION) return undefined;
    const length = view.getInt32(at + 4, true);
    at += 8;
    if (length === 0) break;
    if (length < 0 || at + length > payload.byteLength) return undefined;
    const metadata = payload.subarray(at, at + length);
    at += length;
    const message = Message.decode(metadata);
    const bodyLength = Number(message.bodyLength);
    if (!(bodyLength >= 0) || at + bodyLength > payload.byteLength) return undefined;
    const inPlace = payload.subarray(at, at + bodyLength);
    // Buffers are read as typed arrays over the body: one not 8-byte aligned is copied (as
    // Arrow's reader does), into a plain Uint8Array (a Node Buffer's slice() would not copy).
    const body = inPlace.byteOffset % 8 === 0 ? inPlace : new Uint8Array(inPlace);
    at += bodyLength;
    if (message.isSchema()) {
      if (schema) return undefined;
      schema = schemaOf(metadata, message);
      if (schema.dictionaries.size > 0) return undefined;
    } else if (message.isRecordBatch()) {
      if (!schema) return undefined;
      const header = message.header();
      if (header.compression != null) return undefined;
      const children = new VectorLoader(
        body,
        header.nodes,
        header.buffers,
        new Map(),
        schema.metadataVersion,
        header.variadicBufferCounts,
      ).visitMany(schema.fields);
      const data = makeData({ type: new Struct(schema.fields), length: header.length, children });
      batches.push(recordBatchOf(schema, data, message.metadata));
    } else {
      return undefined;
    }
  }
  if (!schema || batches.length === 0 || at !== payload.byteLength) return undefined;
  return batches;
}

/** The record batches of an Arrow IPC stream (one frame's payload). */
export function decodeIpcBatches(payload: Uint8Array): RecordBatch[] {
  return readPlainStream(payload) ?? tableFromIPC(payload).batches;
}
