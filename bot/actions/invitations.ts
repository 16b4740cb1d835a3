// The PPC's side of invitations and pre-approved domains in chat: the `invite`, `invitations`
// and `domains` commands and their buttons. Rules live in services/invitations and
// services/organisations/preApprovedDomains.
import type { TurnContext } from 'botbuilder';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { domainsCard } from '../../cards/domainsCard';
import { formatTime } from '../../cards/format';
import { inviteCard } from '../../cards/inviteCard';
import type { Identity } from '../../services/access/identity';
import { organisationOf } from '../../services/associations/decide';
import { collections } from '../../services/db/collections';
import { invite, InvitationRefused, openInvitations, revokeInvitation, type InviteResult } from '../../services/invitations/invitations';
import type { OrganisationDoc } from '../../services/organisations/organisation';
import { addDomain, DomainRefused, listDomains, removeDomain } from '../../services/organisations/preApprovedDomains';
import { getProfile } from '../../services/people/profiles';
import { cardAction, type CardActionResult, type CardActionRoute } from '../cardActions';

export class InvitationActions {
  /** `botAppId` builds the Teams deep link; in local mode there is none and the code is shown. */
  constructor(private readonly db: Db, private readonly botAppId: string | undefined) {}

  async inviteCommand(turn: TurnContext, who: Identity, args: string): Promise<void> {
    if (!args.trim()) {
      const result = await this.inviteForm(who);
      await turn.sendActivity('card' in result ? { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: result.card }] } : result.message);
      return;
    }
    const language = (await getProfile(this.db, who)).language;
    await turn.sendActivity((await this.send(who, args, language)).message);
  }

  async domainsCommand(turn: TurnContext, who: Identity): Promise<void> {
    const result = await this.domainsView(who);
    await turn.sendActivity('card' in result ? { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: result.card }] } : result.message);
  }

  async invitationsCommand(turn: TurnContext, who: Identity): Promise<void> {
    try {
      const open = await openInvitations(this.db, who);
      if (open.length === 0) { await turn.sendActivity('There are no open invitations. Type **invite** to invite colleagues.'); return; }
      const lines = open.map((i) => `- ${i.email} (expires ${formatTime(i.expiresAt)})`);
      await turn.sendActivity({
        text: `Open invitations (${open.length}):\n${lines.join('\n')}`,
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: {
          type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Revoke an invitation', weight: 'Bolder' }],
          actions: open.slice(0, 20).map((i) => ({ type: 'Action.Execute', title: `Revoke ${i.email}`, verb: 'invitations.revoke', data: { invitationId: i._id },
            fallback: { type: 'Action.Submit', title: `Revoke ${i.email}`, data: { verb: 'invitations.revoke', invitationId: i._id } } })),
        } }],
      });
    } catch (err) {
      if (!(err instanceof InvitationRefused)) throw err;
      await turn.sendActivity(err.message);
    }
  }

  routes(): CardActionRoute[] {
    return [
      cardAction({
        verb: 'invite.send',
        data: z.object({ addresses: z.string().max(40_000, 'The list is too long: at most 500 addresses.'), language: z.string().max(10) }),
        handle: async (ctx, data) => {
          const result = await this.send(ctx.who, data.addresses, data.language);
          if (result.refused) return this.inviteForm(ctx.who, { addresses: data.addresses, language: data.language, message: result.message });
          return { message: result.message };
        },
      }),
      cardAction({
        verb: 'invitations.revoke',
        data: z.object({ invitationId: z.string().uuid('an invitation id') }),
        handle: async (ctx, data) => {
          try {
            return { message: (await revokeInvitation(this.db, ctx.who, data.invitationId)) ? 'Invitation revoked: its code no longer works for that address.' : 'That invitation is no longer open.' };
          } catch (err) {
            if (err instanceof InvitationRefused) return { message: err.message };
            throw err;
          }
        },
      }),
      cardAction({
        verb: 'domains.add',
        data: z.object({ domain: z.string().max(300, 'A domain is at most 253 characters.').optional() }),
        handle: (ctx, data) => this.domainsView(ctx.who, () => addDomain(this.db, ctx.who, data.domain ?? ''), (d) => `${d} added.`, data.domain),
      }),
      cardAction({
        verb: 'domains.remove',
        data: z.object({ domain: z.string().max(300) }),
        handle: (ctx, data) => this.domainsView(ctx.who, () => removeDomain(this.db, ctx.who, data.domain), (d) => `${d} removed.`, data.domain),
      }),
    ];
  }

  private async send(who: Identity, addresses: string, language: string): Promise<{ message: string; refused?: boolean }> {
    let result: InviteResult;
    try {
      result = await invite(this.db, who, { addresses, language });
    } catch (err) {
      if (err instanceof InvitationRefused) return { message: err.message, refused: true };
      throw err;
    }
    return { message: this.describe(result) };
  }

  private describe(r: InviteResult): string {
    const lines: string[] = [];
    if (r.invited.length) lines.push(`Invited ${r.invited.length} to ${r.organisation}: ${r.invited.join(', ')}. The invitation expires on ${formatTime(r.expiresAt!)}.`);
    if (r.invalid.length) lines.push(`Not e-mail addresses (skipped): ${r.invalid.join(', ')}`);
    if (r.duplicates.length) lines.push(`Listed more than once: ${r.duplicates.join(', ')}`);
    if (r.alreadyMembers.length) lines.push(`Already associated (skipped): ${r.alreadyMembers.join(', ')}`);
    if (r.code) {
      const join = `join ${r.code}`;
      lines.push(this.botAppId
        ? `Share this link: https://teams.microsoft.com/l/chat/0/0?users=28:${this.botAppId}&message=${encodeURIComponent(join)} (it opens a chat with me, with "${join}" ready to send).`
        : `Share this with them: open a chat with me and type "${join}". (Local mode has no Teams link.)`);
      lines.push('I show the code only now; it is not stored. Type **invitations** to see or revoke open invitations.');
    }
    if (!r.invited.length && !lines.length) lines.push('Nobody was invited.');
    return lines.join('\n');
  }

  private async inviteForm(who: Identity, values: { addresses?: string; language?: string; message?: string } = {}): Promise<CardActionResult> {
    const orgId = await organisationOf(this.db, who);
    const org = orgId ? await this.db.collection<OrganisationDoc>(collections.organisations).findOne({ _id: orgId, tenantId: who.tenantId }) : null;
    if (!org) return { message: 'Only the Primary Program Contact or a global admin can invite people.' };
    return { card: inviteCard({ organisation: org.legalName, ...values }).content };
  }

  private async domainsView(who: Identity, change?: () => Promise<unknown>, done?: (domain: string) => string, domain?: string): Promise<CardActionResult> {
    let message = '';
    let isError = false;
    try {
      if (change) { await change(); message = done?.(String(domain).trim().toLowerCase()) ?? ''; }
    } catch (err) {
      if (!(err instanceof DomainRefused)) throw err;
      message = err.message;
      isError = true;
    }
    try {
      const view = await listDomains(this.db, who);
      return { card: domainsCard({ organisation: view.legalName, domains: view.domains, message, isError }).content };
    } catch (err) {
      if (err instanceof DomainRefused) return { message: err.message };
      throw err;
    }
  }
}
