// Starting the system's Chromium through playwright-core (no browser download): Debian's package at
// /usr/bin/chromium unless MIP_VERIFY_CHROMIUM names another binary. Headless, without sandbox (runs as
// root in CI), without GPU and without background traffic, so the only requests are the test's own.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { HarnessError } from '../errors.ts';

/** Chromium flags every run uses. */
export const CHROMIUM_ARGS: readonly string[] = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** Where Chromium is looked for: `$MIP_VERIFY_CHROMIUM`, then Debian's path. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.MIP_VERIFY_CHROMIUM ?? '/usr/bin/chromium';
}

/** Launches headless Chromium; a missing binary is a prerequisite error naming the fix. */
export async function launchChromium(options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Browser> {
  const executablePath = chromiumPath(options.env);
  if (!existsSync(executablePath)) {
    throw new HarnessError('prerequisite', `Chromium was not found at ${executablePath}`, 'Install it (apt-get install chromium) or set MIP_VERIFY_CHROMIUM to its path.');
  }
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], headless: true, timeout: options.timeoutMs ?? 60_000 });
}
