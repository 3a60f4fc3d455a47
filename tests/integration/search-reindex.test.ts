import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/policy';
import * as caseStudies from '../../src/lib/server/case-studies';
import { openDatabase, type Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as organisations from '../../src/lib/server/organisations';
import {
	encodeRef,
	indexSettings,
	meilisearchEngine
} from '../../src/lib/server/search/meilisearch';
import * as sync from '../../src/lib/server/search/sync';
import { freshDb } from '../support/db';
import {
	closedPort,
	startMeilisearchStandin,
	type MeilisearchStandin
} from '../support/meilisearch-standin';
import { ensurePlaces, makeUser, places } from '../support/org-fixtures';

const run = promisify(execFile);
const demo = JSON.parse(readFileSync('db/demo/case-studies.json', 'utf8')) as Record<
	string,
	unknown
>[];

let standin: MeilisearchStandin | null = null;

afterEach(async () => {
	sync.setOutboxEnabled(null);
	await standin?.close();
	standin = null;
});

/** A database with two organisations and a published case, whose mirror went stale. */
function staleDatabase(): { path: string; refs: string[] } {
	const db = freshDb();
	sync.setOutboxEnabled(false);
	ensurePlaces(db);
	const owner = makeUser(db, 'member', 'owner');
	const moderator = makeUser(db, 'moderator', 'moderator');
	const actor = (user: typeof owner): Actor => ({ id: user.id, siteRole: user.siteRole });
	const organisationIds = ['Nairobi City County', 'Mombasa County'].map(
		(name) =>
			organisations.createOrganisation(db, owner.id, {
				name,
				kind: 'city',
				country: 'KE',
				city: places.nairobi,
				website: null,
				description: '',
				languages: []
			}).id
	);
	const draft = caseStudies.createDraft(db, actor(owner), {
		organisationId: organisationIds[0],
		input: caseStudies.caseStudyInput.parse({ ...demo[0], stakeholders: [] })
	});
	caseStudies.publish(db, actor(moderator), draft.id);
	const refs = [
		`case_study:${draft.id}`,
		...organisationIds.map((id) => `organisation:${id}`)
	].sort();
	// The mirror loses a row and keeps one of a record that no longer exists.
	sync.deleteDocuments(db, [refs[0]]);
	db.insert(table.searchOutbox)
		.values({ ref: 'organisation:ghost', nextAttemptAt: new Date() })
		.run();
	const path = db.$client.name;
	db.$client.close();
	return { path, refs };
}

function mirrorRefs(path: string): string[] {
	const db: Db = openDatabase(path);
	try {
		return db
			.select({ ref: table.searchDocument.ref })
			.from(table.searchDocument)
			.all()
			.map((row) => row.ref)
			.sort();
	} finally {
		db.$client.close();
	}
}

function outboxCount(path: string): number {
	const db = openDatabase(path);
	try {
		return db.select().from(table.searchOutbox).all().length;
	} finally {
		db.$client.close();
	}
}

/** Runs `npm run search:reindex` as an operator would (not on a terminal: plain lines). */
async function reindex(env: Record<string, string>) {
	const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
	if (!env.MEILISEARCH_HOST) delete childEnv.MEILISEARCH_HOST;
	return run(process.execPath, ['--import', 'tsx', 'scripts/search-reindex.ts'], {
		env: childEnv,
		encoding: 'utf8',
		timeout: 60_000
	});
}

describe('npm run search:reindex', { timeout: 60_000 }, () => {
	it('rebuilds the mirror from the records and reports a count per type', async () => {
		const { path, refs } = staleDatabase();
		const { stdout, stderr } = await reindex({ DATABASE_PATH: path });
		expect(stderr).toBe('');
		expect(stdout).toContain('Database mirror: 3/3 (100%)');
		expect(stdout).toContain('3 documents (case_study 1, organisation 2)');
		expect(stdout).toContain('MEILISEARCH_HOST is not set');
		expect(mirrorRefs(path)).toEqual(refs);
	});

	it('with MEILISEARCH_HOST, applies the settings and replaces the index with the mirror', async () => {
		const { path, refs } = staleDatabase();
		standin = await startMeilisearchStandin();
		const engine = meilisearchEngine({ host: standin.url, index: 'reindex-test' });
		await engine.index([
			{
				ref: 'organisation:ghost',
				type: 'organisation',
				recordId: 'ghost',
				title: 'Gone',
				summary: '',
				keywords: '',
				body: '',
				path: '/organisations/ghost',
				language: 'en',
				visibility: 'public',
				facets: {},
				meta: {},
				sortDate: new Date(0)
			}
		]);
		const { stdout, stderr } = await reindex({
			DATABASE_PATH: path,
			MEILISEARCH_HOST: standin.url,
			MEILISEARCH_INDEX: 'reindex-test'
		});
		expect(stderr).toBe('');
		expect(stdout).toContain('Sent 3 documents to Meilisearch index "reindex-test"');
		expect(stdout).toContain('1 queued change(s) it covers dropped from the outbox');
		expect([...(standin.documents('reindex-test')?.keys() ?? [])].sort()).toEqual(
			refs.map(encodeRef).sort()
		);
		expect(standin.settings('reindex-test')).toMatchObject(indexSettings);
		expect(outboxCount(path)).toBe(0);
	});

	it('fails with a clear message and status when Meilisearch cannot be reached', async () => {
		const { path } = staleDatabase();
		const port = await closedPort();
		const failed = await reindex({
			DATABASE_PATH: path,
			MEILISEARCH_HOST: `http://127.0.0.1:${port}`
		}).catch((error: { code: number; stderr: string }) => error);
		expect(failed).toMatchObject({ code: 1 });
		const { stderr } = failed as { stderr: string };
		expect(stderr).toContain(`Could not reach Meilisearch at http://127.0.0.1:${port}`);
		expect(stderr).toContain('ECONNREFUSED');
		expect(stderr).not.toContain('    at ');
		// The mirror is rebuilt regardless, and the queued changes wait for the worker.
		expect(mirrorRefs(path)).toHaveLength(3);
		expect(outboxCount(path)).toBe(1);
	});
});
