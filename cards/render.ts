// Expands a card template with its typed data (adaptivecards-templating) into an attachment.
// Templates are JSON beside their data types; a card never queries anything itself.
import { Template } from 'adaptivecards-templating';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface CardAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: Record<string, unknown>;
}

/**
 * Parsed templates, one per JSON template object: building a Template parses every `${…}`
 * expression (an ANTLR parse each), which cost more than the expansion itself; a Template is
 * made to be expanded many times. Keyed weakly so a template object built on the fly is not kept.
 */
const parsed = new WeakMap<object, Template>();

export function expandCard(template: object, data: object): Record<string, unknown> {
  let prepared = parsed.get(template);
  if (!prepared) {
    prepared = new Template(template);
    parsed.set(template, prepared);
  }
  return withoutNulls(prepared.expand({ $root: data })) as Record<string, unknown>;
}

/** A `$when` that is false on an object property leaves `null` behind; cards must not carry it. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

export function cardAttachment(content: Record<string, unknown>): CardAttachment {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content };
}
