// User management in chat (seed 003): `users [role]`, `add user`, `remove user <email>` and the
// roles card. Rules, authorization and auditing live in services/people; this file turns them
// into cards and messages, and tells a person they were added.
import type { TurnContext } from 'botbuilder';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { z } from 'zod';
import { addUserCard, type AddUserValues } from '../../cards/addUserCard';
import { confirmCard } from '../../cards/confirmCard';
import { memberRolesCard } from '../../cards/memberRolesCard';
import { roleTitle, rolesText } from '../../cards/peopleText';
import { userCreatedCard } from '../../cards/userCreatedCard';
import { usersListCard } from '../../cards/usersListCard';
import type { Translate } from '../../i18n';
import type { Catalogue } from '../../services/competencies/catalogue';
import { authorize } from '../../services/access/actor';
import { authorized } from '../../services/access/authorization';
import { ROLES, type Role } from '../../services/access/capabilities';
import type { Identity } from '../../services/access/identity';
import { collections } from '../../services/db/collections';
import type { Directory } from '../../services/directory';
import type { Outbox } from '../../services/outbox/outbox';
import { addUser } from '../../services/people/addUser';
import { roleFromWords, splitChoices } from '../../services/people/inputs';
import { listMembers } from '../../services/people/listMembers';
import type { MemberDoc } from '../../services/people/members';
import { memberToRemove, removeUser } from '../../services/people/removeUser';
import { rolesOfMember, setRoles } from '../../services/people/setRoles';
import { cardAction, type CardActionResult, type CardActionRoute } from '../cardActions';
import type { CommandHandler } from '../commandRunner';
import { recipientTranslator, tOf } from '../turnLanguage';
import { refusalText } from './peopleRefusals';
import type { PersonReach } from './reach';

const PAGE_SIZE = 20;
const text = (max: number) => z.string().max(max);
const choices = z.string().max(500).optional();
const aadObjectId = z.string().min(1).max(200);

/** Replies with a card action's result in a command turn. */
export async function reply(turn: TurnContext, result: CardActionResult): Promise<void> {
  await turn.sendActivity('card' in result ? { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: result.card }] } : result.message);
}

/** Runs `work`; a refusal becomes its sentence, anything else is a bug and propagates. */
export async function refusing(t: Translate, work: () => Promise<CardActionResult>): Promise<CardActionResult> {
  try {
    return await work();
  } catch (err) {
    const message = refusalText(t, err);
    if (message === undefined) throw err;
    return { message };
  }
}

export class PeopleActions {
  constructor(
    private readonly db: Db,
    private readonly directory: Directory,
    private readonly outbox: Outbox,
    private readonly reach: PersonReach,
    private readonly logger: Logger,
    /** The competency catalogue in use, for the re-evaluation after a removal. */
    private readonly catalogue?: Catalogue,
  ) {}

  commands(): Record<string, CommandHandler> {
    return {
      users: async (turn, who, args) => {
        const t = tOf(turn);
        const words = args.trim();
        const role = words ? roleFromWords(words) : undefined;
        if (words && !role) {
          await turn.sendActivity(t('people:list.unknownRole', { text: words.slice(0, 60), roles: ROLES.map((r) => roleTitle(t, r)).join(', ') }));
          return;
        }
        await reply(turn, await this.list(t, who, role, 0));
      },
      // `add user` (plain `add`, as the help card sends it, too).
      add: async (turn, who, args) => {
        const t = tOf(turn);
        if (!/^(users?)?$/i.test(args.trim())) { await turn.sendActivity(t('people:add.usage')); return; }
        await reply(turn, await this.addForm(t, who));
      },
      remove: async (turn, who, args) => {
        const t = tOf(turn);
        const email = /^users?\s+(\S+)$/i.exec(args.trim())?.[1];
        if (!email) { await turn.sendActivity(t('people:remove.usage')); return; }
        await reply(turn, await this.confirmRemoval(t, who, email));
      },
    };
  }

  routes(): CardActionRoute[] {
    return [
      cardAction({
        verb: 'people.page',
        data: z.object({ page: z.coerce.number().int().min(0).max(10_000), role: z.union([z.enum(ROLES), z.literal('')]).optional() }),
        handle: (ctx, data) => this.list(tOf(ctx.turn), ctx.who, data.role || undefined, data.page),
      }),
      cardAction({
        verb: 'people.addForm',
        data: z.object({}),
        handle: (ctx) => this.addForm(tOf(ctx.turn), ctx.who),
      }),
      cardAction({
        verb: 'people.add',
        data: z.object({ displayName: text(300).optional(), email: text(400).optional(), roles: choices, contactTypes: choices }),
        handle: (ctx, data) => {
          const t = tOf(ctx.turn);
          // The temporary password may only ever be shown in the admin's personal chat.
          if (ctx.scope !== 'personal') return Promise.resolve({ message: t('people:add.personalOnly') });
          return this.add(t, ctx.who, data);
        },
      }),
      cardAction({
        verb: 'people.roles',
        data: z.object({ aadObjectId }),
        handle: (ctx, data) => {
          const t = tOf(ctx.turn);
          return refusing(t, async () => ({ card: memberRolesCard(t, await rolesOfMember(this.db, ctx.who, data.aadObjectId)).content }));
        },
      }),
      cardAction({
        verb: 'people.setRoles',
        data: z.object({ aadObjectId, roles: choices, contactTypes: choices }),
        handle: (ctx, data) => this.saveRoles(tOf(ctx.turn), ctx.who, data.aadObjectId, data.roles, data.contactTypes),
      }),
      cardAction({
        verb: 'people.confirmRemove',
        data: z.object({ email: text(400) }),
        handle: (ctx, data) => this.confirmRemoval(tOf(ctx.turn), ctx.who, data.email),
      }),
      cardAction({
        verb: 'people.remove',
        data: z.object({ email: text(400) }),
        handle: (ctx, data) => this.remove(tOf(ctx.turn), ctx.who, data.email),
      }),
      cardAction({
        verb: 'people.cancel',
        data: z.object({}),
        handle: async (ctx) => {
          const t = tOf(ctx.turn);
          return { message: t('people:cancelled') };
        },
      }),
    ];
  }

  private list(t: Translate, who: Identity, role: Role | undefined, page: number): Promise<CardActionResult> {
    return refusing(t, async () => {
      const list = await listMembers(this.db, who, { role, page, pageSize: PAGE_SIZE });
      if (list.total === 0 && role) return { message: t('people:list.noneWithRole', { role: roleTitle(t, role) }) };
      return { card: usersListCard(t, list).content };
    });
  }

  private addForm(t: Translate, who: Identity, values: AddUserValues = {}): Promise<CardActionResult> {
    return refusing(t, async () => {
      const actor = await authorize(this.db, who, 'user.add');
      return { card: addUserCard(t, { organisation: actor.org.legalName, canAssignGlobalAdmin: authorized(actor.principals, 'role.assignGlobalAdmin'), ...values }).content };
    });
  }

  private async add(t: Translate, who: Identity, data: AddUserValues): Promise<CardActionResult> {
    try {
      const result = await addUser(this.db, this.directory, who, {
        displayName: data.displayName ?? '', email: data.email ?? '', roles: splitChoices(data.roles), contactTypes: splitChoices(data.contactTypes),
      });
      const roles = rolesText(t, result.member.roles, result.member.contactTypes);
      if (result.outcome === 'created') {
        // The only place the password goes: this reply, in the admin's personal chat.
        return { card: userCreatedCard(t, { displayName: result.member.displayName, organisation: result.organisation, userPrincipalName: result.userPrincipalName, temporaryPassword: result.temporaryPassword, roles }).content };
      }
      const told = await this.tellAdded(result.member, result.organisation, who);
      const vars = { name: result.member.displayName, email: result.member.email, organisation: result.organisation, roles };
      return { message: told ? t('people:add.added', vars) : t('people:add.addedNotTold', vars) };
    } catch (err) {
      const message = refusalText(t, err);
      if (message === undefined) throw err;
      // The form again, with what was typed and what is wrong (or just the reason if they may not add users).
      const form = await this.addForm(t, who, { ...data, message });
      return 'card' in form ? form : { message };
    }
  }

  /** Tells a person found in the directory that they were added; false if they cannot be reached yet. */
  private async tellAdded(member: MemberDoc, organisation: string, by: Identity): Promise<boolean> {
    const reference = await this.reach.referenceFor(member.tenantId, member.aadObjectId);
    if (!reference) return false;
    const t = await recipientTranslator(this.db, member.tenantId, member.aadObjectId);
    const adder = (await this.db.collection<MemberDoc>(collections.members).findOne({ tenantId: by.tenantId, aadObjectId: by.aadObjectId }, { projection: { displayName: 1 } }))?.displayName ?? by.name ?? '';
    await this.outbox.enqueue({
      key: `user-added:${member._id}:${member.associatedAt.getTime()}`,
      target: { tenantId: member.tenantId, reference },
      activity: { type: 'message', text: t('people:add.told', { by: adder, organisation, roles: rolesText(t, member.roles, member.contactTypes) }) },
    });
    return true;
  }

  private saveRoles(t: Translate, who: Identity, aadObjectId: string, roles?: string, contactTypes?: string): Promise<CardActionResult> {
    return refusing(t, async () => {
      try {
        const saved = await setRoles(this.db, who, aadObjectId, { roles: splitChoices(roles), contactTypes: splitChoices(contactTypes) });
        return { card: memberRolesCard(t, saved, saved.changed ? t('people:roles.saved') : t('people:roles.unchanged')).content };
      } catch (err) {
        const message = refusalText(t, err);
        if (message === undefined) throw err;
        // The card as it now is, with the reason on it.
        return { card: memberRolesCard(t, await rolesOfMember(this.db, who, aadObjectId), message, true).content };
      }
    });
  }

  private confirmRemoval(t: Translate, who: Identity, email: string): Promise<CardActionResult> {
    return refusing(t, async () => {
      const member = await memberToRemove(this.db, who, email);
      return {
        card: confirmCard({
          title: t('people:remove.confirmTitle', { name: member.displayName }),
          text: t('people:remove.confirmText', { name: member.displayName, email: member.email }),
          confirmButton: t('people:remove.confirm'), cancelButton: t('people:remove.keep'),
          verb: 'people.remove', data: { email: member.email },
        }).content,
      };
    });
  }

  private remove(t: Translate, who: Identity, email: string): Promise<CardActionResult> {
    return refusing(t, async () => {
      const result = await removeUser(this.db, who, email, {
        outbox: this.outbox,
        catalogue: this.catalogue,
        onAtRiskError: (err) => this.logger.warn({ err }, 'competency check after a removal failed; it runs again with the next event'),
      });
      const lines = [t('people:remove.done', { name: result.member.displayName, organisation: result.organisation })];
      const drops = result.atRisk?.drops.length ?? 0;
      if (drops > 0) lines.push(t('people:remove.atRisk', { count: drops, levels: result.atRisk!.drops.map((d) => d.label).join(', ') }));
      return { message: lines.join('\n\n') };
    });
  }
}
