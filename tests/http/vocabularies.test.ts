import { describe, expect, inject, it } from 'vitest';
import { HttpClient } from '../support/http-client';

const baseUrl = inject('baseUrl');

type Labelled = { id: string; label: { en: string; fr: string } };
type Problem = {
	type: string;
	title: string;
	status: number;
	detail: string;
	errors?: { field: string; message: string }[];
};
type City = {
	id: number;
	name: string;
	countryCode: string;
	countryName: string;
	adminCode: string | null;
	population: number;
	latitude: number;
	longitude: number;
};
type CityList = { data: City[]; next: null; total: number };

async function problemOf(response: Response): Promise<Problem> {
	expect(response.headers.get('content-type')).toContain('application/problem+json');
	return (await response.json()) as Problem;
}

describe('GET /api/v1/vocabularies', () => {
	it('serves every vocabulary with English and French labels, cacheable by anyone', async () => {
		const response = await new HttpClient(baseUrl).get('/api/v1/vocabularies');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('application/json');
		expect(response.headers.get('cache-control')).toMatch(/public/);
		const body = await response.json();

		expect(body.themes.map((t: Labelled) => t.id)).toEqual(['S', 'E', 'J', 'O', 'N', 'G']);
		expect(body.themes[0].label).toEqual({
			en: 'Sustainable and safe city',
			fr: 'Ville durable et sûre'
		});
		expect(body.domains).toHaveLength(12);
		expect(body.technologies).toHaveLength(9);
		expect(body.cooperationTypes).toHaveLength(7);
		expect(body.fundingModels).toHaveLength(8);
		expect(body.beneficiaryGroups).toHaveLength(7);
		expect(body.organisationKinds.map((k: Labelled) => k.id)).toContain(
			'international_organisation'
		);
		expect(body.incomeGroups.map((g: Labelled) => g.id)).toEqual(['L', 'LM', 'UM', 'H']);
		for (const list of [
			body.domains,
			body.technologies,
			body.cooperationTypes,
			body.fundingModels,
			body.beneficiaryGroups,
			body.organisationKinds,
			body.incomeGroups
		]) {
			for (const item of list as Labelled[]) {
				expect(item.label.en).toMatch(/\S/);
				expect(item.label.fr).toMatch(/\S/);
				expect(item.label.en).not.toBe(item.id);
			}
		}
		expect(body.domains.find((d: Labelled) => d.id === 'energy').label).toEqual({
			en: 'Energy',
			fr: 'Énergie'
		});
	});

	it('gives the ten SDG 11 targets with official texts in seven languages and their indicators', async () => {
		const body = await (await new HttpClient(baseUrl).get('/api/v1/vocabularies')).json();
		const targets = body.sdgTargets as {
			id: string;
			label: { en: string; fr: string };
			text: Record<string, string>;
			indicators: { id: string; text: Record<string, string> }[];
		}[];
		expect(targets.map((t) => t.id)).toEqual([
			'11.1',
			'11.2',
			'11.3',
			'11.4',
			'11.5',
			'11.6',
			'11.7',
			'11.a',
			'11.b',
			'11.c'
		]);
		const housing = targets[0];
		expect(housing.text.en).toMatch(
			/^By 2030, ensure access for all to adequate, safe and affordable housing/
		);
		expect(housing.text.fr).toMatch(/^D’ici à 2030, assurer l’accès de tous à un logement/);
		expect(Object.keys(housing.text).sort()).toEqual([
			'ar',
			'en',
			'es',
			'fr',
			'ru',
			'sw',
			'zh-Hans'
		]);
		expect(housing.indicators).toHaveLength(1);
		expect(housing.indicators[0].id).toBe('11.1.1');
		expect(housing.indicators[0].text.en).toMatch(/slums/);
		const indicatorIds = targets.flatMap((t) => t.indicators.map((i) => i.id));
		expect(indicatorIds).toHaveLength(14);
		expect(indicatorIds.at(-1)).toBe('11.b.2');
		expect(body.sdgGoal.title.en).toBe(
			'Make cities and human settlements inclusive, safe, resilient and sustainable'
		);
	});

	it('lists the M49 regions with their sub-regions, and the dates of the country data', async () => {
		const body = await (await new HttpClient(baseUrl).get('/api/v1/vocabularies')).json();
		const africa = body.regions.find((r: { code: string }) => r.code === '002');
		expect(africa.label).toEqual({ en: 'Africa', fr: 'Afrique' });
		expect(africa.subregions.map((s: { code: string }) => s.code)).toEqual(['015', '202']);
		expect(body.regions.map((r: { code: string }) => r.code)).toEqual(
			expect.arrayContaining(['002', '019', '142', '150', '009'])
		);
		expect(body.countryData).toMatchObject({
			incomeClassification: 'FY2026',
			incomeClassificationDate: '2025-07-01'
		});
	});

	it('refuses to change anything', async () => {
		const client = new HttpClient(baseUrl);
		const response = await client.request('/api/v1/vocabularies', {
			method: 'POST',
			headers: { origin: baseUrl, 'content-type': 'application/json' },
			body: '{}'
		});
		expect(response.status).toBe(405);
	});
});

describe('GET /api/v1/places/cities', () => {
	const search = (query: string) => new HttpClient(baseUrl).get(`/api/v1/places/cities${query}`);

	it('finds Seoul first for "séoul", in a list with data, next and total', async () => {
		const response = await search(`?q=${encodeURIComponent('séoul')}&limit=5`);
		expect(response.status).toBe(200);
		expect(response.headers.get('cache-control')).toMatch(/public/);
		const body = (await response.json()) as CityList;
		expect(body.next).toBeNull();
		expect(body.total).toBe(body.data.length);
		expect(body.data[0]).toMatchObject({
			name: 'Seoul',
			countryCode: 'KR',
			countryName: 'South Korea'
		});
		expect(Object.keys(body.data[0]).sort()).toEqual(
			[
				'adminCode',
				'countryCode',
				'countryName',
				'id',
				'latitude',
				'longitude',
				'name',
				'population'
			].sort()
		);
	});

	it('narrows to a country (any case), limits the answer, and names countries in French under /fr', async () => {
		const body = (await (await search('?q=na&country=ke&limit=3')).json()) as CityList;
		expect(body.data.length).toBeLessThanOrEqual(3);
		expect(body.data.every((c) => c.countryCode === 'KE')).toBe(true);
		expect(body.data[0].name).toBe('Nairobi');
		const french = (await (
			await new HttpClient(baseUrl).get('/fr/api/v1/places/cities?q=seoul&limit=1')
		).json()) as CityList;
		expect(french.data[0].countryName).toBe('Corée du Sud');
		const explicit = (await (await search('?q=seoul&limit=1&lang=fr')).json()) as CityList;
		expect(explicit.data[0].countryName).toBe('Corée du Sud');
	});

	it('answers an empty list for an empty or blank query, and for naughty strings', async () => {
		for (const q of [
			'',
			'   ',
			'%',
			'_',
			"'; DROP TABLE city; --",
			'<script>alert(1)</script>',
			'\u0000'
		]) {
			const response = await search(`?q=${encodeURIComponent(q)}`);
			expect(response.status, q).toBe(200);
			expect(((await response.json()) as CityList).data, q).toEqual([]);
		}
		const noQuery = (await (await search('')).json()) as CityList;
		expect(noQuery.data).toEqual([]);
		// The table is intact after the injection attempt.
		const after = (await (await search('?q=seoul')).json()) as CityList;
		expect(after.data[0].name).toBe('Seoul');
	});

	it('refuses a query longer than 100 characters with a field error', async () => {
		const response = await search(`?q=${'x'.repeat(10_000)}`);
		expect(response.status).toBe(400);
		const body = await problemOf(response);
		expect(body.status).toBe(400);
		expect(body.errors).toEqual([{ field: 'q', message: 'Type at most 100 characters.' }]);
	});

	it('refuses a limit outside 1–20 or not a whole number', async () => {
		for (const limit of ['0', '21', '-1', 'abc', '2.5', '1e1', '9999999999']) {
			const response = await search(`?q=a&limit=${encodeURIComponent(limit)}`);
			expect(response.status, limit).toBe(400);
			const body = await problemOf(response);
			expect(
				body.errors?.map((e) => e.field),
				limit
			).toEqual(['limit']);
			expect(body.errors?.[0].message).toBe('The limit must be a whole number from 1 to 20.');
		}
		expect((await search('?q=a&limit=20')).status).toBe(200);
	});

	it('refuses a malformed country code and names an unknown one', async () => {
		const malformed = await search('?q=a&country=KEN');
		expect(malformed.status).toBe(400);
		expect((await problemOf(malformed)).errors?.[0]).toEqual({
			field: 'country',
			message: 'Use a two-letter ISO country code, such as KE.'
		});
		const unknown = await search('?q=a&country=ZZ');
		expect(unknown.status).toBe(400);
		const body = await problemOf(unknown);
		expect(body.detail).toBe('There is no country with the code ZZ.');
		expect(body.errors).toEqual([
			{ field: 'country', message: 'There is no country with the code ZZ.' }
		]);
	});

	it('answers in French under /fr, and names unknown parameters', async () => {
		const response = await new HttpClient(baseUrl).get(
			'/fr/api/v1/places/cities?q=a&limit=50&foo=1'
		);
		expect(response.status).toBe(400);
		const body = await problemOf(response);
		expect(body.errors).toEqual(
			expect.arrayContaining([
				{ field: 'foo', message: 'Ce paramètre n’est pas reconnu ici.' },
				{ field: 'limit', message: 'La limite doit être un nombre entier de 1 à 20.' }
			])
		);
	});

	it('gives the same list as CSV on request', async () => {
		const response = await search('?q=seoul&limit=2&format=csv');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('text/csv');
		const [header, first] = (await response.text()).split('\r\n');
		expect(header).toBe('id,name,countryCode,countryName,adminCode,population,latitude,longitude');
		expect(first).toMatch(/^\d+,Seoul,KR,South Korea,/);
		expect((await search('?q=a&format=xml')).status).toBe(400);
	});
});

describe('GET /api/v1/places/countries', () => {
	type CountryRow = {
		code: string;
		name: string;
		regionCode: string;
		subregionCode: string;
		incomeGroup: string | null;
		isLdc: boolean;
		isDeveloping: boolean;
	};
	const list = async (query: string, path = '/api/v1/places/countries') => {
		const response = await new HttpClient(baseUrl).get(`${path}${query}`);
		expect(response.status).toBe(200);
		return (await response.json()) as { data: CountryRow[]; next: null; total: number };
	};

	it('lists every country sorted by name, with its derived development status', async () => {
		const body = await list('');
		expect(body.total).toBe(250);
		expect(body.data[0].name).toBe('Afghanistan');
		expect(body.data.find((c) => c.code === 'KE')).toEqual({
			code: 'KE',
			name: 'Kenya',
			regionCode: '002',
			subregionCode: '202',
			incomeGroup: 'LM',
			isLdc: false,
			isDeveloping: true
		});
		expect(body.data.find((c) => c.code === 'KR')?.isDeveloping).toBe(false);
	});

	it('narrows by region and income group, and sorts by the French name under /fr', async () => {
		const africaLow = await list('?region=002&income=L');
		expect(africaLow.data.length).toBeGreaterThan(15);
		expect(africaLow.data.every((c) => c.regionCode === '002' && c.incomeGroup === 'L')).toBe(true);
		const either = await list('?income=L&income=H');
		expect(new Set(either.data.map((c) => c.incomeGroup))).toEqual(new Set(['L', 'H']));
		const french = await list('', '/fr/api/v1/places/countries');
		expect(french.data.find((c) => c.code === 'DE')?.name).toBe('Allemagne');
	});

	it('refuses unknown regions, income groups and parameters', async () => {
		const response = await new HttpClient(baseUrl).get(
			'/api/v1/places/countries?region=Africa&income=rich&sort=name'
		);
		expect(response.status).toBe(400);
		const body = await problemOf(response);
		expect(body.errors?.map((e) => e.field).sort()).toEqual(['income', 'region', 'sort']);
		expect(body.errors?.find((e) => e.field === 'region')?.message).toBe(
			'Choose one of the listed options.'
		);
	});

	it('gives CSV with numbers left as numbers', async () => {
		const response = await new HttpClient(baseUrl).get(
			'/api/v1/places/countries?format=csv&region=009'
		);
		expect(response.headers.get('content-type')).toContain('text/csv');
		const lines = (await response.text()).trim().split('\r\n');
		expect(lines[0]).toBe('code,name,regionCode,subregionCode,incomeGroup,isLdc,isDeveloping');
		expect(lines).toContain('AU,Australia,009,053,H,false,false');
		const cities = await (
			await new HttpClient(baseUrl).get('/api/v1/places/cities?q=sydney&limit=1&format=csv')
		).text();
		// Southern latitudes stay plain negative numbers, not spreadsheet-escaped text.
		expect(cities.split('\r\n')[1]).toMatch(/^\d+,Sydney,AU,Australia,\w*,\d+,-33\.\d+,151\.\d+$/);
	});
});
