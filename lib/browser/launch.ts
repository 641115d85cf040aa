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

/** A host name Chromium resolves to a fixed address instead of asking DNS. */
export interface HostMapping {
  /** The host name pages are opened with (the one the stack's route matches). */
  host: string;
  /** The address it stands for (the ingress on this machine). */
  address: string;
}

/** The mapping a stack needs: its route's host name to the ingress address; undefined when it matches any host. */
export function stackHostMapping(stack: { host?: string }, ingressUrl: string): HostMapping | undefined {
  return stack.host ? { host: stack.host, address: new URL(ingressUrl).hostname } : undefined;
}

/** The Chromium flag that maps host names, so requests for them still go only to the ingress address. */
export function hostResolverRules(mapping: HostMapping): string {
  return `--host-resolver-rules=MAP ${mapping.host} ${mapping.address}`;
}

/** Launches headless Chromium; a missing binary is a prerequisite error naming the fix. */
export async function launchChromium(
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; hostMapping?: HostMapping } = {},
): Promise<Browser> {
  const executablePath = chromiumPath(options.env);
  if (!existsSync(executablePath)) {
    throw new HarnessError(
      'prerequisite',
      `Chromium was not found at ${executablePath}`,
      'Install it (apt-get install chromium) or set MIP_VERIFY_CHROMIUM to its path.',
    );
  }
  const args = [...CHROMIUM_ARGS, ...(options.hostMapping ? [hostResolverRules(options.hostMapping)] : [])];
  // The run owns the signals: Playwright's own handlers would close the browser and exit 130 at once on Ctrl-C,
  // before the run could tear down its cluster. The browser is closed by whoever launched it, and on exit.
  return chromium.launch({
    executablePath,
    args,
    headless: true,
    timeout: options.timeoutMs ?? 60_000,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}
