// Collection names live in one place so a typo cannot silently split data across two
// collections; feature work adds its own entries here.
export const collections = {
  /** botbuilder conversation / user / dialog state, one document per storage key. */
  botState: 'botState',
  /** Bookkeeping documents such as the schema version. */
  meta: 'meta',
} as const;

export type CollectionName = (typeof collections)[keyof typeof collections];

/** Used when neither the connect options nor the MONGODB_URI path name a database. */
export const DEFAULT_DB_NAME = 'mpn_bot';
