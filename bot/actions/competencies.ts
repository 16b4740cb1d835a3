// Competencies in chat (seed 004): `competencies` / `competency status` show the status card,
// its Details buttons drill into one competency, and `skills report` (or its button) hands out
// a signed, expiring download link with a summary. Authorization and tenant scoping are the
// services' (competencyStatus, competencyDetail, skillsReportSummary, createSkillsReportLink):
// a forged organisation or competency in a card's data is refused there.
import type { TurnContext } from 'botbuilder';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { competencyDetailCard, type DetailLevelView, type DetailPartView } from '../../cards/competencyDetailCard';
import { competencyStatusCard, type LevelStatusView } from '../../cards/competencyStatusCard';
import { skillsReportCard } from '../../cards/skillsReportCard';
import type { Translate } from '../../i18n';
import type { Identity } from '../../services/access/identity';
import { organisationOf } from '../../services/associations/decide';
import { CompetencyAccessError } from '../../services/competencies/access';
import type { Catalogue } from '../../services/competencies/catalogue';
import { competencyDetail, competencyStatus, UnknownCompetencyError, type CompetencyDetail } from '../../services/competencies/evaluate';
import { levelGaps, shownOption } from '../../services/competencies/gaps';
import type { CompetencyResult, LevelResult, OptionResult } from '../../services/competencies/results';
import { collections } from '../../services/db/collections';
import type { OrganisationDoc } from '../../services/organisations/organisation';
import { createSkillsReportLink, skillsReportSummary } from '../../services/reports/skillsReport';
import { cardAction, type CardActionResult, type CardActionRoute } from '../cardActions';
import type { CommandScope } from '../commands';
import { scopeOf } from '../identity';
import { tOf } from '../turnLanguage';
import { codesText, formatDay, formatTime, gapText, levelLabel } from './competencyWording';

/** People named per requirement on the detail card (the rest are counted): cards stay small. */
const NAMES_PER_PART = 10;

export interface CompetencyActionsDeps {
  db: Db;
  catalogue: Catalogue;
  /** Signs report links. */
  reportSecret: string;
  /** Where the bot is reached from outside (PUBLIC_URL, or the local server); undefined: not set up. */
  reportBaseUrl: () => string | undefined;
  reportTtlMs?: number;
}

const orgIdField = z.string().regex(/^\d{1,12}$/, 'a Partner ID (digits)');
const competencyIdField = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a competency id');

export class CompetencyActions {
  constructor(private readonly deps: CompetencyActionsDeps) {}

  /** `competencies`, `competency status`, `skills report` (aliases of one command; see commands.ts). */
  async command(turn: TurnContext, who: Identity, args: string): Promise<void> {
    const t = tOf(turn);
    const wantsReport = /\b(skills|report)\b/i.test(args);
    const result = wantsReport ? await this.reportView(t, who, scopeOf(turn.activity)) : await this.statusView(t, who);
    await turn.sendActivity('card' in result ? { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: result.card }] } : result.message);
  }

  routes(): CardActionRoute[] {
    return [
      cardAction({
        verb: 'competency.status',
        data: z.object({ orgId: orgIdField.optional() }),
        handle: (ctx, data) => this.statusView(tOf(ctx.turn), ctx.who, data.orgId),
      }),
      cardAction({
        verb: 'competency.detail',
        data: z.object({ orgId: orgIdField, competencyId: competencyIdField }),
        handle: (ctx, data) => this.detailView(tOf(ctx.turn), ctx.who, data.orgId, data.competencyId),
      }),
      cardAction({
        verb: 'competency.report',
        data: z.object({ orgId: orgIdField.optional() }),
        handle: (ctx, data) => this.reportView(tOf(ctx.turn), ctx.who, ctx.scope, data.orgId),
      }),
    ];
  }

  private async statusView(t: Translate, who: Identity, orgId?: string): Promise<CardActionResult> {
    const org = orgId ?? await organisationOf(this.deps.db, who);
    if (!org) return { message: t('competencies:refused.noOrganisation') };
    try {
      const evaluation = await competencyStatus(this.deps.db, who, org, { catalogue: this.deps.catalogue });
      const organisation = await this.organisationName(who, evaluation.orgId);
      return {
        card: competencyStatusCard({
          orgId: evaluation.orgId,
          title: t('competencies:status.title', { organisation }),
          summary: t('competencies:status.summary', { count: evaluation.countedPeople, time: formatTime(t, evaluation.evaluatedAt) }),
          detailsTitle: t('competencies:status.details'),
          reportTitle: t('competencies:status.report'),
          refreshTitle: t('competencies:status.refresh'),
          competencies: evaluation.competencies.map((c) => ({ id: c.id, name: c.name, levels: c.levels.map((l) => levelStatus(t, c, l)) })),
        }).content,
      };
    } catch (err) {
      return refusal(t, err);
    }
  }

  private async detailView(t: Translate, who: Identity, orgId: string, competencyId: string): Promise<CardActionResult> {
    try {
      const detail = await competencyDetail(this.deps.db, who, orgId, competencyId, { catalogue: this.deps.catalogue, namesPerPart: NAMES_PER_PART });
      const organisation = await this.organisationName(who, detail.orgId);
      const c = detail.competency;
      return {
        card: competencyDetailCard({
          orgId: detail.orgId,
          title: t('competencies:detail.title', { competency: c.name }),
          subtitle: t('competencies:detail.subtitle', { organisation, time: formatTime(t, detail.evaluatedAt) }),
          retiredTitle: t('competencies:detail.retired'),
          backTitle: t('competencies:detail.back'),
          reportTitle: t('competencies:detail.report'),
          levels: c.levels.map((l) => levelDetail(t, c, l, detail)),
        }).content,
      };
    } catch (err) {
      if (err instanceof UnknownCompetencyError) return { message: t('competencies:refused.unknownCompetency', { id: competencyId }) };
      return refusal(t, err);
    }
  }

  private async reportView(t: Translate, who: Identity, scope: CommandScope, orgId?: string): Promise<CardActionResult> {
    // A link is a bearer credential: never posted where others read it.
    if (scope !== 'personal') return { message: t('competencies:refused.personalOnly') };
    const org = orgId ?? await organisationOf(this.deps.db, who);
    if (!org) return { message: t('competencies:refused.noOrganisation') };
    try {
      const summary = await skillsReportSummary(this.deps.db, who, org, { catalogue: this.deps.catalogue });
      const base = this.deps.reportBaseUrl();
      if (!base) return { message: t('competencies:refused.noPublicUrl') };
      const link = await createSkillsReportLink(this.deps.db, who, summary.orgId, { secret: this.deps.reportSecret, ttlMs: this.deps.reportTtlMs });
      const url = `${base.replace(/\/+$/, '')}/api/reports/skills?org=${summary.orgId}&token=${encodeURIComponent(link.token)}`;
      return {
        card: skillsReportCard({
          orgId: summary.orgId,
          title: t('competencies:report.title', { organisation: summary.organisation }),
          intro: t('competencies:report.intro'),
          rowsTitle: t('competencies:report.rows'),
          rows: String(summary.rows),
          peopleTitle: t('competencies:report.people'),
          people: String(summary.people),
          competenciesTitle: t('competencies:report.competencies'),
          competencies: String(summary.competencies),
          expiresTitle: t('competencies:report.expires'),
          expires: formatTime(t, link.expiresAt),
          warning: t('competencies:report.warning'),
          downloadTitle: t('competencies:report.download'),
          url,
          backTitle: t('competencies:report.back'),
        }).content,
      };
    } catch (err) {
      return refusal(t, err);
    }
  }

  /** The organisation's name, read in the caller's tenant (they were authorized for it just before). */
  private async organisationName(who: Identity, orgId: string): Promise<string> {
    const org = await this.deps.db.collection<OrganisationDoc>(collections.organisations)
      .findOne({ _id: orgId, tenantId: who.tenantId }, { projection: { legalName: 1 } });
    return org?.legalName ?? orgId;
  }
}

function refusal(t: Translate, err: unknown): CardActionResult {
  if (!(err instanceof CompetencyAccessError)) throw err;
  switch (err.reason) {
    case 'notAdmin': return { message: t('competencies:refused.notAdmin') };
    case 'otherOrganisation': return { message: t('competencies:refused.otherOrganisation') };
    case 'invalidRequest': return { message: t('competencies:refused.invalidRequest') };
  }
}

function progressOf(option: OptionResult): { have: number; need: number; points: boolean } {
  return option.model === 'people'
    ? { have: option.progress.have, need: option.progress.need, points: false }
    : { have: Math.round(option.progress.points * 100) / 100, need: option.progress.threshold, points: true };
}

function progressText(t: Translate, p: { have: number; need: number; points: boolean }): string {
  return p.points ? t('competencies:status.pointsProgress', { have: p.have, need: p.need }) : t('competencies:status.peopleProgress', { have: p.have, need: p.need });
}

function levelHeading(t: Translate, level: LevelResult, progress: string): string {
  return level.met ? t('competencies:status.met', { level: level.name }) : t('competencies:status.notMet', { level: level.name, progress });
}

function metUntilNote(t: Translate, level: LevelResult): string {
  return level.met && level.metUntil ? t('competencies:status.metUntil', { day: formatDay(t, new Date(level.metUntil.getTime() - 1)) }) : '';
}

function levelStatus(t: Translate, c: CompetencyResult, level: LevelResult): LevelStatusView {
  const progress = progressOf(shownOption(level));
  const text = progressText(t, progress);
  const label = levelLabel(t, c, level, c.levels.length === 1);
  return {
    heading: levelHeading(t, level, text),
    met: level.met,
    have: progress.have,
    need: progress.need,
    progress: text,
    missing: levelGaps(level).map((g) => gapText(t, g, label)),
    note: metUntilNote(t, level),
  };
}

function levelDetail(t: Translate, c: CompetencyResult, level: LevelResult, detail: CompetencyDetail): DetailLevelView {
  const label = levelLabel(t, c, level, c.levels.length === 1);
  const several = level.options.length > 1;
  const retired = new Map<string, string>();
  for (const option of level.options) {
    for (const r of option.retired) {
      const day = formatDay(t, new Date(`${r.countsUntil}T00:00:00Z`));
      retired.set(r.code, r.counting
        ? t('competencies:detail.retiredCounting', { code: r.code, day, holders: r.holders })
        : t('competencies:detail.retiredEnded', { code: r.code, day, holders: r.holders }));
    }
  }
  return {
    heading: levelHeading(t, level, progressText(t, progressOf(shownOption(level)))),
    met: level.met,
    missing: levelGaps(level).map((g) => gapText(t, g, label)),
    note: metUntilNote(t, level),
    options: level.options.map((o) => ({
      title: several ? (o.met ? t('competencies:detail.optionMet', { option: o.name }) : t('competencies:detail.option', { option: o.name })) : '',
      total: o.model === 'points' ? t('competencies:detail.optionPoints', { have: progressOf(o).have, need: o.progress.threshold }) : '',
      parts: o.model === 'people'
        ? o.requirements.map((r) => part(t, detail, r.description, t('competencies:detail.peopleRequirement', { have: r.count, required: r.required }), r.met, r.codes, r.people))
        : o.rules.map((r) => part(t, detail, r.description, r.minPeople > 0
          ? t('competencies:detail.pointsRuleMin', { people: r.count, points: r.points, max: r.maxPoints, per: r.pointsPerPerson, min: r.minPeople })
          : t('competencies:detail.pointsRule', { people: r.count, points: r.points, max: r.maxPoints, per: r.pointsPerPerson }), r.met, r.codes, r.people)),
    })),
    retired: [...retired.values()],
  };
}

function part(
  t: Translate, detail: CompetencyDetail, title: string, status: string, met: boolean, codes: string[],
  people: ReadonlyArray<{ tenantId: string; aadObjectId: string; mcids: string[]; codes: string[] }>,
): DetailPartView {
  const shown = people.slice(0, NAMES_PER_PART).map((p) => ({
    name: detail.names.get(`${p.tenantId}:${p.aadObjectId}`)?.displayName ?? p.aadObjectId,
    detail: t('competencies:detail.personDetail', { codes: p.codes.join(', '), mcids: p.mcids.join(', ') }),
  }));
  const more = people.length > NAMES_PER_PART ? t('competencies:detail.more', { n: people.length - NAMES_PER_PART }) : people.length === 0 ? t('competencies:detail.nobody') : '';
  return { title, status, met, counting: t('competencies:detail.counting', { codes: codesText(t, codes) }), people: shown, more };
}
