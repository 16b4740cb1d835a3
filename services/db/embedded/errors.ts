// MongoDB-style command errors: the driver turns { ok: 0, code, codeName, errmsg } into a
// MongoServerError with the same code, so callers cannot tell the embedded store apart.
export const ErrorCodes = {
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CannotCreateIndex: 67,
  NotImplemented: 238,
  DuplicateKey: 11000,
  BSONObjectTooLarge: 10334,
  UnknownPipelineStage: 40324,
  InternalError: 1,
  InvalidLength: 16,
  Unauthorized: 13,
  InvalidIndexSpecificationOption: 197,
  InvalidPipelineOperator: 168,
  ConflictingUpdateOperators: 40,
  UnknownField: 40415,
} as const;

const codeNames = new Map<number, string>(Object.entries(ErrorCodes).map(([name, code]) => [code, name]));
codeNames.set(ErrorCodes.UnknownPipelineStage, 'Location40324');

export class StoreError extends Error {
  constructor(readonly code: number, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }

  get codeName(): string {
    return codeNames.get(this.code) ?? `Location${this.code}`;
  }

  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }
}

export const badValue = (message: string) => new StoreError(ErrorCodes.BadValue, message);

/** Translates the query engine's errors into the codes MongoDB uses for the same mistakes. */
export function fromEngineError(error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  let m = /unknown query operator (\$\w+)/i.exec(message);
  if (m) return new StoreError(ErrorCodes.BadValue, `unknown operator: ${m[1]}`);
  m = /unregistered pipeline operator (\$\w+)/i.exec(message);
  if (m) return new StoreError(ErrorCodes.UnknownPipelineStage, `Unrecognized pipeline stage name: '${m[1]}'`);
  m = /Unknown update operator: '(\$\w+)'/i.exec(message);
  if (m) return new StoreError(ErrorCodes.FailedToParse, `Unknown modifier: ${m[1]}. Expected a valid update modifier or pipeline-style update specified as an array`);
  m = /(?:accumulator|operator) '?(\$\w+)'? is not registered/i.exec(message);
  if (m) return new StoreError(ErrorCodes.InvalidPipelineOperator, `Unrecognized expression '${m[1]}'`);
  if (message.startsWith('NotImplemented: ')) return new StoreError(ErrorCodes.NotImplemented, message.slice('NotImplemented: '.length));
  if (/would modify the immutable field/i.test(message)) return new StoreError(ErrorCodes.ImmutableField, message);
  if (/would create a conflict at/i.test(message)) return new StoreError(ErrorCodes.ConflictingUpdateOperators, message);
  if (/non-numeric/i.test(message)) return new StoreError(ErrorCodes.TypeMismatch, message);
  if (error instanceof RangeError || error instanceof TypeError) {
    // A bug of ours, not the caller's mistake: say so without a stack trace.
    return new StoreError(ErrorCodes.InternalError, `internal error: ${message}`);
  }
  return new StoreError(ErrorCodes.BadValue, message);
}
