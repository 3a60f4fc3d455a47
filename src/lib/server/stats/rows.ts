/**
 * The flat rows of one view: the CSV, the API's JSON `data` and the page's tables all come from
 * here, so they cannot differ. Counts of the four kinds are columns named after the kinds.
 */
import { partnershipStatuses } from '$lib/vocab/matchmaking';
import { statsKinds, type Insights, type KindCounts, type StatsView } from './types';

export type ViewCell = string | number | null;
export type ViewRows = { columns: string[]; rows: Record<string, ViewCell>[] };

const kindColumns = (counts: KindCounts) =>
	Object.fromEntries(statsKinds.map((kind) => [kind, counts[kind]]));

/** A figure per row, named by its path in the Insights JSON (`partnerships.agreed`). */
const figures = (pairs: [string, number | null][]): ViewRows => ({
	columns: ['figure', 'value'],
	rows: pairs.map(([figure, value]) => ({ figure, value }))
});

export function viewRows(insights: Insights, view: StatsView): ViewRows {
	switch (view) {
		case 'headline': {
			const h = insights.headline;
			return figures([
				['caseStudies', h.caseStudies],
				['cities', h.cities],
				['partners', h.partners],
				['openNeeds', h.openNeeds],
				['openOffers', h.openOffers],
				...partnershipStatuses.map(
					(status) => [`partnerships.${status}`, h.partnerships[status]] as [string, number]
				),
				['partnerships.total', h.partnerships.total],
				['countriesReached', h.countriesReached],
				['developingShare', h.developingShare],
				['ldcShare', h.ldcShare]
			]);
		}
		case 'matrix':
			return {
				columns: ['theme', 'sdg', ...statsKinds],
				rows: insights.matrix.cells.map((cell) => ({
					theme: cell.theme,
					sdg: cell.sdg,
					...kindColumns(cell.counts)
				}))
			};
		case 'gap':
			return {
				columns: ['dimension', 'value', 'openNeeds', 'servingOffers', 'needsWithoutOffer'],
				rows: insights.gap.rows.map((row) => ({ ...row }))
			};
		case 'pipeline': {
			const p = insights.pipeline;
			return figures([
				...partnershipStatuses.map(
					(status) => [`byStatus.${status}`, p.byStatus[status]] as [string, number]
				),
				['introductions.requested', p.introductions.requested],
				['introductions.accepted', p.introductions.accepted],
				['introductions.declined', p.introductions.declined],
				['introductions.pending', p.introductions.pending],
				['medianDaysToAgreement', p.medianDaysToAgreement],
				['medianDaysToCompletion', p.medianDaysToCompletion],
				['stale', p.stale]
			]);
		}
		case 'countries':
			return {
				columns: ['country', ...statsKinds],
				rows: insights.countries.map((row) => ({
					country: row.country,
					...kindColumns(row.counts)
				}))
			};
		case 'months':
			return {
				columns: ['month', ...statsKinds],
				rows: insights.months.map((row) => ({ month: row.month, ...kindColumns(row.counts) }))
			};
	}
}
