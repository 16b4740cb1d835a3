// Compiled queries without mingo's per-query set-up. `new Query(filter, options)` copies every
// operator table (Context.from, hundreds of entries) into fresh options each time: tens of µs a
// query, paid on every find, count, update and delete. mingo hands each query operator the
// options object it built, and a Query given such an object shares its tables (ComputeOptions.init
// keeps an instance's options and copies only its per-query locals: the condition and $$NOW's
// timestamp). So the engine's options (engineOptions) are built once, captured through an operator
// that exists only in this module's context, and reused. Once captured, that operator answers
// like any unknown operator, so no client can reach it.
import { Document } from 'bson';
import { Query } from 'mingo';
import { Context } from 'mingo/core';
import { Query as CompiledQuery } from 'mingo/query';
import type { Options } from 'mingo/types';
import { engineOptions } from './engineOptions';

const CAPTURE = '$__engineOptions';
let shared: Options | undefined;

/** The engine's options, built once (also what update operators are applied with). */
export function sharedOptions(): Options {
  if (shared) return shared;
  const capture = Context.init({
    query: {
      [CAPTURE]: (_selector: string, _value: unknown, options: Options) => {
        if (shared) throw new Error(`unknown query operator ${CAPTURE}`);
        shared = options;
        return () => true;
      },
    },
  } as Parameters<typeof Context.init>[0]);
  new Query({ _: { [CAPTURE]: 1 } }, { ...engineOptions(), context: capture });
  if (!shared) throw new Error('mingo did not hand its options to a query operator');
  return shared;
}

/** A compiled query with the engine's options (strict mode, no scripts, inputs cloned). */
export function compileQuery(filter: Document): Query {
  return new CompiledQuery(filter, sharedOptions()) as Query;
}
