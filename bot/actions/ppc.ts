// `transfer ppc`: pick a member, confirm, and the Primary Program Contact role moves (the rule,
// exactly one PPC, is in services/people/transferPpc). The new PPC, and the previous one when
// someone else made the change, are told.
import type { Db } from 'mongodb';
import { z } from 'zod';
import { confirmCard } from '../../cards/confirmCard';
import { transferPpcCard } from '../../cards/transferPpcCard';
import type { Translate } from '../../i18n';
import type { Identity } from '../../services/access/identity';
import { collections } from '../../services/db/collections';
import type { Outbox } from '../../services/outbox/outbox';
import type { MemberDoc } from '../../services/people/members';
import { ppcCandidates, ppcTarget, ppcTargetByEmail, transferPpc, type PpcTransferred } from '../../services/people/transferPpc';
import { cardAction, type CardActionResult, type CardActionRoute } from '../cardActions';
import type { CommandHandler } from '../commandRunner';
import { recipientTranslator, tOf } from '../turnLanguage';
import { refusing, reply } from './people';
import type { PersonReach } from './reach';

/** The picker lists this many members; anyone else is reached with `transfer ppc <email>`. */
const PICKER_LIMIT = 100;

export class PpcActions {
  constructor(private readonly db: Db, private readonly outbox: Outbox, private readonly reach: PersonReach) {}

  commands(): Record<string, CommandHandler> {
    return {
      transfer: async (turn, who, args) => {
        const t = tOf(turn);
        const match = /^(?:ppc(?:\s+(\S+))?)?$/i.exec(args.trim());
        if (!match) { await turn.sendActivity(t('people:transfer.usage')); return; }
        await reply(turn, match[1] ? await this.confirm(t, who, { email: match[1] }) : await this.picker(t, who));
      },
    };
  }

  routes(): CardActionRoute[] {
    const aadObjectId = z.string().max(200).optional();
    return [
      cardAction({ verb: 'ppc.pick', data: z.object({ aadObjectId }), handle: (ctx, data) => this.confirm(tOf(ctx.turn), ctx.who, { aadObjectId: data.aadObjectId ?? '' }) }),
      cardAction({ verb: 'ppc.transfer', data: z.object({ aadObjectId: z.string().min(1).max(200) }), handle: (ctx, data) => this.transfer(tOf(ctx.turn), ctx.who, data.aadObjectId) }),
    ];
  }

  private picker(t: Translate, who: Identity): Promise<CardActionResult> {
    return refusing(t, async () => {
      const list = await ppcCandidates(this.db, who, PICKER_LIMIT);
      if (list.total === 0) return { message: t('people:transfer.nobody', { organisation: list.organisation }) };
      return { card: transferPpcCard(t, list).content };
    });
  }

  private confirm(t: Translate, who: Identity, target: { email: string } | { aadObjectId: string }): Promise<CardActionResult> {
    return refusing(t, async () => {
      const { organisation, member } = 'email' in target ? await ppcTargetByEmail(this.db, who, target.email) : await ppcTarget(this.db, who, target.aadObjectId);
      return {
        card: confirmCard({
          title: t('people:transfer.confirmTitle', { name: member.displayName }),
          text: t('people:transfer.confirmText', { name: member.displayName, organisation }),
          confirmButton: t('people:transfer.confirm'), cancelButton: t('people:transfer.keep'),
          verb: 'ppc.transfer', data: { aadObjectId: member.aadObjectId },
        }).content,
      };
    });
  }

  private transfer(t: Translate, who: Identity, aadObjectId: string): Promise<CardActionResult> {
    return refusing(t, async () => {
      const done = await transferPpc(this.db, who, aadObjectId);
      await this.tell(done, who);
      return { message: t('people:transfer.done', { name: done.newPpc.displayName, organisation: done.organisation }) };
    });
  }

  private async tell(done: PpcTransferred, by: Identity): Promise<void> {
    const members = this.db.collection<MemberDoc>(collections.members);
    const nameOf = async (aadObjectId: string) => (await members.findOne({ tenantId: done.tenantId, aadObjectId }, { projection: { displayName: 1 } }))?.displayName ?? '';
    const byName = (await nameOf(by.aadObjectId)) || by.name || '';
    const stamp = `${done.orgId}:${done.newPpc.aadObjectId}:${Date.now()}`;
    const newPpc = await this.reach.referenceFor(done.tenantId, done.newPpc.aadObjectId);
    if (newPpc) {
      const t = await recipientTranslator(this.db, done.tenantId, done.newPpc.aadObjectId);
      await this.outbox.enqueue({ key: `ppc-new:${stamp}`, target: { tenantId: done.tenantId, reference: newPpc }, activity: { type: 'message', text: t('people:transfer.toldNew', { by: byName, organisation: done.organisation }) } });
    }
    if (done.previousPpc === by.aadObjectId) return;
    const previous = await this.reach.referenceFor(done.tenantId, done.previousPpc);
    if (previous) {
      const t = await recipientTranslator(this.db, done.tenantId, done.previousPpc);
      await this.outbox.enqueue({ key: `ppc-previous:${stamp}`, target: { tenantId: done.tenantId, reference: previous }, activity: { type: 'message', text: t('people:transfer.toldPrevious', { by: byName, name: done.newPpc.displayName, organisation: done.organisation }) } });
    }
  }
}
