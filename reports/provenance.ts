/** The provenance of a run as label/value rows, shared by the Markdown and HTML writers. */
import type { RunResults } from '../results/result-model.ts';

/** One provenance row; `value` is untrusted text (target metadata can be). */
export interface ProvenanceRow {
  label: string;
  value: string;
}

/** Rows describing how, where and with what the results were produced. */
export function provenanceRows(results: RunResults): ProvenanceRow[] {
  const { metadata } = results;
  const rows: ProvenanceRow[] = [
    { label: 'xvc', value: `${metadata.xvcVersion}${metadata.xvcCommit !== undefined ? ` (commit ${metadata.xvcCommit})` : ''}` },
    { label: 'spec versions', value: Object.entries(metadata.specVersions).map(([family, versions]) => `${family} ${versions.join(', ')}`).join('; ') },
    { label: 'seed', value: String(metadata.seed) },
    { label: 'runs per property', value: String(metadata.runs) },
    { label: 'command line', value: metadata.commandLine.join(' ') },
    { label: 'host', value: `${metadata.host}${metadata.node !== undefined ? ` (node ${metadata.node})` : ''}` },
    { label: 'started', value: metadata.startedAt },
    { label: 'finished', value: metadata.finishedAt ?? '(did not finish)' },
    { label: 'records sha256', value: metadata.recordsSha256 },
  ];
  if (metadata.shard) rows.push({ label: 'shard', value: `${metadata.shard.index}/${metadata.shard.count}` });
  for (const part of metadata.shards ?? []) {
    rows.push({
      label: `part ${part.shard ? `${part.shard.index}/${part.shard.count}` : ''}`.trim(),
      value: `${part.records} records on ${part.host}, ${part.startedAt} – ${part.finishedAt ?? 'unfinished'}${part.partial ? ' (partial)' : ''}, sha256 ${part.recordsSha256}`,
    });
  }
  for (const target of metadata.targets) {
    const details = [
      target.implementation,
      target.version !== undefined ? `version ${target.version}` : undefined,
      `${target.kind}, ${target.role}`,
      target.capturedBy !== undefined ? `captured by ${target.capturedBy}` : undefined,
      target.commandLine !== undefined ? `command line: ${target.commandLine.join(' ')}` : undefined,
      target.description,
    ].filter((part): part is string => part !== undefined);
    rows.push({ label: `target ${target.spec}`, value: details.join(' — ') });
  }
  for (const note of metadata.notes ?? []) rows.push({ label: 'note', value: note });
  return rows;
}
