import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeviceModel } from '../../reference-impl/virtio/index.ts';
import { FaultyFunction } from './faulty-function.ts';
import { DEVICE_SECTION_BEGIN, DEVICE_SECTION_END, inputFor, killMatrix, matrixRowName, matrixRows, renderDeviceSection, withDeviceSection, type KillMatrix } from './kill-matrix.ts';
import { mutantsOf } from './operators.ts';
import { subjects } from './subjects.ts';

const DOC = new URL('../../docs/kill-matrix.md', import.meta.url);

describe('the device suite measures its own power', () => {
  let matrix: KillMatrix;
  beforeAll(async () => {
    matrix = await killMatrix();
  }, 120_000);

  it('no conformant subject fails, warns or errs on any check', () => {
    expect(matrix.subjects.flatMap((result) => result.complaints.map((complaint) => `${result.subject.id}: ${complaint.row}: ${complaint.outcome} ${complaint.message ?? ''}`))).toEqual([]);
    for (const result of matrix.subjects) expect(result.applied).toBeGreaterThan(30);
  });

  it('every device check kills at least one mutant', () => {
    const idle = matrixRows.map(matrixRowName).filter((name) => !matrix.mutants.some((result) => result.killedBy.includes(name)));
    expect(idle).toEqual([]);
  });

  it('no check throws on a mutant: a broken device is judged, never a harness error', () => {
    expect(matrix.mutants.flatMap((result) => result.errors.map((error) => `${result.mutant.id}: ${error.row}: ${error.message}`))).toEqual([]);
  });

  it('docs/kill-matrix.md holds the current device section (XVC_UPDATE_KILL_MATRIX=1 rewrites it)', () => {
    const section = renderDeviceSection(matrix);
    let document = '';
    try {
      document = readFileSync(DOC, 'utf8');
    } catch {
      // Absent: written below on request, and the comparison fails otherwise.
    }
    if (process.env.XVC_UPDATE_KILL_MATRIX === '1') {
      document = withDeviceSection(document, section);
      writeFileSync(DOC, document);
    }
    const begin = document.indexOf(DEVICE_SECTION_BEGIN);
    const end = document.indexOf(DEVICE_SECTION_END);
    expect(begin, 'docs/kill-matrix.md has no device section').toBeGreaterThanOrEqual(0);
    expect(document.slice(begin, end + DEVICE_SECTION_END.length)).toBe(section);
  });
});

describe('mutants', () => {
  it('have unique ids and come from every operator family', () => {
    const all = subjects().flatMap(mutantsOf);
    expect(new Set(all.map((mutant) => mutant.id)).size).toBe(all.length);
    expect(new Set(all.map((mutant) => mutant.family)).size).toBe(9);
  });

  it('give verdicts that are JSON data (no bigint), so every report can carry them', async () => {
    const subject = subjects().find((candidate) => candidate.id === 'net')!;
    for (const mutant of mutantsOf(subject).filter((candidate) => candidate.family === 'feature' || candidate.family === 'description')) {
      const input = await inputFor(mutant.build());
      for (const row of matrixRows) {
        const verdict = await row.run(input);
        expect(() => JSON.stringify(verdict)).not.toThrow();
      }
    }
  });
});

describe('withDeviceSection', () => {
  const section = `${DEVICE_SECTION_BEGIN}\nnew\n${DEVICE_SECTION_END}`;
  it('replaces only the device section and keeps what follows (the frontend section)', () => {
    const document = `# Kill matrix\n\n${DEVICE_SECTION_BEGIN}\nold\n${DEVICE_SECTION_END}\n\n<!-- frontend:begin -->\nF\n<!-- frontend:end -->\n`;
    expect(withDeviceSection(document, section)).toBe(`# Kill matrix\n\n${section}\n\n<!-- frontend:begin -->\nF\n<!-- frontend:end -->\n`);
  });
  it('creates the document, or appends the section to one without it', () => {
    expect(withDeviceSection('', section)).toContain(section);
    expect(withDeviceSection('# Kill matrix\n\n<!-- frontend:begin -->\nF\n<!-- frontend:end -->\n', section)).toMatch(/frontend:end -->\n\n<!-- device:begin -->/);
  });
  it('a subject without a fault is its own conformant device', async () => {
    const subject = subjects()[0]!;
    const fn = new FaultyFunction(subject.id, new DeviceModel(subject.description));
    expect((await fn.snapshot()).length).toBe(256);
  });
});
