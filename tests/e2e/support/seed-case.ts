import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { inject } from 'vitest';
import type { TestUser } from './accounts';

export type SeedCaseOptions = {
	title: string;
	owner: TestUser;
	ownerOrganisation: string;
	validator: TestUser;
	validatorOrganisation: string;
};

/**
 * A published case study with results, stakeholders and sources, owned by a verified city, plus
 * a second verified city whose member can validate it. Both people can log in with their
 * passwords. Written by a child process (see seed-case-script.ts) into the server's database.
 */
export function seedCaseStudy(options: SeedCaseOptions): {
	slug: string;
	validatorOrganisationId: string;
} {
	const script = resolve('tests/e2e/support/seed-case-script.ts');
	const run = spawnSync(
		process.execPath,
		['--import', 'tsx', script, inject('dbPath'), JSON.stringify(options)],
		{ encoding: 'utf8' }
	);
	if (run.status !== 0) {
		throw new Error(`seeding the case study failed (exit ${run.status}):\n${run.stderr}`);
	}
	return JSON.parse(run.stdout.trim().split('\n').at(-1)!);
}
