import { and, eq } from 'drizzle-orm';
import { can, type Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import type { Audience } from './types';

/**
 * Which documents a search may return to this person: moderators, admins and members of a
 * verified organisation also see records restricted to verified organisations.
 */
export function audienceOf(db: Db, actor: Actor): Audience {
	if (actor === null) return 'public';
	if (can(actor, 'search:view_restricted')) return 'verified';
	const verifiedMembership = db
		.select({ role: table.membership.role })
		.from(table.membership)
		.innerJoin(table.organisation, eq(table.organisation.id, table.membership.organisationId))
		.where(
			and(
				eq(table.membership.userId, actor.id),
				eq(table.organisation.verificationState, 'verified')
			)
		)
		.limit(1)
		.get();
	return verifiedMembership &&
		can(actor, 'search:view_restricted', {
			organisationRole: verifiedMembership.role,
			organisationVerified: true
		})
		? 'verified'
		: 'public';
}
