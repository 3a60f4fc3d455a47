import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { problem, type ProblemFieldError } from '$lib/server/api/problem';
import { appDb } from '$lib/server/db/app';
import * as organisations from '$lib/server/organisations';
import {
	csvResponse,
	formatErrors,
	repeatedParameterErrors,
	toCsv,
	unknownParameterErrors,
	wantsCsv
} from '$lib/server/api/lists';
import { csvColumns, csvRow, organisationToApi } from '$lib/server/organisations-api';
import type { RequestHandler } from './$types';

const singleParameters = ['verified', 'q', 'limit', 'cursor', 'format'];
const repeatableParameters = ['kind', 'region', 'country', 'income'];
const knownParameters = new Set([...singleParameters, ...repeatableParameters]);
/** As on the other lists: more values for one filter is a mistake or an attack. */
const MAX_FILTER_VALUES = 20;

/** Organisations by name, a cursor page at a time, filtered strictly (a typo is a 400). */
export const GET: RequestHandler = ({ url, request }) => {
	const params = url.searchParams;
	const errors: ProblemFieldError[] = [
		...unknownParameterErrors(params, knownParameters, m.organisations_api_unknown_parameter),
		...formatErrors(params, m.organisations_api_format_invalid),
		...repeatedParameterErrors(params, singleParameters, m.casemod_api_repeated_parameter)
	];
	for (const name of repeatableParameters) {
		if (new Set(params.getAll(name)).size > MAX_FILTER_VALUES) {
			errors.push({ field: name, message: m.caselist_filter_too_many({ max: MAX_FILTER_VALUES }) });
		}
	}
	const filters = organisations.parseFilters(params);
	if (!filters.success) {
		for (const issue of filters.error.issues) {
			errors.push({ field: String(issue.path[0]), message: issue.message });
		}
	}
	const limitText = params.get('limit') ?? '20';
	const limit = /^\d{1,3}$/.test(limitText) ? Number(limitText) : NaN;
	if (!(limit >= 1 && limit <= 100)) {
		errors.push({ field: 'limit', message: m.organisations_api_limit_invalid() });
	}
	const cursorText = params.get('cursor');
	const after = cursorText ? organisations.decodeCursor(cursorText) : null;
	if (cursorText && !after) {
		errors.push({ field: 'cursor', message: m.organisations_api_cursor_invalid() });
	}
	if (errors.length || !filters.success) {
		return problem(400, 'Some parameters are not valid.', errors);
	}

	const slice = organisations.listSlice(appDb(), filters.data, { limit, after });
	const data = slice.rows.map((row) => organisationToApi(row, url.origin));
	const headers: Record<string, string> = { vary: 'accept', 'x-total-count': String(slice.total) };
	if (slice.next) {
		const next = new URL(url);
		next.searchParams.set('cursor', slice.next);
		headers.link = `<${next.pathname}${next.search}>; rel="next"`;
	}
	if (wantsCsv(params.get('format'), request)) {
		return csvResponse(toCsv(csvColumns, data.map(csvRow)), 'organisations.csv', headers);
	}
	return json({ data, next: slice.next, total: slice.total }, { headers });
};
