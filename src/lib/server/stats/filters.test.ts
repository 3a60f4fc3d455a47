import { describe, expect, it } from 'vitest';
import { filterQuery, parseStatsFilters, recordsHref, statsFilterNames } from './filters';

const parse = (query: string, mode: 'strict' | 'lenient') =>
	parseStatsFilters(new URLSearchParams(query), mode);
const fields = (errors: { field: string }[]) => errors.map((error) => error.field);

describe('parseStatsFilters', () => {
	it('reads every filter, repeated names as any of their values, each once', () => {
		const { filters, errors } = parse(
			'region=002&region=035&region=002&income=L&income=LM&theme=S&sdg=11.2&sdg=11.a&cooperation=financial&from=2025-01&to=2026-06',
			'strict'
		);
		expect(errors).toEqual([]);
		expect(filters).toEqual({
			region: ['002', '035'],
			income: ['L', 'LM'],
			theme: ['S'],
			sdg: ['11.2', '11.a'],
			cooperation: ['financial'],
			from: '2025-01',
			to: '2026-06'
		});
	});

	it('ignores empty values and keeps view and format for the API', () => {
		expect(parse('region=&theme=&view=matrix&format=csv', 'strict')).toEqual({
			filters: {},
			errors: []
		});
	});

	it('strict: reports unknown names and bad codes; lenient: drops bad values only', () => {
		const query = 'regoin=002&region=999&income=XL&theme=Z&sdg=11.9&cooperation=bribery&theme=E';
		const strict = parse(query, 'strict');
		expect(fields(strict.errors)).toEqual([
			'regoin',
			'region',
			'income',
			'theme',
			'sdg',
			'cooperation'
		]);
		expect(strict.filters).toEqual({ theme: ['E'] });
		const lenient = parse(query, 'lenient');
		expect(fields(lenient.errors)).toEqual(['region', 'income', 'theme', 'sdg', 'cooperation']);
		expect(lenient.filters).toEqual({ theme: ['E'] });
	});

	it('refuses malformed months and months out of range', () => {
		for (const month of [
			'2025-13',
			'2025-1',
			'25-01',
			'2025-01-01',
			'1969-12',
			'2101-01',
			'июнь',
			'<script>'
		]) {
			const { filters, errors } = parse(`from=${encodeURIComponent(month)}`, 'strict');
			expect(filters, month).toEqual({});
			expect(fields(errors), month).toEqual(['from']);
		}
	});

	it('refuses a period that ends before it starts, keeping neither month', () => {
		for (const mode of ['strict', 'lenient'] as const) {
			const { filters, errors } = parse('from=2026-05&to=2025-01', mode);
			expect(filters).toEqual({});
			expect(fields(errors)).toEqual(['to']);
		}
		expect(parse('from=2026-05&to=2026-05', 'strict')).toEqual({
			filters: { from: '2026-05', to: '2026-05' },
			errors: []
		});
	});

	it('takes one month for from and to; lenient keeps the first', () => {
		const { filters, errors } = parse('from=2025-01&from=2025-02', 'lenient');
		expect(filters).toEqual({ from: '2025-01' });
		expect(fields(errors)).toEqual(['from']);
		expect(parse('to=2025-01&to=2025-01', 'strict').errors).toEqual([]);
	});

	it('takes at most 20 distinct values of one filter', () => {
		const many = Array.from(
			{ length: 25 },
			(_, i) =>
				`region=${['002', '019', '142', '150', '009', '015', '202', '419', '021', '143', '030', '035', '034', '145', '151', '154', '039', '155', '053', '054', '057', '061', '010'][i % 23]}`
		).join('&');
		const { filters, errors } = parse(many, 'lenient');
		expect(filters.region).toHaveLength(20);
		expect(fields(errors)).toEqual(['region']);
		const huge = parse(`theme=${'S'.repeat(100_000)}`, 'strict');
		expect(fields(huge.errors)).toEqual(['theme']);
		expect(JSON.stringify(huge.errors).length).toBeLessThan(500);
	});
});

describe('filterQuery and recordsHref', () => {
	it('writes the filters back in the URL, in the names the parser reads', () => {
		const filters = { region: ['002'], theme: ['S' as const, 'E' as const], from: '2025-01' };
		const query = filterQuery(filters);
		expect(query.toString()).toBe('region=002&theme=S&theme=E&from=2025-01');
		expect(parse(query.toString(), 'strict').filters).toEqual(filters);
		expect(
			[...new Set(query.keys())].every((name) =>
				(statsFilterNames as readonly string[]).includes(name)
			)
		).toBe(true);
	});

	it('links a cell to the lists, narrowed as far as each list allows', () => {
		const filters = {
			region: ['035'],
			income: ['LM' as const],
			cooperation: ['financial' as const],
			from: '2025-01'
		};
		const cell = { theme: 'S' as const, sdg: '11.2' as const };
		// The case list takes regions only (a sub-region becomes its region) and no cooperation type.
		expect(recordsHref('case_study', cell, filters)).toBe(
			'/cases?theme=S&sdg=11.2&region=142&income=LM'
		);
		expect(recordsHref('need', cell, filters)).toBe(
			'/needs?theme=S&sdg=11.2&region=035&income=LM&cooperation=financial'
		);
		expect(recordsHref('offer', { country: 'VN' }, {})).toBe('/offers?country=VN');
		// The partnership list has no income filter.
		expect(recordsHref('partnership', { status: 'agreed' }, filters)).toBe(
			'/partnerships?region=035&cooperation=financial&status=agreed'
		);
		expect(recordsHref('case_study', { status: 'agreed' }, {})).toBe('/cases');
		expect(recordsHref('need', { theme: 'E' }, { theme: ['S', 'O'] })).toBe('/needs?theme=E');
	});
});
