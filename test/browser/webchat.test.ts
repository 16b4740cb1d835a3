// The local browser chat end to end in headless Chromium: Microsoft's Web Chat on the page the bot
// serves in local mode, two or three personas in their own pages, everything asserted on what
// each page shows. Oliver (not pre-approved) associates, Priya (PPC) approves from the card in
// her chat, Oliver is told, links his MCID with the code local mode prints, Gabriel (global admin)
// sees him counted in competency status; then Emma asks with an address that needs approval and
// Priya rejects it with a reason, which Emma reads.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { importTranscript } from '../../services/certifications/importTranscript';
import { openTestStore, type TestStore } from '../support/store';
import { startTestBot, storeUri, type TestBot } from '../support/botHarness';
import { chromiumAvailable, launchChromium } from './chromium';

const SCREENSHOTS = join(__dirname, 'screenshots');
/** Web Chat polls every 500 ms; proactive messages go through the outbox first. */
const SHOWN_WITHIN_MS = 15_000;

/** One persona's tab: the chat page with Web Chat. */
class ChatTab {
  private constructor(readonly page: Page, readonly name: string) {}

  static async open(browser: Browser, botUrl: string, persona: string): Promise<ChatTab> {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    await page.goto(`${botUrl}/?as=${persona}`);
    const tab = new ChatTab(page, persona);
    await tab.sendBox.waitFor({ timeout: SHOWN_WITHIN_MS });
    return tab;
  }

  get sendBox(): Locator { return this.page.locator('[data-id="webchat-sendbox-input"]'); }
  get transcript(): Locator { return this.page.locator('#webchat'); }

  /** Types a message and sends it, as a person does; waits until it shows as sent. */
  async say(text: string): Promise<void> {
    await this.sendBox.fill(text);
    await this.sendBox.press('Enter');
    await this.sees(text);
  }

  /** Waits until the transcript shows the text (the newest occurrence), and returns it. */
  async sees(text: string | RegExp): Promise<Locator> {
    const found = this.transcript.getByText(text).last();
    await this.shown(found, text);
    return found;
  }

  /** The newest Adaptive Card showing this text. */
  async card(text: string | RegExp): Promise<Locator> {
    const card = this.transcript.locator('.ac-adaptiveCard').filter({ hasText: text }).last();
    await this.shown(card, text);
    return card;
  }

  /** Waits for it; on time-out the failure says what the page showed instead. */
  private async shown(locator: Locator, text: string | RegExp): Promise<void> {
    try {
      await locator.waitFor({ timeout: SHOWN_WITHIN_MS });
    } catch {
      const shows = (await this.transcript.innerText()).slice(-2000);
      assert.fail(`${this.name}'s page never showed ${String(text)}; its chat ends with:\n${shows}`);
    }
  }

  /** How many times the transcript shows a text (to tell a new message from an old one). */
  count(text: string | RegExp): Promise<number> { return this.transcript.getByText(text).count(); }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: join(SCREENSHOTS, `webchat-${name}.png`) });
  }
}

if (chromiumAvailable('Web Chat end to end in headless Chromium')) {
  describe('the local Web Chat page end to end, two personas in two browser pages', function () {
    this.timeout(90_000);
    let store: TestStore;
    let bot: TestBot;
    let browser: Browser;

    before(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      store = await openTestStore();
      bot = await startTestBot({ mongoUri: storeUri(store.uri), env: { DEMO_SEED: 'true' } });
      // The certification directory knows Oliver's MCID (transcripts are imported by admins).
      const summary = await importTranscript(bot.running.db, [
        'MCID,e-mail,name,type,code,title,date',
        '55501234,oliver.cert@learn.example,Oliver Outsider,exam,AZ-104,Microsoft Azure Administrator,2025-05-01',
        '',
      ].join('\r\n'));
      assert.equal(summary.rejected, 0);
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      await bot?.stop();
      await store?.close();
    });

    /** The newest one-time code local mode printed for a (masked) address. */
    function printedCode(masked: string): string {
      const line = [...bot.printed].reverse().find((l) => l.includes(`for ${masked}:`));
      const code = /: (\d{6})$/.exec(line ?? '')?.[1];
      assert.ok(code, `a code for ${masked} was printed: ${bot.printed.join(' | ')}`);
      return code;
    }

    it('Oliver associates, Priya approves from her card, Oliver links his MCID, Gabriel sees him counted', async () => {
      const oliver = await ChatTab.open(browser, bot.url, 'oliver');
      const priya = await ChatTab.open(browser, bot.url, 'priya');
      await oliver.sees(/Start with associate/);

      // Oliver: associate with the demo organisation; the form is prefilled from Teams.
      await oliver.say('associate 1234567');
      const form = await oliver.card('Contoso Demo Ltd');
      assert.equal(await form.getByLabel('Work e-mail').inputValue(), 'oliver@fabrikam.example');
      assert.equal(await form.getByLabel('Name').first().inputValue(), 'Oliver Outsider');
      await form.getByRole('button', { name: 'Next' }).click();
      await oliver.sees('Send the request?');
      await oliver.transcript.getByRole('button', { name: 'Yes' }).last().click();
      await oliver.sees(/Your request has been sent to your organisation.s program administrator/);

      // Priya: the approval card arrives in her chat; she approves it there.
      const approval = await priya.card('Oliver Outsider asks to be associated with Contoso Demo Ltd.');
      assert.match(await approval.innerText(), /oliver@fabrikam\.example[\s\S]*Not a pre-approved domain[\s\S]*Waiting for a decision/);
      await priya.screenshot('1-priya-approval-card');
      await approval.getByRole('button', { name: 'Approve' }).click();
      const decided = await priya.card(/Approved by Priya PPC at/);
      assert.equal(await decided.getByRole('button', { name: 'Approve' }).count(), 0, 'the decided card has no buttons');
      await priya.screenshot('2-priya-approved');

      // Oliver is told, in his own page.
      await oliver.sees(/your request to associate with Contoso Demo Ltd was approved by Priya PPC/);
      await oliver.screenshot('3-oliver-approved');

      // Oliver links his MCID: the code goes to the address on its certification profile.
      await oliver.say('link certification 55501234');
      await oliver.sees(/I sent a 6-digit code to/);
      await oliver.say(printedCode('o***@learn.example'));
      await oliver.sees(/Your MCID 55501234 is now linked to Contoso Demo Ltd/);
      await oliver.screenshot('4-oliver-mcid-linked');

      // Gabriel, a global admin, asks for competency status: Oliver's AZ-104 now counts.
      const gabriel = await ChatTab.open(browser, bot.url, 'gabriel');
      await gabriel.say('competency status');
      const status = await gabriel.card(/Competency status: Contoso Demo Ltd/);
      const text = await status.innerText();
      assert.match(text, /1 active member with a linked MCID counts/);
      assert.match(text, /Cloud Platform/);
      assert.match(text, /1 of \d+ people/, 'Oliver is counted toward a people requirement');
      await gabriel.screenshot('5-gabriel-competencies');
      await gabriel.page.close();
    });

    it('Emma asks with an address that needs approval; Priya rejects it with a reason; Emma reads the reason', async () => {
      const emma = await ChatTab.open(browser, bot.url, 'emma');
      const priya = await ChatTab.open(browser, bot.url, 'priya');

      await emma.say('associate 1234567');
      const form = await emma.card('Contoso Demo Ltd');
      await form.getByLabel('Work e-mail').fill('emma.consultant@fabrikam.example');
      await form.getByRole('button', { name: 'Next' }).click();
      await emma.sees(/I sent a 6-digit code to it/);
      await emma.say(printedCode('e***@fabrikam.example'));
      await emma.sees('Send the request?');
      await emma.transcript.getByRole('button', { name: 'Yes' }).last().click();
      await emma.sees(/Your request has been sent to your organisation.s program administrator/);

      const approval = await priya.card('Emma Employee asks to be associated with Contoso Demo Ltd.');
      assert.match(await approval.innerText(), /emma\.consultant@fabrikam\.example[\s\S]*Not a pre-approved domain/);
      await approval.getByRole('button', { name: 'Reject…' }).click();
      await approval.getByLabel('Reason').fill('Please use your contoso.example address.');
      await priya.screenshot('6-priya-rejecting');
      await approval.getByRole('button', { name: 'Reject', exact: true }).click();
      const decided = await priya.card(/Rejected by Priya PPC at/);
      assert.match(await decided.innerText(), /Please use your contoso\.example address\./);

      await emma.sees(/was rejected by Priya PPC\. Reason: Please use your contoso\.example address\./);
      await emma.screenshot('7-emma-rejected');
      assert.equal(await emma.count(/You are now associated/), 0);
    });
  });
}
