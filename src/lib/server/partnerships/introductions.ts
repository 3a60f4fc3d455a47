import { aliasedTable, and, desc, eq, inArray, isNull, or, type SQL } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { authorize, can, type Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { randomId } from '$lib/server/ids';
import * as notifications from '$lib/server/notifications';
import { RuleError, roleOf, type Executor } from '$lib/server/organisations';
import * as searchSync from '$lib/server/search/sync';
import { listingVisibleTo, memberships } from './access';
import {
	introductionRequestInput,
	introductionResponseInput,
	parseInput,
	type IntroductionRequest,
	type Loose,
	type IntroductionResponse
} from './schema';

const DAY_MS = 86_400_000;

function needById(db: Executor, id: string) {
	return (
		db
			.select({
				id: table.need.id,
				title: table.need.title,
				organisationId: table.need.organisationId,
				visibility: table.need.visibility,
				status: table.need.status,
				expiresAt: table.need.expiresAt
			})
			.from(table.need)
			.where(eq(table.need.id, id))
			.get() ?? null
	);
}

function offerById(db: Executor, id: string) {
	return (
		db
			.select({
				id: table.offer.id,
				title: table.offer.title,
				organisationId: table.offer.organisationId,
				visibility: table.offer.visibility,
				status: table.offer.status,
				deadline: table.offer.deadline
			})
			.from(table.offer)
			.where(eq(table.offer.id, id))
			.get() ?? null
	);
}

type NeedRow = NonNullable<ReturnType<typeof needById>>;
type OfferRow = NonNullable<ReturnType<typeof offerById>>;

/** A need takes introductions while open or in discussion, until it expires. */
export const needTakesIntroductions = (need: Pick<NeedRow, 'status' | 'expiresAt'>, now: Date) =>
	(need.status === 'open' || need.status === 'in_discussion') &&
	need.expiresAt.getTime() > now.getTime();

/** An offer takes introductions while open, up to and including its deadline day. */
export const offerTakesIntroductions = (offer: Pick<OfferRow, 'status' | 'deadline'>, now: Date) =>
	offer.status === 'open' &&
	(offer.deadline === null || offer.deadline.getTime() + DAY_MS > now.getTime());

function organisationBy(db: Executor, where: SQL) {
	return (
		db
			.select({
				id: table.organisation.id,
				slug: table.organisation.slug,
				name: table.organisation.name
			})
			.from(table.organisation)
			.where(where)
			.get() ?? null
	);
}

const invalid = (field: string, message: string, status: 400 | 404 | 409 = 400) =>
	new RuleError(status === 409 ? 'conflict' : 'invalid', message, status, { [field]: message });

/**
 * Asks for an introduction on behalf of `fromOrganisationId`. Who is asked follows from the
 * listings: with a need and an offer, the owner of the one that is not the asker's; with a
 * need only, its owner, or (when the need is the asker's) the partner named by slug; with an
 * offer only, its owner. Refused: listings hidden from the actor (404), closed or expired ones,
 * the asker's own organisation, and a second pending introduction for the same pair and subject.
 */
export function requestIntroduction(
	db: Db,
	actor: Actor,
	input: Loose<IntroductionRequest>,
	now = new Date()
): { id: string } {
	const data = parseInput(introductionRequestInput, input);
	const from = organisationBy(db, eq(table.organisation.id, data.fromOrganisationId));
	authorize(actor, 'introduction:request', {
		organisationRole: from ? roleOf(db, from.id, actor?.id) : null
	});
	if (!from) throw invalid('fromOrganisationId', m.partnerships_organisation_required());
	if (!data.needId && !data.offerId) throw invalid('needId', m.partnerships_target_required());

	const memberOf = memberships(db, actor);
	const need = data.needId ? needById(db, data.needId) : null;
	if (data.needId && (!need || !listingVisibleTo(db, actor, need, memberOf))) {
		throw invalid('needId', m.partnerships_need_not_found(), 404);
	}
	const offer = data.offerId ? offerById(db, data.offerId) : null;
	if (data.offerId && (!offer || !listingVisibleTo(db, actor, offer, memberOf))) {
		throw invalid('offerId', m.partnerships_offer_not_found(), 404);
	}

	const toId = askedOrganisation(db, from.id, need, offer, data.toOrganisationSlug);
	if (toId === from.id) throw invalid('form', m.partnerships_own_organisation());
	if (need && !needTakesIntroductions(need, now)) {
		throw invalid('needId', m.partnerships_need_closed(), 409);
	}
	if (offer && !offerTakesIntroductions(offer, now)) {
		throw invalid('offerId', m.partnerships_offer_closed(), 409);
	}

	return db.transaction((tx) => {
		const pending = tx
			.select({ id: table.introduction.id })
			.from(table.introduction)
			.where(
				and(
					eq(table.introduction.status, 'pending'),
					or(
						and(
							eq(table.introduction.fromOrganisationId, from.id),
							eq(table.introduction.toOrganisationId, toId)
						),
						and(
							eq(table.introduction.fromOrganisationId, toId),
							eq(table.introduction.toOrganisationId, from.id)
						)
					),
					need ? eq(table.introduction.needId, need.id) : isNull(table.introduction.needId),
					offer ? eq(table.introduction.offerId, offer.id) : isNull(table.introduction.offerId)
				)
			)
			.get();
		if (pending) throw invalid('form', m.partnerships_duplicate_pending(), 409);
		const id = randomId();
		tx.insert(table.introduction)
			.values({
				id,
				needId: need?.id ?? null,
				offerId: offer?.id ?? null,
				fromOrganisationId: from.id,
				toOrganisationId: toId,
				requestedBy: actor.id,
				message: data.message,
				createdAt: now
			})
			.run();
		notifications.notifyOrganisation(
			tx,
			toId,
			{
				kind: 'introduction_requested',
				params: { organisation: from.name, subject: (need ?? offer)!.title },
				path: '/introductions',
				detail: data.message
			},
			{ exceptUserId: actor.id }
		);
		return { id };
	});
}

function askedOrganisation(
	db: Executor,
	fromId: string,
	need: NeedRow | null,
	offer: OfferRow | null,
	toSlug: string | null
): string {
	if (need && offer) {
		if (need.organisationId === fromId && offer.organisationId === fromId) {
			throw invalid('form', m.partnerships_own_organisation());
		}
		if (need.organisationId === fromId) return offer.organisationId;
		if (offer.organisationId === fromId) return need.organisationId;
		throw invalid('form', m.partnerships_not_your_listing());
	}
	const listing = (need ?? offer)!;
	if (listing.organisationId !== fromId) return listing.organisationId;
	if (!toSlug) throw invalid('toOrganisationSlug', m.partnerships_target_required());
	const target = organisationBy(db, eq(table.organisation.slug, toSlug));
	if (!target) throw invalid('toOrganisationSlug', m.partnerships_organisation_not_found(), 404);
	return target.id;
}

function introductionRow(db: Executor, id: string) {
	return (
		db
			.select({
				id: table.introduction.id,
				status: table.introduction.status,
				needId: table.introduction.needId,
				offerId: table.introduction.offerId,
				fromOrganisationId: table.introduction.fromOrganisationId,
				toOrganisationId: table.introduction.toOrganisationId
			})
			.from(table.introduction)
			.where(eq(table.introduction.id, id))
			.get() ?? null
	);
}
type IntroductionRow = NonNullable<ReturnType<typeof introductionRow>>;

const introductionNotFound = () =>
	new RuleError('not_found', m.partnerships_introduction_not_found(), 404);

/**
 * Loads an introduction for an answer by one side: signed out 401; not involved 404; a member of
 * the other side only 403.
 */
function requireSide(
	db: Executor,
	actor: Actor,
	id: string,
	side: 'fromOrganisationId' | 'toOrganisationId'
): { row: IntroductionRow; actor: NonNullable<Actor> } {
	if (!actor) authorize(actor, 'introduction:respond');
	const row = introductionRow(db, id);
	const memberOf = memberships(db, actor);
	if (!row || (!memberOf.has(row.fromOrganisationId) && !memberOf.has(row.toOrganisationId))) {
		throw introductionNotFound();
	}
	authorize(actor, side === 'toOrganisationId' ? 'introduction:respond' : 'introduction:request', {
		organisationRole: roleOf(db, row[side], actor.id)
	});
	if (row.status !== 'pending') {
		throw new RuleError(
			'answered',
			m.partnerships_introduction_answered({ status: introductionStatusLabel(row.status) }),
			409
		);
	}
	return { row, actor };
}

export function introductionStatusLabel(status: IntroductionRow['status']): string {
	switch (status) {
		case 'pending':
			return m.partnerships_introduction_status_pending();
		case 'accepted':
			return m.partnerships_introduction_status_accepted();
		case 'declined':
			return m.partnerships_introduction_status_declined();
		case 'withdrawn':
			return m.partnerships_introduction_status_withdrawn();
	}
}

const organisationName = (db: Executor, id: string) =>
	organisationBy(db, eq(table.organisation.id, id))?.name ?? '';

/**
 * The asked side accepts (a partnership is proposed: the need's city as beneficiary, the other
 * side as lead partner, tags copied from the need and the offer, the need now in discussion) or
 * declines with a note. The asking side is told either way.
 */
export function respondToIntroduction(
	db: Db,
	actor: Actor,
	id: string,
	input: Loose<IntroductionResponse>,
	now = new Date()
): { partnershipId: string | null } {
	const data = parseInput(introductionResponseInput, input);
	const { row, actor: responder } = requireSide(db, actor, id, 'toOrganisationId');
	return db.transaction((tx) => {
		const need = row.needId ? needById(tx, row.needId) : null;
		const offer = row.offerId ? offerById(tx, row.offerId) : null;
		const subject = need?.title ?? offer?.title ?? '';
		const partnershipId =
			data.decision === 'accept'
				? proposePartnership(tx, responder, row, need, offer, data.note, now)
				: null;
		tx.update(table.introduction)
			.set({
				status: data.decision === 'accept' ? 'accepted' : 'declined',
				responseNote: data.note || null,
				respondedBy: responder.id,
				respondedAt: now,
				partnershipId
			})
			.where(eq(table.introduction.id, row.id))
			.run();
		notifications.notifyOrganisation(
			tx,
			row.fromOrganisationId,
			{
				kind: partnershipId ? 'introduction_accepted' : 'introduction_declined',
				params: { organisation: organisationName(tx, row.toOrganisationId), subject },
				path: partnershipId ? `/partnerships/${partnershipId}` : '/introductions',
				detail: data.note
			},
			{ exceptUserId: responder.id }
		);
		return { partnershipId };
	});
}

function proposePartnership(
	tx: Executor,
	responder: NonNullable<Actor>,
	row: IntroductionRow,
	need: NeedRow | null,
	offer: OfferRow | null,
	note: string,
	now: Date
): string {
	const id = randomId();
	// The city whose need it is benefits; without a need, the side that does not own the offer.
	const beneficiaryId = need
		? need.organisationId
		: offer?.organisationId === row.fromOrganisationId
			? row.toOrganisationId
			: row.fromOrganisationId;
	const leadId =
		beneficiaryId === row.fromOrganisationId ? row.toOrganisationId : row.fromOrganisationId;
	tx.insert(table.partnership)
		.values({
			id,
			title:
				need?.title ??
				offer?.title ??
				`${organisationName(tx, beneficiaryId)} – ${organisationName(tx, leadId)}`,
			status: 'proposed',
			needId: need?.id ?? null,
			offerId: offer?.id ?? null,
			lastActivityAt: now,
			createdAt: now,
			updatedAt: now
		})
		.run();
	tx.insert(table.partnershipParty)
		.values([
			{ partnershipId: id, organisationId: beneficiaryId, role: 'beneficiary', position: 0 },
			{ partnershipId: id, organisationId: leadId, role: 'lead', position: 1 }
		])
		.run();
	const tags = copiedTags(tx, need?.id ?? null, offer?.id ?? null);
	if (tags.length > 0) {
		tx.insert(table.partnershipTag)
			.values(tags.map((tag) => ({ ...tag, partnershipId: id })))
			.run();
	}
	tx.insert(table.partnershipUpdate)
		.values({
			partnershipId: id,
			organisationId: row.toOrganisationId,
			authorId: responder.id,
			body: note,
			statusFrom: null,
			statusTo: 'proposed',
			createdAt: now
		})
		.run();
	if (need?.status === 'open') {
		tx.update(table.need)
			.set({ status: 'in_discussion', updatedAt: now })
			.where(eq(table.need.id, need.id))
			.run();
		searchSync.refreshRecords(tx, [{ type: 'need', recordId: need.id }], now);
	}
	return id;
}

const copiedVocabularies = ['theme', 'sdg_target', 'cooperation'] as const;

/** The need's themes, targets and cooperation types, then the offer's not already there. */
function copiedTags(tx: Executor, needId: string | null, offerId: string | null) {
	const fromNeed = needId
		? tx
				.select({ vocabulary: table.needTag.vocabulary, value: table.needTag.value })
				.from(table.needTag)
				.where(eq(table.needTag.needId, needId))
				.orderBy(table.needTag.position)
				.all()
		: [];
	const fromOffer = offerId
		? tx
				.select({ vocabulary: table.offerTag.vocabulary, value: table.offerTag.value })
				.from(table.offerTag)
				.where(
					and(
						eq(table.offerTag.offerId, offerId),
						inArray(table.offerTag.vocabulary, [...copiedVocabularies])
					)
				)
				.orderBy(table.offerTag.position)
				.all()
		: [];
	const seen = new Set<string>();
	const tags: {
		vocabulary: (typeof copiedVocabularies)[number];
		value: string;
		position: number;
	}[] = [];
	for (const tag of [...fromNeed, ...fromOffer]) {
		const key = `${tag.vocabulary}:${tag.value}`;
		if (seen.has(key)) continue;
		seen.add(key);
		tags.push({
			vocabulary: tag.vocabulary as (typeof copiedVocabularies)[number],
			value: tag.value,
			position: tags.length
		});
	}
	return tags;
}

/** The asking side takes back a request that is still waiting; the asked side is told. */
export function withdrawIntroduction(db: Db, actor: Actor, id: string, now = new Date()): void {
	const { row, actor: asker } = requireSide(db, actor, id, 'fromOrganisationId');
	db.transaction((tx) => {
		tx.update(table.introduction)
			.set({ status: 'withdrawn', respondedAt: now })
			.where(eq(table.introduction.id, row.id))
			.run();
		const subject =
			(row.needId ? needById(tx, row.needId)?.title : undefined) ??
			(row.offerId ? offerById(tx, row.offerId)?.title : undefined) ??
			'';
		notifications.notifyOrganisation(
			tx,
			row.toOrganisationId,
			{
				kind: 'introduction_withdrawn',
				params: { organisation: organisationName(tx, row.fromOrganisationId), subject },
				path: '/introductions'
			},
			{ exceptUserId: asker.id }
		);
	});
}

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
				row.needId &&
				listingVisibleTo(
					db,
					actor,
					{ visibility: row.needVisibility!, organisationId: row.needOwner! },
					memberOf
				)
					? { id: row.needId, title: row.needTitle! }
					: null,
			offer:
				row.offerId &&
				listingVisibleTo(
					db,
					actor,
					{ visibility: row.offerVisibility!, organisationId: row.offerOwner! },
					memberOf
				)
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
			need && listingVisibleTo(db, actor, need, memberOf)
				? { id: need.id, title: need.title, organisationId: need.organisationId }
				: null,
		offer:
			offer && listingVisibleTo(db, actor, offer, memberOf)
				? { id: offer.id, title: offer.title, organisationId: offer.organisationId }
				: null,
		partner,
		organisations
	};
}
