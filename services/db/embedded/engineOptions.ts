// The query engine's settings, one place: MongoDB's strict semantics, and no server-side
// JavaScript ($where, $function, $accumulator), which the store refuses like a hardened mongod.
import { Document } from 'bson';
import { Options } from 'mingo/types';
import { ProcessingMode } from 'mingo/core';

export function engineOptions(extra: { collectionResolver?: (name: string) => Document[]; variables?: Document } = {}): Partial<Options> {
  return {
    useStrictMode: true,
    scriptEnabled: false,
    processingMode: ProcessingMode.CLONE_INPUT,
    ...extra,
  } as Partial<Options>;
}
