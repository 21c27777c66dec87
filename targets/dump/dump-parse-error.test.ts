import { describe, expect, it } from 'vitest';
import { diagnostics } from '../../core/diagnostics.ts';
import { DumpParseError } from './dump-parse-error.ts';

describe('DumpParseError', () => {
  it('is located as file:line:column: severity: message, the form editors and CI logs link', () => {
    const problem = new DumpParseError('dumpMalformedHexLine', 'expected two-digit hex bytes', 'dumps/a.txt', 12, 9, 'error', '0000:00:03.0');
    expect(problem.located).toBe('dumps/a.txt:12:9: error: expected two-digit hex bytes');
    expect(new DumpParseError('dumpTruncated', 'cut short', 'b.txt', 3, 1, 'warning').located).toBe('b.txt:3:1: warning: cut short');
  });

  it('is an error by default, and carries its catalogue code', () => {
    const problem = new DumpParseError('dumpUnrecognisedLine', 'not a dump line', 'a.txt', 1, 1);
    expect(problem.severity).toBe('error');
    expect(problem.code).toBe(diagnostics.dumpUnrecognisedLine.code);
    expect(problem).toBeInstanceOf(Error);
  });

  it('serialises as plain data, with the device only when there is one', () => {
    const located = new DumpParseError('dumpDuplicateAddress', 'twice', 'a.txt', 4, 1, 'warning', '0000:00:03.0');
    expect(JSON.parse(JSON.stringify(located))).toEqual({ code: diagnostics.dumpDuplicateAddress.code, severity: 'warning', message: 'twice', file: 'a.txt', line: 4, column: 1, device: '0000:00:03.0' });
    const whole = new DumpParseError('dumpNoDevices', 'no device', 'a.txt', 0, 0);
    expect(JSON.parse(JSON.stringify(whole))).not.toHaveProperty('device');
  });

  it('says when the problem is bytes missing from the device, which no check can judge', () => {
    expect(new DumpParseError('dumpTruncated', 'cut short', 'b.bin', 0, 0, 'warning', 'b.bin').bytesMissing).toBe(true);
    expect(new DumpParseError('dumpDuplicateAddress', 'twice', 'a.txt', 4, 1, 'warning', '0000:00:03.0').bytesMissing).toBe(false);
    expect(new DumpParseError('dumpMalformedHexLine', 'bad', 'a.txt', 4, 1).bytesMissing).toBe(false);
  });
});
