import { describe, expect, it } from 'vitest';
import {
	csvCell,
	formatErrors,
	repeatedParameterErrors,
	toCsv,
	unknownParameterErrors,
	wantsCsv
} from './lists';

describe('CSV encoding', () => {
	it.each([
		['plain', 'plain'],
		['a,b', '"a,b"'],
		['say "hi"', '"say ""hi"""'],
		['two\nlines', '"two\nlines"'],
		['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
		['-1+1', "'-1+1"],
		['@SUM(A1)', "'@SUM(A1)"]
	])('quotes %j as %j', (value, expected) => {
		expect(csvCell(value)).toBe(expected);
	});

	it('leaves numbers, booleans and empty values plain', () => {
		expect([csvCell(-33.86), csvCell(0), csvCell(true), csvCell(null), csvCell(undefined)]).toEqual(
			['-33.86', '0', 'true', '', '']
		);
	});

	it('writes a header and CRLF-terminated rows', () => {
		expect(toCsv(['a', 'b'] as const, [{ a: 1, b: 'x,y' }])).toBe('a,b\r\n1,"x,y"\r\n');
	});
});

describe('list parameters', () => {
	it('names every unknown parameter once', () => {
		const params = new URLSearchParams('q=x&colour=red&colour=blue&limit=2');
		expect(unknownParameterErrors(params, new Set(['q', 'limit']), () => 'unknown')).toEqual([
			{ field: 'colour', message: 'unknown' }
		]);
	});

	it('names each single-valued parameter given more than once', () => {
		const params = new URLSearchParams('limit=2&limit=3&cursor=a&theme=S&theme=E&format=csv');
		expect(repeatedParameterErrors(params, ['limit', 'cursor', 'format'], () => 'once')).toEqual([
			{ field: 'limit', message: 'once' }
		]);
	});

	it('accepts json and csv formats only', () => {
		expect(formatErrors(new URLSearchParams('format=csv'), () => 'bad')).toEqual([]);
		expect(formatErrors(new URLSearchParams('format=xml'), () => 'bad')).toEqual([
			{ field: 'format', message: 'bad' }
		]);
	});

	it('reads CSV from the format parameter first, then from Accept', () => {
		const csvAccept = new Request('http://x/', { headers: { accept: 'text/csv' } });
		expect(wantsCsv(null, csvAccept)).toBe(true);
		expect(wantsCsv('json', csvAccept)).toBe(false);
		expect(wantsCsv('csv', new Request('http://x/'))).toBe(true);
		expect(wantsCsv(null, new Request('http://x/'))).toBe(false);
	});
});
