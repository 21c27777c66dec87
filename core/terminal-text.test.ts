import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalSafeJson } from './terminal-text.ts';

describe('terminalSafe', () => {
  it('replaces ESC sequences, CSI, BEL, backspace and carriage return', () => {
    expect(terminalSafe('a\u001b]0;pwned\u0007b')).toBe('a?]0;pwned?b');
    expect(terminalSafe('x\u009b2Jy')).toBe('x?2Jy');
    expect(terminalSafe('ok\rFAIL\b')).toBe('ok?FAIL?');
  });

  it('removes bidi overrides that reorder what a reader sees', () => {
    expect(terminalSafe('file\u202eTXT.exe')).toBe('file?TXT.exe');
  });

  it('keeps printable text, including non-ASCII letters', () => {
    expect(terminalSafe('Müller — 漢字 ✓')).toBe('Müller — 漢字 ✓');
  });

  it('joins lines unless multi-line text is asked for, where newline and tab stay', () => {
    expect(terminalSafe('one\ntwo')).toBe('one?two');
    expect(terminalSafe('one\n\ttwo\u001b[31m', { multiline: true })).toBe('one\n\ttwo?[31m');
  });

  it('takes another replacement', () => {
    expect(terminalSafe('a\u001bb', { replacement: '' })).toBe('ab');
  });
});

describe('terminalSafeJson', () => {
  it('escapes DEL, C1 and bidi controls so the parsed value is unchanged', () => {
    const value = { text: 'a\u009b2J\u007f\u202eb' };
    const safe = terminalSafeJson(JSON.stringify(value));
    expect(safe).not.toMatch(/[\u007f-\u009f\u202e]/);
    expect(JSON.parse(safe)).toEqual(value);
  });
});
