import { describe, expect, it } from 'vitest';
import { TargetError } from '../device-target.ts';
import { DumpInputError } from './dump-input-error.ts';
import { DumpParseError } from './dump-parse-error.ts';

const problem = (line: number, column = 1): DumpParseError => new DumpParseError('dumpUnrecognisedLine', `bad line ${line}`, 'a.txt', line, column);

describe('DumpInputError', () => {
  it('is a target input error located at the first problem, holding every problem', () => {
    const problems = [problem(3, 7), problem(9)];
    const error = new DumpInputError('dump:a.txt', problems);
    expect(error).toBeInstanceOf(TargetError);
    expect(error).toMatchObject({ diagnostic: 'targetInput', details: { file: 'a.txt', line: 3, column: 7 } });
    expect(error.problems).toEqual(problems);
    expect(error.message).toBe('dump:a.txt does not parse (2 problem(s)):\na.txt:3:7: error: bad line 3\na.txt:9:1: error: bad line 9');
  });

  it('names the first five problems and counts the rest', () => {
    const error = new DumpInputError('dump:a.txt', Array.from({ length: 8 }, (_, index) => problem(index + 1)));
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(1 + 5 + 1);
    expect(lines.at(-1)).toBe('... and 3 more');
    expect(error.problems).toHaveLength(8);
  });

  it('has no line or column for a problem of the whole file (line 0)', () => {
    const error = new DumpInputError('dump:gone.bin', [new DumpParseError('dumpUnreadableFile', 'no such file', 'gone.bin', 0, 0)]);
    expect(error.details).toEqual({ file: 'gone.bin' });
  });
});
