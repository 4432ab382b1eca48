/** Registrations made by hand, for tests of what is built from a recording without a run. */
import type { RecordedResource } from "../mock-engine";

/** The root stack of a hand-made recording: stack `s` of project `platform`. */
export const STACK_URN = "urn:pulumi:s::platform::pulumi:pulumi:Stack::platform-s";

/**
 * A registration as the mock engine records it: a custom resource under the root stack, named
 * after its URN, with the engine's default options; `overrides` change one thing at a time.
 */
export function recorded(
  overrides: Partial<RecordedResource> & { urn: string; type: string },
): RecordedResource {
  return {
    name: overrides.urn.split("::").pop() as string,
    custom: true,
    remote: false,
    parent: STACK_URN,
    dependencies: [],
    propertyDependencies: {},
    inputs: {},
    options: {
      protect: false,
      retainOnDelete: false,
      ignoreChanges: [],
      deleteBeforeReplace: false,
      replaceOnChanges: [],
      additionalSecretOutputs: [],
      aliases: [],
    },
    ...overrides,
  };
}
