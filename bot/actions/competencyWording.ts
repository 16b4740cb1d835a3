// Competency results put into the reader's words ("2 more people with AZ-104 for Cloud Platform
// Gold"), in one place so status cards, drill-downs and at-risk alerts say the same thing in
// every language. Services hand over data (services/competencies/gaps.ts); names of
// competencies, levels and requirements are catalogue data and shown as they are.
import type { Translate } from '../../i18n';
import type { AtRiskCause } from '../../services/competencies/atRisk';
import type { Gap } from '../../services/competencies/gaps';

/** "Cloud Platform Gold", or the designation's name alone when it has a single level. */
export function levelLabel(t: Translate, competency: { name: string; kind: 'competency' | 'designation' }, level: { name: string }, singleLevel: boolean): string {
  return competency.kind === 'designation' && singleLevel ? competency.name : t('competencies:label.level', { competency: competency.name, level: level.name });
}

/** "AZ-104", "AZ-104 or AZ-305", "one of AZ-104, AZ-305, AZ-500 and 3 more". */
export function codesText(t: Translate, codes: readonly string[]): string {
  if (codes.length === 0) return t('competencies:codes.none');
  if (codes.length === 1) return codes[0];
  if (codes.length <= 4) return t('competencies:codes.some', { list: codes.slice(0, -1).join(', '), last: codes[codes.length - 1] });
  return t('competencies:codes.many', { first: codes.slice(0, 3).join(', '), more: codes.length - 3 });
}

/** One missing item of a level, for the level labelled `label`. */
export function gapText(t: Translate, gap: Gap, label: string): string {
  const full = gap.option ? t('competencies:label.option', { label, option: gap.option }) : label;
  switch (gap.kind) {
    case 'people':
      return t('competencies:missing.people', { count: gap.missing, codes: codesText(t, gap.codes), label: full });
    case 'rulePeople':
      return t('competencies:missing.rulePeople', { count: gap.missing, codes: codesText(t, gap.codes), rule: gap.rule.toLowerCase(), label: full });
    case 'points': {
      const head = t('competencies:missing.points', { count: gap.missing, label: full });
      const room = gap.rules.map((r) => t('competencies:missing.pointsRoom', { rule: r.description, points: r.pointsPerPerson, room: r.room }));
      return room.length ? `${head}: ${room.join('; ')}` : head;
    }
  }
}

export function causeText(t: Translate, cause: AtRiskCause): string {
  const name = (n: string) => n.trim() || t('competencies:alert.causes.someone');
  switch (cause.kind) {
    case 'memberRemoved': return t('competencies:alert.causes.memberRemoved', { name: name(cause.personName) });
    case 'mcidUnlinked': return t('competencies:alert.causes.mcidUnlinked', { name: name(cause.personName) });
    case 'mcidLinkedElsewhere': return t('competencies:alert.causes.mcidLinkedElsewhere', { name: name(cause.personName) });
    case 'retiredCredentialExpired':
      return cause.countsUntil
        ? t('competencies:alert.causes.retiredExpiredUntil', { code: cause.code, day: formatDay(t, new Date(`${cause.countsUntil}T00:00:00Z`)) })
        : t('competencies:alert.causes.retiredExpired', { code: cause.code });
    case 'other': return cause.text;
  }
}

/** "31 January 2027" / "31 janvier 2027" (UTC: retirement dates are UTC days). */
export function formatDay(t: Translate, at: Date): string {
  return at.toLocaleDateString(t('competencies:locale'), { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
}

/** "23 Nov 2026, 10:42 UTC". Teams readers are in many time zones: UTC, said so. */
export function formatTime(t: Translate, at: Date): string {
  const text = at.toLocaleString(t('competencies:locale'), { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  return `${text} UTC`;
}
