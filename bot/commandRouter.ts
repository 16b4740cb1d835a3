// Reads what the user typed as a command. Pure: text in, a route out; tested without a server.
import { COMMANDS, type CommandScope, type CommandSpec } from './commands';

export type Route =
  | { kind: 'command'; command: CommandSpec; args: string }
  | { kind: 'cancel' }
  | { kind: 'empty' }
  | { kind: 'unknown'; text: string; suggestion?: CommandSpec };

/** Words that end whatever guided conversation is running, in any scope. */
const CANCEL_WORDS = new Set(['cancel', 'stop', 'quit', 'exit']);

/**
 * `text` is the message with the bot's @mention already removed. A leading "/" is allowed
 * (people type commands the way other bots taught them).
 */
export function routeText(text: string, scope: CommandScope): Route {
  const clean = stripMentions(text).trim().replace(/^\/+/, '');
  if (!clean) return { kind: 'empty' };
  const [first, ...rest] = clean.split(/\s+/);
  const word = first.toLowerCase();
  if (CANCEL_WORDS.has(word) && rest.length === 0) return { kind: 'cancel' };
  const command = COMMANDS.find((c) => c.name === word && c.scopes.includes(scope));
  if (command) return { kind: 'command', command, args: rest.join(' ') };
  const aliased = COMMANDS.find((c) => c.aliases?.includes(word) && c.scopes.includes(scope));
  if (aliased) return { kind: 'command', command: aliased, args: [word, ...rest].join(' ') };
  return { kind: 'unknown', text: clean, suggestion: closestCommand(word, scope) };
}

/** Any <at>…</at> left after the adapter removed the bot's own mention (other mentions). */
export function stripMentions(text: string): string {
  return text.replace(/<at>[^<]*<\/at>/gi, ' ').replace(/&nbsp;/g, ' ');
}

/** A likely typo of a command ("aprovals" → approvals), or nothing if no command is close. */
function closestCommand(word: string, scope: CommandScope): CommandSpec | undefined {
  let best: { spec: CommandSpec; distance: number } | undefined;
  for (const spec of COMMANDS) {
    if (!spec.scopes.includes(scope)) continue;
    const distance = editDistance(word, spec.name);
    if (!best || distance < best.distance) best = { spec, distance };
  }
  const tolerance = Math.max(1, Math.floor(word.length / 4));
  return best && best.distance <= tolerance ? best.spec : undefined;
}

/** Edits between two words, a swap of neighbours counting as one (optimal string alignment). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Infinity;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
