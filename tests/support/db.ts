import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { randomId } from '../../src/lib/server/ids';
import { templateDbPath, tmpRoot } from './paths';

/** A fresh SQLite file with the real migrations and reference data, for one test. */
export function freshDb(): Db {
	const path = resolve(tmpRoot, `test-${randomId()}.db`);
	copyFileSync(templateDbPath, path);
	return openDatabase(path);
}
