import { describe, expect, it } from 'vitest';
import { MAX_FILTER_VALUES, parseListFilters, parseListFiltersLeniently } from './index';

const parse = (query: string) => parseListFiltersLeniently(new URLSearchParams(query));
const strict = (query: string) => parseListFilters(new URLSearchParams(query));

describe('parseListFiltersLeniently', () => {
	it('reads every valid filter, like the strict parser', () => {
		const query =
			'theme=S&sdg=11.2&region=002&country=ke&income=LM&domain=mobility&technology=iot&status=pilot&year=2020&organisation=kcca&sort=validated';
		const { filters, ignored } = parse(query);
		expect(ignored).toEqual([]);
		expect(filters).toEqual({
			theme: ['S'],
			sdg: ['11.2'],
			region: ['002'],
			country: ['KE'],
			income: ['LM'],
			domain: ['mobility'],
			technology: ['iot'],
			status: ['pilot'],
			year: [2020],
			organisation: 'kcca',
			sort: 'validated'
		});
		const parsed = strict(query);
		expect(parsed.success && parsed.data).toEqual(filters);
	});

	it('reads every value of a repeated facet, in order, without duplicates', () => {
		const query =
			'theme=E&theme=S&theme=E&sdg=11.2&sdg=11.6&country=ke&country=KE&country=fr&year=2014&year=2020&year=2014&status=pilot&status=scaled';
		const { filters, ignored } = parse(query);
		expect(ignored).toEqual([]);
		expect(filters).toEqual({
			theme: ['E', 'S'],
			sdg: ['11.2', '11.6'],
			country: ['KE', 'FR'],
			status: ['pilot', 'scaled'],
			year: [2014, 2020]
		});
		const parsed = strict(query);
		expect(parsed.success && parsed.data).toEqual(filters);
	});

	it('drops only the bad values and names them, keeping the rest', () => {
		const { filters, ignored } = parse('theme=X&year=abc&country=ZZZ&sdg=11.6&sort=best');
		expect(filters).toEqual({ sdg: ['11.6'] });
		expect(ignored).toEqual([
			{ name: 'theme', value: 'X' },
			{ name: 'country', value: 'ZZZ' },
			{ name: 'year', value: 'abc' },
			{ name: 'sort', value: 'best' }
		]);
	});

	it('drops a bad value of a repeated facet and keeps its good ones', () => {
		const { filters, ignored } = parse('theme=S&theme=X&theme=E&year=2020&year=20.5');
		expect(filters).toEqual({ theme: ['S', 'E'], year: [2020] });
		expect(ignored).toEqual([
			{ name: 'theme', value: 'X' },
			{ name: 'year', value: '20.5' }
		]);
	});

	it('keeps at most the first values of a facet and names the rest', () => {
		const years = Array.from({ length: MAX_FILTER_VALUES + 2 }, (_, n) => 2000 + n);
		const { filters, ignored } = parse(years.map((year) => `year=${year}`).join('&'));
		expect(filters.year).toEqual(years.slice(0, MAX_FILTER_VALUES));
		expect(ignored).toEqual(
			years.slice(MAX_FILTER_VALUES).map((year) => ({ name: 'year', value: String(year) }))
		);
	});

	it('ignores empty parameters and unknown names, and reads the first organisation and sort', () => {
		expect(parse('theme=&year=%20&cursor=abc&q=x')).toEqual({ filters: {}, ignored: [] });
		expect(parse('theme=&theme=S').filters).toEqual({ theme: ['S'] });
		expect(parse('organisation=a&organisation=b&sort=validated&sort=newest').filters).toEqual({
			organisation: 'a',
			sort: 'validated'
		});
	});

	it('refuses years out of range and fractions', () => {
		for (const year of ['1899', '2201', '2020.5', '1e3', '-2020']) {
			expect(parse(`year=${year}`).ignored, year).toEqual([{ name: 'year', value: year }]);
		}
	});
});

describe('parseListFilters', () => {
	it('refuses a facet when any one of its values is bad, naming the facet', () => {
		const parsed = strict('theme=S&theme=Q&sdg=11.1&year=2020&year=abc');
		expect(parsed.success).toBe(false);
		expect(parsed.error?.issues.map((issue) => issue.path)).toEqual([
			['theme', 1],
			['year', 1]
		]);
	});

	it('refuses more distinct values than the cap, and counts duplicates once', () => {
		const many = (count: number) =>
			Array.from({ length: count }, (_, n) => `year=${2000 + n}`).join('&');
		expect(strict(many(MAX_FILTER_VALUES)).success).toBe(true);
		const over = strict(many(MAX_FILTER_VALUES + 1));
		expect(over.error?.issues.map((issue) => issue.path)).toEqual([['year']]);
		expect(strict(Array.from({ length: 50 }, () => 'theme=S').join('&')).data).toEqual({
			theme: ['S']
		});
	});
});
