import { describe, expect, it } from 'vitest';
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
});
