// One page that renders Adaptive Cards with the library's own UMD bundle (the renderer Teams'
// web client is built on), a Teams-like host config per theme, markdown as Teams renders it, and
// records what each click hands the host: what the bot would receive.
import type { Page } from 'playwright-core';
import type { Theme } from './hostConfigs';

const ADAPTIVE_CARDS_BUNDLE = require.resolve('adaptivecards/dist/adaptivecards.js');
// Teams renders TextBlock markdown; markdown-it comes with Web Chat, which does the same.
const MARKDOWN_BUNDLE = require.resolve('markdown-it/dist/markdown-it.min.js');

/** What the renderer hands the host when an action runs. */
export interface Executed { type: string; title?: string; verb?: string; data?: Record<string, unknown>; url?: string }

export interface Rendered { parseEvents: string[]; validationEvents: string[] }

/** Everything a user can click in the card, as shown: buttons and tappable containers. */
export const CLICKABLE = '#card button:visible, #card [role="button"]:visible, #card [role="link"]:visible';

// Runs in the page (plain JS: the test project has no DOM typings).
const IN_PAGE = `
  var md = window.markdownit({ html: false, linkify: true, breaks: true });
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = function (text, result) {
    result.outputHtml = md.render(text);
    result.didProcess = true;
  };
  window.__executed = [];
  window.__render = function (content, hostConfig, css) {
    document.getElementById('theme').textContent = css;
    var card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
    var context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_5);
    card.parse(content, context);
    window.__executed = [];
    card.onExecuteAction = function (action) {
      window.__executed.push({ type: action.getJsonTypeName(), title: action.title, verb: action.verb, url: action.url,
        data: action.data === undefined ? undefined : JSON.parse(JSON.stringify(action.data)) });
    };
    var host = document.getElementById('card');
    host.innerHTML = '';
    host.appendChild(card.render());
    var events = [];
    for (var i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i).message);
    return { parseEvents: events, validationEvents: card.validateProperties().validationEvents.map(function (e) { return e.message; }) };
  };
  window.__taken = function () { var out = window.__executed; window.__executed = []; return out; };
`;

export async function openCardPage(page: Page): Promise<void> {
  await page.setContent('<!doctype html><html lang="en"><head><meta charset="utf-8"><style id="theme"></style></head><body><div id="card"></div></body></html>');
  await page.addScriptTag({ path: ADAPTIVE_CARDS_BUNDLE });
  await page.addScriptTag({ path: MARKDOWN_BUNDLE });
  await page.addScriptTag({ content: IN_PAGE });
}

/** Parses the card as schema 1.5 and renders it into #card with the theme's host config. */
export function renderCard(page: Page, content: Record<string, unknown>, theme: Theme): Promise<Rendered> {
  return page.evaluate(([c, h, css]) => (globalThis as unknown as { __render(c: unknown, h: unknown, css: string): Rendered }).__render(c, h, css), [content, theme.hostConfig, theme.pageCss] as const);
}

/** The actions run since the last call, in order. */
export function takeExecuted(page: Page): Promise<Executed[]> {
  return page.evaluate(() => (globalThis as unknown as { __taken(): Executed[] }).__taken());
}

/** Each visible clickable's name as a user reads it: its label, else its first line of text. */
export function clickableNames(page: Page): Promise<string[]> {
  return page.locator(CLICKABLE).evaluateAll((els) => els.map((el) => {
    const e = el as { getAttribute(n: string): string | null; innerText: string };
    return (e.getAttribute('aria-label') || e.innerText || '').trim().split('\n')[0];
  }));
}
