#!/usr/bin/env node
// Entry point: registers tsx so the TypeScript sources run without a build step, then hands over.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lib/cli/main.ts');
const code = await main(process.argv.slice(2));
// Leave now: nothing the run started (a browser, a port-forward, a late timer) may keep the process, or the
// caller waiting on its output, alive after the verdict. Output to pipes and files is written synchronously.
process.exit(code);
