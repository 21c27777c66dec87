import { describe, expect, it } from 'vitest';
import { packagePath } from '../../core/package-root.ts';
import { compileSchemaFile } from '../../core/schema-validator.ts';
import { referenceFrontend } from '../../reference-impl/frontend/reference-frontend.ts';
import { trivialScenario } from './trivial-scenario.ts';

describe('trivialScenario', () => {
  it('is a valid scenario', () => {
    const validate = compileSchemaFile(packagePath('spec/schema/scenario.schema.json'));
    expect(validate(trivialScenario), JSON.stringify(validate.errors)).toBe(true);
  });

  it('leaves the reference frontend nothing to refuse: the mmio device is used without grants', () => {
    const [decision] = referenceFrontend.decide(trivialScenario);
    expect(decision).toMatchObject({ deviceId: 'smoke-net', outcome: 'no-grants' });
  });
});
