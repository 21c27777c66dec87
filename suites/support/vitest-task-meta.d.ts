/**
 * Declares the metadata conformance tests attach to their vitest task, so that reporters and the
 * coverage check read `task.meta.requirements` with a type.
 */
export {};

declare module '@vitest/runner' {
  interface TaskMeta {
    /** Requirement ids (spec/requirements) the test checks; set by `conformance()`. */
    requirements?: string[];
  }
}
