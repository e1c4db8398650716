import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.ts';

describe('SseParser', () => {
  it('splits events at blank lines, with their names and data', () => {
    const parser = new SseParser();
    expect(
      parser.push('event: state\ndata: {"state":"RUNNING"}\n\nevent: progress\ndata: {"rows":5}\n\n'),
    ).toEqual([
      { event: 'state', data: '{"state":"RUNNING"}' },
      { event: 'progress', data: '{"rows":5}' },
    ]);
  });

  it('joins events cut anywhere across chunks', () => {
    const parser = new SseParser();
    const stream = 'event: state\r\ndata: {"a":1}\r\n\r\nevent: state\ndata: {"b":2}\n\n';
    const events = [];
    for (const c of stream) events.push(...parser.push(c));
    expect(events).toEqual([
      { event: 'state', data: '{"a":1}' },
      { event: 'state', data: '{"b":2}' },
    ]);
  });

  it('joins data lines, skips comments, names unnamed events "message"', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\n\ndata:one\ndata: two\n\n')).toEqual([
      { event: 'message', data: 'one\ntwo' },
    ]);
  });

  it('holds an event until its blank line arrives', () => {
    const parser = new SseParser();
    expect(parser.push('event: state\ndata: {}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'state', data: '{}' }]);
  });
});
