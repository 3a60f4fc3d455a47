import { m } from '$lib/paraglide/messages';
import { unknownParameterErrors } from '$lib/server/api/lists';
import { problem, type ProblemFieldError } from '$lib/server/api/problem';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import * as iati from '$lib/server/iati';
import * as partnerships from '$lib/server/partnerships';
import type { RequestHandler } from './$types';

const knownParameters = new Set<string>(partnerships.filterNames);

/**
 * Public partnerships as one IATI activity file (standard 2.03), narrowed by the partnership
 * list's filters. Anyone may read it: only records every party agreed to publish are in it.
 */
export const GET: RequestHandler = ({ url }) => {
	const params = url.searchParams;
	const { filters, invalid } = partnerships.parseListFilters(params);
	const errors: ProblemFieldError[] = [
		...unknownParameterErrors(params, knownParameters, m.iati_unknown_parameter),
		...invalid.map(({ field, message }) => ({ field, message }))
	];
	if (errors.length) return problem(400, m.iati_invalid_parameters(), errors);

	const file = iati.iatiExport(appDb(), filters, {
		origin: config.origin,
		reportingOrgRef: config.iatiReportingOrgRef
	});
	if (file.xml === null) return problem(404, m.iati_no_activities());
	return new Response(file.xml, {
		headers: {
			'content-type': 'application/xml; charset=utf-8',
			'content-disposition': 'inline; filename="citybridge-iati-activities.xml"',
			'cache-control': 'public, max-age=300',
			'x-total-count': String(file.count)
		}
	});
};
