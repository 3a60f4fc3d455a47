/** The API's view of a public partnership, shared by /api/v1/partnerships and the bulk files. */
import type { CsvCell } from '$lib/server/api/lists';
import type { PublicPartnership } from './public-records';

/**
 * The API's view of a public partnership: absolute URLs, the status history as
 * `[{ status, from, at }]` starting with its proposal, and what it came from.
 */
export function partnershipToApi(record: PublicPartnership, origin: string) {
	const url = (path: string) => new URL(path, origin).toString();
	const history = record.statusHistory.map(({ from, to, at }) => ({ status: to, from, at }));
	if (history[0]?.status !== 'proposed') {
		history.unshift({ status: 'proposed', from: null, at: record.createdAt });
	}
	return {
		id: record.id,
		title: record.title,
		description: record.description,
		status: record.status,
		discontinuedReason: record.discontinuedReason,
		parties: record.parties.map((party) => ({
			organisation: party.organisation,
			name: party.name,
			role: party.role,
			country: party.country,
			url: url(`/organisations/${party.organisation}`)
		})),
		themes: record.themes,
		sdgTargets: record.sdgTargets,
		cooperationTypes: record.cooperationTypes,
		statusHistory: history,
		milestones: record.milestones,
		results: record.results,
		cameFrom: {
			need: record.need ? { ...record.need, url: url(`/needs/${record.need.id}`) } : null,
			offer: record.offer ? { ...record.offer, url: url(`/offers/${record.offer.id}`) } : null,
			caseStudies: record.caseStudies.map((caseStudy) => ({
				slug: caseStudy.slug,
				title: caseStudy.title,
				url: url(`/cases/${caseStudy.slug}`)
			}))
		},
		resultingCaseStudy: record.resultingCaseStudy
			? {
					slug: record.resultingCaseStudy.slug,
					title: record.resultingCaseStudy.title,
					url: url(`/cases/${record.resultingCaseStudy.slug}`)
				}
			: null,
		isStale: record.stale,
		url: url(record.path),
		createdAt: record.createdAt,
		updatedAt: record.lastActivityAt
	};
}
export type ApiPartnership = ReturnType<typeof partnershipToApi>;

export const csvColumns = [
	'id',
	'title',
	'status',
	'parties',
	'themes',
	'sdgTargets',
	'cooperationTypes',
	'results',
	'url',
	'createdAt',
	'updatedAt'
] as const;

/** One CSV line: lists joined with "; ", parties as "name (role)", the number of result rows. */
export function csvRow(item: ApiPartnership): Record<(typeof csvColumns)[number], CsvCell> {
	return {
		id: item.id,
		title: item.title,
		status: item.status,
		parties: item.parties.map((party) => `${party.name} (${party.role})`).join('; '),
		themes: item.themes.join('; '),
		sdgTargets: item.sdgTargets.join('; '),
		cooperationTypes: item.cooperationTypes.join('; '),
		results: item.results.length,
		url: item.url,
		createdAt: new Date(item.createdAt).toISOString(),
		updatedAt: new Date(item.updatedAt).toISOString()
	};
}
