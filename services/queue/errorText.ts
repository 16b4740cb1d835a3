// A short, safe description of an error for a stored `lastError` or a log field: its name, HTTP
// status and code, plus a bounded message with e-mail addresses masked. Error messages from
// remote services can echo request content, so the message is cut short.
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
const MAX_MESSAGE = 200;

export function errorText(err: unknown): string {
  if (err === null || typeof err !== 'object') return maskAndCut(String(err));
  const e = err as { name?: unknown; statusCode?: unknown; code?: unknown; message?: unknown };
  const parts = [typeof e.name === 'string' ? e.name : 'Error'];
  if (typeof e.statusCode === 'number') parts.push(String(e.statusCode));
  if (typeof e.code === 'string' || typeof e.code === 'number') parts.push(String(e.code));
  const head = parts.join(' ');
  return typeof e.message === 'string' && e.message ? `${head}: ${maskAndCut(e.message)}` : head;
}

function maskAndCut(text: string): string {
  const masked = text.replace(EMAIL, '$1***@$2').replace(/\s+/g, ' ');
  return masked.length > MAX_MESSAGE ? `${masked.slice(0, MAX_MESSAGE)}…` : masked;
}
