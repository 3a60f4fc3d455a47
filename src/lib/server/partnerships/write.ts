import { and, count, eq, inArray, ne } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { authorize, type Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import * as notifications from '$lib/server/notifications';
import { RuleError, type Executor } from '$lib/server/organisations';
import * as searchSync from '$lib/server/search/sync';
import type { PartnershipStatus } from '$lib/vocab/matchmaking';
import {
	actingParties,
	canSeePartnership,
	notFound,
	partiesOf,
	partnershipRow,
	requireEditable,
	speakingFor,
	type Party
} from './access';
import { transitions } from './read';
import {
	consentValue,
	milestonesInput,
	parseInput,
	resultsInput,
	statusChangeInput,
	updateInput,
	type Loose,
	type MilestoneInput,
	type ResultRowInput,
	type StatusChange,
	type UpdateInput
} from './schema';
import { z } from 'zod';

const statusLabel = (status: PartnershipStatus) => notifications.partnershipStatusLabel(status);

/** Every change is activity: it clears the stale mark and the reminder clock. */
function touch(
	tx: Executor,
	id: string,
	now: Date,
	values: Partial<typeof table.partnership.$inferInsert> = {}
) {
	tx.update(table.partnership)
		.set({ ...values, lastActivityAt: now, staleReminderSentAt: null, updatedAt: now })
		.where(eq(table.partnership.id, id))
		.run();
}

/** Tells the members of every party other than the one acting. */
function notifyOtherParties(
	tx: Executor,
	parties: readonly Pick<Party, 'organisationId'>[],
	speakerId: string,
	actorId: string,
	notice: notifications.Notice
) {
	for (const party of parties) {
		if (party.organisationId === speakerId) continue;
		notifications.notifyOrganisation(tx, party.organisationId, notice, { exceptUserId: actorId });
	}
}

const partyName = (parties: readonly Party[], organisationId: string) =>
	parties.find((party) => party.organisationId === organisationId)?.name ?? '';

const dateColumn = {
	agreed: 'agreedAt',
	active: 'startedAt',
	completed: 'completedAt',
	discontinued: 'discontinuedAt'
} as const;

/**
 * A party member moves the partnership on: proposed → agreed → active → completed, or to
 * discontinued (with a reason) from any of the first three. Completing needs at least one result
 * row, so every completed partnership says what came out of it. The change is kept as an update
 * (statusFrom → statusTo) and the other parties are told. The need follows: matched once agreed,
 * open again when its only live partnership is discontinued.
 */
export function changeStatus(
	db: Db,
	actor: Actor,
	id: string,
	input: Loose<StatusChange>,
	now = new Date()
): void {
	const data = parseInput(statusChangeInput, input);
	const { row, parties, acting, actor: editor } = requireEditable(db, actor, id);
	if (!transitions[row.status].includes(data.to)) {
		const message = m.partnerships_transition_invalid({
			from: statusLabel(row.status),
			to: statusLabel(data.to)
		});
		throw new RuleError('transition', message, 409, { to: message });
	}
	if (data.to === 'completed' && resultCount(db, id) === 0) {
		const message = m.partnerships_results_required();
		throw new RuleError('results_required', message, 409, { to: message });
	}
	const speaker = acting[0].organisationId;
	db.transaction((tx) => {
		touch(tx, id, now, {
			status: data.to,
			[dateColumn[data.to as keyof typeof dateColumn]]: now,
			discontinuedReason: data.to === 'discontinued' ? data.reason : null
		});
		tx.insert(table.partnershipUpdate)
			.values({
				partnershipId: id,
				organisationId: speaker,
				authorId: editor.id,
				body: data.to === 'discontinued' ? data.reason : data.note,
				statusFrom: row.status,
				statusTo: data.to,
				createdAt: now
			})
			.run();
		if (row.needId) followNeed(tx, row.needId, id, data.to, now);
		notifyOtherParties(tx, parties, speaker, editor.id, {
			kind: 'partnership_status_changed',
			params: { organisation: partyName(parties, speaker), title: row.title, status: data.to },
			path: `/partnerships/${id}`,
			detail: data.to === 'discontinued' ? data.reason : data.note
		});
	});
}

function resultCount(db: Executor, id: string): number {
	return (
		db
			.select({ n: count() })
			.from(table.partnershipResult)
			.where(eq(table.partnershipResult.partnershipId, id))
			.get()?.n ?? 0
	);
}

function followNeed(
	tx: Executor,
	needId: string,
	partnershipId: string,
	to: PartnershipStatus,
	now: Date
) {
	const need = tx
		.select({ status: table.need.status })
		.from(table.need)
		.where(eq(table.need.id, needId))
		.get();
	if (!need) return;
	let next = need.status;
	if (to === 'agreed' && (need.status === 'open' || need.status === 'in_discussion')) {
		next = 'matched';
	}
	if (to === 'discontinued' && (need.status === 'in_discussion' || need.status === 'matched')) {
		const otherLive = tx
			.select({ id: table.partnership.id })
			.from(table.partnership)
			.where(
				and(
					eq(table.partnership.needId, needId),
					ne(table.partnership.id, partnershipId),
					inArray(table.partnership.status, ['proposed', 'agreed', 'active', 'completed'])
				)
			)
			.get();
		if (!otherLive) next = 'open';
	}
	if (next === need.status) return;
	tx.update(table.need)
		.set({ status: next, updatedAt: now })
		.where(eq(table.need.id, needId))
		.run();
	searchSync.refreshRecords(tx, [{ type: 'need', recordId: needId }], now);
}

/** A dated update (Markdown) from one of the actor's party organisations; the others are told. */
export function postUpdate(
	db: Db,
	actor: Actor,
	id: string,
	input: Loose<UpdateInput>,
	now = new Date()
): { id: number } {
	const data = parseInput(updateInput, input);
	const { row, parties, acting, actor: editor } = requireEditable(db, actor, id);
	const speaker = speakingFor(acting, data.organisationId);
	return db.transaction((tx) => {
		const update = tx
			.insert(table.partnershipUpdate)
			.values({
				partnershipId: id,
				organisationId: speaker,
				authorId: editor.id,
				body: data.body,
				createdAt: now
			})
			.returning({ id: table.partnershipUpdate.id })
			.get();
		touch(tx, id, now);
		notifyOtherParties(tx, parties, speaker, editor.id, {
			kind: 'partnership_update_posted',
			params: { organisation: partyName(parties, speaker), title: row.title },
			path: `/partnerships/${id}`,
			detail: data.body
		});
		return update;
	});
}

/** Replaces the milestones (title, due date, done date); errors keyed `milestones.0.title`. */
export function saveMilestones(
	db: Db,
	actor: Actor,
	id: string,
	rows: readonly Loose<MilestoneInput>[],
	now = new Date()
): void {
	const data = parseInput(z.object({ milestones: milestonesInput }), { milestones: rows });
	requireEditable(db, actor, id);
	db.transaction((tx) => {
		tx.delete(table.partnershipMilestone)
			.where(eq(table.partnershipMilestone.partnershipId, id))
			.run();
		if (data.milestones.length > 0) {
			tx.insert(table.partnershipMilestone)
				.values(data.milestones.map((row, position) => ({ ...row, partnershipId: id, position })))
				.run();
		}
		touch(tx, id, now);
	});
}

/** Replaces the result rows (as on case studies); errors keyed `results.0.indicator`. */
export function saveResults(
	db: Db,
	actor: Actor,
	id: string,
	rows: readonly Loose<ResultRowInput>[],
	now = new Date()
): void {
	const data = parseInput(z.object({ results: resultsInput }), { results: rows });
	const { row } = requireEditable(db, actor, id);
	if (row.status === 'completed' && data.results.length === 0) {
		const message = m.partnerships_results_required();
		throw new RuleError('results_required', message, 409, { results: message });
	}
	db.transaction((tx) => {
		tx.delete(table.partnershipResult).where(eq(table.partnershipResult.partnershipId, id)).run();
		if (data.results.length > 0) {
			tx.insert(table.partnershipResult)
				.values(
					data.results.map((result, position) => ({ ...result, partnershipId: id, position }))
				)
				.run();
		}
		touch(tx, id, now);
	});
}

/**
 * A member of a party organisation says whether it agrees to publish the partnership; it is
 * public once every party agrees. Only that organisation's members decide for it. Not activity:
 * consent says nothing about progress.
 */
export function setConsent(
	db: Db,
	actor: Actor,
	id: string,
	organisationId: string,
	consents: unknown
): void {
	const agrees = parseInput(z.object({ consents: consentValue }), { consents }).consents;
	const row = partnershipRow(db, id);
	if (!row) throw notFound();
	const parties = partiesOf(db, id);
	const acting = actingParties(db, actor, parties);
	if (!canSeePartnership(actor, parties, acting)) throw notFound();
	authorize(actor, 'partnership:edit', { organisationRole: acting[0]?.role ?? null });
	const party = parties.find((candidate) => candidate.organisationId === organisationId);
	if (!party) {
		const message = m.partnerships_consent_not_party();
		throw new RuleError('not_party', message, 400, { organisationId: message });
	}
	// Members of the other party may not decide for this one.
	authorize(actor, 'partnership:edit', {
		organisationRole: acting.find((own) => own.organisationId === organisationId)?.role ?? null
	});
	if (party.consentsToPublish === agrees) return;
	db.transaction((tx) => {
		tx.update(table.partnershipParty)
			.set({ consentsToPublish: agrees })
			.where(
				and(
					eq(table.partnershipParty.partnershipId, id),
					eq(table.partnershipParty.organisationId, organisationId)
				)
			)
			.run();
		notifyOtherParties(tx, parties, organisationId, actor.id, {
			kind: 'partnership_consent_changed',
			params: { organisation: party.name, title: row.title, consents: agrees ? 'yes' : 'no' },
			path: `/partnerships/${id}`
		});
	});
}
