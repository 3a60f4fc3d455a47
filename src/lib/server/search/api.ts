import type { CsvCell } from '$lib/server/api/lists';
import { snippetText } from './snippet';
import type { SearchHit } from './types';

/** A search hit as `GET /api/v1/search` shows it: the hit's own fields and an absolute URL. */
export function hitToApi(hit: SearchHit, origin: string) {
	return {
		type: hit.type,
		id: hit.id,
		title: hit.title,
		snippet: hit.snippet,
		url: new URL(hit.path, origin).toString(),
		path: hit.path,
		country: hit.meta.country ?? null,
		city: hit.meta.city ?? null,
		organisation: hit.meta.organisation ?? null,
		date: Number.isNaN(hit.sortDate.getTime()) ? null : hit.sortDate.toISOString()
	};
}
export type ApiSearchHit = ReturnType<typeof hitToApi>;

export const csvColumns = [
	'type',
	'id',
	'title',
	'snippet',
	'url',
	'path',
	'country',
	'city',
	'organisation',
	'date'
] as const satisfies readonly (keyof ApiSearchHit)[];

/** One CSV row: the JSON hit with its snippet as plain text. */
export function csvRow(hit: ApiSearchHit): Record<(typeof csvColumns)[number], CsvCell> {
	return { ...hit, snippet: snippetText(hit.snippet) };
}
