/**
 * Who may see and change needs and offers. The restricted visibility rule: a listing with
 * visibility 'verified' is shown only to an audience of 'verified' (moderators, members of
 * verified organisations) and to members of the organisation that posted it. Everyone else never
 * learns it exists: not its page, not a list row, not a count.
 */
import { eq, inArray, or, type SQL, type SQLWrapper } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { authorize, can, type Action, type Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { RuleError, roleOf, type Executor } from '$lib/server/organisations';
import { audienceOf } from '$lib/server/search/audience';
import type { Audience } from '$lib/server/search/types';
import type { ListingVisibility } from '$lib/vocab/matchmaking';

/** What decides which listings a person sees: their audience and their memberships. */
export type Viewer = { audience: Audience; memberOf: string[] };

export function viewerOf(db: Executor, actor: Actor): Viewer {
	if (actor === null) return { audience: 'public', memberOf: [] };
	const memberOf = db
		.select({ organisationId: table.membership.organisationId })
		.from(table.membership)
		.where(eq(table.membership.userId, actor.id))
		.all()
		.map((row) => row.organisationId);
	// audienceOf only reads; inside a transaction the executor serves as well as the database.
	return { audience: audienceOf(db as Db, actor), memberOf };
}

/** The rule for one row. */
export function canSee(
	viewer: Viewer,
	row: { visibility: ListingVisibility; organisationId: string }
): boolean {
	return (
		row.visibility === 'public' ||
		viewer.audience === 'verified' ||
		viewer.memberOf.includes(row.organisationId)
	);
}

/** The rule as a SQL condition on a listing table; undefined when the viewer sees everything. */
export function visibleTo(
	viewer: Viewer,
	columns: { visibility: SQLWrapper; organisationId: SQLWrapper }
): SQL | undefined {
	if (viewer.audience === 'verified') return undefined;
	const isPublic = eq(columns.visibility as typeof table.need.visibility, 'public');
	if (viewer.memberOf.length === 0) return isPublic;
	return or(
		isPublic,
		inArray(columns.organisationId as typeof table.need.organisationId, viewer.memberOf)
	);
}

/** A need is open until the start of its expiry day. */
export const isNeedExpired = (expiresAt: Date, now = new Date()) =>
	expiresAt.getTime() <= now.getTime();
/** An offer is open to the end of its deadline day (stored as 23:59:59.999 UTC); none: never. */
export const isOfferExpired = (deadline: Date | null, now = new Date()) =>
	deadline !== null && deadline.getTime() < now.getTime();

/** Whether a need has expired, and whether it is open: status open and not expired. */
export function needState(row: { status: string; expiresAt: Date }, now = new Date()) {
	const isExpired = isNeedExpired(row.expiresAt, now);
	return { isExpired, isOpen: row.status === 'open' && !isExpired };
}

export function offerState(row: { status: string; deadline: Date | null }, now = new Date()) {
	const isExpired = isOfferExpired(row.deadline, now);
	return { isExpired, isOpen: row.status === 'open' && !isExpired };
}

/** The organisation a listing is posted for, with what the actor may do there. */
export function postingContext(db: Executor, actor: Actor, organisationId: string) {
	const organisation = organisationId
		? db
				.select({
					id: table.organisation.id,
					name: table.organisation.name,
					kind: table.organisation.kind,
					verificationState: table.organisation.verificationState
				})
				.from(table.organisation)
				.where(eq(table.organisation.id, organisationId))
				.get()
		: undefined;
	return {
		organisation: organisation ?? null,
		context: {
			organisationRole: organisation ? roleOf(db, organisation.id, actor?.id) : null,
			organisationVerified: organisation?.verificationState === 'verified'
		}
	};
}

/**
 * Authorizes an action on an organisation's listings: 401 when signed out (policy), a RuleError
 * 403 on the organisation field for anyone who is not a member, so a form can say so beside it.
 */
export function authorizeForOrganisation(
	db: Executor,
	actor: Actor,
	action: Action,
	organisationId: string
): asserts actor is NonNullable<Actor> {
	if (actor === null) authorize(actor, action);
	const { organisation, context } = postingContext(db, actor, organisationId);
	if (!organisationId) {
		throw new RuleError('organisation_required', m.needsoffers_organisation_required(), 400, {
			organisationId: m.needsoffers_organisation_required()
		});
	}
	if (!organisation || !can(actor, action, context)) {
		throw new RuleError('not_member', m.needsoffers_not_member(), 403, {
			organisationId: m.needsoffers_not_member()
		});
	}
}

/** Whether the actor may edit the listings of that organisation (for pages' buttons). */
export function canEditListings(
	db: Executor,
	actor: Actor,
	action: 'need:edit' | 'offer:edit',
	organisationId: string
): boolean {
	if (actor === null) return false;
	return can(actor, action, postingContext(db, actor, organisationId).context);
}
