/**
 * The aggregates behind /insights and GET /api/v1/stats (issue 6): public figures only, the same
 * for every viewer. Import as `import * as stats from '$lib/server/stats'`.
 *
 * `insights()` reads compact facts (facts.ts, kept per connection until a write to what they are
 * read from) and aggregates them in pure functions (aggregate.ts); `viewRows()` flattens one view
 * for the CSV, the API's JSON and the page's tables.
 */
import type { Db } from '$lib/server/db';
import { aggregate } from './aggregate';
import { statsFacts } from './facts';
import type { Insights, StatsFilters } from './types';

export {
	filterQuery,
	listSchemas as statsFilterValueSchemas,
	MAX_FILTER_VALUES,
	monthSchema as statsMonthSchema,
	otherStatsParameters,
	parseStatsFilters,
	recordsHref,
	statsFilterNames
} from './filters';
export { viewRows, type ViewCell, type ViewRows } from './rows';
export { forgetStatsFacts, statsFullReads } from './facts';
export * from './types';

/** Every figure of the insights for these filters (filters as parseStatsFilters gives them). */
export function insights(db: Db, filters: StatsFilters, now = new Date()): Insights {
	return aggregate(statsFacts(db), filters, now);
}
