// Every card template, rendered by the Adaptive Cards renderer in headless Chromium with Teams-like
// host configs (light and dark), with realistic data: it parses as schema 1.5 (an element this
// renderer does not know must carry a fallback), fits Teams' size limits, shows the text and
// buttons it should, and each click hands over exactly the verb and data the bot routes on.
// Screenshots land in test/browser/screenshots/ (git-ignored) for people to look at.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CARD_SAMPLES, type CardSample, type Click } from '../support/sampleCards';
import { CLICKABLE, clickableNames, openCardPage, renderCard, takeExecuted } from './cardPage';
import { chromiumAvailable, launchChromium } from './chromium';
import { THEMES } from './hostConfigs';

const SCREENSHOTS = join(__dirname, 'screenshots');
const CARDS_DIR = join(__dirname, '..', '..', 'cards');
/**
 * Teams' documented limits: a bot message is at most 40 KB counted in UTF-16 (newer pages say
 * ~100 KB); a card posted through Workflows or an incoming webhook at most 28 KB. A card is held
 * to both, so it can be posted anywhere.
 */
const CARD_LIMIT_BYTES = 28 * 1024;
const MESSAGE_LIMIT_UTF16_BYTES = 40 * 1024;

function slug(name: string): string {
  return name.toLowerCase().normalize('NFD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function objects(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) value.forEach((v) => objects(v, out));
  else if (value && typeof value === 'object') { out.push(value as Record<string, unknown>); Object.values(value).forEach((v) => objects(v, out)); }
  return out;
}

/** Parse events other than "unknown element, fallback used" for an element that has a fallback. */
function parseProblems(events: string[], content: unknown): string[] {
  const elements = objects(content);
  return events.filter((e) => {
    const type = /^Unknown element type "([^"]+)"\. Fallback will be used if present\.$/.exec(e)?.[1];
    return !type || elements.some((el) => el.type === type && !el.fallback);
  });
}

/** Clients without Action.Execute (Web Chat, older Teams) run the fallback: it must send the same. */
function fallbackProblems(content: unknown): string[] {
  // A refresh is not a button: Teams runs it, and clients without Execute ignore it.
  const refresh = (content as { refresh?: { action?: unknown } }).refresh?.action;
  return objects(content).filter((o) => o.type === 'Action.Execute' && o !== refresh).flatMap((action) => {
    const fallback = action.fallback as Record<string, unknown> | undefined;
    const expected = { verb: action.verb, ...(action.data as object | undefined) };
    if (fallback?.type !== 'Action.Submit') return [`${String(action.verb)}: no Action.Submit fallback`];
    const problems: string[] = [];
    if (fallback.title !== action.title) problems.push(`${String(action.verb)}: fallback titled ${String(fallback.title)}`);
    try { assert.deepEqual(fallback.data, expected); } catch { problems.push(`${String(action.verb)}: fallback sends ${JSON.stringify(fallback.data)}, not ${JSON.stringify(expected)}`); }
    if (fallback.associatedInputs !== action.associatedInputs) problems.push(`${String(action.verb)}: fallback gathers other inputs`);
    return problems;
  });
}

function visible(text: string): string {
  return text.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();
}

/** Fills (and ticks) what the sample asks for, as soon as it is on screen (a ShowCard's inputs after it opens). */
async function fillShown(page: Page, fill: Map<string, string>, tick: Set<string>): Promise<void> {
  for (const [label, value] of fill) {
    const input = page.getByLabel(label, { exact: false });
    if (!(await input.isVisible())) continue;
    const tag = await input.evaluate((el) => (el as { tagName: string }).tagName);
    if (tag === 'SELECT') await input.selectOption({ label: value });
    else if (tag === 'INPUT' || tag === 'TEXTAREA') await input.fill(value);
    else if (await input.locator('input[list]').count()) await input.locator('input[list]').fill(value); // a filtered choice set: type the title
    else await input.getByLabel(value, { exact: true }).check(); // an expanded choice set: radios or boxes
    fill.delete(label);
  }
  for (const label of tick) {
    const box = page.getByRole('checkbox', { name: label, exact: false });
    if (await box.isVisible()) { await box.check(); tick.delete(label); }
  }
}

/** Clicks every clickable in order, including those a click reveals, and says what each sent. */
async function clickEverything(page: Page, sample: CardSample): Promise<unknown[]> {
  const fill = new Map(Object.entries(sample.fill ?? {}));
  const tick = new Set(sample.tick ?? []);
  const results: unknown[] = [];
  for (let i = 0; i < 100; i++) {
    await fillShown(page, fill, tick);
    const names = await clickableNames(page);
    if (i >= names.length) break;
    const target = page.locator(CLICKABLE).nth(i);
    await target.click();
    const sent = await takeExecuted(page);
    const name = names[i];
    if (sent.length === 0) {
      // Nothing sent: a ShowCard that opened, or inputs that failed validation (say which).
      const expanded = await target.getAttribute('aria-expanded');
      results.push(expanded === 'true' ? { name, opens: true } : { name, blocked: visible(await page.locator('#card').innerText()) });
    } else if (sent.length > 1) results.push({ name, sentMany: sent });
    else if (sent[0].type === 'Action.OpenUrl') results.push({ name, url: sent[0].url });
    else if (sent[0].type === 'Action.Submit') results.push({ name, submit: sent[0].data });
    else results.push({ name, verb: sent[0].verb, data: sent[0].data });
  }
  assert.deepEqual([...fill.keys(), ...tick], [], 'inputs to fill that never showed');
  return results;
}

if (chromiumAvailable('Cards in headless Chromium')) {
  describe('every card in headless Chromium, Teams-like light and dark themes', function () {
    this.timeout(60_000);
    let browser: Browser;
    let page: Page;

    before(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 520, height: 900 } });
      await openCardPage(page);
    });
    after(async () => { await browser?.close(); });

    it('has samples for every card template in cards/', () => {
      const templates = readdirSync(CARDS_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
      assert.deepEqual([...new Set(CARD_SAMPLES.map((s) => s.template))].sort(), templates);
    });

    for (const sample of CARD_SAMPLES) {
      it(`${sample.name}: parses as 1.5, fits, shows its text, each click sends what the bot expects`, async () => {
        const json = JSON.stringify(sample.content);
        assert.ok(Buffer.byteLength(json) < CARD_LIMIT_BYTES, `the card is ${Buffer.byteLength(json)} bytes`);
        const message = JSON.stringify({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: sample.content }] });
        assert.ok(message.length * 2 < MESSAGE_LIMIT_UTF16_BYTES, `the message is ${message.length * 2} bytes in UTF-16`);
        assert.deepEqual(fallbackProblems(sample.content), []);

        for (const theme of THEMES) {
          const rendered = await renderCard(page, sample.content, theme);
          assert.deepEqual(parseProblems(rendered.parseEvents, sample.content), [], `${theme.name}: parse`);
          assert.deepEqual(rendered.validationEvents, [], `${theme.name}: validation`);
          const text = visible(await page.locator('#card').innerText());
          for (const expected of sample.shows) assert.ok(text.includes(visible(expected)), `${theme.name}: "${expected}" is not shown in: ${text}`);
          assert.equal(/\$\{|\{\{/.test(text), false, `${theme.name}: a template expression is shown`);
          await page.locator('#card').screenshot({ path: join(SCREENSHOTS, `${slug(sample.name)}.${theme.name}.png`) });
          // What a user sees as buttons before clicking anything: every click not behind a ShowCard.
          const opensAt = sample.clicks.findIndex((c) => 'opens' in c);
          const shown = sample.clicks.filter((c, i) => opensAt < 0 || i <= opensAt || !isInsideShowCard(sample, c)).map((c) => c.name);
          assert.deepEqual(await clickableNames(page), shown, `${theme.name}: buttons`);
        }
        // Clicks are the same whatever the theme: the card is clicked through once (dark, as left).
        assert.deepEqual(await clickEverything(page, sample), sample.clicks);
      });
    }
  });
}

/** The approval card's Reject sits inside its ShowCard: hidden until it opens. */
function isInsideShowCard(sample: CardSample, click: Click): boolean {
  const opens = sample.clicks.findIndex((c) => 'opens' in c);
  return opens >= 0 && sample.clicks.indexOf(click) > opens;
}
