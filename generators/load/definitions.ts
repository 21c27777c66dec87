/**
 * Collects the named definitions of every layout file (constants, enums, flag sets, layouts and
 * unions) into one namespace, and checks what can be checked per definition: unique names, known spec
 * versions, enums and flag sets without duplicate entries.
 */
import type { SourcePosition } from '../../core/source-position.ts';
import { specProblem, type SpecProblem } from '../../core/spec-problem.ts';
import type { ConstantModel, EnumModel, FlagsetModel, LayoutFileModel, LayoutModel, UnionModel } from '../model/spec-model.ts';

/** Every definition of spec/layouts by spec name. */
export interface Definitions {
  layouts: Map<string, LayoutModel | UnionModel>;
  enums: Map<string, EnumModel>;
  flagsets: Map<string, FlagsetModel>;
  constants: Map<string, ConstantModel>;
}

/** Collects the definitions of `files`, appending the problems found to `problems`. */
export function collectDefinitions(files: readonly LayoutFileModel[], versions: ReadonlyMap<string, readonly string[]>, problems: SpecProblem[]): Definitions {
  const definitions: Definitions = { layouts: new Map(), enums: new Map(), flagsets: new Map(), constants: new Map() };
  // Generated names share namespaces beyond one module (the C headers' xvc.h includes every header),
  // so uniqueness is checked across files and across kinds: an enum and a layout may not share a
  // PascalCase name.
  const exported = new Map<string, SourcePosition>();
  const claim = (exportName: string, at: SourcePosition, what: string): boolean => {
    const previous = exported.get(exportName);
    if (previous) {
      problems.push(specProblem('duplicateName', at, [], `${what} '${exportName}' is already defined at ${previous.file}:${previous.line}:${previous.column}`));
      return false;
    }
    exported.set(exportName, at);
    return true;
  };
  for (const file of files) {
    const family = versions.get(file.spec);
    if (!family) {
      problems.push(specProblem('unknownSpecFamily', { file: file.file, line: 1, column: 1 }, ['spec'], `spec family '${file.spec}' is not listed in spec/versions.yaml`));
    }
    const checkVersion = (version: string | undefined, at: SourcePosition, what: string): void => {
      if (version !== undefined && family && !family.includes(version)) {
        problems.push(specProblem('unknownVersion', at, [], `${what}: '${version}' is not a known ${file.spec} version (known: ${family.join(', ')})`));
      }
    };
    for (const constant of file.constants) {
      checkVersion(constant.since, constant.at, `constant ${constant.name}`);
      if (claim(constant.name, constant.at, 'constant')) definitions.constants.set(constant.name, constant);
    }
    for (const entry of file.strings ?? []) claim(entry.name, entry.at, 'string constant');
    for (const entry of file.enums) {
      if (claim(entry.typeName, entry.at, 'enum')) definitions.enums.set(entry.name, entry);
      const seenNames = new Set<string>();
      const seenValues = new Set<bigint>();
      for (const value of entry.values) {
        checkVersion(value.since, entry.at, `enum ${entry.name}.${value.name} since`);
        checkVersion(value.until, entry.at, `enum ${entry.name}.${value.name} until`);
        if (seenNames.has(value.name) || seenValues.has(value.value)) {
          problems.push(specProblem('duplicateName', entry.at, [], `enum ${entry.name}: duplicate name or value at ${value.name}`));
        }
        seenNames.add(value.name);
        seenValues.add(value.value);
      }
    }
    for (const entry of file.flagsets) {
      if (claim(entry.typeName, entry.at, 'flag set')) definitions.flagsets.set(entry.name, entry);
      const seen = new Set<string>();
      const seenBits = new Set<number>();
      for (const flag of entry.flags) {
        checkVersion(flag.since, entry.at, `flag ${entry.name}.${flag.name}`);
        if (seen.has(flag.name) || seenBits.has(flag.bit)) {
          problems.push(specProblem('duplicateName', entry.at, [], `flag set ${entry.name}: duplicate name or bit at ${flag.name}`));
        }
        seen.add(flag.name);
        seenBits.add(flag.bit);
      }
    }
    const layout = file.layout;
    if (layout) {
      if (claim(layout.typeName, layout.at, 'layout')) definitions.layouts.set(layout.name, layout);
      if (layout.kind === 'layout') {
        // The generated module also exports NAME_SIZE and NAME_OFFSETS; a constant may not shadow them.
        const upper = layout.name.toUpperCase();
        claim(`${upper}_SIZE`, layout.at, 'generated size constant of a layout');
        claim(`${upper}_OFFSETS`, layout.at, 'generated offsets table of a layout');
        for (const field of layout.fields) {
          checkVersion(field.since, field.at, `field ${field.specName} since`);
          checkVersion(field.until, field.at, `field ${field.specName} until`);
        }
      }
    }
  }
  return definitions;
}
