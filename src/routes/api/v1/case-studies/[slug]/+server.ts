import { json } from '@sveltejs/kit';
import { problem } from '$lib/server/api/problem';
import * as caseStudies from '$lib/server/case-studies';
import * as caseApi from '$lib/server/case-studies/api';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import type { RequestHandler } from './$types';

/** One published case study; drafts, cases in review and archived ones answer 404 like unknown slugs. */
export const GET: RequestHandler = ({ params }) => {
	const detail = caseStudies.getBySlug(appDb(), null, params.slug);
	if (!detail || detail.workflowState !== 'published') {
		return problem(404, `There is no published case study with the slug "${params.slug}".`);
	}
	return json(caseApi.detailToApi(detail, config.origin), { headers: { vary: 'accept' } });
};
