import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands, PROTOCOL_VERSION } from './protocol-messages.ts';

const schemas = new URL('../../spec/schema/protocol/', import.meta.url);

describe('adapter protocol names', () => {
  it('speaks the version docs/adapter-protocol.md is titled with, in the form the schema allows', () => {
    expect(readFileSync(new URL('../../docs/adapter-protocol.md', import.meta.url), 'utf8').split('\n')[0]).toContain(`\`${PROTOCOL_VERSION}\``);
    const common = JSON.parse(readFileSync(new URL('common.schema.json', schemas), 'utf8')) as { $defs: { protocolVersion: { pattern: string } } };
    expect(PROTOCOL_VERSION).toMatch(new RegExp(common.$defs.protocolVersion.pattern));
  });

  it('knows exactly the commands that have a request and a response schema', () => {
    const files = readdirSync(schemas);
    const requested = files.flatMap((name) => /^(.+)-request\.schema\.json$/.exec(name)?.[1] ?? []);
    expect(requested.length).toBeGreaterThan(0);
    expect([...commands].sort()).toEqual([...requested].sort());
    for (const command of commands) expect(files, command).toContain(`${command}-response.schema.json`);
  });
});
