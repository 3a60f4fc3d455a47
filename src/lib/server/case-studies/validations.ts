import { and, count, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { m } from '$lib/paraglide/messages';
import { can, type Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { randomId } from '$lib/server/ids';
import { RuleError, type Executor } from '$lib/server/organisations';
import { organisationContext, requireCase } from './access';
import type { ValidationInput } from './schema';

export type ValidationKind = (typeof table.validationKinds)[number];

function refreshCount(db: Executor, caseStudyId: string) {
	const row = db
		.select({ n: count() })
		.from(table.caseStudyValidation)
		.where(eq(table.caseStudyValidation.caseStudyId, caseStudyId))
		.get();
	db.update(table.caseStudy)
		.set({ validationCount: row?.n ?? 0 })
		.where(eq(table.caseStudy.id, caseStudyId))
		.run();
}

/**
 * A member of a verified organisation other than the owner records that it reviewed the case
 * (with a note) or replicated it (linking its own case study). One validation per organisation
 * per case: recording again edits it. Returns whether it was new.
 */
export function recordValidation(
	db: Db,
	actor: Actor,
	caseStudyId: string,
	input: ValidationInput,
	now = new Date()
): { id: string; created: boolean } {
	const row = requireCase(db, caseStudyId);
	if (actor === null) throw new RuleError('signed_out', m.cases_forbidden(), 403);
	const context = organisationContext(db, actor, input.organisationId);
	if (!context.organisationRole) {
		throw new RuleError('not_member', m.cases_validation_not_member(), 403, {
			organisationId: m.cases_validation_not_member()
		});
	}
	if (input.organisationId === row.organisationId) {
		throw new RuleError('own_case', m.cases_validation_own_case(), 403);
	}
	if (!can(actor, 'case_study:validate', context)) {
		throw new RuleError('not_verified', m.cases_validation_not_verified(), 403, {
			organisationId: m.cases_validation_not_verified()
		});
	}
	if (row.workflowState !== 'published') {
		throw new RuleError('not_published', m.cases_validation_not_published(), 409);
	}
	if (input.kind === 'reviewed' && input.note.length < 10) {
		throw new RuleError('note_required', m.form_fix_errors(), 400, {
			note: m.cases_validation_note_required()
		});
	}
	let replicationCaseStudyId: string | null = null;
	if (input.kind === 'replicated') {
		if (!input.replicationSlug) {
			throw new RuleError('replication_required', m.form_fix_errors(), 400, {
				replicationSlug: m.cases_replication_required()
			});
		}
		const replication = db
			.select({ id: table.caseStudy.id, organisationId: table.caseStudy.organisationId })
			.from(table.caseStudy)
			.where(eq(table.caseStudy.slug, input.replicationSlug))
			.get();
		if (!replication || replication.organisationId !== input.organisationId) {
			throw new RuleError('replication_not_own', m.form_fix_errors(), 400, {
				replicationSlug: m.cases_replication_not_own()
			});
		}
		replicationCaseStudyId = replication.id;
	}

	return db.transaction((tx) => {
		const existing = tx
			.select({ id: table.caseStudyValidation.id })
			.from(table.caseStudyValidation)
			.where(
				and(
					eq(table.caseStudyValidation.caseStudyId, caseStudyId),
					eq(table.caseStudyValidation.organisationId, input.organisationId)
				)
			)
			.get();
		const values = {
			recordedBy: actor.id,
			kind: input.kind,
			note: input.note,
			replicationCaseStudyId,
			updatedAt: now
		};
		if (existing) {
			tx.update(table.caseStudyValidation)
				.set(values)
				.where(eq(table.caseStudyValidation.id, existing.id))
				.run();
			return { id: existing.id, created: false };
		}
		const id = randomId();
		tx.insert(table.caseStudyValidation)
			.values({
				id,
				caseStudyId,
				organisationId: input.organisationId,
				createdAt: now,
				...values
			})
			.run();
		refreshCount(tx, caseStudyId);
		return { id, created: true };
	});
}

/** A member withdraws their organisation's validation of a case. */
export function removeValidation(
	db: Db,
	actor: Actor,
	caseStudyId: string,
	organisationId: string
): void {
	if (!organisationContext(db, actor, organisationId).organisationRole) {
		throw new RuleError('not_member', m.cases_validation_not_member(), 403);
	}
	db.transaction((tx) => {
		tx.delete(table.caseStudyValidation)
			.where(
				and(
					eq(table.caseStudyValidation.caseStudyId, caseStudyId),
					eq(table.caseStudyValidation.organisationId, organisationId)
				)
			)
			.run();
		refreshCount(tx, caseStudyId);
	});
}

const replication = alias(table.caseStudy, 'replication');

/** The validations shown on a case, oldest first, with the replication if it is published. */
export function listValidations(db: Db, caseStudyId: string) {
	return db
		.select({
			organisationId: table.organisation.id,
			organisationSlug: table.organisation.slug,
			organisationName: table.organisation.name,
			kind: table.caseStudyValidation.kind,
			note: table.caseStudyValidation.note,
			replicationSlug: replication.slug,
			replicationTitle: replication.title,
			createdAt: table.caseStudyValidation.createdAt,
			updatedAt: table.caseStudyValidation.updatedAt
		})
		.from(table.caseStudyValidation)
		.innerJoin(
			table.organisation,
			eq(table.organisation.id, table.caseStudyValidation.organisationId)
		)
		.leftJoin(
			replication,
			and(
				eq(replication.id, table.caseStudyValidation.replicationCaseStudyId),
				eq(replication.workflowState, 'published')
			)
		)
		.where(eq(table.caseStudyValidation.caseStudyId, caseStudyId))
		.orderBy(table.caseStudyValidation.createdAt)
		.all();
}

/** How many organisations reviewed and replicated the case. */
export function validationCounts(db: Db, caseStudyId: string): Record<ValidationKind, number> {
	const counts: Record<ValidationKind, number> = { reviewed: 0, replicated: 0 };
	const rows = db
		.select({ kind: table.caseStudyValidation.kind, n: count() })
		.from(table.caseStudyValidation)
		.where(eq(table.caseStudyValidation.caseStudyId, caseStudyId))
		.groupBy(table.caseStudyValidation.kind)
		.all();
	for (const row of rows) counts[row.kind] = row.n;
	return counts;
}

/** The verified organisations of the actor that may validate this case (not the owner). */
export function organisationsThatMayValidate(db: Db, actor: Actor, caseStudyId: string) {
	if (actor === null) return [];
	const row = requireCase(db, caseStudyId);
	return db
		.select({ id: table.organisation.id, name: table.organisation.name })
		.from(table.membership)
		.innerJoin(table.organisation, eq(table.organisation.id, table.membership.organisationId))
		.where(
			and(
				eq(table.membership.userId, actor.id),
				eq(table.organisation.verificationState, 'verified')
			)
		)
		.all()
		.filter((organisation) => organisation.id !== row.organisationId);
}

export function validationKindLabel(kind: ValidationKind): string {
	return kind === 'reviewed' ? m.cases_validation_reviewed() : m.cases_validation_replicated();
}
