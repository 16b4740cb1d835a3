// `request role` and `who is my admin` (seeds 002, 003): a member asks for roles or contact
// types and the user-management admins get a Grant / Deny card; anyone finds their global and
// account admins. After a decision every posted copy of the card shows it, and the requester is told.
import type { Db } from 'mongodb';
import { z } from 'zod';
import { roleRequestCard } from '../../cards/roleRequestCard';
import { roleRequestFormCard } from '../../cards/roleRequestFormCard';
import { rolesText } from '../../cards/peopleText';
import type { Translate } from '../../i18n';
import { AccessDenied, authorize } from '../../services/access/actor';
import type { Identity } from '../../services/access/identity';
import type { Outbox } from '../../services/outbox/outbox';
import { adminsOf } from '../../services/people/adminsOf';
import { splitChoices } from '../../services/people/inputs';
import { decideRoleRequest, decidersOf, requestRole, type RoleDecision, type RoleRequestDoc } from '../../services/people/roleRequests';
import { cardAction, type CardActionResult, type CardActionRoute } from '../cardActions';
import type { CommandHandler } from '../commandRunner';
import { recipientTranslator, tOf } from '../turnLanguage';
import { refusing, reply } from './people';
import type { PersonReach } from './reach';

const choices = z.string().max(500).optional();

export function roleRequestCardKey(requestId: string, aadObjectId: string): string {
  return `role-request:${requestId}:${aadObjectId}`;
}

export class RoleRequestActions {
  constructor(private readonly db: Db, private readonly outbox: Outbox, private readonly reach: PersonReach) {}

  commands(): Record<string, CommandHandler> {
    const admins: CommandHandler = async (turn, who) => { await turn.sendActivity(await this.adminsText(tOf(turn), who)); };
    return {
      request: async (turn, who, args) => {
        const t = tOf(turn);
        if (!/^(roles?)?$/i.test(args.trim())) { await turn.sendActivity(t('people:request.usage')); return; }
        await reply(turn, await refusing(t, async () => {
          const actor = await authorize(this.db, who, 'role.request');
          if (!actor.member) throw new AccessDenied('noOrganisation', 'role.request');
          return { card: roleRequestFormCard(t, actor.org.legalName).content };
        }));
      },
      who: async (turn, who, args) => {
        const t = tOf(turn);
        if (!/^((is|are)\s+my\s+admins?\??)?$/i.test(args.trim())) { await turn.sendActivity(t('people:admins.usage')); return; }
        await admins(turn, who, args);
      },
      admins,
    };
  }

  routes(): CardActionRoute[] {
    const decide = (decision: RoleDecision) => cardAction({
      verb: decision === 'grant' ? 'roles.grant' : 'roles.deny',
      data: z.object({ requestId: z.string().max(100) }),
      handle: (ctx, data) => this.decide(tOf(ctx.turn), ctx.who, data.requestId, decision),
    });
    return [
      cardAction({
        verb: 'roles.request',
        data: z.object({ roles: choices, contactTypes: choices, note: z.string().max(1000).optional() }),
        handle: (ctx, data) => this.request(tOf(ctx.turn), ctx.who, data),
      }),
      decide('grant'),
      decide('deny'),
    ];
  }

  async adminsText(t: Translate, who: Identity): Promise<string> {
    const orgs = await adminsOf(this.db, who);
    if (orgs.length === 0) return t('people:admins.noOrganisation');
    const names = (list: { displayName: string; email: string }[]) => (list.length ? list.map((a) => `${a.displayName} (${a.email})`).join(', ') : t('people:admins.nobody'));
    const blocks = orgs.map((o) => [
      t('people:admins.title', { organisation: o.organisation }),
      `- ${t('people:admins.globalAdmins', { names: names(o.globalAdmins) })}`,
      `- ${t('people:admins.accountAdmins', { names: names(o.accountAdmins) })}`,
      ...(o.ppc ? [`- ${t('people:admins.ppc', { name: `${o.ppc.displayName} (${o.ppc.email})` })}`] : []),
    ].join('\n'));
    return [...blocks, t('people:admins.footer')].join('\n\n');
  }

  private request(t: Translate, who: Identity, data: { roles?: string; contactTypes?: string; note?: string }): Promise<CardActionResult> {
    return refusing(t, async () => {
      const { request, organisation, deciders } = await requestRole(this.db, who, { roles: splitChoices(data.roles), contactTypes: splitChoices(data.contactTypes), note: data.note || undefined });
      const reached: string[] = [];
      for (const decider of deciders) {
        const reference = await this.reach.referenceFor(request.tenantId, decider.aadObjectId);
        if (!reference) continue;
        const dt = await recipientTranslator(this.db, request.tenantId, decider.aadObjectId);
        await this.outbox.enqueue({
          key: roleRequestCardKey(request._id, decider.aadObjectId), target: { tenantId: request.tenantId, reference },
          activity: { type: 'message', summary: dt('people:decision.summary', { name: request.requester.displayName }), attachments: [roleRequestCard(dt, request, organisation)] },
        });
        reached.push(decider.displayName);
      }
      if (reached.length === 0) return { message: t('people:request.nobody', { organisation }) };
      return { message: t('people:request.sent', { count: reached.length, names: reached.join(', '), organisation, what: rolesText(t, request.roles, request.contactTypes) }) };
    });
  }

  private decide(t: Translate, who: Identity, requestId: string, decision: RoleDecision): Promise<CardActionResult> {
    return refusing(t, async () => {
      const result = await decideRoleRequest(this.db, who, requestId, decision);
      if (result.outcome === 'decided') await this.afterDecision(result.request, result.organisation);
      return { card: roleRequestCard(t, result.request, result.organisation).content };
    });
  }

  /** Replaces every posted copy with the decided card, and tells the requester. */
  private async afterDecision(request: RoleRequestDoc, organisation: string): Promise<void> {
    for (const decider of await decidersOf(this.db, request.tenantId, request.orgId)) {
      const key = roleRequestCardKey(request._id, decider.aadObjectId);
      if (!(await this.outbox.get(key))) continue;
      const reference = await this.reach.referenceFor(request.tenantId, decider.aadObjectId);
      if (!reference) continue;
      const dt = await recipientTranslator(this.db, request.tenantId, decider.aadObjectId);
      await this.outbox.enqueue({ key: `${key}:final`, kind: 'update', updateOf: key, target: { tenantId: request.tenantId, reference }, activity: { type: 'message', attachments: [roleRequestCard(dt, request, organisation)] } });
    }
    const requester = await this.reach.referenceFor(request.tenantId, request.requester.aadObjectId);
    if (!requester) return;
    const rt = await recipientTranslator(this.db, request.tenantId, request.requester.aadObjectId);
    const vars = { by: request.decidedBy?.displayName ?? '', organisation, what: rolesText(rt, request.roles, request.contactTypes) };
    await this.outbox.enqueue({
      key: `role-result:${request._id}`, target: { tenantId: request.tenantId, reference: requester },
      activity: { type: 'message', text: request.status === 'granted' ? rt('people:decision.toldGranted', vars) : rt('people:decision.toldDenied', vars) },
    });
  }
}
