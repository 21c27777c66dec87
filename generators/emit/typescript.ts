import type { Emitter, GeneratedFile } from '../model/spec-model.ts';
import { emitIndex, emitModule, emitRegistry } from './typescript/module.ts';

/** Emits the typed codecs: one module per spec/layouts file, an index and a registry. */
export const typescriptEmitter: Emitter = {
  name: 'typescript',
  emit(spec) {
    const files: GeneratedFile[] = spec.files.map((file) => emitModule(file, spec));
    files.push(emitIndex(spec), emitRegistry(spec));
    return files;
  },
};
