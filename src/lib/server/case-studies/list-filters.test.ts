import { describe, expect, it } from 'vitest';
import { parseListFilters, parseListFiltersLeniently } from './index';

const parse = (query: string) => parseListFiltersLeniently(new URLSearchParams(query));

describe('parseListFiltersLeniently', () => {
	it('reads every valid filter, like the strict parser', () => {
		const query =
			'theme=S&sdg=11.2&region=002&country=ke&income=LM&domain=mobility&technology=iot&status=pilot&year=2020&organisation=kcca&sort=validated';
		const { filters, ignored } = parse(query);
		expect(ignored).toEqual([]);
		expect(filters).toEqual({
			theme: 'S',
			sdg: '11.2',
			region: '002',
			country: 'KE',
			income: 'LM',
			domain: 'mobility',
			technology: 'iot',
			status: 'pilot',
			year: 2020,
			organisation: 'kcca',
			sort: 'validated'
		});
		const strict = parseListFilters(new URLSearchParams(query));
		expect(strict.success && strict.data).toEqual(filters);
	});

	it('drops only the bad values and names them, keeping the rest', () => {
		const { filters, ignored } = parse('theme=X&year=abc&country=ZZZ&sdg=11.6&sort=best');
		expect(filters).toEqual({ sdg: '11.6' });
		expect(ignored).toEqual([
			{ name: 'theme', value: 'X' },
			{ name: 'country', value: 'ZZZ' },
			{ name: 'year', value: 'abc' },
			{ name: 'sort', value: 'best' }
		]);
	});

	it('ignores empty parameters and unknown names, and reads the first of repeated ones', () => {
		expect(parse('theme=&year=%20&cursor=abc&q=x')).toEqual({ filters: {}, ignored: [] });
		expect(parse('theme=E&theme=S').filters).toEqual({ theme: 'E' });
	});

	it('refuses years out of range and fractions', () => {
		for (const year of ['1899', '2201', '2020.5', '1e3', '-2020']) {
			expect(parse(`year=${year}`).ignored, year).toEqual([{ name: 'year', value: year }]);
		}
	});
});
