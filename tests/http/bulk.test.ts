import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '$lib/server/db';
import * as listings from '$lib/server/needs-offers';
import { seedCase } from '../support/case-fixtures';
import { HttpClient, queryServerDb } from '../support/http-client';
import { cityWithNeed, needInput, partnerWithOffer } from '../support/listing-fixtures';
import { partnershipAt } from '../support/partnership-fixtures';
import { startBuiltServer, type RunningServer } from '../support/server';
import { parseCsv } from '../support/csv';

/**
 * The bulk downloads on a built server of their own with the demo content (no other test writes
 * there, so the counts are exact), plus records that must never be in them: a restricted need
 * and offer, a draft case study, a partnership one party has not agreed to publish. The public
 * records are counted independently with SQL on the server's database.
 */

const datasets = ['case-studies', 'organisations', 'needs', 'offers', 'partnerships'] as const;
type Dataset = (typeof datasets)[number];
const idField: Record<Dataset, string> = {
	'case-studies': 'slug',
	organisations: 'slug',
	needs: 'id',
	offers: 'id',
	partnerships: 'id'
};
const licenceUrl = 'https://creativecommons.org/licenses/by/4.0/';
const naughtyTitle = 'Rain, "floods"; and\nnew lines =SUM(A1) </script> ☔';

let server: RunningServer;
const hidden = { need: '', offer: '', caseSlug: '', partnership: '' };
const shown = { closedNeed: '', expiredNeed: '', naughtyNeed: '', partnership: '' };

function withDb<T>(run: (db: Db) => T): T {
	const db = openDatabase(server.dbPath);
	try {
		return run(db);
	} finally {
		db.$client.close();
	}
}

const count = (sql: string) =>
	queryServerDb<{ n: number }>(server.dbPath, `SELECT count(*) AS n ${sql}`)[0].n;

/** The public records of each dataset, counted straight from the tables. */
const publicCounts = (): Record<Dataset, number> => ({
	'case-studies': count("FROM case_study WHERE workflow_state = 'published'"),
	organisations: count('FROM organisation'),
	needs: count("FROM need WHERE visibility = 'public'"),
	offers: count("FROM offer WHERE visibility = 'public'"),
	partnerships: count(
		'FROM partnership p WHERE EXISTS (SELECT 1 FROM partnership_party x WHERE x.partnership_id = p.id) AND NOT EXISTS (SELECT 1 FROM partnership_party x WHERE x.partnership_id = p.id AND x.consents_to_publish = 0)'
	)
});

const files = new Map<string, { response: Response; text: string }>();

/** Each file read once (anonymously), as a client would download it. */
async function download(name: Dataset, format: 'jsonl' | 'csv') {
	const key = `${name}.${format}`;
	if (!files.has(key)) {
		const response = await new HttpClient(server.url).get(`/api/v1/bulk/${key}`);
		files.set(key, { response, text: await response.text() });
	}
	return files.get(key)!;
}

async function jsonl(name: Dataset) {
	const { text } = await download(name, 'jsonl');
	expect(text.endsWith('\n')).toBe(true);
	return text
		.slice(0, -1)
		.split('\n')
		.map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeAll(async () => {
	server = await startBuiltServer({ DEMO_CONTENT: 'true' });
	withDb((db) => {
		const city = cityWithNeed(db, {
			need: { title: 'Restricted bulk need', visibility: 'verified' }
		});
		hidden.need = city.needId;
		const create = (title: string) =>
			listings.createNeed(db, city.actor, city.organisationId, needInput({ title })).id;
		shown.closedNeed = create('Closed bulk need');
		listings.setNeedStatus(db, city.actor, shown.closedNeed, 'closed');
		shown.expiredNeed = create('Expired bulk need');
		db.$client
			.prepare('UPDATE need SET expires_at = ? WHERE id = ?')
			.run(Date.now() - 86_400_000, shown.expiredNeed);
		shown.naughtyNeed = create(naughtyTitle);
		// Enough needs for the file to take several batches.
		for (let index = 0; index < 110; index++) create(`Bulk need ${index}`);

		hidden.offer = partnerWithOffer(db, {
			offer: { title: 'Restricted bulk offer', visibility: 'verified' }
		}).offerId;
		hidden.partnership = partnershipAt(db, 'active').partnershipId;
		shown.partnership = partnershipAt(db, 'completed', { public: true }).partnershipId;
	});
	const [organisation] = queryServerDb<{ id: string; user_id: string }>(
		server.dbPath,
		"SELECT o.id, m.user_id FROM organisation o JOIN membership m ON m.organisation_id = o.id WHERE o.kind = 'city' LIMIT 1"
	);
	hidden.caseSlug = seedCase(server.dbPath, {
		organisationId: organisation.id,
		authorId: organisation.user_id,
		state: 'draft',
		input: { title: 'Draft bulk case study' }
	}).slug;
}, 120_000);

afterAll(() => server?.stop());

describe('GET /api/v1/bulk', () => {
	it('lists every dataset with its public record count, files and the licence', async () => {
		const response = await new HttpClient(server.url).get('/api/v1/bulk');
		expect(response.status).toBe(200);
		expect(response.headers.get('link')).toBe(`<${licenceUrl}>; rel="license"`);
		const body = await response.json();
		expect(body.licence).toEqual({
			id: 'CC-BY-4.0',
			url: licenceUrl,
			attribution: expect.stringContaining(`${server.url}/open-data`)
		});
		const counts = publicCounts();
		expect(body.datasets.map((dataset: { name: string }) => dataset.name)).toEqual([...datasets]);
		for (const dataset of body.datasets) {
			expect(dataset.records, dataset.name).toBe(counts[dataset.name as Dataset]);
			expect(dataset.records, dataset.name).toBeGreaterThan(0);
			expect(dataset.jsonl).toBe(`${server.url}/api/v1/bulk/${dataset.name}.jsonl`);
			expect(dataset.csv).toBe(`${server.url}/api/v1/bulk/${dataset.name}.csv`);
			expect(new Date(dataset.updatedAt).toISOString()).toBe(dataset.updatedAt);
		}
	});

	it('refuses parameters it does not take', async () => {
		const response = await new HttpClient(server.url).get('/api/v1/bulk?dataset=needs');
		expect(response.status).toBe(400);
		expect(response.headers.get('content-type')).toBe('application/problem+json');
	});
});

describe.each(datasets)('GET /api/v1/bulk/%s', (name) => {
	it('has one JSON record per public record, each with the licence', async () => {
		const { response } = await download(name, 'jsonl');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/jsonl; charset=utf-8');
		expect(response.headers.get('content-disposition')).toBe(
			`attachment; filename="citybridge-${name}.jsonl"`
		);
		expect(response.headers.get('link')).toBe(`<${licenceUrl}>; rel="license"`);
		const records = await jsonl(name);
		expect(records).toHaveLength(publicCounts()[name]);
		const ids = records.map((record) => record[idField[name]]);
		expect(new Set(ids).size).toBe(ids.length);
		for (const record of records) {
			expect(record.licence, JSON.stringify(record).slice(0, 80)).toMatch(
				name === 'case-studies' ? /^(CC-BY-4\.0|CC-BY-SA-4\.0|CC0-1\.0)$/ : /^CC-BY-4\.0$/
			);
			expect(String(record.url)).toMatch(new RegExp(`^${server.url}/`));
		}
	});

	it('has the same rows and ids as CSV, with a licence column', async () => {
		const { response, text } = await download(name, 'csv');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(response.headers.get('content-disposition')).toBe(
			`attachment; filename="citybridge-${name}.csv"`
		);
		expect(response.headers.get('link')).toBe(`<${licenceUrl}>; rel="license"`);
		const [header, ...rows] = parseCsv(text);
		expect(header[0]).toBe(idField[name]);
		expect(header.at(-1)).toBe('licence');
		expect(rows.every((row) => row.length === header.length)).toBe(true);
		const records = await jsonl(name);
		expect(rows.map((row) => row[0])).toEqual(records.map((record) => record[idField[name]]));
		expect(rows.map((row) => row.at(-1))).toEqual(records.map((record) => record.licence));
	});

	it('answers 304 to a client that has the current file', async () => {
		const client = new HttpClient(server.url);
		const first = await client.get(`/api/v1/bulk/${name}.csv`);
		await first.body?.cancel();
		const etag = first.headers.get('etag')!;
		expect(etag).toMatch(/^W\/".+"$/);
		expect(first.headers.get('last-modified')).toBeTruthy();
		const again = await client.get(`/api/v1/bulk/${name}.csv`, { 'if-none-match': etag });
		expect(again.status).toBe(304);
		const other = await client.get(`/api/v1/bulk/${name}.jsonl`, { 'if-none-match': etag });
		expect(other.status).toBe(200);
		await other.body?.cancel();
	});
});

describe('what the bulk files hold', () => {
	it('never holds a restricted need or offer, a draft case study or a private partnership', async () => {
		const everything = (
			await Promise.all(
				datasets.flatMap((name) => [download(name, 'jsonl'), download(name, 'csv')])
			)
		)
			.map((file) => file.text)
			.join('\n');
		for (const text of [
			hidden.need,
			hidden.offer,
			hidden.caseSlug,
			hidden.partnership,
			'Restricted bulk',
			'Draft bulk case study'
		]) {
			expect(everything).not.toContain(text);
		}
	});

	it('holds closed and expired public needs with their status, and the public partnership', async () => {
		const needs = await jsonl('needs');
		const byId = new Map(needs.map((need) => [need.id, need]));
		expect(byId.get(shown.closedNeed)).toMatchObject({ status: 'closed', visibility: 'public' });
		expect(byId.get(shown.expiredNeed)).toMatchObject({ status: 'open', isExpired: true });
		expect(byId.get(shown.naughtyNeed)?.title).toBe(naughtyTitle);
		const partnerships = await jsonl('partnerships');
		expect(partnerships.find((record) => record.id === shown.partnership)).toMatchObject({
			status: 'completed',
			licence: 'CC-BY-4.0'
		});
	});

	it('keeps a naughty title intact in CSV: quoted, and guarded against spreadsheet formulas', async () => {
		const [header, ...rows] = parseCsv((await download('needs', 'csv')).text);
		const title = header.indexOf('title');
		const row = rows.find((cells) => cells[0] === shown.naughtyNeed)!;
		expect(row[title]).toBe(naughtyTitle);
	});

	it('has the same records as the API item shapes', async () => {
		const client = new HttpClient(server.url);
		const [record] = await jsonl('case-studies');
		const fromApi = await (await client.get(`/api/v1/case-studies/${record.slug}`)).json();
		for (const key of Object.keys(record)) expect(fromApi, key).toHaveProperty(key);
		const organisations = await jsonl('organisations');
		const listed = await (await client.get('/api/v1/organisations?limit=100')).json();
		expect(listed.total).toBe(organisations.length);
		const { licence, ...organisation } = organisations[0];
		expect(licence).toBe('CC-BY-4.0');
		expect(listed.data).toContainEqual(organisation);
		const partnerships = await jsonl('partnerships');
		const publicList = await (await client.get('/api/v1/partnerships?limit=100')).json();
		expect(publicList.total).toBe(partnerships.length);
	});

	it('answers 404 with a problem document for an unknown dataset or extension', async () => {
		const client = new HttpClient(server.url);
		for (const path of [
			'users.jsonl',
			'needs.xml',
			'needs',
			'needs.jsonl.gz',
			'..%2Fsecrets.csv'
		]) {
			const response = await client.get(`/api/v1/bulk/${path}`);
			expect(response.status, path).toBe(404);
			expect(response.headers.get('content-type'), path).toBe('application/problem+json');
		}
	});
});
