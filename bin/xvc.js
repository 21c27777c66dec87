#!/usr/bin/env node
// Entry point of the `xvc` command. The sources are TypeScript; tsx's loader compiles them on the fly,
// so a fresh clone needs no build step before `npx xvc run`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
