import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import * as portfolios from '$lib/server/portfolio';
import { organisationFor } from '../access';
import type { PageServerLoad } from './$types';

/** Members and moderators only: signed out → login, someone else's organisation → 403. */
export const load: PageServerLoad = (event) => {
	const { db, actor, organisation } = organisationFor(event, 'portfolio:view');
	const portfolio = portfolios.portfolio(db, actor, organisation.id);
	if (!portfolio) error(404, m.organisations_not_found());
	return portfolio;
};
