// How times appear on cards and messages: an absolute UTC time and how long ago, in the reader's
// language, e.g. "23 Nov 2026 10:42 UTC (3 hours ago)" or "23 nov. 2026 10:42 UTC (il y a
// 3 heures)". Teams shows cards to people in many time zones, so the time is UTC. The language
// comes from the translate function: its catalogue names the locale to format with.
import { translator, type Translate } from '../i18n';

const ENGLISH = translator('en');
const formats = new Map<string, { date: Intl.DateTimeFormat; clock: Intl.DateTimeFormat; relative: Intl.RelativeTimeFormat }>();

function formatsFor(t: Translate) {
  const locale = t('common:locale');
  let f = formats.get(locale);
  if (!f) {
    f = {
      date: new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
      clock: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }),
      relative: new Intl.RelativeTimeFormat(locale, { numeric: 'always', style: 'long' }),
    };
    formats.set(locale, f);
  }
  return f;
}

export function formatTime(at: Date, t: Translate = ENGLISH): string {
  const f = formatsFor(t);
  return `${f.date.format(at)} ${f.clock.format(at)} UTC`;
}

/** "10:42 UTC" on the day itself, else the full time. */
export function formatClock(at: Date, now = new Date(), t: Translate = ENGLISH): string {
  const sameDay = at.toISOString().slice(0, 10) === now.toISOString().slice(0, 10);
  return sameDay ? `${formatsFor(t).clock.format(at)} UTC` : formatTime(at, t);
}

export function formatAge(at: Date, now = new Date(), t: Translate = ENGLISH): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - at.getTime()) / 60_000));
  if (minutes < 1) return t('common:justNow');
  const { relative } = formatsFor(t);
  if (minutes < 60) return relative.format(-minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return relative.format(-hours, 'hour');
  return relative.format(-Math.floor(hours / 24), 'day');
}

export function formatTimeAndAge(at: Date, now = new Date(), t: Translate = ENGLISH): string {
  return `${formatTime(at, t)} (${formatAge(at, now, t)})`;
}
