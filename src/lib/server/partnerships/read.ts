import { asc, desc, eq, inArray } from 'drizzle-orm';
import { can, type Actor } from '$lib/server/auth/policy';
import { canSeeUnpublished } from '$lib/server/case-studies/access';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { renderMarkdown } from '$lib/server/markdown';
import type { PartnershipStatus, PartyRole } from '$lib/vocab/matchmaking';
import {
	actingParties,
	canSeePartnership,
	everyPartyConsents,
	memberships,
	partiesOf
} from './access';
import { listingViewer } from './introduction-rows';
import { isStale } from './stale';

/** The next statuses a partnership may take (discontinued needs a reason). */
export const transitions: Record<PartnershipStatus, PartnershipStatus[]> = {
	proposed: ['agreed', 'discontinued'],
	agreed: ['active', 'discontinued'],
	active: ['completed', 'discontinued'],
	completed: [],
	discontinued: []
};

export const resultColumns = {
	indicator: table.partnershipResult.indicator,
	sdgIndicator: table.partnershipResult.sdgIndicator,
	baseline: table.partnershipResult.baseline,
	result: table.partnershipResult.result,
	unit: table.partnershipResult.unit,
	year: table.partnershipResult.year,
	source: table.partnershipResult.source
};

/** The partnership's own columns that its page and its public record both show. */
export const recordColumns = {
	id: table.partnership.id,
	title: table.partnership.title,
	description: table.partnership.description,
	status: table.partnership.status,
	discontinuedReason: table.partnership.discontinuedReason,
	needId: table.partnership.needId,
	offerId: table.partnership.offerId,
	resultingCaseStudyId: table.partnership.resultingCaseStudyId,
	createdAt: table.partnership.createdAt,
	lastActivityAt: table.partnership.lastActivityAt
};

export const milestoneColumns = {
	title: table.partnershipMilestone.title,
	dueOn: table.partnershipMilestone.dueOn,
	doneOn: table.partnershipMilestone.doneOn
};

/** Themes, SDG targets and cooperation types of each partnership, in their order. */
export function tagsOf(db: Db, ids: string[]) {
	const byId = new Map<
		string,
		{ themes: string[]; sdgTargets: string[]; cooperationTypes: string[] }
	>();
	for (const id of ids) byId.set(id, { themes: [], sdgTargets: [], cooperationTypes: [] });
	if (ids.length === 0) return byId;
	const rows = db
		.select({
			partnershipId: table.partnershipTag.partnershipId,
			vocabulary: table.partnershipTag.vocabulary,
			value: table.partnershipTag.value
		})
		.from(table.partnershipTag)
		.where(inArray(table.partnershipTag.partnershipId, ids))
		.orderBy(table.partnershipTag.position)
		.all();
	const key = {
		theme: 'themes',
		sdg_target: 'sdgTargets',
		cooperation: 'cooperationTypes'
	} as const;
	for (const row of rows) byId.get(row.partnershipId)![key[row.vocabulary]].push(row.value);
	return byId;
}

export function resultsOf(db: Db, partnershipId: string) {
	return db
		.select(resultColumns)
		.from(table.partnershipResult)
		.where(eq(table.partnershipResult.partnershipId, partnershipId))
		.orderBy(table.partnershipResult.position)
		.all();
}

export function milestonesOf(db: Db, partnershipId: string) {
	return db
		.select(milestoneColumns)
		.from(table.partnershipMilestone)
		.where(eq(table.partnershipMilestone.partnershipId, partnershipId))
		.orderBy(table.partnershipMilestone.position)
		.all();
}

/** Dated updates, status changes included (they carry `statusTo`), oldest first. */
export function updatesOf(db: Db, partnershipId: string) {
	return db
		.select({
			id: table.partnershipUpdate.id,
			body: table.partnershipUpdate.body,
			statusFrom: table.partnershipUpdate.statusFrom,
			statusTo: table.partnershipUpdate.statusTo,
			createdAt: table.partnershipUpdate.createdAt,
			organisationSlug: table.organisation.slug,
			organisationName: table.organisation.name
		})
		.from(table.partnershipUpdate)
		.leftJoin(table.organisation, eq(table.organisation.id, table.partnershipUpdate.organisationId))
		.where(eq(table.partnershipUpdate.partnershipId, partnershipId))
		.orderBy(asc(table.partnershipUpdate.createdAt), asc(table.partnershipUpdate.id))
		.all();
}

/** A case study's link when the actor may see it (published, or the owner's members, moderators). */
function visibleCaseStudy(db: Db, actor: Actor, caseStudyId: string | null) {
	if (!caseStudyId) return null;
	const row = db
		.select({
			id: table.caseStudy.id,
			slug: table.caseStudy.slug,
			title: table.caseStudy.title,
			organisationId: table.caseStudy.organisationId,
			workflowState: table.caseStudy.workflowState
		})
		.from(table.caseStudy)
		.where(eq(table.caseStudy.id, caseStudyId))
		.get();
	if (!row) return null;
	if (row.workflowState !== 'published' && !canSeeUnpublished(db, actor, row)) return null;
	return { slug: row.slug, title: row.title, workflowState: row.workflowState };
}

/** What the partnership came from, each part only when the actor may see it. */
function cameFrom(
	db: Db,
	actor: Actor,
	row: { id: string; needId: string | null; offerId: string | null }
) {
	const canSee = listingViewer(db, actor);
	const need = row.needId
		? db
				.select({
					id: table.need.id,
					title: table.need.title,
					visibility: table.need.visibility,
					organisationId: table.need.organisationId
				})
				.from(table.need)
				.where(eq(table.need.id, row.needId))
				.get()
		: undefined;
	const offer = row.offerId
		? db
				.select({
					id: table.offer.id,
					title: table.offer.title,
					visibility: table.offer.visibility,
					organisationId: table.offer.organisationId
				})
				.from(table.offer)
				.where(eq(table.offer.id, row.offerId))
				.get()
		: undefined;
	const caseStudyIds = db
		.select({ id: table.partnershipCaseStudy.caseStudyId })
		.from(table.partnershipCaseStudy)
		.where(eq(table.partnershipCaseStudy.partnershipId, row.id))
		.all();
	return {
		need: need && canSee(need) ? { id: need.id, title: need.title } : null,
		offer: offer && canSee(offer) ? { id: offer.id, title: offer.title } : null,
		caseStudies: caseStudyIds.flatMap(({ id }) => visibleCaseStudy(db, actor, id) ?? [])
	};
}

/**
 * One partnership for its page, or null when it does not exist or the actor may not see it
 * (public only when every party consents; party members and moderators always).
 */
export function getPartnership(db: Db, actor: Actor, id: string, now = new Date()) {
	const row = db
		.select({
			...recordColumns,
			agreedAt: table.partnership.agreedAt,
			startedAt: table.partnership.startedAt,
			completedAt: table.partnership.completedAt,
			discontinuedAt: table.partnership.discontinuedAt
		})
		.from(table.partnership)
		.where(eq(table.partnership.id, id))
		.get();
	if (!row) return null;
	const parties = partiesOf(db, id);
	const acting = actingParties(db, actor, parties);
	if (!canSeePartnership(actor, parties, acting)) return null;
	const mayEdit = can(actor, 'partnership:edit', { organisationRole: acting[0]?.role ?? null });
	const updates = updatesOf(db, id).map((update) => ({
		...update,
		bodyHtml: renderMarkdown(update.body)
	}));
	const results = resultsOf(db, id);
	const resultingCaseStudy = visibleCaseStudy(db, actor, row.resultingCaseStudyId);
	return {
		id: row.id,
		title: row.title,
		description: row.description,
		descriptionHtml: renderMarkdown(row.description),
		status: row.status,
		discontinuedReason: row.discontinuedReason,
		agreedAt: row.agreedAt,
		startedAt: row.startedAt,
		completedAt: row.completedAt,
		discontinuedAt: row.discontinuedAt,
		lastActivityAt: row.lastActivityAt,
		createdAt: row.createdAt,
		isStale: isStale(row.lastActivityAt, now, row.status),
		isPublic: everyPartyConsents(parties),
		parties: parties.map((party) => ({
			organisationId: party.organisationId,
			slug: party.slug,
			name: party.name,
			kind: party.kind,
			countryCode: party.countryCode,
			isVerified: party.isVerified,
			role: party.role,
			consentsToPublish: party.consentsToPublish
		})),
		...tagsOf(db, [id]).get(id)!,
		history: updates
			.filter((update) => update.statusTo !== null)
			.map((update) => ({
				from: update.statusFrom,
				to: update.statusTo!,
				at: update.createdAt,
				organisationName: update.organisationName,
				note: update.body,
				noteHtml: update.bodyHtml
			})),
		updates: updates.filter((update) => update.statusTo === null).reverse(),
		milestones: milestonesOf(db, id),
		results,
		cameFrom: cameFrom(db, actor, row),
		resultingCaseStudy,
		permissions: {
			edit: mayEdit,
			transitions: mayEdit ? transitions[row.status] : [],
			/** The party organisations the actor speaks for (updates, consent). */
			organisations: mayEdit
				? acting.map((party) => ({
						id: party.organisationId,
						name: parties.find((p) => p.organisationId === party.organisationId)!.name
					}))
				: [],
			draftCaseStudy: mayEdit && row.status === 'completed',
			completeNeedsResults: results.length === 0
		}
	};
}
export type PartnershipDetail = NonNullable<ReturnType<typeof getPartnership>>;

/** Parties (name, slug, role) of each partnership, in their order. */
export function partiesFor(db: Db, ids: string[]) {
	const byId = new Map<
		string,
		{
			organisationId: string;
			slug: string;
			name: string;
			role: PartyRole;
			countryCode: string;
			consentsToPublish: boolean;
		}[]
	>();
	if (ids.length === 0) return byId;
	const rows = db
		.select({
			partnershipId: table.partnershipParty.partnershipId,
			organisationId: table.partnershipParty.organisationId,
			slug: table.organisation.slug,
			name: table.organisation.name,
			role: table.partnershipParty.role,
			countryCode: table.organisation.countryCode,
			consentsToPublish: table.partnershipParty.consentsToPublish
		})
		.from(table.partnershipParty)
		.innerJoin(table.organisation, eq(table.organisation.id, table.partnershipParty.organisationId))
		.where(inArray(table.partnershipParty.partnershipId, ids))
		.orderBy(table.partnershipParty.partnershipId, table.partnershipParty.position)
		.all();
	for (const { partnershipId, ...party } of rows) {
		const list = byId.get(partnershipId) ?? [];
		list.push(party);
		byId.set(partnershipId, list);
	}
	return byId;
}

/**
 * The partnerships an organisation is a party to, for its profile: public ones for everyone,
 * all of them for the actor's own organisations' members and moderators.
 */
export function partnershipsOfOrganisation(
	db: Db,
	actor: Actor,
	organisationId: string,
	now = new Date()
) {
	const rows = db
		.select({
			id: table.partnership.id,
			title: table.partnership.title,
			status: table.partnership.status,
			lastActivityAt: table.partnership.lastActivityAt,
			role: table.partnershipParty.role
		})
		.from(table.partnershipParty)
		.innerJoin(table.partnership, eq(table.partnership.id, table.partnershipParty.partnershipId))
		.where(eq(table.partnershipParty.organisationId, organisationId))
		.orderBy(desc(table.partnership.lastActivityAt), desc(table.partnership.id))
		.all();
	const parties = partiesFor(
		db,
		rows.map((row) => row.id)
	);
	const memberOf = memberships(db, actor);
	const tags = tagsOf(
		db,
		rows.map((row) => row.id)
	);
	return rows.flatMap((row) => {
		const its = parties.get(row.id) ?? [];
		const isPublic = everyPartyConsents(its);
		const role = its.map((party) => memberOf.get(party.organisationId)).find(Boolean) ?? null;
		const visible = isPublic || can(actor, 'partnership:view_private', { organisationRole: role });
		if (!visible) return [];
		return [
			{
				...row,
				isPublic,
				isStale: isStale(row.lastActivityAt, now, row.status),
				parties: its.map(({ slug, name, role }) => ({ slug, name, role })),
				...tags.get(row.id)!
			}
		];
	});
}
