import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/**
 * Headless Chromium for the browser specs: the one inside `@sparticuz/chromium` (installed by
 * `npm ci`, extracted to /tmp on first use), Debian's `chromium` only as a fallback.
 */
export async function launchChromium(): Promise<Browser> {
  const { chromium: playwright } = await import('playwright-core');
  try {
    const { default: packaged } = await import('@sparticuz/chromium');
    return await playwright.launch({ executablePath: await packaged.executablePath(), args: packaged.args, headless: true });
  } catch (error) {
    if (!existsSync('/usr/bin/chromium')) throw error;
    return playwright.launch({ executablePath: '/usr/bin/chromium', headless: true });
  }
}
