// The skills report offer (seed 004 "Download skills report"): what the report holds, and a
// download button with the signed link, which expires and opens only this organisation's report.
import template from './skillsReport.json';
import { cardAttachment, expandCard, type CardAttachment } from './render';

export interface SkillsReportCardData {
  orgId: string;
  title: string;
  intro: string;
  rowsTitle: string;
  rows: string;
  peopleTitle: string;
  people: string;
  competenciesTitle: string;
  competencies: string;
  expiresTitle: string;
  expires: string;
  warning: string;
  downloadTitle: string;
  url: string;
  backTitle: string;
}

export function skillsReportCard(data: SkillsReportCardData): CardAttachment {
  return cardAttachment(expandCard(template, data));
}
