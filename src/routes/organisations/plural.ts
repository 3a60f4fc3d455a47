import { getLocale } from '$lib/i18n';

/** Picks the singular or plural message by the language's plural rules (French: 0 and 1 are singular). */
export function plural(count: number, one: () => string, other: () => string): string {
	return new Intl.PluralRules(getLocale()).select(count) === 'one' ? one() : other();
}
