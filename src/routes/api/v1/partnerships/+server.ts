import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import {
	csvResponse,
	formatErrors,
	repeatedParameterErrors,
	toCsv,
	unknownParameterErrors,
	wantsCsv
} from '$lib/server/api/lists';
import { problem, type ProblemFieldError } from '$lib/server/api/problem';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import * as partnerships from '$lib/server/partnerships';
import { csvColumns, csvRow, partnershipToApi } from '$lib/server/partnerships/api';
import type { RequestHandler } from './$types';

/** The facets may be repeated (any of their values); these may not. */
const singleParameters = ['cursor', 'limit', 'format'];
const knownParameters = new Set([...partnerships.filterNames, ...singleParameters]);

/** Public partnerships (every party consents), newest first, a cursor page at a time. */
export const GET: RequestHandler = ({ url, request }) => {
	const params = url.searchParams;
	const { filters, invalid } = partnerships.parseListFilters(params);
	const errors: ProblemFieldError[] = [
		...unknownParameterErrors(params, knownParameters, m.partnershippages_api_unknown_parameter),
		...repeatedParameterErrors(params, singleParameters, m.casemod_api_repeated_parameter),
		...invalid.map(({ field, message }) => ({ field, message })),
		...formatErrors(params, m.casemod_api_format_invalid)
	];
	const limitText = params.get('limit') ?? '20';
	const limit = /^\d{1,3}$/.test(limitText) ? Number(limitText) : NaN;
	if (!(limit >= 1 && limit <= 100)) {
		errors.push({ field: 'limit', message: m.casemod_api_limit_invalid() });
	}
	const cursor = params.get('cursor');
	if (cursor !== null && !partnerships.decodeCursor(cursor)) {
		errors.push({ field: 'cursor', message: m.casemod_api_cursor_invalid() });
	}
	if (errors.length) return problem(400, 'Some parameters are not valid.', errors);

	const page = partnerships.listPublicPartnerships(appDb(), filters, { cursor, limit });
	const data = page.data.map((record) => partnershipToApi(record, config.origin));
	const headers: Record<string, string> = { vary: 'accept', 'x-total-count': String(page.total) };
	if (page.next) {
		const next = new URL(url);
		next.searchParams.set('cursor', page.next);
		headers.link = `<${next.pathname}${next.search}>; rel="next"`;
	}
	if (wantsCsv(params.get('format'), request)) {
		return csvResponse(toCsv(csvColumns, data.map(csvRow)), 'partnerships.csv', headers);
	}
	return json({ data, next: page.next, total: page.total }, { headers });
};
