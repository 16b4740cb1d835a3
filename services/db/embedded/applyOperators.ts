// Applies an operator update to one document without mingo's per-update set-up. mingo's
// `update` builds fresh options for every call (copying its operator tables, ~130 µs an update)
// and re-tests the filter the store has already matched; here each operator runs with the
// engine's shared options (query.ts) and only the update's own locals (filter, array filters).
// mingo checks paths that conflict across operators only when it sees them together, so that
// check is made here first ($set and $inc of one path, or of a path and its parent).
import { Document } from 'bson';
import * as UPDATE_OPERATORS from 'mingo/operators/update';
import { ErrorCodes, StoreError } from './errors';
import { sharedOptions } from './query';

type Operator = (expr: unknown, arrayFilters: Document[], options: unknown) => (doc: Document) => string[];
/** mingo's ComputeOptions (not exported): init() copies an instance's locals, sharing its tables. */
interface EngineOptions { update(locals: Document): EngineOptions }
type EngineOptionsClass = { init(options: EngineOptions): EngineOptions };

const operators = UPDATE_OPERATORS as unknown as Record<string, Operator | undefined>;

/** `view` is changed in place, as mingo's `update` does. */
export function applyOperators(view: Document, modifier: Document, arrayFilters: Document[] = [], condition?: Document): void {
  checkConflicts(modifier);
  const shared = sharedOptions() as unknown as EngineOptions;
  const options = (shared.constructor as unknown as EngineOptionsClass).init(shared).update({
    condition: condition ?? {},
    updateConfig: { cloneMode: 'copy', arrayFilters },
    updateParams: undefined,
  });
  const mutations = Object.keys(modifier).map((op) => {
    const operator = Object.hasOwn(operators, op) ? operators[op] : undefined;
    if (!operator) throw new Error(`Unknown update operator: '${op}'.`);
    return operator(modifier[op], arrayFilters, options);
  });
  for (const mutate of mutations) mutate(view);
}

/** The path an operator writes, as mingo tracks it: up to its first positional part. */
function writtenPath(field: string): string {
  const parts = field.split('.');
  const positional = parts.findIndex((p) => p.includes('$'));
  return (positional === -1 ? parts : parts.slice(0, positional)).join('.');
}

function checkConflicts(modifier: Document): void {
  const paths: string[] = [];
  for (const [op, expr] of Object.entries(modifier)) {
    if (expr === null || typeof expr !== 'object') continue;
    for (const field of Object.keys(expr as Document)) paths.push(writtenPath(field));
    if (op === '$rename') for (const target of Object.values(expr as Document)) if (typeof target === 'string') paths.push(target);
  }
  for (let i = 1; i < paths.length; i += 1) {
    const path = paths[i];
    const other = paths.slice(0, i).find((p) => p === path || p.startsWith(`${path}.`) || path.startsWith(`${p}.`));
    if (other !== undefined) {
      throw new StoreError(ErrorCodes.ConflictingUpdateOperators, `Updating the path '${path}' would create a conflict at '${other}'`);
    }
  }
}
