// The at-risk alert as the admin sees it: services/competencies/atRisk stores which level
// dropped, what it lacks and why; this renders it, at delivery, as a card in the admin's
// language.
import type { Db } from 'mongodb';
import { z } from 'zod';
import { competencyAlertCard } from '../../cards/competencyAlertCard';
import type { AtRiskAlert } from '../../services/competencies/atRisk';
import type { ActivityJson } from '../../services/outbox/notification';
import { RenderError, type ActivityRenderer } from '../renderedDelivery';
import { recipientTranslator } from '../turnLanguage';
import { causeText, gapText, levelLabel } from './competencyWording';

const text = z.string().max(400);
const codes = z.array(z.string().max(40)).max(500);
const gap = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('people'), option: text.optional(), requirement: text, missing: z.number(), codes }),
  z.object({ kind: z.literal('rulePeople'), option: text.optional(), rule: text, missing: z.number(), codes }),
  z.object({
    kind: z.literal('points'), option: text.optional(), missing: z.number(),
    rules: z.array(z.object({ description: text, pointsPerPerson: z.number(), room: z.number() })).max(50),
  }),
]);
const cause = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['memberRemoved', 'mcidUnlinked', 'mcidLinkedElsewhere']), personName: text }),
  z.object({ kind: z.literal('retiredCredentialExpired'), code: text, countsUntil: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }),
  z.object({ kind: z.literal('other'), text }),
]);
const alertSchema: z.ZodType<AtRiskAlert> = z.object({
  orgId: z.string().regex(/^\d{1,12}$/),
  organisation: text,
  recipient: z.object({ tenantId: z.string().min(1), aadObjectId: z.string().min(1) }),
  competency: z.object({ id: text, name: text, kind: z.enum(['competency', 'designation']) }),
  level: z.object({ id: text, name: text, single: z.boolean() }),
  gaps: z.array(gap).max(50),
  cause,
});

export function competencyAlertRenderer(db: Db): ActivityRenderer {
  return async (data: unknown): Promise<ActivityJson> => {
    const parsed = alertSchema.safeParse(data);
    if (!parsed.success) throw new RenderError(`competency alert: ${parsed.error.issues[0].path.join('.') || 'data'}: ${parsed.error.issues[0].message}`);
    const alert = parsed.data;
    const t = await recipientTranslator(db, alert.recipient.tenantId, alert.recipient.aadObjectId);
    const label = levelLabel(t, alert.competency, alert.level, alert.level.single);
    const card = competencyAlertCard({
      orgId: alert.orgId,
      title: t('competencies:alert.title'),
      text: t('competencies:alert.text', { label, organisation: alert.organisation || alert.orgId, orgId: alert.orgId }),
      causeTitle: t('competencies:alert.cause'),
      cause: causeText(t, alert.cause),
      missingTitle: t('competencies:alert.missing'),
      missing: alert.gaps.map((g) => gapText(t, g, label)),
      statusTitle: t('competencies:alert.status'),
    });
    return { type: 'message', attachments: [card] };
  };
}
