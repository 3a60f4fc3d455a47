import { json } from '@sveltejs/kit';
import { problem } from '$lib/server/api/problem';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import * as partnerships from '$lib/server/partnerships';
import { partnershipToApi } from '$lib/server/partnerships/api';
import type { RequestHandler } from './$types';

/**
 * One public partnership with its dated updates (newest first). A private one answers 404 like an
 * unknown id, so its existence is not revealed.
 */
export const GET: RequestHandler = ({ params }) => {
	const db = appDb();
	const record = params.id.length <= 100 ? partnerships.publicPartnership(db, params.id) : null;
	// Read as an anonymous visitor: only what anyone may see.
	const page = record ? partnerships.getPartnership(db, null, record.id) : null;
	if (!record || !page) {
		return problem(404, 'There is no public partnership with this id.');
	}
	return json(
		{
			...partnershipToApi(record, config.origin),
			updates: page.updates.map((update) => ({
				organisation: update.organisationSlug,
				body: update.body,
				at: update.createdAt
			}))
		},
		{ headers: { vary: 'accept' } }
	);
};
