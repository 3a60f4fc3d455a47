import { and, desc, eq, sql } from 'drizzle-orm';
import { can, type Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { renderMarkdown } from '$lib/server/markdown';
import { canEditListings, canSee, needState, offerState, viewerOf, visibleTo } from './access';
import { isoDayOrNull, needTagsOf, offerTagsOf, organisationColumns, organisationOf } from './rows';

const needColumns = {
	id: table.need.id,
	organisationId: table.need.organisationId,
	title: table.need.title,
	challenge: table.need.challenge,
	triedSoFar: table.need.triedSoFar,
	languages: table.need.languages,
	timeframe: table.need.timeframe,
	budgetAmount: table.need.budgetAmount,
	budgetCurrency: table.need.budgetCurrency,
	visibility: table.need.visibility,
	status: table.need.status,
	expiresAt: table.need.expiresAt,
	createdAt: table.need.createdAt,
	updatedAt: table.need.updatedAt
};

const offerColumns = {
	id: table.offer.id,
	organisationId: table.offer.organisationId,
	title: table.offer.title,
	description: table.offer.description,
	format: table.offer.format,
	languages: table.offer.languages,
	isGlobal: table.offer.isGlobal,
	capacity: table.offer.capacity,
	eligibleIncomeGroups: table.offer.eligibleIncomeGroups,
	onlyLeastDeveloped: table.offer.onlyLeastDeveloped,
	deadline: table.offer.deadline,
	visibility: table.offer.visibility,
	status: table.offer.status,
	createdAt: table.offer.createdAt,
	updatedAt: table.offer.updatedAt
};

/**
 * A need for its page, or null when it does not exist or the actor may not see it (restricted
 * to verified organisations). An expired need is still shown, flagged `isExpired`.
 */
export function getNeed(db: Db, actor: Actor, id: string, now = new Date()) {
	if (typeof id !== 'string' || id === '' || id.length > 64) return null;
	const row = db
		.select({ need: needColumns, organisation: organisationColumns })
		.from(table.need)
		.innerJoin(table.organisation, eq(table.organisation.id, table.need.organisationId))
		.innerJoin(table.country, eq(table.country.code, table.organisation.countryCode))
		.leftJoin(table.city, eq(table.city.id, table.organisation.cityId))
		.where(eq(table.need.id, id))
		.get();
	if (!row || !canSee(viewerOf(db, actor), row.need)) return null;
	const { need } = row;
	return {
		...need,
		...needTagsOf(db, [need.id]).get(need.id)!,
		expiresOn: isoDayOrNull(need.expiresAt)!,
		challengeHtml: renderMarkdown(need.challenge),
		triedSoFarHtml: renderMarkdown(need.triedSoFar),
		...needState(need, now),
		organisation: organisationOf(row.organisation),
		canEdit: canEditListings(db, actor, 'need:edit', need.organisationId)
	};
}
export type NeedDetail = NonNullable<ReturnType<typeof getNeed>>;

/** An offer for its page, or null (missing or not visible); past its deadline it is `isExpired`. */
export function getOffer(db: Db, actor: Actor, id: string, now = new Date()) {
	if (typeof id !== 'string' || id === '' || id.length > 64) return null;
	const row = db
		.select({ offer: offerColumns, organisation: organisationColumns })
		.from(table.offer)
		.innerJoin(table.organisation, eq(table.organisation.id, table.offer.organisationId))
		.innerJoin(table.country, eq(table.country.code, table.organisation.countryCode))
		.leftJoin(table.city, eq(table.city.id, table.organisation.cityId))
		.where(eq(table.offer.id, id))
		.get();
	if (!row || !canSee(viewerOf(db, actor), row.offer)) return null;
	const { offer } = row;
	return {
		...offer,
		...offerTagsOf(db, [offer.id]).get(offer.id)!,
		deadlineOn: isoDayOrNull(offer.deadline),
		descriptionHtml: renderMarkdown(offer.description),
		...offerState(offer, now),
		organisation: organisationOf(row.organisation),
		canEdit: canEditListings(db, actor, 'offer:edit', offer.organisationId)
	};
}
export type OfferDetail = NonNullable<ReturnType<typeof getOffer>>;

/**
 * An organisation's needs for its profile, every status, the ones the actor may see: open ones
 * first, then newest first. Each says whether it is expired and open.
 */
export function needsOfOrganisation(
	db: Db,
	actor: Actor,
	organisationId: string,
	now = new Date()
) {
	const rows = db
		.select({
			id: table.need.id,
			title: table.need.title,
			status: table.need.status,
			visibility: table.need.visibility,
			timeframe: table.need.timeframe,
			expiresAt: table.need.expiresAt,
			createdAt: table.need.createdAt,
			updatedAt: table.need.updatedAt
		})
		.from(table.need)
		.where(
			and(eq(table.need.organisationId, organisationId), visibleTo(viewerOf(db, actor), table.need))
		)
		.orderBy(
			sql`${table.need.status} = 'open' DESC`,
			desc(table.need.createdAt),
			desc(table.need.id)
		)
		.all();
	const tags = needTagsOf(
		db,
		rows.map((row) => row.id)
	);
	return rows.map((row) => ({ ...row, ...tags.get(row.id)!, ...needState(row, now) }));
}

export function offersOfOrganisation(
	db: Db,
	actor: Actor,
	organisationId: string,
	now = new Date()
) {
	const rows = db
		.select({
			id: table.offer.id,
			title: table.offer.title,
			status: table.offer.status,
			visibility: table.offer.visibility,
			format: table.offer.format,
			isGlobal: table.offer.isGlobal,
			deadline: table.offer.deadline,
			createdAt: table.offer.createdAt,
			updatedAt: table.offer.updatedAt
		})
		.from(table.offer)
		.where(
			and(
				eq(table.offer.organisationId, organisationId),
				visibleTo(viewerOf(db, actor), table.offer)
			)
		)
		.orderBy(
			sql`${table.offer.status} = 'open' DESC`,
			desc(table.offer.createdAt),
			desc(table.offer.id)
		)
		.all();
	const tags = offerTagsOf(
		db,
		rows.map((row) => row.id)
	);
	return rows.map((row) => ({ ...row, ...tags.get(row.id)!, ...offerState(row, now) }));
}

/**
 * The organisations the user may post for, with whether each may post needs (cities only):
 * the choices of the "new need" and "new offer" forms.
 */
export function postingOrganisations(db: Db, actor: NonNullable<Actor>) {
	return db
		.select({
			id: table.organisation.id,
			slug: table.organisation.slug,
			name: table.organisation.name,
			kind: table.organisation.kind,
			role: table.membership.role,
			verificationState: table.organisation.verificationState
		})
		.from(table.membership)
		.innerJoin(table.organisation, eq(table.organisation.id, table.membership.organisationId))
		.where(eq(table.membership.userId, actor.id))
		.orderBy(table.organisation.name)
		.all()
		.filter((row) =>
			can(actor, 'offer:create', {
				organisationRole: row.role,
				organisationVerified: row.verificationState === 'verified'
			})
		)
		.map(({ id, slug, name, kind }) => ({ id, slug, name, kind, canPostNeeds: kind === 'city' }));
}
