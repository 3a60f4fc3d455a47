import { mkdtempSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase, runMigrations } from '../../src/lib/server/db';
import { seedReferenceData } from '../../src/lib/server/reference';
import { tmpRoot } from '../support/paths';

declare module 'vitest' {
	export interface ProvidedContext {
		templateDbPath: string;
	}
}

/**
 * Builds the template database once per run (migrations, then the real reference data) in a
 * folder of its own, so runs side by side never share files; the folder goes at the end.
 */
export default function setup(project: TestProject) {
	const runDir = mkdtempSync(resolve(tmpRoot, 'integration-'));
	const templateDbPath = resolve(runDir, 'template.db');
	const db = openDatabase(templateDbPath);
	runMigrations(db);
	seedReferenceData(db);
	db.$client.pragma('wal_checkpoint(TRUNCATE)');
	db.$client.close();
	project.provide('templateDbPath', templateDbPath);
	return () => rmSync(runDir, { recursive: true, force: true });
}
