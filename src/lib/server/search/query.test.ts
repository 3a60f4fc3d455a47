import { describe, expect, it } from 'vitest';
import {
	MAX_QUERY_LENGTH,
	MAX_QUERY_TERMS,
	foldWord,
	formatQuery,
	ftsString,
	parseQuery,
	wordsOf
} from './query';

const summary = (q: string) =>
	parseQuery(q).clauses.map((c) => ({
		kind: c.kind,
		words: c.words,
		...(c.negated ? { negated: true } : {}),
		...(c.prefix ? { prefix: true } : {}),
		...(c.ignored ? { ignored: true } : {})
	}));

describe('parseQuery', () => {
	it('reads words, the last one as a prefix while typing', () => {
		expect(summary('bus rapid trans')).toEqual([
			{ kind: 'word', words: ['bus'] },
			{ kind: 'word', words: ['rapid'] },
			{ kind: 'word', words: ['trans'], prefix: true }
		]);
	});

	it('does not complete the last word after a space', () => {
		expect(summary('bus rapid ').every((c) => !c.prefix)).toBe(true);
	});

	it('folds case and diacritics as the index does', () => {
		expect(parseQuery('MEDELLÍN São').required.map((c) => c.words[0])).toEqual(['medellin', 'sao']);
		expect(foldWord('Ærø Œuvre')).toBe('ærø œuvre');
	});

	it('reads "phrases", never as prefixes', () => {
		expect(summary('"bus rapid transit" Lagos')).toEqual([
			{ kind: 'phrase', words: ['bus', 'rapid', 'transit'] },
			{ kind: 'word', words: ['lagos'], prefix: true }
		]);
		expect(summary('Lagos "bus rapid"').at(-1)).toEqual({
			kind: 'phrase',
			words: ['bus', 'rapid']
		});
	});

	it('reads the rest of an unbalanced quote as words', () => {
		expect(summary('"bus rapid')).toEqual([
			{ kind: 'word', words: ['bus'] },
			{ kind: 'word', words: ['rapid'], prefix: true }
		]);
		expect(summary('"')).toEqual([]);
		expect(summary('""')).toEqual([]);
	});

	it('reads exclusions: a word or phrase after a minus', () => {
		expect(summary('water -drinking -"bottled water"')).toEqual([
			{ kind: 'word', words: ['water'] },
			{ kind: 'word', words: ['drinking'], negated: true },
			{ kind: 'phrase', words: ['bottled', 'water'], negated: true }
		]);
		const parsed = parseQuery('water -drinking');
		expect(parsed.required.map((c) => c.raw)).toEqual(['water']);
		expect(parsed.excluded.map((c) => c.raw)).toEqual(['drinking']);
	});

	it('keeps a lone or inner minus as plain text', () => {
		expect(summary('- water')).toEqual([{ kind: 'word', words: ['water'], prefix: true }]);
		expect(summary('e-mobility')).toEqual([
			{ kind: 'word', words: ['e'] },
			{ kind: 'word', words: ['mobility'], prefix: true }
		]);
	});

	it('drops stop words among other words, keeps them when they are the whole query or in a phrase', () => {
		expect(parseQuery('the aqueduct of the city ').required.map((c) => c.raw)).toEqual([
			'aqueduct',
			'city'
		]);
		expect(parseQuery('gestion de l’eau ').required.map((c) => c.raw)).toEqual(['gestion', 'eau']);
		expect(parseQuery('the ').required.map((c) => c.raw)).toEqual(['the']);
		expect(parseQuery('"city of water"').required[0].words).toEqual(['city', 'of', 'water']);
	});

	it('waits for a second letter before completing a word after others', () => {
		expect(parseQuery('water k').required.map((c) => c.raw)).toEqual(['water']);
		expect(parseQuery('k').required.map((c) => c.raw)).toEqual(['k']);
	});

	it('lets no FTS syntax through: operators and punctuation are plain words or nothing', () => {
		// "and" is a stop word; the single letter being typed last waits for a second one.
		expect(
			parseQuery('NEAR(water, 2) AND NOT title:x^ * ( )').required.map((c) => c.words[0])
		).toEqual(['near', 'water', '2', 'not', 'title']);
		expect(summary('* ^ : ( ) {title}: ')).toEqual([{ kind: 'word', words: ['title'] }]);
	});

	it('caps the length and the number of terms', () => {
		const long = 'water '.repeat(2000);
		const parsed = parseQuery(long);
		expect(parsed.clauses.map((c) => c.raw).join(' ').length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
		expect(parsed.required).toHaveLength(MAX_QUERY_TERMS);
		expect(parseQuery('x'.repeat(10_000)).required[0].words[0]).toHaveLength(MAX_QUERY_LENGTH);
	});

	it('reads an empty or blank query as nothing', () => {
		expect(parseQuery('').clauses).toEqual([]);
		expect(parseQuery('   \n\t').clauses).toEqual([]);
		expect(parseQuery('<script>').required.map((c) => c.raw)).toEqual(['script']);
	});
});

describe('ftsString', () => {
	it('quotes words and phrases and marks a prefix', () => {
		expect(ftsString(['bus'])).toBe('"bus"');
		expect(ftsString(['bus', 'rapid'])).toBe('"bus rapid"');
		expect(ftsString(['tran'], true)).toBe('"tran"*');
		expect(ftsString(['a"b'])).toBe('"a""b"');
	});
});

describe('formatQuery', () => {
	it('gives the query back with corrected words, stop words, phrases and exclusions in place', () => {
		const parsed = parseQuery('aquaduct of the "hill town" -rain');
		const corrections = new Map([[parsed.clauses[0], 'aqueduct']]);
		expect(formatQuery(parsed, corrections)).toBe('aqueduct of the "hill town" -rain');
	});
});

it('wordsOf splits like the FTS5 unicode61 tokenizer and folds', () => {
	expect(wordsOf("L'eau, c'est la vie! CO₂ 3.5")).toEqual([
		'l',
		'eau',
		'c',
		'est',
		'la',
		'vie',
		'co₂',
		'3',
		'5'
	]);
});
