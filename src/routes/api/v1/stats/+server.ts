import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { csvResponse, formatErrors, toCsv, wantsCsv } from '$lib/server/api/lists';
import { problem, type ProblemFieldError } from '$lib/server/api/problem';
import { appDb } from '$lib/server/db/app';
import * as stats from '$lib/server/stats';
import type { RequestHandler } from './$types';

const viewList = stats.statsViews.join(', ');
// The figures change slowly and are the same for everyone: shared caches may keep them a while.
const cacheHeaders = { 'cache-control': 'public, max-age=300', vary: 'accept' };

const isStatsView = (value: string): value is stats.StatsView =>
	(stats.statsViews as readonly string[]).includes(value);

/**
 * The aggregates behind /insights. Without `view`: the whole `Insights` object as JSON. With
 * `view`: that view's flat rows (the ones the page's table shows), as JSON or CSV.
 */
export const GET: RequestHandler = ({ url, request }) => {
	const params = url.searchParams;
	const { filters, errors: filterErrors } = stats.parseStatsFilters(params, 'strict');
	// Strict parsing reports unknown parameter names too (view and format excepted).
	const errors: ProblemFieldError[] = [
		...filterErrors,
		...formatErrors(params, m.casemod_api_format_invalid)
	];
	const views = params.getAll('view');
	if (views.length > 1) errors.push({ field: 'view', message: m.insights_api_view_repeated() });
	const view = views[0] ?? null;
	if (view !== null && !isStatsView(view)) {
		errors.push({ field: 'view', message: m.insights_api_view_invalid({ views: viewList }) });
	}
	const csv = wantsCsv(params.get('format'), request);
	if (csv && view === null) {
		errors.push({ field: 'format', message: m.insights_api_csv_needs_view({ views: viewList }) });
	}
	if (errors.length || (view !== null && !isStatsView(view))) {
		return problem(400, m.insights_api_invalid(), errors);
	}

	const insights = stats.insights(appDb(), filters);
	if (view === null) return json(insights, { headers: cacheHeaders });
	const { columns, rows } = stats.viewRows(insights, view);
	if (csv) return csvResponse(toCsv(columns, rows), `citybridge-stats-${view}.csv`, cacheHeaders);
	return json(
		{
			view,
			filters: insights.filters,
			generatedAt: insights.generatedAt,
			columns,
			data: rows,
			total: rows.length
		},
		{ headers: cacheHeaders }
	);
};
