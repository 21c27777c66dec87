import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '../../test-support/fast-check-seed.ts';
import { StderrTail } from './stderr-tail.ts';

describe('StderrTail', () => {
  it('keeps everything under the limit', () => {
    const tail = new StderrTail(100);
    tail.push(Buffer.from('first\n'));
    tail.push(Buffer.from('second\n'));
    expect(tail.text()).toBe('first\nsecond\n');
  });

  it('keeps only the most recent bytes, cutting inside a chunk when needed', () => {
    const tail = new StderrTail(8);
    tail.push(Buffer.from('0123456789'));
    expect(tail.text()).toBe('23456789');
    tail.push(Buffer.from('ab'));
    tail.push(Buffer.from('cdefghij'));
    expect(tail.text()).toBe('cdefghij');
  });

  it('keeps the last 8 KiB when a short chunk follows a long one (not just the short chunk)', () => {
    const tail = new StderrTail(8192);
    tail.push(Buffer.alloc(8190, 'a'));
    tail.push(Buffer.from('fake: last words\n'));
    expect(tail.text()).toHaveLength(8192);
    expect(tail.text().endsWith('aaaafake: last words\n')).toBe(true);
  });

  it('always holds exactly the last min(limit, written) bytes, however the writes were split', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 20 }), (limit, chunks) => {
        const tail = new StderrTail(limit);
        for (const chunk of chunks) tail.push(Buffer.from(chunk));
        const all = Buffer.concat(chunks.map((chunk) => Buffer.from(chunk)));
        expect(Buffer.from(tail.text(), 'utf8').equals(Buffer.from(all.subarray(Math.max(0, all.length - limit)).toString('utf8'), 'utf8'))).toBe(true);
        expect(tail.written).toBe(all.length);
      }),
      propertyParameters(),
    );
  });
});
