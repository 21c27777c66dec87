import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.ts';

describe('LineSplitter', () => {
  it('joins a line written in several pieces and splits several lines in one chunk', () => {
    const splitter = new LineSplitter(1024);
    expect(splitter.push(Buffer.from('{"seq":')).lines).toEqual([]);
    expect(splitter.push(Buffer.from('1}\n{"seq"')).lines).toEqual(['{"seq":1}']);
    expect(splitter.push(Buffer.from(':2}\r\n\n{"seq":3}\n')).lines).toEqual(['{"seq":2}', '', '{"seq":3}']);
    expect(splitter.buffered).toBe(0);
  });

  it('keeps a multi-byte character split across chunks intact', () => {
    const splitter = new LineSplitter(1024);
    const bytes = Buffer.from('"é"\n');
    expect(splitter.push(bytes.subarray(0, 2)).lines).toEqual([]);
    expect(splitter.push(bytes.subarray(2)).lines).toEqual(['"é"']);
  });

  it('reports overflow for a line longer than the cap, even spread over chunks, and stays overflowed', () => {
    const splitter = new LineSplitter(8);
    expect(splitter.push(Buffer.from('12345')).overflow).toBe(false);
    expect(splitter.push(Buffer.from('6789')).overflow).toBe(true);
    expect(splitter.push(Buffer.from('\nok\n'))).toEqual({ lines: [], overflow: true });
  });

  it('returns the lines completed before an overflow in the same chunk', () => {
    const splitter = new LineSplitter(4);
    expect(splitter.push(Buffer.from('ab\nabcdefgh\n'))).toEqual({ lines: ['ab'], overflow: true });
  });
});
