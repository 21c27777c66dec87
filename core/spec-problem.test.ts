import { describe, expect, it } from 'vitest';
import { formatSpecProblem, SpecLoadError, specProblem } from './spec-problem.ts';

const at = { file: 'spec/x.yaml', line: 3, column: 5 };

describe('spec problems', () => {
  it('carry the code of the named diagnostic, the position and the path', () => {
    expect(specProblem('overlappingFields', at, ['layout', 'fields', 2], 'fields overlap')).toEqual({
      code: 'XVC1005',
      file: 'spec/x.yaml',
      line: 3,
      column: 5,
      path: ['layout', 'fields', 2],
      message: 'fields overlap',
    });
  });

  it('render as one line a person and an editor can follow', () => {
    expect(formatSpecProblem(specProblem('unknownVersion', at, [], "'9.9' is unknown"))).toBe("spec/x.yaml:3:5 XVC1008 '9.9' is unknown");
  });

  it('are thrown together, every one of them, under one stable code', () => {
    const problems = [specProblem('yamlSyntax', at, [], 'bad'), specProblem('readFailure', { ...at, line: 1 }, [], 'gone')];
    const error = new SpecLoadError(problems);
    expect(error).toBeInstanceOf(Error);
    expect([error.code, error.name, error.problems]).toEqual(['XVC1000', 'SpecLoadError', problems]);
    expect(error.message).toBe('spec has 2 problem(s):\nspec/x.yaml:3:5 XVC1001 bad\nspec/x.yaml:1:5 XVC1014 gone');
  });
});
