/**
 * Posting and changing needs and offers. Each write is one transaction: the row, its tag rows,
 * its search document (sync.refreshRecords) and an audit row.
 */
import { eq, inArray } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import * as audit from '$lib/server/audit';
import type { Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { randomId } from '$lib/server/ids';
import { RuleError, type Executor } from '$lib/server/organisations';
import * as searchSync from '$lib/server/search/sync';
import type { ListingVisibility, NeedStatus, OfferStatus } from '$lib/vocab/matchmaking';
import { authorizeForOrganisation, canSee, postingContext, viewerOf } from './access';
import {
	deadlineAtOf,
	expiresAtOf,
	needStatusSchema,
	offerStatusSchema,
	type NeedInput,
	type OfferInput
} from './schema';

const needTagFields = {
	themes: 'theme',
	sdgTargets: 'sdg_target',
	cooperationTypes: 'cooperation'
} as const satisfies Partial<Record<keyof NeedInput, (typeof table.needTagVocabularies)[number]>>;

const offerTagFields = {
	themes: 'theme',
	sdgTargets: 'sdg_target',
	cooperationTypes: 'cooperation',
	regions: 'region',
	countries: 'country'
} as const satisfies Partial<Record<keyof OfferInput, (typeof table.offerTagVocabularies)[number]>>;

function needColumns(input: NeedInput) {
	return {
		title: input.title,
		challenge: input.challenge,
		triedSoFar: input.triedSoFar,
		languages: input.languages,
		timeframe: input.timeframe,
		budgetAmount: input.budgetAmount,
		budgetCurrency: input.budgetAmount === null ? null : input.budgetCurrency,
		visibility: input.visibility,
		expiresAt: expiresAtOf(input.expiresOn)
	};
}

function offerColumns(input: OfferInput) {
	return {
		title: input.title,
		description: input.description,
		format: input.format,
		languages: input.languages,
		isGlobal: input.isGlobal,
		capacity: input.capacity,
		eligibleIncomeGroups: input.eligibleIncomeGroups,
		onlyLeastDeveloped: input.onlyLeastDeveloped,
		deadline: input.deadline === null ? null : deadlineAtOf(input.deadline),
		visibility: input.visibility
	};
}

function replaceNeedTags(tx: Executor, needId: string, input: NeedInput) {
	tx.delete(table.needTag).where(eq(table.needTag.needId, needId)).run();
	const rows = Object.entries(needTagFields).flatMap(([field, vocabulary]) =>
		(input[field as keyof typeof needTagFields] as string[]).map((value, position) => ({
			needId,
			vocabulary,
			value,
			position
		}))
	);
	if (rows.length) tx.insert(table.needTag).values(rows).run();
}

function replaceOfferTags(tx: Executor, offerId: string, input: OfferInput) {
	tx.delete(table.offerTag).where(eq(table.offerTag.offerId, offerId)).run();
	const rows = Object.entries(offerTagFields).flatMap(([field, vocabulary]) =>
		(input[field as keyof typeof offerTagFields] as string[]).map((value, position) => ({
			offerId,
			vocabulary,
			value,
			position
		}))
	);
	if (rows.length) tx.insert(table.offerTag).values(rows).run();
}

/** Countries are free ISO codes in the input; only those in the reference data are kept. */
function assertKnownCountries(db: Executor, countries: string[]) {
	if (countries.length === 0) return;
	const known = new Set(
		db
			.select({ code: table.country.code })
			.from(table.country)
			.where(inArray(table.country.code, countries))
			.all()
			.map((row) => row.code)
	);
	if (countries.some((code) => !known.has(code))) {
		throw new RuleError('invalid_content', m.form_fix_errors(), 400, {
			countries: m.needsoffers_country_invalid()
		});
	}
}

function assertCity(db: Executor, actor: Actor, organisationId: string) {
	const { organisation } = postingContext(db, actor, organisationId);
	if (organisation && organisation.kind !== 'city') {
		const message = m.needsoffers_need_not_city({ name: organisation.name });
		throw new RuleError('not_city', message, 422, { organisationId: message });
	}
}

function needRow(db: Executor, id: string) {
	return (
		db
			.select({
				id: table.need.id,
				organisationId: table.need.organisationId,
				visibility: table.need.visibility,
				status: table.need.status
			})
			.from(table.need)
			.where(eq(table.need.id, id))
			.get() ?? null
	);
}

function offerRow(db: Executor, id: string) {
	return (
		db
			.select({
				id: table.offer.id,
				organisationId: table.offer.organisationId,
				visibility: table.offer.visibility,
				status: table.offer.status
			})
			.from(table.offer)
			.where(eq(table.offer.id, id))
			.get() ?? null
	);
}

/** Loads a need for a change, or "not found" (an id that does not exist or is hidden alike). */
function requireNeed(db: Executor, id: string) {
	const row = typeof id === 'string' && id ? needRow(db, id) : null;
	if (!row) throw new RuleError('not_found', m.needsoffers_need_not_found(), 404);
	return row;
}

function requireOffer(db: Executor, id: string) {
	const row = typeof id === 'string' && id ? offerRow(db, id) : null;
	if (!row) throw new RuleError('not_found', m.needsoffers_offer_not_found(), 404);
	return row;
}

/**
 * Someone who may not see a listing gets the same answer as for one that does not exist (404);
 * someone who may see it but is not a member of its organisation gets 403.
 */
function authorizeOnListing(
	db: Executor,
	actor: Actor,
	action: 'need:edit' | 'offer:edit',
	row: { organisationId: string; visibility: ListingVisibility },
	notFound: () => string
): asserts actor is NonNullable<Actor> {
	if (!canSee(viewerOf(db, actor), row)) throw new RuleError('not_found', notFound(), 404);
	authorizeForOrganisation(db, actor, action, row.organisationId);
}

const needRef = (recordId: string) => ({ type: 'need' as const, recordId });
const offerRef = (recordId: string) => ({ type: 'offer' as const, recordId });

/** Posts a need for a city organisation the actor is a member of. */
export function createNeed(
	db: Db,
	actor: Actor,
	organisationId: string,
	input: NeedInput,
	now = new Date()
): { id: string } {
	authorizeForOrganisation(db, actor, 'need:create', organisationId);
	assertCity(db, actor, organisationId);
	return db.transaction((tx) => {
		const id = randomId();
		tx.insert(table.need)
			.values({
				id,
				organisationId,
				createdBy: actor.id,
				...needColumns(input),
				status: 'open',
				createdAt: now,
				updatedAt: now
			})
			.run();
		replaceNeedTags(tx, id, input);
		searchSync.refreshRecords(tx, [needRef(id)], now);
		audit.record(tx, {
			actorId: actor.id,
			action: 'need.created',
			subjectType: 'need',
			subjectId: id,
			detail: { organisationId, title: input.title }
		});
		return { id };
	});
}

/** Saves a need's content (its organisation and status stay). */
export function updateNeed(
	db: Db,
	actor: Actor,
	id: string,
	input: NeedInput,
	now = new Date()
): void {
	const row = requireNeed(db, id);
	authorizeOnListing(db, actor, 'need:edit', row, () => m.needsoffers_need_not_found());
	db.transaction((tx) => {
		tx.update(table.need)
			.set({ ...needColumns(input), updatedAt: now })
			.where(eq(table.need.id, id))
			.run();
		replaceNeedTags(tx, id, input);
		searchSync.refreshRecords(tx, [needRef(id)], now);
		audit.record(tx, {
			actorId: actor.id,
			action: 'need.updated',
			subjectType: 'need',
			subjectId: id,
			detail: { title: input.title }
		});
	});
}

/** Open, in discussion, matched or closed; only open (and unexpired) needs are searchable. */
export function setNeedStatus(
	db: Db,
	actor: Actor,
	id: string,
	status: NeedStatus,
	now = new Date()
): void {
	const row = requireNeed(db, id);
	authorizeOnListing(db, actor, 'need:edit', row, () => m.needsoffers_need_not_found());
	const parsed = needStatusSchema.safeParse(status);
	if (!parsed.success) {
		const message = m.needsoffers_need_status_invalid();
		throw new RuleError('invalid_status', message, 400, { status: message });
	}
	if (parsed.data === row.status) return;
	db.transaction((tx) => {
		tx.update(table.need)
			.set({ status: parsed.data, updatedAt: now })
			.where(eq(table.need.id, id))
			.run();
		searchSync.refreshRecords(tx, [needRef(id)], now);
		audit.record(tx, {
			actorId: actor.id,
			action: 'need.status_changed',
			subjectType: 'need',
			subjectId: id,
			detail: { from: row.status, to: parsed.data }
		});
	});
}

/** Posts an offer for any organisation the actor is a member of. */
export function createOffer(
	db: Db,
	actor: Actor,
	organisationId: string,
	input: OfferInput,
	now = new Date()
): { id: string } {
	authorizeForOrganisation(db, actor, 'offer:create', organisationId);
	assertKnownCountries(db, input.countries);
	return db.transaction((tx) => {
		const id = randomId();
		tx.insert(table.offer)
			.values({
				id,
				organisationId,
				createdBy: actor.id,
				...offerColumns(input),
				status: 'open',
				createdAt: now,
				updatedAt: now
			})
			.run();
		replaceOfferTags(tx, id, input);
		searchSync.refreshRecords(tx, [offerRef(id)], now);
		audit.record(tx, {
			actorId: actor.id,
			action: 'offer.created',
			subjectType: 'offer',
			subjectId: id,
			detail: { organisationId, title: input.title }
		});
		return { id };
	});
}

export function updateOffer(
	db: Db,
	actor: Actor,
	id: string,
	input: OfferInput,
	now = new Date()
): void {
	const row = requireOffer(db, id);
	authorizeOnListing(db, actor, 'offer:edit', row, () => m.needsoffers_offer_not_found());
	assertKnownCountries(db, input.countries);
	db.transaction((tx) => {
		tx.update(table.offer)
			.set({ ...offerColumns(input), updatedAt: now })
			.where(eq(table.offer.id, id))
			.run();
		replaceOfferTags(tx, id, input);
		searchSync.refreshRecords(tx, [offerRef(id)], now);
		audit.record(tx, {
			actorId: actor.id,
			action: 'offer.updated',
			subjectType: 'offer',
			subjectId: id,
			detail: { title: input.title }
		});
	});
}

export function setOfferStatus(
	db: Db,
	actor: Actor,
	id: string,
	status: OfferStatus,
	now = new Date()
): void {
	const row = requireOffer(db, id);
	authorizeOnListing(db, actor, 'offer:edit', row, () => m.needsoffers_offer_not_found());
	const parsed = offerStatusSchema.safeParse(status);
	if (!parsed.success) {
		const message = m.needsoffers_offer_status_invalid();
		throw new RuleError('invalid_status', message, 400, { status: message });
	}
	if (parsed.data === row.status) return;
	db.transaction((tx) => {
		tx.update(table.offer)
			.set({ status: parsed.data, updatedAt: now })
			.where(eq(table.offer.id, id))
			.run();
		searchSync.refreshRecords(tx, [offerRef(id)], now);
		audit.record(tx, {
			actorId: actor.id,
			action: 'offer.status_changed',
			subjectType: 'offer',
			subjectId: id,
			detail: { from: row.status, to: parsed.data }
		});
	});
}
