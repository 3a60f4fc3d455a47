import { getLocale, locales, localizeHref, type Locale } from '$lib/paraglide/runtime';

export const localeNames: Record<Locale, string> = { en: 'English', fr: 'Français' };

const rightToLeft = new Set(['ar', 'he', 'fa', 'ur']);

export function textDirection(locale: string): 'ltr' | 'rtl' {
	return rightToLeft.has(locale) ? 'rtl' : 'ltr';
}

/** Formats a date for the current locale, e.g. "28 Nov 2026". */
export function formatDate(date: Date | number): string {
	return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium' }).format(date);
}

export function formatNumber(value: number): string {
	return new Intl.NumberFormat(getLocale()).format(value);
}

export { getLocale, locales, localizeHref };
