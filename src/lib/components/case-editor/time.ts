import { getLocale } from '$lib/paraglide/runtime';

/** Date and time of a revision, in UTC so the server and the browser render the same text. */
export function revisionTime(date: Date | string | number): string {
	return `${new Intl.DateTimeFormat(getLocale(), {
		dateStyle: 'medium',
		timeStyle: 'short',
		timeZone: 'UTC'
	}).format(new Date(date))} UTC`;
}
