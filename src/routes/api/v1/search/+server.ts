import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { csvResponse, formatErrors, toCsv, wantsCsv } from '$lib/server/api/lists';
import { problem } from '$lib/server/api/problem';
import { actorOf } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import { searchEngine } from '$lib/server/search';
import * as searchApi from '$lib/server/search/api';
import { audienceOf } from '$lib/server/search/audience';
import { parseSearchParams } from '$lib/server/search/params';
import type { SearchResult } from '$lib/server/search/types';
import type { RequestHandler } from './$types';

/**
 * One search over everything the asker may see, with facet counts. Parameters are read strictly:
 * a typo in a name or value is a 400, never a silently wider answer.
 */
export const GET: RequestHandler = async ({ url, request, locals }) => {
	const params = url.searchParams;
	const parsed = parseSearchParams(params, 'strict', {
		otherParameters: ['format']
	});
	const errors = [...parsed.problems, ...formatErrors(params, m.casemod_api_format_invalid)];
	if (errors.length) return problem(400, m.searchapi_problem_detail(), errors);

	const db = appDb();
	const audience = audienceOf(db, actorOf(locals));
	let result: SearchResult;
	try {
		result = await searchEngine(db).search({ ...parsed.request, audience });
	} catch (error) {
		// The engine failing (Meilisearch down) is not the caller's fault: say so and when to retry.
		console.error(`[${locals.requestId}] search failed`, error);
		return problem(503, m.searchapi_unavailable(), [], {
			'retry-after': '30',
			'cache-control': 'no-store'
		});
	}

	const headers: Record<string, string> = {
		// Answers for the verified audience include restricted records: never in a shared cache.
		'cache-control': audience === 'public' ? 'public, max-age=60' : 'private, no-store',
		vary: 'accept, cookie',
		'x-total-count': String(result.total)
	};
	const hits = result.hits.map((hit) => searchApi.hitToApi(hit, config.origin));
	if (wantsCsv(params.get('format'), request)) {
		return csvResponse(
			toCsv(searchApi.csvColumns, hits.map(searchApi.csvRow)),
			'search.csv',
			headers
		);
	}
	return json(
		{
			hits,
			facets: result.facets,
			total: result.total,
			took_ms: result.tookMs,
			page: parsed.request.page,
			limit: parsed.request.perPage,
			corrected: result.corrected
		},
		{ headers }
	);
};
