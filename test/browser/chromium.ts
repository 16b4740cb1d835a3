// Debian's Chromium, driven by playwright-core. CI installs it (.ci/run); elsewhere the browser
// suites run when it is there and say so plainly when it is not (they then register no tests).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** True when the browser suites can run; otherwise prints one line saying why they do not. */
export function chromiumAvailable(suite: string): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  process.stdout.write(`\n  ${suite}: NOT RUN, ${CHROMIUM_PATH} is missing (apt-get install chromium to run the browser tests).\n`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}
