import { copyFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { randomId } from '../../src/lib/server/ids';

/** A fresh SQLite file with the real migrations and reference data, for one test. */
export function freshDb(): Db {
	const templateDbPath = inject('templateDbPath');
	const path = resolve(dirname(templateDbPath), `test-${randomId()}.db`);
	copyFileSync(templateDbPath, path);
	return openDatabase(path);
}
