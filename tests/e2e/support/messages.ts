import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

type Locale = 'en' | 'fr';

const catalogues = new Map<Locale, Record<string, string>>();

function catalogue(locale: Locale): Record<string, string> {
	let messages = catalogues.get(locale);
	if (!messages) {
		messages = {};
		const root = resolve('messages');
		for (const area of readdirSync(root)) {
			const file = resolve(root, area, `${locale}.json`);
			Object.assign(messages, JSON.parse(readFileSync(file, 'utf8')));
		}
		catalogues.set(locale, messages);
	}
	return messages;
}

/**
 * The text a user sees for a message key, read from the same files the site is built from, so
 * a reworded label needs no change in the tests. Fails loudly when a key is gone.
 */
export function text(key: string, params: Record<string, string> = {}, locale: Locale = 'en') {
	const message = catalogue(locale)[key];
	if (typeof message !== 'string') {
		throw new Error(`message "${key}" (${locale}) not found in messages/*/${locale}.json`);
	}
	return message.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

/** A pattern for a message whose parameters (dates, counts) the test does not know. */
export function textPattern(key: string, locale: Locale = 'en'): RegExp {
	const pieces = text(key, {}, locale).split(/\{\w+\}/);
	return new RegExp(
		pieces.map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*?')
	);
}
