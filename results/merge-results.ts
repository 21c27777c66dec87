/**
 * Joins the results of a sharded run (`xvc run --shard i/n` on several machines) into one.
 * Parts must come from the same xvc, seed, runs and spec catalogue, or their results are not one
 * run: that is refused unless the caller allows it (then each difference becomes a note). Parts that
 * are missing, partial or overlap make the merge partial or noted, never silently complete.
 */
import { canonicalJson } from './records-hash.ts';
import { matrixCells, targetMatrices } from './mechanism-matrix.ts';
import { outcomes, type ExpectationsReport, type MatrixCell, type MechanismMatrix, type ResultRecord, type RunResults, type ShardProvenance } from './result-model.ts';
import { withReplayCommands } from './replay-command.ts';
import { assembleResults, mergeTargets } from './results-stream.ts';

/** One part to merge and where it came from (for messages). */
export interface MergePart {
  file: string;
  results: RunResults;
}

/** Options of {@link mergeResults}. */
export interface MergeOptions {
  /** Merge parts whose xvc version, commit, seed, runs or spec versions differ (each becomes a note). */
  allowMismatch?: boolean;
  /** Where the merged results will be read from (the merge's output directory): replay commands name it. */
  replayFrom?: string;
}

/**
 * The merged results, or the conflicts that prevent merging (exit code 2); `allowable` says whether
 * `allowMismatch` would merge them anyway (never for a part no sharded run can have written).
 */
export type MergeOutcome = { ok: true; results: RunResults; notes: string[] } | { ok: false; conflicts: string[]; allowable: boolean };

function shardLabel(part: MergePart): string {
  const shard = part.results.metadata.shard;
  return shard ? `${part.file} (shard ${shard.index}/${shard.count})` : part.file;
}

function hardConflicts(parts: MergePart[]): string[] {
  const [first, ...rest] = parts as [MergePart, ...MergePart[]];
  const conflicts: string[] = [];
  const fields: [string, (results: RunResults) => unknown][] = [
    ['xvc version', (results) => results.metadata.xvcVersion],
    ['xvc commit', (results) => results.metadata.xvcCommit ?? null],
    ['seed', (results) => results.metadata.seed],
    ['runs', (results) => results.metadata.runs],
    ['spec versions', (results) => results.metadata.specVersions],
    ['shard count', (results) => results.metadata.shard?.count ?? null],
  ];
  for (const [label, get] of fields) {
    for (const part of rest) {
      if (canonicalJson(get(part.results)) !== canonicalJson(get(first.results))) {
        conflicts.push(`${label} differs: ${JSON.stringify(get(first.results))} in ${shardLabel(first)}, ${JSON.stringify(get(part.results))} in ${shardLabel(part)}`);
      }
    }
  }
  return conflicts;
}

/** The command line with what legitimately differs between the shards of one run removed. */
function runCommand(results: RunResults): string[] {
  const args: string[] = [];
  const perShard = new Set(['--shard', '--out']);
  const line = results.metadata.commandLine;
  for (let index = 0; index < line.length; index++) {
    const arg = line[index]!;
    if (perShard.has(arg)) {
      index++; // and its value
      continue;
    }
    if ([...perShard].some((option) => arg.startsWith(`${option}=`))) continue;
    args.push(arg);
  }
  return args;
}

/**
 * Parts that cannot be one sharded run: a part given twice (the same recorded run), a part that is no
 * shard at all when several are given, or shards whose command lines differ in more than --shard and
 * --out (different targets, suites or requirements: different runs).
 */
function unrelatedParts(parts: MergePart[]): string[] {
  const conflicts: string[] = [];
  const seen = new Map<string, MergePart>();
  for (const part of parts) {
    const { metadata } = part.results;
    const identity = canonicalJson([metadata.host, metadata.startedAt, metadata.recordsSha256, metadata.shard ?? null, metadata.commandLine]);
    const earlier = seen.get(identity);
    if (earlier) conflicts.push(`${shardLabel(part)} is the same part as ${shardLabel(earlier)} (same host, start time and records): given twice`);
    else seen.set(identity, part);
  }
  if (parts.length > 1) {
    for (const part of parts) {
      if (part.results.metadata.shard === undefined) conflicts.push(`${part.file} is not a shard (its run had no --shard): --merge joins the parts of one xvc run --shard i/n`);
    }
    const [first, ...rest] = parts as [MergePart, ...MergePart[]];
    for (const part of rest) {
      if (canonicalJson(runCommand(part.results)) !== canonicalJson(runCommand(first.results))) {
        conflicts.push(
          `${shardLabel(part)} is not a part of the same run as ${shardLabel(first)}: command lines differ beyond --shard and --out (${JSON.stringify(runCommand(first.results).join(' '))} vs ${JSON.stringify(runCommand(part.results).join(' '))})`,
        );
      }
    }
  }
  return conflicts;
}

/**
 * Parts claiming a shard past their count (7/2): xvc run --shard I/N takes I from 1 to N, and the
 * schema bounds each number alone, not the pair. Such a part is of no run, so no option merges it.
 */
function impossibleShards(parts: MergePart[]): string[] {
  return parts
    .filter((part) => {
      const shard = part.results.metadata.shard;
      return shard !== undefined && shard.index > shard.count;
    })
    .map((part) => `${shardLabel(part)} cannot be a shard: its index is past its count (xvc run --shard I/N takes I from 1 to N)`);
}

function severity(record: ResultRecord): number {
  return outcomes.indexOf(record.outcome);
}

function mergeExpectations(parts: MergePart[], notes: string[]): ExpectationsReport | undefined {
  const reports = parts.map((part) => part.results.expectations);
  const present = reports.filter((report): report is ExpectationsReport => report !== undefined);
  if (present.length === 0) return undefined;
  if (present.length < parts.length) notes.push('expectations were applied to some parts only; apply them again with --expectations');
  const files = new Set(present.map((report) => report.file));
  if (files.size > 1) notes.push(`parts applied different expectations files: ${[...files].join(', ')}`);
  const expired = new Map(present.flatMap((report) => report.expired.map((entry) => [entry.source, entry] as const)));
  // An entry matched nothing only if it matched nothing in every part.
  const unmatchedEverywhere = present
    .map((report) => new Set(report.unmatched.map((entry) => entry.source)))
    .reduce((all, next) => new Set([...all].filter((source) => next.has(source))));
  const unmatched = new Map(present.flatMap((report) => report.unmatched.filter((entry) => unmatchedEverywhere.has(entry.source)).map((entry) => [entry.source, entry] as const)));
  return {
    file: [...files].join(', '),
    applied: present.reduce((sum, report) => sum + report.applied, 0),
    expired: [...expired.values()],
    unmatched: [...unmatched.values()],
  };
}

function mergeMatrix(parts: MergePart[], records: ResultRecord[]): MechanismMatrix | undefined {
  const matrices = parts.map((part) => part.results.mechanismMatrix).filter((matrix): matrix is MechanismMatrix => matrix !== undefined);
  if (matrices.length === 0) return undefined;
  const byId = <T, K>(items: T[], key: (item: T) => K): T[] => [...new Map(items.map((item) => [key(item), item])).values()];
  const cellKey = (cell: MatrixCell): string => `${cell.mechanism}\u0000${cell.property}`;
  const cells = new Map<string, MatrixCell>();
  for (const cell of matrices.flatMap((matrix) => matrix.cells)) {
    const current = cells.get(cellKey(cell));
    if (!current || outcomes.indexOf(cell.outcome) < outcomes.indexOf(current.outcome)) cells.set(cellKey(cell), cell);
  }
  for (const cell of matrixCells(records)) cells.set(cellKey(cell), cell);
  // Each frontend target's own matrix is rebuilt from the merged records (a target's cells may be
  // spread over shards); what each target declares is taken from the parts that knew it.
  const declared = new Map<string, string[]>();
  for (const target of matrices.flatMap((matrix) => matrix.targets ?? [])) if (!declared.has(target.target)) declared.set(target.target, target.declared);
  const targets = targetMatrices(records, declared);
  return {
    mechanisms: byId(matrices.flatMap((matrix) => matrix.mechanisms), (mechanism) => mechanism.id),
    properties: byId(matrices.flatMap((matrix) => matrix.properties), (property) => property.id),
    cells: [...cells.values()],
    ...(targets.length > 0 && { targets }),
    static: byId(matrices.flatMap((matrix) => matrix.static), (entry) => entry.mechanism),
  };
}

/** Merges parts into one result; see the module comment for what counts as a conflict. */
export function mergeResults(parts: MergePart[], options: MergeOptions = {}): MergeOutcome {
  if (parts.length === 0) return { ok: false, conflicts: ['nothing to merge'], allowable: false };
  const notes: string[] = [];
  const conflicts = [...unrelatedParts(parts), ...hardConflicts(parts)];
  const impossible = impossibleShards(parts);
  if (impossible.length > 0) return { ok: false, conflicts: [...impossible, ...conflicts], allowable: false };
  if (conflicts.length > 0) {
    if (!options.allowMismatch) return { ok: false, conflicts, allowable: true };
    notes.push(...conflicts.map((conflict) => `merged although ${conflict}`));
  }
  const seenShards = new Map<number, string>();
  for (const part of parts) {
    const shard = part.results.metadata.shard;
    if (!shard) continue;
    const earlier = seenShards.get(shard.index);
    if (earlier !== undefined) {
      const message = `shard ${shard.index}/${shard.count} given twice: ${earlier} and ${part.file}`;
      if (!options.allowMismatch) return { ok: false, conflicts: [message], allowable: true };
      notes.push(message);
    }
    seenShards.set(shard.index, part.file);
  }
  const count = parts[0]?.results.metadata.shard?.count;
  let missingShards = false;
  if (count !== undefined) {
    const missing = Array.from({ length: count }, (_, index) => index + 1).filter((index) => !seenShards.has(index));
    if (missing.length > 0) {
      missingShards = true;
      notes.push(`shard(s) ${missing.map((index) => `${index}/${count}`).join(', ')} missing: results are partial`);
    }
  }
  for (const part of parts) if (part.results.metadata.partial) notes.push(`${shardLabel(part)} is partial (its run did not finish)`);

  // Records: one per (id, target). Shards should not overlap; if they do, keep the worse outcome.
  const records = new Map<string, ResultRecord>();
  for (const part of parts) {
    for (const record of part.results.records) {
      const key = `${record.id}\u0000${record.target}`;
      const current = records.get(key);
      if (!current) {
        records.set(key, record);
        continue;
      }
      if (canonicalJson(current) !== canonicalJson(record)) {
        notes.push(`${record.requirement} on ${record.target} (${record.test}) is in several parts with different results; the worse (${severity(record) < severity(current) ? record.outcome : current.outcome}) was kept`);
        if (severity(record) < severity(current)) records.set(key, record);
      }
    }
  }

  let targets = [...parts[0]!.results.metadata.targets];
  for (const part of parts.slice(1)) {
    for (const target of part.results.metadata.targets) {
      const known = targets.find((candidate) => candidate.spec === target.spec);
      if (known && canonicalJson(known) !== canonicalJson(target)) notes.push(`target ${target.spec} is described differently in ${part.file}; the first description was kept`);
      if (!known) targets = mergeTargets(targets, [target]);
    }
  }

  // Replay commands name the merged results (the matrix's counterexamples are taken from these records).
  const mergedRecords = options.replayFrom === undefined ? [...records.values()] : withReplayCommands([...records.values()], options.replayFrom);
  const first = parts[0]!.results.metadata;
  const started = parts.map((part) => part.results.metadata.startedAt).sort()[0] ?? first.startedAt;
  const finished = parts.map((part) => part.results.metadata.finishedAt);
  const hosts = [...new Set(parts.map((part) => part.results.metadata.host))];
  const shards: ShardProvenance[] = parts.map((part) => {
    const metadata = part.results.metadata;
    return {
      ...(metadata.shard !== undefined && { shard: metadata.shard }),
      host: metadata.host,
      commandLine: metadata.commandLine,
      startedAt: metadata.startedAt,
      ...(metadata.finishedAt !== undefined && { finishedAt: metadata.finishedAt }),
      partial: metadata.partial,
      recordsSha256: metadata.recordsSha256,
      records: part.results.records.length,
    };
  });
  const { shard: _shard, shards: _shards, recordsSha256: _hash, notes: firstNotes, finishedAt: _finished, ...base } = first;
  const partNotes = parts.slice(1).flatMap((part) => part.results.metadata.notes ?? []);
  const merged = assembleResults(
    {
      ...base,
      targets,
      host: hosts.join(', '),
      startedAt: started,
      ...(finished.every((value) => value !== undefined) && { finishedAt: (finished as string[]).sort().at(-1) as string }),
      partial: missingShards || parts.some((part) => part.results.metadata.partial),
      shards,
      notes: [...(firstNotes ?? []), ...partNotes, ...notes],
    },
    mergedRecords,
    {
      runErrors: parts.flatMap((part) => part.results.runErrors.map((error) => (parts.length > 1 ? `${shardLabel(part)}: ${error}` : error))),
      ...(() => {
        const matrix = mergeMatrix(parts, mergedRecords);
        return matrix ? { mechanismMatrix: matrix } : {};
      })(),
    },
  );
  const expectations = mergeExpectations(parts, notes);
  if (expectations) merged.expectations = expectations;
  merged.metadata.notes = [...(firstNotes ?? []), ...partNotes, ...notes];
  if (merged.metadata.notes.length === 0) delete merged.metadata.notes;
  return { ok: true, results: merged, notes };
}
