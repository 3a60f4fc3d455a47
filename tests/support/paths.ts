import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/** Scratch space for test databases and browser profiles; ignored by git. */
export const tmpRoot = resolve('tests/.tmp');
mkdirSync(tmpRoot, { recursive: true });
