// The person's side of certifications in chat (seed 004): the `mcid` card (what is linked now,
// a button to link or unlink each kind), its buttons, and what follows a change beyond the
// person's own chat: when an MCID moved here from organisation A, A's competency admins are told
// (through the outbox, in their language, once), and A's competencies are checked again; the
// same check follows an unlink. Rules live in services/certifications.
import type { TurnContext } from 'botbuilder';
import type { DialogSet } from 'botbuilder-dialogs';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { z } from 'zod';
import { certificationsCard, type CertificationsCardButton } from '../../cards/certificationsCard';
import { LINK_DIALOG, organisationNameOf, type LinkEvent, type LinkFollowUps } from '../../dialogs/linkAccountDialog';
import { formatDay, KINDS, nextMcidLinkAt } from '../../dialogs/linkKinds';
import { UNLINK_DIALOG } from '../../dialogs/unlinkAccountDialog';
import type { Identity } from '../../services/access/identity';
import type { LinkOutcome, UnlinkOutcome } from '../../services/certifications/accountLinks';
import type { LinkPolicy } from '../../services/certifications/linkRules';
import { checkCompetenciesAtRisk, recordCompetencyLevels } from '../../services/competencies/atRisk';
import type { Catalogue } from '../../services/competencies/catalogue';
import type { Outbox } from '../../services/outbox/outbox';
import { cardAction, type CardActionResult, type CardActionRoute } from '../cardActions';
import { recipientTranslator, tOf } from '../turnLanguage';
import type { PersonReach } from './reach';

const KIND_WORDS = { mcid: 'certification', partnerUniversity: 'partner university' } as const;

export class CertificationActions implements LinkFollowUps {
  constructor(
    private readonly db: Db,
    private readonly outbox: Outbox,
    private readonly reach: PersonReach,
    private readonly logger: Logger,
    private readonly policy: LinkPolicy,
    /** The catalogue in use (CATALOGUE_FILE or the bundled one), for the at-risk checks. */
    private readonly catalogue: Catalogue,
  ) {}

  /** `mcid`: the card of what is linked now. */
  async mcidCommand(turn: TurnContext, who: Identity): Promise<void> {
    await turn.sendActivity({ attachments: [await this.card(turn, who)] });
  }

  async card(turn: TurnContext, who: Identity) {
    const t = tOf(turn);
    const [mcid] = await KINDS.mcid.linkedTo(this.db, who);
    const [pu] = await KINDS.partnerUniversity.linkedTo(this.db, who);
    const next = mcid ? await nextMcidLinkAt(this.db, mcid.accountId, this.policy) : null;
    const buttons: CertificationsCardButton[] = [
      mcid
        ? { title: t('certifications:card.unlinkMcid', { id: mcid.accountId }), action: 'unlink', kind: 'mcid', accountId: mcid.accountId }
        : { title: t('certifications:card.linkMcid'), action: 'link', kind: 'mcid', accountId: '' },
      pu
        ? { title: t('certifications:card.unlinkPartnerUniversity'), action: 'unlink', kind: 'partnerUniversity', accountId: pu.accountId }
        : { title: t('certifications:card.linkPartnerUniversity'), action: 'link', kind: 'partnerUniversity', accountId: '' },
    ];
    return certificationsCard({
      title: t('certifications:card.title'),
      intro: t('certifications:card.intro'),
      mcidHeading: t('certifications:kind.mcid'),
      mcidText: mcid
        ? t('certifications:card.mcidLinked', { id: mcid.accountId, organisation: await organisationNameOf(this.db, mcid.orgId), date: formatDay(t, mcid.linkedAt) })
        : t('certifications:card.mcidNone'),
      nextText: next
        ? t('certifications:mcid.nextAllowedFrom', { date: formatDay(t, next) })
        : mcid ? t('certifications:mcid.nextAllowedNow') : t('certifications:card.mcidWhere'),
      puHeading: t('certifications:kind.partnerUniversity'),
      puText: pu
        ? t('certifications:card.partnerUniversityLinked', { id: pu.accountId, organisation: await organisationNameOf(this.db, pu.orgId), date: formatDay(t, pu.linkedAt) })
        : t('certifications:card.partnerUniversityNone'),
      buttons,
    });
  }

  routes(dialogs: DialogSet): CardActionRoute[] {
    return [
      // A button of the `mcid` card: starts the same conversation as typing link / unlink.
      cardAction({
        verb: 'certifications.start',
        data: z.object({
          action: z.enum(['link', 'unlink'], 'link or unlink'),
          kind: z.enum(['mcid', 'partnerUniversity'], 'mcid or partnerUniversity'),
          accountId: z.string().max(320, 'at most 320 characters').optional(),
        }),
        handle: async (ctx, data): Promise<CardActionResult> => {
          const t = tOf(ctx.turn);
          if (ctx.scope !== 'personal') return { message: t('certifications:personalOnly') };
          const dc = await dialogs.createContext(ctx.turn);
          await dc.cancelAllDialogs();
          const args = `${KIND_WORDS[data.kind]} ${data.action === 'unlink' ? data.accountId ?? '' : ''}`.trim();
          await dc.beginDialog(data.action === 'link' ? LINK_DIALOG : UNLINK_DIALOG, { who: ctx.who, args });
          return { card: (await this.card(ctx.turn, ctx.who)).content };
        },
      }),
    ];
  }

  async afterLink(event: LinkEvent<LinkOutcome>): Promise<void> {
    const { outcome } = event;
    if (event.kind === 'mcid') {
      try {
        // What the new organisation now meets, so a later drop there is seen as one.
        await recordCompetencyLevels(this.db, outcome.orgId, { catalogue: this.catalogue });
      } catch (err) {
        this.logger.error({ err, orgId: outcome.orgId }, 'recording competency levels after a link failed');
      }
    }
    if (!outcome.movedFrom) return;
    try {
      await this.tellPreviousAdmins(event);
      if (event.kind === 'mcid') {
        await checkCompetenciesAtRisk(this.db, outcome.movedFrom.orgId, { kind: 'mcidLinkedElsewhere', personName: event.personName }, { outbox: this.outbox, catalogue: this.catalogue });
      }
    } catch (err) {
      // The link itself is done; a failed follow-up is logged, never shown as the user's failure.
      this.logger.error({ err, orgId: outcome.movedFrom.orgId }, 'follow-up of a moved link failed');
    }
  }

  async afterUnlink(event: LinkEvent<UnlinkOutcome>): Promise<void> {
    if (event.kind !== 'mcid') return;
    try {
      await checkCompetenciesAtRisk(this.db, event.outcome.orgId, { kind: 'mcidUnlinked', personName: event.personName }, { outbox: this.outbox, catalogue: this.catalogue });
    } catch (err) {
      this.logger.error({ err, orgId: event.outcome.orgId }, 'competency check after an unlink failed');
    }
  }

  /** Once per move and admin (the outbox key names both), in the admin's language. */
  private async tellPreviousAdmins({ kind, personName, outcome }: LinkEvent<LinkOutcome>): Promise<void> {
    const from = outcome.movedFrom!;
    const organisation = await organisationNameOf(this.db, from.orgId);
    for (const admin of outcome.tellAdmins) {
      const reference = await this.reach.referenceFor(admin.tenantId, admin.aadObjectId);
      if (!reference) { this.logger.info({ orgId: from.orgId }, 'an admin cannot be reached yet'); continue; }
      const t = await recipientTranslator(this.db, admin.tenantId, admin.aadObjectId);
      const vars = { person: personName.trim() || t('certifications:someone'), id: outcome.accountId, organisation };
      await this.outbox.enqueue({
        key: `linkMoved:${kind}:${outcome.accountId}:${outcome.linkedAt.toISOString()}:${admin.aadObjectId}`,
        target: { tenantId: admin.tenantId, reference },
        activity: { type: 'message', text: kind === 'mcid' ? t('certifications:mcid.movedAway', vars) : t('certifications:partnerUniversity.movedAway', vars) },
      });
    }
  }
}
