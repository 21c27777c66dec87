import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sampleRecords } from '../test-support/sample-results.ts';
import { replayCommand, replayStartsProgram, shellWord, withReplayCommands } from './replay-command.ts';
import { shortRecordId } from './short-record-id.ts';

describe('replay commands', () => {
  it('names the results and the short id; a target that runs a program is named with --target', () => {
    expect(replayCommand({ target: 'model:linux-6.5' }, 'abcdef0123', 'xvc-report')).toBe('xvc replay --from xvc-report --record abcdef0123');
    expect(replayCommand({ target: 'exec:./adapter --mode x' }, 'abcdef0123', 'out dir')).toBe("xvc replay --from 'out dir' --record abcdef0123 --target 'exec:./adapter --mode x'");
    expect(replayStartsProgram('mechanism:xenstore')).toBe(false);
    expect(replayStartsProgram('reference')).toBe(false);
    expect(replayStartsProgram('qemu:virtio-net-pci')).toBe(true);
  });

  it('quotes a word so that a POSIX shell hands it over unchanged', () => {
    for (const word of ["exec:/bin/sh -c 'touch x'; rm -rf ~", '$(id)`id`', 'a"b\\c', 'plain:word/1.2', '']) {
      const echoed = execFileSync('/bin/sh', ['-c', `printf %s ${shellWord(word)}`], { encoding: 'utf8' });
      expect(echoed).toBe(word);
    }
  });

  it('rewrites the replay of every counterexample record, leaving the others as they are', () => {
    const records = sampleRecords();
    const rewritten = withReplayCommands(records, 'xvc-report');
    const counterexamples = rewritten.filter((record) => record.evidence.some((evidence) => evidence.kind === 'counterexample'));
    expect(counterexamples.length).toBeGreaterThan(0);
    for (const record of counterexamples) {
      const evidence = record.evidence.find((item) => item.kind === 'counterexample');
      expect(evidence?.kind === 'counterexample' && evidence.replay).toMatch(new RegExp(`^xvc replay --from xvc-report --record ${shortRecordId(record.id)}`));
    }
    const others = records.filter((record) => !record.evidence.some((evidence) => evidence.kind === 'counterexample'));
    for (const record of others) expect(rewritten).toContainEqual(record);
  });
});
