// Expands a card template with its typed data (adaptivecards-templating) into an attachment.
// Templates are JSON beside their data types; a card never queries anything itself.
import { Template } from 'adaptivecards-templating';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface CardAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: Record<string, unknown>;
}

export function expandCard(template: object, data: object): Record<string, unknown> {
  return withoutNulls(new Template(template).expand({ $root: data })) as Record<string, unknown>;
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
