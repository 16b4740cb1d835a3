// aggregate: the pipeline runs in the query engine over the collection's views; a leading
// $match is answered from an index first, so pipelines scoped to one organisation stay fast.
import { Document } from 'bson';
import { Aggregator } from 'mingo';
import {
  Handler, checkHint, collectionName, cursorResponse, encodeDocument, firstBatchSize, optionalDocument, refuseUnsupported, streamOf,
} from './context';
import { orderLike, select } from './reads';
import { ErrorCodes, StoreError } from '../errors';
import { asView, isPlainObject } from '../values';
import { engineOptions } from '../engineOptions';

const REFUSED_STAGES = new Set(['$out', '$merge', '$currentOp', '$listSessions', '$collStats', '$indexStats', '$planCacheStats', '$changeStream', '$search', '$geoNear']);

function checkPipeline(pipeline: unknown): Document[] {
  if (!Array.isArray(pipeline)) throw new StoreError(ErrorCodes.TypeMismatch, "'pipeline' option must be specified as an array");
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw new StoreError(ErrorCodes.BadValue, 'A pipeline stage specification object must contain exactly one field.');
    }
    const [name] = Object.keys(stage);
    if (REFUSED_STAGES.has(name)) {
      throw new StoreError(ErrorCodes.NotImplemented, `${name} is not supported by the embedded store`);
    }
    for (const nested of ['$facet', '$lookup', '$unionWith'] as const) {
      const inner = stage[nested];
      if (nested === '$facet' && isPlainObject(inner)) Object.values(inner).forEach(checkPipeline);
      else if (isPlainObject(inner) && Array.isArray(inner.pipeline)) checkPipeline(inner.pipeline);
    }
  }
  return pipeline as Document[];
}

const isInclusion = (spec: unknown) => isPlainObject(spec)
  && Object.entries(spec).every(([k, v]) => v === 1 || v === true || (k === '_id' && (v === 0 || v === false)));

/** `$count` as `$group`: MongoDB's $count emits no document for an empty input, and so does $group. */
function countAsGroup(stage: Document): Document[] {
  if (typeof stage.$count !== 'string') return [stage];
  return [{ $group: { _id: null, [stage.$count]: { $sum: 1 } } }, { $project: { _id: 0 } }];
}

export const aggregateCommands: Record<string, Handler> = {
  aggregate: (ctx) => {
    const { body } = ctx.cmd;
    if (body.aggregate === 1) {
      throw new StoreError(ErrorCodes.NotImplemented, 'database-level aggregation ({aggregate: 1}) is not supported by the embedded store');
    }
    const name = collectionName(ctx, 'aggregate');
    refuseUnsupported(body, ['explain', 'collation'], 'aggregate');
    checkHint(ctx, name, body.hint);
    if (!optionalDocument(body, 'cursor')) {
      throw new StoreError(ErrorCodes.FailedToParse, "The 'cursor' option is required, except for aggregate with the explain argument");
    }
    const pipeline = asView(checkPipeline(body.pipeline)).flatMap(countAsGroup);
    const first = pipeline[0];
    const leadingMatch = first && isPlainObject(first.$match) ? first.$match : undefined;
    const matched = select(ctx, name, leadingMatch ?? {});
    const rest = leadingMatch ? pipeline.slice(1) : pipeline;
    const ns = `${ctx.db}.${name}`;
    if (rest.length === 0) return cursorResponse(ctx, ns, streamOf(matched, (d) => d.raw), firstBatchSize(body));
    const collectionResolver = (other: string) => select(ctx, other, {}).map((d) => d.view);
    const variables = optionalDocument(body, 'let');
    const options = engineOptions({ collectionResolver, variables });
    let results = matched.map((d) => d.view);
    for (const stage of rest) {
      const input = results;
      results = new Aggregator([stage], options).run(input) as Document[];
      // An inclusion $project keeps the input's field order in MongoDB; mingo follows the spec's.
      if (isInclusion(stage.$project)) results = results.map((out, i) => orderLike(out, input[i]));
    }
    return cursorResponse(ctx, ns, streamOf(results, encodeDocument), firstBatchSize(body));
  },
};
