import { json } from '@sveltejs/kit';
import { problem } from '$lib/server/api/problem';
import { appDb } from '$lib/server/db/app';
import * as organisations from '$lib/server/organisations';
import { organisationToApi } from '$lib/server/organisations-api';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params, url }) => {
	const row = organisations.apiRow(appDb(), params.slug);
	if (!row) return problem(404, `There is no organisation with the slug "${params.slug}".`);
	return json(organisationToApi(row, url.origin));
};
