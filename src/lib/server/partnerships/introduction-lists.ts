import { aliasedTable, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { authorize, can, type Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { memberships } from './access';
import { listingViewer, needById, offerById, organisationBy } from './introduction-rows';

/** How many introductions each list shows (the newest). */
export const INTRODUCTIONS_SHOWN = 100;

/**
 * The introductions the actor's organisations received and sent, newest first. A listing's title
 * is shown only when the actor may see the listing (restricted ones otherwise stay unnamed).
 */
export function introductionsFor(db: Db, actor: Actor) {
	authorize(actor, 'account:manage');
	const memberOf = memberships(db, actor);
	if (memberOf.size === 0) return { received: [], sent: [] };
	const fromOrg = aliasedTable(table.organisation, 'from_organisation');
	const toOrg = aliasedTable(table.organisation, 'to_organisation');
	const select = (where: SQL) =>
		db
			.select({
				id: table.introduction.id,
				status: table.introduction.status,
				message: table.introduction.message,
				responseNote: table.introduction.responseNote,
				createdAt: table.introduction.createdAt,
				respondedAt: table.introduction.respondedAt,
				partnershipId: table.introduction.partnershipId,
				from: { id: fromOrg.id, slug: fromOrg.slug, name: fromOrg.name },
				to: { id: toOrg.id, slug: toOrg.slug, name: toOrg.name },
				needId: table.need.id,
				needTitle: table.need.title,
				needVisibility: table.need.visibility,
				needOwner: table.need.organisationId,
				offerId: table.offer.id,
				offerTitle: table.offer.title,
				offerVisibility: table.offer.visibility,
				offerOwner: table.offer.organisationId
			})
			.from(table.introduction)
			.innerJoin(fromOrg, eq(fromOrg.id, table.introduction.fromOrganisationId))
			.innerJoin(toOrg, eq(toOrg.id, table.introduction.toOrganisationId))
			.leftJoin(table.need, eq(table.need.id, table.introduction.needId))
			.leftJoin(table.offer, eq(table.offer.id, table.introduction.offerId))
			.where(where)
			.orderBy(desc(table.introduction.createdAt), desc(table.introduction.id))
			.limit(INTRODUCTIONS_SHOWN)
			.all();
	const ids = [...memberOf.keys()];
	const canSee = listingViewer(db, actor);
	const shape = (row: ReturnType<typeof select>[number], side: 'received' | 'sent') => {
		const ownOrg = side === 'received' ? row.to.id : row.from.id;
		const mayAct = can(
			actor,
			side === 'received' ? 'introduction:respond' : 'introduction:request',
			{
				organisationRole: memberOf.get(ownOrg) ?? null
			}
		);
		return {
			id: row.id,
			status: row.status,
			message: row.message,
			responseNote: row.responseNote,
			createdAt: row.createdAt,
			respondedAt: row.respondedAt,
			partnershipId: row.partnershipId,
			from: row.from,
			to: row.to,
			need:
				row.needId && canSee({ visibility: row.needVisibility!, organisationId: row.needOwner! })
					? { id: row.needId, title: row.needTitle! }
					: null,
			offer:
				row.offerId && canSee({ visibility: row.offerVisibility!, organisationId: row.offerOwner! })
					? { id: row.offerId, title: row.offerTitle! }
					: null,
			canRespond: side === 'received' && row.status === 'pending' && mayAct,
			canWithdraw: side === 'sent' && row.status === 'pending' && mayAct
		};
	};
	return {
		received: select(inArray(table.introduction.toOrganisationId, ids)).map((row) =>
			shape(row, 'received')
		),
		sent: select(inArray(table.introduction.fromOrganisationId, ids)).map((row) =>
			shape(row, 'sent')
		)
	};
}
export type IntroductionItem = ReturnType<typeof introductionsFor>['received'][number];

/**
 * What the "request an introduction" form shows: the need, offer or partner it is about (only
 * those visible to the actor) and the organisations the actor may ask for.
 */
export function introductionChoices(
	db: Db,
	actor: Actor,
	about: { needId?: string | null; offerId?: string | null; toOrganisationSlug?: string | null }
) {
	authorize(actor, 'account:manage');
	const memberOf = memberships(db, actor);
	const canSee = listingViewer(db, actor);
	const need = about.needId ? needById(db, about.needId) : null;
	const offer = about.offerId ? offerById(db, about.offerId) : null;
	const partner = about.toOrganisationSlug
		? organisationBy(db, eq(table.organisation.slug, about.toOrganisationSlug))
		: null;
	const organisations = memberOf.size
		? db
				.select({
					id: table.organisation.id,
					slug: table.organisation.slug,
					name: table.organisation.name,
					role: table.membership.role
				})
				.from(table.membership)
				.innerJoin(table.organisation, eq(table.organisation.id, table.membership.organisationId))
				.where(eq(table.membership.userId, actor.id))
				.orderBy(table.organisation.name)
				.all()
				.filter((row) => can(actor, 'introduction:request', { organisationRole: row.role }))
				.map(({ id, slug, name }) => ({ id, slug, name }))
		: [];
	return {
		need:
			need && canSee(need)
				? { id: need.id, title: need.title, organisationId: need.organisationId }
				: null,
		offer:
			offer && canSee(offer)
				? { id: offer.id, title: offer.title, organisationId: offer.organisationId }
				: null,
		partner,
		organisations
	};
}
