import { describe, expect, it } from 'vitest';
import { citySearchSchema, foldName } from './places';

describe('foldName', () => {
	it('lower-cases and removes accents', () => {
		expect(foldName('Séoul')).toBe('seoul');
		expect(foldName('SÃO PAULO')).toBe('sao paulo');
		expect(foldName('Bogotá')).toBe('bogota');
		expect(foldName('Ho Chi Minh City')).toBe('ho chi minh city');
		expect(foldName('Düsseldorf')).toBe('dusseldorf');
	});

	it('spells letters that do not decompose the way people type them', () => {
		expect(foldName('Łódź')).toBe('lodz');
		expect(foldName('Tromsø')).toBe('tromso');
		expect(foldName('Straße')).toBe('strasse');
		expect(foldName('Đà Nẵng')).toBe('da nang');
		expect(foldName('İstanbul')).toBe('istanbul');
	});

	it('drops apostrophes and dots and reads hyphens as spaces', () => {
		expect(foldName("N'Djamena")).toBe('ndjamena');
		expect(foldName('Port-au-Prince')).toBe('port au prince');
		expect(foldName('St. John’s')).toBe('st johns');
		expect(foldName('%')).toBe('%');
		expect(foldName("'")).toBe('');
	});

	it('trims and collapses white space, and leaves other scripts alone', () => {
		expect(foldName('  New   York ')).toBe('new york');
		expect(foldName('서울')).toBe('서울');
		expect(foldName('')).toBe('');
	});
});

describe('citySearchSchema', () => {
	it('defaults the limit to 10 and upper-cases the country', () => {
		expect(citySearchSchema.parse({ q: 'nai', country: 'ke' })).toEqual({
			q: 'nai',
			country: 'KE',
			limit: 10
		});
		expect(citySearchSchema.parse({})).toEqual({ q: '', limit: 10 });
	});

	it('refuses long queries, bad limits and malformed countries', () => {
		expect(citySearchSchema.safeParse({ q: 'x'.repeat(101) }).success).toBe(false);
		expect(citySearchSchema.safeParse({ q: 'x'.repeat(100) }).success).toBe(true);
		for (const limit of ['0', '21', 'ten', '1.5', '-3', '']) {
			expect(citySearchSchema.safeParse({ limit }).success, limit).toBe(false);
		}
		for (const country of ['K', 'KEN', '12', 'k1', '']) {
			expect(citySearchSchema.safeParse({ country }).success, country).toBe(false);
		}
		expect(citySearchSchema.safeParse({ q: 5 }).success).toBe(false);
	});
});
