import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { csvResponse, formatErrors, toCsv, wantsCsv } from '$lib/server/api/lists';
import { problem } from '$lib/server/api/problem';
import * as caseStudies from '$lib/server/case-studies';
import * as caseApi from '$lib/server/case-studies/api';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import type { RequestHandler } from './$types';

const knownParameters = ['cursor', 'limit', 'format'];

/** Published case studies, newest (or most validated) first, a cursor page at a time. */
export const GET: RequestHandler = ({ url, request }) => {
	const params = url.searchParams;
	const { filters, errors } = caseApi.parseApiFilters(params, knownParameters);
	errors.push(...formatErrors(params, m.casemod_api_format_invalid));
	const limitText = params.get('limit') ?? '20';
	const limit = /^\d{1,3}$/.test(limitText) ? Number(limitText) : NaN;
	if (!(limit >= 1 && limit <= 100)) {
		errors.push({ field: 'limit', message: m.casemod_api_limit_invalid() });
	}
	const cursor = params.get('cursor');
	if (cursor !== null && !caseStudies.decodeCursor(cursor)) {
		errors.push({ field: 'cursor', message: m.casemod_api_cursor_invalid() });
	}
	if (errors.length || !filters) return problem(400, 'Some parameters are not valid.', errors);

	const db = appDb();
	const page = caseStudies.listPublished(db, filters, { cursor, limit });
	const total = caseStudies.countPublished(db, filters);
	const extras = caseApi.apiExtras(
		db,
		page.items.map((item) => item.id)
	);
	const data = page.items.map((item) =>
		caseApi.listItemToApi(item, extras.get(item.id)!, config.origin)
	);
	const headers: Record<string, string> = { vary: 'accept', 'x-total-count': String(total) };
	if (page.nextCursor) {
		const next = new URL(url);
		next.searchParams.set('cursor', page.nextCursor);
		headers.link = `<${next.pathname}${next.search}>; rel="next"`;
	}
	if (wantsCsv(params.get('format'), request)) {
		return csvResponse(
			toCsv(caseApi.csvColumns, data.map(caseApi.csvRow)),
			'case-studies.csv',
			headers
		);
	}
	return json({ data, next: page.nextCursor, total }, { headers });
};
