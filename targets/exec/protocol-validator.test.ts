import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commands } from './protocol-messages.ts';
import { protocolValidator, validateMessage, type ProtocolSchemaName } from './protocol-validator.ts';

const protocolDir = fileURLToPath(new URL('../../spec/schema/protocol/', import.meta.url));
const doc = readFileSync(fileURLToPath(new URL('../../docs/adapter-protocol.md', import.meta.url)), 'utf8');

describe('adapter protocol schemas', () => {
  it('define a request and a response for every command, and nothing else but error, skip, the two unions and common', () => {
    const names = readdirSync(protocolDir).map((file) => file.replace('.schema.json', '')).sort();
    const expected = [...commands.flatMap((cmd) => [`${cmd}-request`, `${cmd}-response`]), 'error-response', 'skip-response', 'request', 'response', 'common'].sort();
    expect(names).toEqual(expected);
    for (const name of expected.filter((candidate) => candidate !== 'common')) expect(typeof protocolValidator(name as ProtocolSchemaName)).toBe('function');
  });

  it('the unions accept any request and any response, and nothing else', () => {
    expect(validateMessage('request', { seq: 1, cmd: 'config-read', function: 'f0', offset: 0, width: 4 }, true).ok).toBe(true);
    expect(validateMessage('request', { seq: 1, cmd: 'frobnicate' }, true).ok).toBe(false);
    expect(validateMessage('response', { seq: 1, result: { value: 7 } }, true).ok).toBe(true);
    expect(validateMessage('response', { seq: null, error: { code: 'internal', message: 'x' } }, true).ok).toBe(true);
    expect(validateMessage('response', { seq: 1, verdict: 'ok' }, true).ok).toBe(false);
  });

  it('require seq on every message', () => {
    for (const cmd of commands) {
      expect(validateMessage(`${cmd}-request` as ProtocolSchemaName, { cmd }, false).ok).toBe(false);
    }
    expect(validateMessage('skip-response', { skip: { reason: 'no' } }, false).ok).toBe(false);
    expect(validateMessage('error-response', { seq: null, error: { code: 'bad-request', message: 'unreadable' } }, true).ok).toBe(true);
  });

  it('strict mode rejects unknown fields; lax mode removes and reports them but still rejects real errors', () => {
    const answer = () => ({ seq: 4, result: { value: 7 }, debug: true });
    expect(validateMessage('config-read-response', answer(), true)).toEqual({ ok: false, problems: ["(message): unknown field 'debug'"] });
    const lax = validateMessage('config-read-response', answer(), false);
    expect(lax).toEqual({ ok: true, value: { seq: 4, result: { value: 7 } }, ignoredFields: ["(message): unknown field 'debug'"] });
    const wrong = validateMessage('config-read-response', { seq: 4, result: { value: -1 }, debug: true }, false);
    expect(wrong.ok).toBe(false);
  });

  it('accept every message of the worked examples in docs/adapter-protocol.md', () => {
    const lines = [...doc.matchAll(/^([<>]) (\{.*\})$/gm)].map((match) => ({ from: match[1] === '>' ? 'xvc' : 'adapter', text: match[2]! }));
    expect(lines.length).toBeGreaterThan(15);
    let cmdOfSeq = new Map<number, string>();
    let checked = 0;
    for (const { from, text } of lines) {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // An abbreviated request: still record which command its seq names.
        expect(text).toContain('...the same scenario...');
        const [, seq, cmd] = /^\{"seq":(\d+),"cmd":"([a-z-]+)"/.exec(text) ?? [];
        cmdOfSeq.set(Number(seq), cmd!);
        continue;
      }
      if (from === 'xvc') {
        if (message.cmd === 'start') cmdOfSeq = new Map();
        cmdOfSeq.set(message.seq as number, message.cmd as string);
        // The examples of bad input are meant to be invalid; every other request must be valid.
        if (message.cmd === 'frobnicate') continue;
        const result = validateMessage(`${String(message.cmd)}-request` as ProtocolSchemaName, message, true);
        expect(result.ok, text).toBe(!JSON.stringify(message).includes('"oops"'));
      } else {
        const cmd = cmdOfSeq.get(message.seq as number);
        expect(cmd, text).toBeDefined();
        const schema = 'error' in message ? 'error-response' : 'skip' in message ? 'skip-response' : `${cmd}-response`;
        expect(validateMessage(schema as ProtocolSchemaName, message, true), text).toMatchObject({ ok: true });
      }
      checked += 1;
    }
    expect(checked).toBeGreaterThan(12);
  });
});
