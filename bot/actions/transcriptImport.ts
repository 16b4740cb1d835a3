// Transcript import in chat (DESIGN §3): a global admin or MPN partner admin sends a CSV file to
// the bot in their personal chat. Teams delivers a file as an attachment of contentType
// 'application/vnd.microsoft.teams.file.download.info' whose content.downloadUrl is a
// short-lived, pre-authorised https link (no bot token is sent with it); Web Chat over Direct
// Line (local mode) sends an attachment with a contentUrl. The file is streamed from there into
// the importer (never held whole in memory), after the turn has been answered: a big file takes
// longer than Teams waits for a turn, so the work goes on in the background and reports through
// proactive messages: one "importing…" message updated every 10,000 rows, then a summary card.
// An import cut short (the instance stopped) can simply be sent again: importing is idempotent.
import { TurnContext, type Activity } from 'botbuilder';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { importSummaryCard } from '../../cards/importSummaryCard';
import type { Translate } from '../../i18n';
import type { Identity } from '../../services/access/identity';
import { transcriptImportAccess } from '../../services/certifications/importAccess';
import { importTranscript, TranscriptFormatError, type ImportProgress, type ImportSummary } from '../../services/certifications/importTranscript';
import type { ConversationReferenceJson } from '../../services/outbox/notification';
import type { CommandScope } from '../commands';
import type { Delivery } from '../delivery';
import { checkDownloadUrl, FileDownloadError, openDownload, type DownloadPolicy } from '../fileDownload';
import { tOf } from '../turnLanguage';
import { formatErrorText, rejectionReason } from './transcriptWording';

export const TEAMS_FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/** Attachments that are the message itself or a card, never a file someone sent. */
const NOT_FILES = /^(text\/html|text\/plain|application\/vnd\.microsoft\.(card\.|teams\.card\.))/i;

export interface SentFile { name: string; url: string; isCsv: boolean }

/** The files an activity carries, as Teams or Direct Line describe them. */
export function filesOf(activity: Partial<Activity>): SentFile[] {
  const files: SentFile[] = [];
  for (const attachment of activity.attachments ?? []) {
    const name = typeof attachment.name === 'string' ? attachment.name.slice(0, 200) : '';
    const content = attachment.content as { downloadUrl?: unknown; fileType?: unknown } | undefined;
    if (attachment.contentType === TEAMS_FILE_DOWNLOAD_INFO) {
      if (typeof content?.downloadUrl !== 'string') continue;
      const isCsv = /\.csv$/i.test(name) || (typeof content.fileType === 'string' && content.fileType.toLowerCase() === 'csv');
      files.push({ name, url: content.downloadUrl, isCsv });
    } else if (typeof attachment.contentUrl === 'string' && !NOT_FILES.test(attachment.contentType ?? '')) {
      const isCsv = /\.csv$/i.test(name) || /^text\/csv\b/i.test(attachment.contentType ?? '');
      files.push({ name, url: attachment.contentUrl, isCsv });
    }
  }
  return files;
}

export interface TranscriptImportDeps {
  db: Db;
  delivery: Delivery;
  download: DownloadPolicy;
  logger: Logger;
  /** Progress is shown every this many rows read (default 10,000). */
  progressEvery?: number;
}

const SHOWN_REJECTIONS = 20;

export class TranscriptImports {
  /** Imports running on this instance, one per person at a time. */
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly deps: TranscriptImportDeps) {}

  /** Handles a message carrying files; false when it carries none (the message is routed as usual). */
  async handle(turn: TurnContext, who: Identity, scope: CommandScope): Promise<boolean> {
    const files = filesOf(turn.activity);
    if (files.length === 0) return false;
    const t = tOf(turn);
    if (scope !== 'personal') { await turn.sendActivity(t('certifications:import.personalOnly')); return true; }
    if (files.length > 1) { await turn.sendActivity(t('certifications:import.oneAtATime')); return true; }
    const [file] = files;
    const name = file.name || t('certifications:import.unnamed');
    // The kind first: a pasted picture gets "not a CSV", not a lecture on who may import.
    if (!file.isCsv) { await turn.sendActivity(t('certifications:import.notCsv', { name })); return true; }
    const access = await transcriptImportAccess(this.deps.db, who);
    if (!access.ok) { await turn.sendActivity(t('certifications:import.notAdmin')); return true; }
    const key = `${who.tenantId}:${who.aadObjectId}`;
    if (this.running.has(key)) { await turn.sendActivity(t('certifications:import.busy')); return true; }
    try {
      await checkDownloadUrl(file.url, this.deps.download);
    } catch (err) {
      if (!(err instanceof FileDownloadError)) throw err;
      this.deps.logger.warn({ reason: err.reason, detail: err.message }, 'refused to download a sent file');
      await turn.sendActivity(this.downloadFailure(t, err));
      return true;
    }
    const ack = await turn.sendActivity(t('certifications:import.started', { name }));
    const { activityId: _activityId, ...reference } = TurnContext.getConversationReference(turn.activity);
    const work = this.run(reference as unknown as ConversationReferenceJson, ack?.id, file.url, name, access.orgId, t)
      .catch((err: unknown) => this.deps.logger.error({ err }, 'transcript import failed'))
      .finally(() => this.running.delete(key));
    this.running.set(key, work);
    return true;
  }

  /** Resolves once every import running on this instance has finished (shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.running.values()]);
  }

  private async run(reference: ConversationReferenceJson, ackId: string | undefined, url: string, name: string, orgId: string, t: Translate): Promise<void> {
    const every = this.deps.progressEvery ?? 10_000;
    let shownStep = 0;
    let last: ImportProgress = { read: 0, imported: 0, rejected: 0 };
    // Progress updates go out one after another, never holding up the import itself.
    let updates = Promise.resolve();
    const show = (text: string) => {
      updates = updates.then(async () => {
        if (ackId) await this.deps.delivery.update(reference, ackId, { type: 'message', text });
        else await this.deps.delivery.send(reference, { type: 'message', text });
      }).catch((err: unknown) => this.deps.logger.warn({ err }, 'could not show import progress'));
    };
    let summary: ImportSummary;
    try {
      const source = await openDownload(url, this.deps.download);
      summary = await importTranscript(this.deps.db, source, {
        orgId,
        asOrganisationAdmin: true,
        maxRejectionsKept: SHOWN_REJECTIONS,
        onProgress: (p) => {
          last = p;
          const step = Math.floor(p.read / every);
          if (step > shownStep) {
            shownStep = step;
            show(t('certifications:import.progress', { name, read: n(t, p.read), imported: n(t, p.imported), rejected: n(t, p.rejected) }));
          }
        },
      });
    } catch (err) {
      await updates;
      await this.deps.delivery.send(reference, { type: 'message', text: this.failure(t, err, name, last) });
      return;
    }
    show(t('certifications:import.finished', { name, read: n(t, summary.read), count: summary.read }));
    await updates;
    await this.deps.delivery.send(reference, { type: 'message', attachments: [this.summaryCard(t, name, summary)] });
  }

  private summaryCard(t: Translate, name: string, s: ImportSummary) {
    const shown = s.rejections.slice(0, SHOWN_REJECTIONS);
    const more = s.rejected - shown.length;
    return importSummaryCard({
      title: t('certifications:import.summary.title', { name }),
      intro: s.rejected === 0 ? t('certifications:import.summary.allGood') : t('certifications:import.summary.someRejected', { count: s.rejected }),
      facts: [
        { title: t('certifications:import.summary.read'), value: n(t, s.read) },
        { title: t('certifications:import.summary.inserted'), value: n(t, s.inserted) },
        { title: t('certifications:import.summary.updated'), value: n(t, s.updated) },
        { title: t('certifications:import.summary.unchanged'), value: n(t, s.unchanged) },
        { title: t('certifications:import.summary.rejected'), value: n(t, s.rejected) },
      ],
      rejectedHeading: t('certifications:import.summary.rejectedHeading'),
      rejections: shown.map((r) => ({ text: t('certifications:import.summary.rejection', { line: r.line, reason: rejectionReason(t, r) }) })),
      more: more > 0 ? t('certifications:import.summary.more', { count: more }) : '',
      footer: t('certifications:import.summary.footer'),
    });
  }

  private failure(t: Translate, err: unknown, name: string, last: ImportProgress): string {
    if (err instanceof TranscriptFormatError) return t('certifications:import.badFile', { name, reason: formatErrorText(t, err) });
    if (err instanceof FileDownloadError) {
      if (err.reason === 'tooLarge' && last.imported > 0) {
        return t('certifications:import.tooLargePartial', { name, max: this.maxMb(), imported: n(t, last.imported) });
      }
      return this.downloadFailure(t, err);
    }
    this.deps.logger.error({ err }, 'transcript import failed');
    return t('certifications:import.failed', { name });
  }

  private downloadFailure(t: Translate, err: FileDownloadError): string {
    switch (err.reason) {
      case 'notAllowed': return t('certifications:import.urlRefused');
      case 'tooLarge': return t('certifications:import.tooLarge', { max: this.maxMb() });
      default: return t('certifications:import.downloadFailed');
    }
  }

  private maxMb(): string {
    return String(Math.round((this.deps.download.maxBytes / 1_048_576) * 10) / 10);
  }
}

/** 10,000 / 10 000: numbers as the reader writes them. */
function n(t: Translate, value: number): string {
  return value.toLocaleString(t('certifications:dateLocale'));
}
