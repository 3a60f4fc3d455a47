import { rmSync } from 'node:fs';
import { openDatabase, runMigrations } from '../../src/lib/server/db';
import { seedReferenceData } from '../../src/lib/server/reference';
import { templateDbPath } from '../support/paths';

/** Builds the template database once: migrations, then the real reference data. */
export default function setup() {
	for (const suffix of ['', '-wal', '-shm']) rmSync(templateDbPath + suffix, { force: true });
	const db = openDatabase(templateDbPath);
	runMigrations(db);
	seedReferenceData(db);
	db.$client.pragma('wal_checkpoint(TRUNCATE)');
	db.$client.close();
}
