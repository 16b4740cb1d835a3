// The PPC's side of invitations and pre-approved domains in chat: the `invite`, `invitations`
// and `domains` commands and their buttons. Rules live in services/invitations and
// services/organisations/preApprovedDomains.
import type { TurnContext } from 'botbuilder';
import type { DialogSet } from 'botbuilder-dialogs';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { domainsCard } from '../../cards/domainsCard';
import { formatTime } from '../../cards/format';
import { inviteCard } from '../../cards/inviteCard';
import type { Translate } from '../../i18n';
import type { Identity } from '../../services/access/identity';
import { organisationOf } from '../../services/associations/decide';
import { collections } from '../../services/db/collections';
import { DEFAULT_DELIVERY, type DeliveryOptions } from '../../services/invitations/delivery';
import { invite, InvitationRefused, openInvitations, revokeInvitation, type InviteResult } from '../../services/invitations/invitations';
import { DEFAULT_ABUSE_LIMITS, type AbuseLimits } from '../../services/limits/rateLimit';
import type { OrganisationDoc } from '../../services/organisations/organisation';
import { addDomain, DomainRefused, listDomains, removeDomain } from '../../services/organisations/preApprovedDomains';
import { getProfile } from '../../services/people/profiles';
import { cardAction, type CardActionResult, type CardActionRoute } from '../cardActions';
import type { CommandRunner } from '../commandRunner';
import { COMMANDS } from '../commands';
import { tOf } from '../turnLanguage';
import { refusalText } from '../userText';
import type { InvitationDelivery } from './invitationDelivery';

/** A card toggle: Teams and Web Chat send "true"/"false"; absent (an older form) means on. */
const deliveryToggle = z.preprocess((v) => (typeof v === 'boolean' ? String(v) : v), z.enum(['true', 'false'], 'true or false (a toggle)').optional())
  .transform((v) => v !== 'false');

/** Typed options after `invite`: --no-teams, --no-email (in the command's description and the README). */
const FLAG = /(^|[\s;,])(--[A-Za-z][\w-]*)(?=$|[\s;,])/g;

export function parseInviteArgs(args: string): { addresses: string; options: DeliveryOptions; unknownFlag?: string } {
  const options = { ...DEFAULT_DELIVERY };
  let unknownFlag: string | undefined;
  const addresses = args.replace(FLAG, (_all, before: string, flag: string) => {
    const name = flag.toLowerCase();
    if (name === '--no-teams') options.teams = false;
    else if (name === '--no-email') options.email = false;
    else unknownFlag ??= flag;
    return before;
  });
  return { addresses, options, unknownFlag };
}

export class InvitationActions {
  /**
   * `botAppId` builds the Teams deep link; in local mode there is none and the code is shown.
   * `delivery` sends the invitations to the invitees once they are stored.
   * `limits`: batches per approver (INVITATION_BATCHES_PER_HOUR); the defaults otherwise.
   */
  constructor(private readonly db: Db, private readonly botAppId: string | undefined, private readonly delivery: InvitationDelivery, private readonly limits: AbuseLimits = DEFAULT_ABUSE_LIMITS) {}

  async inviteCommand(turn: TurnContext, who: Identity, args: string): Promise<void> {
    const t = tOf(turn);
    const { addresses, options, unknownFlag } = parseInviteArgs(args);
    if (unknownFlag) { await turn.sendActivity(t('invitations:flags.unknown', { flag: unknownFlag })); return; }
    if (!addresses.trim()) {
      const result = await this.inviteForm(who, t, { options });
      await turn.sendActivity('card' in result ? { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: result.card }] } : result.message);
      return;
    }
    const language = (await getProfile(this.db, who)).language;
    await turn.sendActivity((await this.send(who, addresses, language, options, t)).message);
  }

  async domainsCommand(turn: TurnContext, who: Identity): Promise<void> {
    const result = await this.domainsView(who, tOf(turn));
    await turn.sendActivity('card' in result ? { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: result.card }] } : result.message);
  }

  async invitationsCommand(turn: TurnContext, who: Identity): Promise<void> {
    const t = tOf(turn);
    try {
      const open = await openInvitations(this.db, who);
      if (open.length === 0) { await turn.sendActivity(t('invitationAdmin:noneOpen')); return; }
      const lines = open.map((i) => t('invitationAdmin:openLine', { email: i.email, expires: formatTime(i.expiresAt, t) }));
      await turn.sendActivity({
        text: `${t('invitationAdmin:openTitle', { count: open.length })}\n${lines.join('\n')}`,
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: {
          type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: t('invitationAdmin:revokeTitle'), weight: 'Bolder' }],
          actions: open.slice(0, 20).map((i) => ({ type: 'Action.Execute', title: t('invitationAdmin:revokeButton', { email: i.email }), verb: 'invitations.revoke', data: { invitationId: i._id },
            fallback: { type: 'Action.Submit', title: t('invitationAdmin:revokeButton', { email: i.email }), data: { verb: 'invitations.revoke', invitationId: i._id } } })),
        } }],
      });
    } catch (err) {
      if (!(err instanceof InvitationRefused)) throw err;
      await turn.sendActivity(refusalText(t, err));
    }
  }

  routes(): CardActionRoute[] {
    return [
      cardAction({
        verb: 'invite.send',
        data: z.object({
          addresses: z.string().max(40_000, 'errors:invitations.listTooLong'), language: z.string().max(10),
          teams: deliveryToggle, email: deliveryToggle,
        }),
        handle: async (ctx, data) => {
          const t = tOf(ctx.turn);
          const options: DeliveryOptions = { teams: data.teams, email: data.email };
          const result = await this.send(ctx.who, data.addresses, data.language, options, t);
          if (result.refused) return this.inviteForm(ctx.who, t, { addresses: data.addresses, language: data.language, message: result.message, options });
          return { message: result.message };
        },
      }),
      cardAction({
        verb: 'invitations.revoke',
        data: z.object({ invitationId: z.string('errors:invitations.invitationId').uuid('errors:invitations.invitationId') }),
        handle: async (ctx, data) => {
          const t = tOf(ctx.turn);
          try {
            return { message: (await revokeInvitation(this.db, ctx.who, data.invitationId)) ? t('invitationAdmin:revoked') : t('invitationAdmin:notOpen') };
          } catch (err) {
            if (err instanceof InvitationRefused) return { message: refusalText(t, err) };
            throw err;
          }
        },
      }),
      cardAction({
        verb: 'domains.add',
        data: z.object({ domain: z.string().max(300, 'errors:domains.tooLong').optional() }),
        handle: (ctx, data) => this.domainsView(ctx.who, tOf(ctx.turn), () => addDomain(this.db, ctx.who, data.domain ?? ''), (t, domain) => t('invitationAdmin:domains.added', { domain }), data.domain),
      }),
      cardAction({
        verb: 'domains.remove',
        data: z.object({ domain: z.string().max(300, 'errors:domains.tooLong') }),
        handle: (ctx, data) => this.domainsView(ctx.who, tOf(ctx.turn), () => removeDomain(this.db, ctx.who, data.domain), (t, domain) => t('invitationAdmin:domains.removed', { domain }), data.domain),
      }),
    ];
  }

  private async send(who: Identity, addresses: string, language: string, options: DeliveryOptions, t: Translate): Promise<{ message: string; refused?: boolean }> {
    let result: InviteResult;
    try {
      result = await invite(this.db, who, { addresses, language }, new Date(), this.limits.invitationBatches);
    } catch (err) {
      if (err instanceof InvitationRefused) return { message: refusalText(t, err), refused: true };
      throw err;
    }
    if (!result.code || !result.batchId) return { message: this.describe(result, t) };
    // Stored: the invitees are told after this turn has answered (see invitationDelivery.ts).
    this.delivery.start({ who, batchId: result.batchId, code: result.code, organisation: result.organisation, options, t });
    return { message: `${this.describe(result, t)}\n${this.delivery.acknowledgement(t, options)}` };
  }

  private describe(r: InviteResult, t: Translate): string {
    const lines: string[] = [];
    if (r.invited.length) lines.push(t('invitationAdmin:invited', { count: r.invited.length, organisation: r.organisation, addresses: r.invited.join(', '), expires: formatTime(r.expiresAt!, t) }));
    if (r.invalid.length) lines.push(t('invitationAdmin:invalid', { addresses: r.invalid.join(', ') }));
    if (r.duplicates.length) lines.push(t('invitationAdmin:duplicates', { addresses: r.duplicates.join(', ') }));
    if (r.alreadyMembers.length) lines.push(t('invitationAdmin:alreadyMembers', { addresses: r.alreadyMembers.join(', ') }));
    if (r.code) {
      const join = `join ${r.code}`;
      lines.push(this.botAppId
        ? t('invitationAdmin:shareLink', { link: `https://teams.microsoft.com/l/chat/0/0?users=28:${this.botAppId}&message=${encodeURIComponent(join)}`, join })
        : t('invitationAdmin:shareLocal', { join }));
      lines.push(t('invitationAdmin:codeOnce'));
    }
    if (!r.invited.length && !lines.length) lines.push(t('invitationAdmin:nobody'));
    return lines.join('\n');
  }

  private async inviteForm(who: Identity, t: Translate, values: { addresses?: string; language?: string; message?: string; options?: DeliveryOptions } = {}): Promise<CardActionResult> {
    const orgId = await organisationOf(this.db, who);
    const org = orgId ? await this.db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: orgId, tenantId: who.tenantId }) : null;
    if (!org) return { message: t('errors:invitations.notApprover') };
    const { options = DEFAULT_DELIVERY, ...rest } = values;
    const delivery = { teamsLabel: t('invitations:form.teams'), emailLabel: t('invitations:form.email'), ...options };
    return { card: inviteCard({ organisation: org.legalName, ...rest, delivery }, t).content };
  }

  private async domainsView(who: Identity, t: Translate, change?: () => Promise<unknown>, done?: (t: Translate, domain: string) => string, domain?: string): Promise<CardActionResult> {
    let message = '';
    let isError = false;
    try {
      if (change) { await change(); message = done?.(t, String(domain).trim().toLowerCase()) ?? ''; }
    } catch (err) {
      if (!(err instanceof DomainRefused)) throw err;
      message = refusalText(t, err);
      isError = true;
    }
    try {
      const view = await listDomains(this.db, who);
      return { card: domainsCard({ organisation: view.legalName, domains: view.domains, message, isError }, t).content };
    } catch (err) {
      if (err instanceof DomainRefused) return { message: refusalText(t, err) };
      throw err;
    }
  }
}

/** The Join button on an invitation message: runs `join CODE` for the invitee, as if typed. */
export function invitationJoinRoutes(dialogs: DialogSet, commands: CommandRunner): CardActionRoute[] {
  return [
    cardAction({
      verb: 'invitation.join',
      data: z.object({ code: z.string().trim().regex(/^[A-Za-z0-9]{6,20}$/, 'an invitation code (letters and digits)') }),
      async handle(ctx, data) {
        const t = tOf(ctx.turn);
        const spec = COMMANDS.find((c) => c.name === 'join' && c.scopes.includes(ctx.scope));
        if (!spec) return { message: t('invitations:join.personalOnly') };
        await commands.run(ctx.turn, () => dialogs.createContext(ctx.turn), ctx.who, ctx.scope, spec, data.code);
        return { message: t('invitations:join.started') };
      },
    }),
  ];
}
