import { describe, expect, it } from 'vitest';
import { editDistance, typoBudget, typoDistance, variantLengthRange } from './typo';

describe('typoBudget (Meilisearch defaults)', () => {
	it('allows no typo under 5 letters, one from 5, two from 9', () => {
		expect(typoBudget('road')).toBe(0);
		expect(typoBudget('roads')).toBe(1);
		expect(typoBudget('transport')).toBe(2);
		expect(typoBudget('drainage')).toBe(1);
	});

	it('counts letters, not UTF-16 units', () => {
		expect(typoBudget('𝒸𝒾𝓉𝓎')).toBe(0);
		expect(typoBudget('école')).toBe(1);
	});
});

describe('editDistance (Damerau–Levenshtein, optimal string alignment)', () => {
	it.each([
		['water', 'water', 0],
		['water', 'wtaer', 1],
		['water', 'watr', 1],
		['water', 'waters', 1],
		['water', 'wafer', 1],
		['transport', 'transprot', 1],
		['transport', 'tarnsprot', 2],
		['', 'abc', 3],
		['abc', '', 3]
	])('%s → %s is %i', (a, b, distance) => {
		expect(editDistance(a, b)).toBe(distance);
	});

	it('stops early above the maximum', () => {
		expect(editDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
		expect(editDistance('a', 'abcdef', 2)).toBe(3);
	});
});

describe('typoDistance', () => {
	it('accepts one typo in a word of 5 to 8 letters and two from 9', () => {
		expect(typoDistance('aquaduct', 'aqueduct')).toBe(1);
		expect(typoDistance('drainnage', 'drainage')).toBe(1);
		expect(typoDistance('infrastucure', 'infrastructure')).toBe(2);
	});

	it('refuses two typos under 9 letters and any under 5', () => {
		expect(typoDistance('aqudct', 'aqueduct')).toBeNull();
		expect(typoDistance('raod', 'road')).toBeNull();
	});

	it('never accepts a typo on the first letter', () => {
		expect(typoDistance('bater', 'water')).toBeNull();
		expect(typoDistance('awter', 'water')).toBeNull();
	});

	it('gives 0 for the word itself', () => {
		expect(typoDistance('road', 'road')).toBe(0);
	});
});

it('variantLengthRange spans the typo budget around the word', () => {
	expect(variantLengthRange('drainage')).toEqual({ min: 7, max: 9 });
	expect(variantLengthRange('road')).toEqual({ min: 4, max: 4 });
});
