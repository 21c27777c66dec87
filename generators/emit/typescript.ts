import type { Emitter, GeneratedFile } from '../model/spec-model.ts';
import { emitModule, emitRegistry } from './typescript/module.ts';

/** Emits the typed codecs: one module per spec/layouts file and a registry of every codec. */
export const typescriptEmitter: Emitter = {
  name: 'typescript',
  emit(spec) {
    const files: GeneratedFile[] = spec.files.map((file) => emitModule(file, spec));
    files.push(emitRegistry(spec));
    return files;
  },
};
