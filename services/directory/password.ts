// Temporary passwords for new users. Entra requires 8-256 characters from at least three of
// upper case, lower case, digits and symbols; we use all four, 16 characters, from a
// cryptographic source, leaving out look-alikes (I, l, O, 0, 1) because an admin reads it aloud.
import { randomInt } from 'node:crypto';

const SETS = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#$%*+-=?@'];
const ALL = SETS.join('');

export function generateTemporaryPassword(length = 16): string {
  const chars = SETS.map(pick);
  while (chars.length < length) chars.push(pick(ALL));
  // Fisher-Yates, so the guaranteed characters are not always in front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

function pick(set: string): string {
  return set[randomInt(set.length)];
}
