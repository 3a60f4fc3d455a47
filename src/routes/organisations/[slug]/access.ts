import { error, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { authorize, type Action } from '$lib/server/auth/policy';
import { actorOf, requireUser } from '$lib/server/auth/guards';
import { appDb } from '$lib/server/db/app';
import * as organisations from '$lib/server/organisations';

/**
 * Loads the organisation named in the URL and checks, through the policy module, that the
 * signed-in user may do `action` on it: unknown slug → 404, someone else's organisation → 403.
 */
export function organisationFor(
	event: Pick<RequestEvent, 'locals' | 'url' | 'params'>,
	action: Action
) {
	const user = requireUser(event);
	const db = appDb();
	const organisation = organisations.findBySlug(db, (event.params as { slug: string }).slug);
	if (!organisation) error(404, m.organisations_not_found());
	const role = organisations.roleOf(db, organisation.id, user.id);
	const actor = actorOf(event.locals);
	authorize(actor, action, { organisationRole: role });
	return { db, user, actor, organisation, role };
}
