import { Meilisearch } from 'meilisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as demo from '../../src/lib/server/demo';
import { randomId } from '../../src/lib/server/ids';
import { meilisearchEngine } from '../../src/lib/server/search/meilisearch';
import { sqliteEngine } from '../../src/lib/server/search/sqlite';
import * as sync from '../../src/lib/server/search/sync';
import type {
	SearchDocument,
	SearchEngine,
	SearchRequest,
	SearchResult
} from '../../src/lib/server/search/types';
import { freshDb } from '../support/db';
import { relevanceQueries } from '../support/relevance-queries';

/*
 * The relevance set (tests/support/relevance-queries.ts) over the demo content, for every
 * configured engine: the case studies a query is meant to find must be in its first three hits.
 */

const origin = 'http://localhost:3000';

/** A hit as the failure message shows it: a case study by slug, anything else by type and path. */
function label(hit: SearchResult['hits'][number]): string {
	return hit.type === 'case_study' ? hit.path.replace(/^\/cases\//, '') : `${hit.type} ${hit.path}`;
}

function relevance(
	name: string,
	makeEngine: (db: Db) => Promise<{ engine: SearchEngine; dispose(): Promise<void> }>
) {
	describe(`${name} relevance on the demo content`, () => {
		let db: Db;
		let handle: { engine: SearchEngine; dispose(): Promise<void> };

		beforeAll(async () => {
			db = freshDb();
			await demo.seedDemoContent(db, { origin, log: () => {} });
			// What the server does at start: build the mirror if seeding left it empty.
			sync.ensureIndexed(db);
			handle = await makeEngine(db);
		}, 120_000);
		afterAll(async () => {
			await handle?.dispose();
			db?.$client.close();
		});

		it('indexes every published demo case study and no other', () => {
			const indexed = db
				.select({ path: table.searchDocument.path })
				.from(table.searchDocument)
				.all()
				.filter((row) => row.path.startsWith('/cases/'));
			expect(indexed).toHaveLength(48);
		});

		it.each(relevanceQueries.map((query) => [query.q, query] as const))('%s', async (_q, query) => {
			const request: SearchRequest = {
				q: query.q,
				filters: query.filters ?? {},
				sort: 'relevance',
				page: 1,
				perPage: 100,
				audience: 'public'
			};
			const result = await handle.engine.search(request);
			const labels = result.hits.map(label);
			const message = `"${query.q}" came back: ${JSON.stringify(labels.slice(0, 8))} (total ${result.total})`;
			// The set was written for case studies among organisations; the demo needs and offers
			// (issue 5) are listings a query may also rightly find, so they do not take those places.
			const top3 = result.hits
				.filter((hit) => hit.type !== 'need' && hit.type !== 'offer')
				.map(label)
				.slice(0, 3);
			for (const slug of query.top3) expect(top3, message).toContain(slug);
			for (const slug of query.never ?? []) expect(labels, message).not.toContain(slug);
		});
	});
}

relevance('sqlite', async (db) => ({ engine: sqliteEngine(db), dispose: async () => {} }));

const meilisearchHost = process.env.MEILISEARCH_HOST;
if (meilisearchHost) {
	relevance('meilisearch', async (db) => {
		const apiKey = process.env.MEILISEARCH_API_KEY;
		const index = `citybridge-relevance-${randomId()}`;
		const engine = meilisearchEngine({ host: meilisearchHost, apiKey, index });
		await engine.applySettings();
		const documents: SearchDocument[] = db
			.select()
			.from(table.searchDocument)
			.all()
			.map(({ id: _id, ...document }) => document);
		await engine.index(documents);
		return {
			engine,
			dispose: async () => {
				await new Meilisearch({ host: meilisearchHost, apiKey }).deleteIndexIfExists(index);
			}
		};
	});
} else {
	describe.skip('Meilisearch relevance (set MEILISEARCH_HOST to run)', () => {
		it('runs the same queries against Meilisearch', () => {});
	});
}
