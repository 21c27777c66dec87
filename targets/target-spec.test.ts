import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linuxVersions } from '../reference-impl/frontend/index.ts';
import { propertyParameters } from '../test-support/fast-check-seed.ts';
import { builtinFrontendModels, builtinModels, parseTargetSpec, splitCommand, TargetSpecError } from './target-spec.ts';

describe('parseTargetSpec', () => {
  it('reads every kind of target, with the roles it can play', () => {
    expect(parseTargetSpec('reference')).toEqual({ kind: 'reference', spec: 'reference', roles: ['device', 'frontend'] });
    expect(parseTargetSpec('model:linux-6.5')).toEqual({ kind: 'model', spec: 'model:linux-6.5', roles: ['frontend'], model: 'linux-6.5' });
    expect(parseTargetSpec('dump:fixtures/dumps/qemu-7.2')).toEqual({ kind: 'dump', spec: 'dump:fixtures/dumps/qemu-7.2', roles: ['device'], path: 'fixtures/dumps/qemu-7.2' });
    expect(parseTargetSpec('qemu:virtio-net-pci,disable-legacy=on@pcie')).toEqual({ kind: 'qemu', spec: 'qemu:virtio-net-pci,disable-legacy=on@pcie', roles: ['device'], device: 'virtio-net-pci,disable-legacy=on@pcie' });
    expect(parseTargetSpec('guest:all')).toEqual({ kind: 'guest', spec: 'guest:all', roles: ['driver'], device: 'all' });
    expect(parseTargetSpec('exec:python3 adapter.py --verbose')).toEqual({ kind: 'exec', spec: 'exec:python3 adapter.py --verbose', roles: ['device', 'frontend'], argv: ['python3', 'adapter.py', '--verbose'] });
  });

  it('knows every Linux model and the frontends that trust a backend-written mechanism', () => {
    expect(builtinModels).toEqual(linuxVersions.map((version) => version.name));
    expect(builtinFrontendModels).toEqual([...builtinModels, 'trusts-vendor-data', 'trusts-device-register', 'trusts-new-capability']);
    for (const model of builtinFrontendModels) expect(parseTargetSpec(`model:${model}`)).toMatchObject({ kind: 'model', model });
  });

  it('refuses what it cannot use, saying why, as a usage error', () => {
    const cases: [string, RegExp][] = [
      ['linux-6.5', /expected reference, model:NAME/],
      ['model:', /nothing after 'model:'/],
      ['exec:   ', /nothing after 'exec:'/],
      ['model:linux-9.9', /unknown model 'linux-9\.9' \(known: linux-/],
      ['ssh:host', /unknown target kind 'ssh'/],
      ['exec:"unterminated', /unterminated quote/],
    ];
    for (const [spec, message] of cases) {
      const error = (() => {
        try {
          parseTargetSpec(spec);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error, spec).toBeInstanceOf(TargetSpecError);
      expect((error as TargetSpecError).message, spec).toMatch(message);
      expect((error as TargetSpecError).message, spec).toContain(`bad target '`);
      expect(error, spec).toMatchObject({ category: 'usage' });
    }
  });
});

describe('splitCommand', () => {
  it('splits on whitespace and groups quoted text, expanding nothing', () => {
    expect(splitCommand("  ./adapter --name 'two words' \"$HOME\"\t*.py ")).toEqual(['./adapter', '--name', 'two words', '$HOME', '*.py']);
    expect(splitCommand('a""b \'\' c')).toEqual(['ab', '', 'c']);
    expect(splitCommand('')).toEqual([]);
  });

  it('gives back any argument vector written with each argument in double quotes', () => {
    const argument = fc.string({ maxLength: 12 }).filter((text) => !text.includes('"'));
    fc.assert(
      fc.property(fc.array(argument, { maxLength: 6 }), (argv) => {
        expect(splitCommand(argv.map((arg) => `"${arg}"`).join(' '))).toEqual(argv);
      }),
      propertyParameters(),
    );
  });
});
