// Building Graph URLs from untrusted values. The graph-client puts $filter and path strings into
// the URL verbatim, so both layers of escaping are ours: OData (a quote inside a string literal is
// doubled) and then URL encoding (so &, #, + or % in a value cannot end or alter the query).

/** An OData string literal: 'o''brien@contoso.com'. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A $filter value ready for GraphRequest.filter(), which does no encoding itself. */
export function encodeFilter(expression: string): string {
  return encodeURIComponent(expression);
}

/**
 * One URL path segment from a value such as a user id. Null for values that cannot be a segment:
 * empty, or a dot segment that URL parsing would resolve into the parent path.
 */
export function pathSegment(value: string): string | null {
  if (value === '' || value === '.' || value === '..') return null;
  return encodeURIComponent(value);
}
