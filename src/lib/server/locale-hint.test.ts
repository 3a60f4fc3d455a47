import { describe, expect, it } from 'vitest';
import { preferredLocale } from './locale-hint';

describe('preferredLocale', () => {
	const supported = ['en', 'fr'] as const;

	it.each([
		['fr-FR,fr;q=0.9,en;q=0.8', 'fr'],
		['de-DE,de;q=0.9,fr;q=0.5', 'fr'],
		['en-GB,fr;q=0.9', 'en'],
		['fr;q=0.2,en;q=0.8', 'en'],
		['de,es', null],
		['', null],
		['fr;q=0', null],
		['*;q=0.1,;;,fr;q=abc', null]
	])('%s → %s', (header, expected) => {
		expect(preferredLocale(header, supported)).toBe(expected);
	});

	it('returns null without a header', () => {
		expect(preferredLocale(null, supported)).toBeNull();
	});
});
