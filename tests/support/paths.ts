import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/** Scratch space for test databases and browser profiles; ignored by git. */
export const tmpRoot = resolve('tests/.tmp');
mkdirSync(tmpRoot, { recursive: true });

/** A database with the real migrations and reference data, built once per run and copied per test. */
export const templateDbPath = resolve(tmpRoot, 'template.db');
