// GET /api/reports/skills?org=…&token=…: the skills report download the bot hands out as a
// link. The token (services/reports/reportLinks) is the only credential: signed, expiring, for
// one organisation. A bad one gets 403 and a short plain sentence, never data. The CSV is
// streamed from the database as the client reads it, and never cached on the way.
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import type { Request, Response, Server } from 'restify';
import { botLanguage, translator, type Translate } from '../i18n';
import type { Catalogue } from '../services/competencies/catalogue';
import { errorText } from '../services/queue/errorText';
import { ReportLinkError, type ReportLinkFailure } from '../services/reports/reportLinks';
import { openSkillsReport } from '../services/reports/skillsReport';

export const SKILLS_REPORT_PATH = '/api/reports/skills';

export interface ReportRouteDeps {
  db: Db;
  secret: string;
  catalogue: Catalogue;
  logger: Logger;
}

let processSecret: string | undefined;

/** REPORT_LINK_SECRET, or (local mode, unset) one random secret for this process's lifetime. */
export function reportLinkSecret(configured: string | undefined): string {
  return configured ?? (processSecret ??= randomBytes(32).toString('hex'));
}

const NO_STORE = { 'cache-control': 'no-store, private', pragma: 'no-cache', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

export function mountReportRoute(server: Server, deps: ReportRouteDeps): void {
  server.get(SKILLS_REPORT_PATH, async (req: Request, res: Response) => {
    const t = translator(preferredLanguage(req.header('accept-language')));
    const query = new URL(req.url ?? '', 'http://localhost').searchParams;
    const tokens = query.getAll('token');
    const orgs = query.getAll('org');
    if (tokens.length !== 1 || orgs.length !== 1 || !/^\d{1,12}$/.test(orgs[0])) {
      plain(res, 403, refusalText(t, 'malformed'));
      return;
    }
    let report;
    try {
      report = await openSkillsReport(deps.db, tokens[0], orgs[0], { secret: deps.secret, catalogue: deps.catalogue });
    } catch (err) {
      if (err instanceof ReportLinkError) {
        deps.logger.info({ event: 'report.refused', reason: err.reason }, 'skills report link refused');
        plain(res, 403, refusalText(t, err.reason));
        return;
      }
      deps.logger.error({ event: 'report.failed', error: errorText(err) }, 'skills report could not be opened');
      plain(res, 500, t('competencies:report.failed'));
      return;
    }
    res.writeHead(200, { ...NO_STORE, 'content-type': report.contentType, 'content-disposition': `attachment; filename="${report.filename}"` });
    try {
      await pipeline(report.body, res);
      deps.logger.info({ event: 'report.downloaded', orgId: orgs[0] }, 'skills report sent');
    } catch (err) {
      // Headers are gone: all that is left is to cut the response so the file is visibly incomplete.
      deps.logger.warn({ event: 'report.interrupted', orgId: orgs[0], error: errorText(err) }, 'skills report stream ended early');
      res.destroy();
    }
  });
}

function refusalText(t: Translate, reason: ReportLinkFailure): string {
  switch (reason) {
    case 'malformed': return t('competencies:report.refused.malformed');
    case 'tampered': return t('competencies:report.refused.tampered');
    case 'expired': return t('competencies:report.refused.expired');
    case 'wrongOrganisation': return t('competencies:report.refused.wrongOrganisation');
  }
}

function plain(res: Response, status: number, text: string): void {
  const body = `${text}\n`;
  res.writeHead(status, { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The browser's languages by preference ("fr-FR,fr;q=0.9,en;q=0.8"), the first the bot speaks. */
export function preferredLanguage(header: string | undefined): string {
  if (!header) return botLanguage();
  const ranked = header.split(',').slice(0, 20).map((part, i) => {
    const [tag, ...params] = part.trim().split(';');
    const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
    return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, i };
  }).filter((l) => l.tag && l.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  return botLanguage(...ranked.map((l) => l.tag));
}
