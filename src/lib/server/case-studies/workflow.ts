import { and, eq, like, or } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import * as audit from '$lib/server/audit';
import type { Actor } from '$lib/server/auth/policy';
import { authorize } from '$lib/server/auth/policy';
import { config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import * as email from '$lib/server/email';
import * as table from '$lib/server/db/schema';
import { randomId } from '$lib/server/ids';
import { RuleError, slugify, type Executor } from '$lib/server/organisations';
import * as searchSync from '$lib/server/search/sync';
import {
	authorizeOnCase,
	organisationContext,
	requireCase,
	wrongState,
	type CaseRow
} from './access';
import { contentColumns, replaceChildRows, resolveSnapshot } from './content';
import { recordRevision } from './revisions';
import type { CaseStudyInput } from './schema';

export type WorkflowState = (typeof table.workflowStates)[number];

/** Paths under /cases that are pages, not case studies. */
const reservedSlugs = new Set(['new', 'edit', 'history', 'feed', 'moderation']);

function uniqueSlug(db: Executor, wanted: string): string {
	const base = slugify(wanted) || 'case-study';
	const taken = new Set(
		db
			.select({ slug: table.caseStudy.slug })
			.from(table.caseStudy)
			.where(or(eq(table.caseStudy.slug, base), like(table.caseStudy.slug, `${base}-%`)))
			.all()
			.map((row) => row.slug)
	);
	if (!taken.has(base) && !reservedSlugs.has(base)) return base;
	for (let n = 2; ; n += 1) {
		if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
	}
}

/**
 * Creates a draft owned by the organisation, written by a member; keeps revision 1.
 * `slug` is a wish (the demo seed keeps its slugs); the title gives it otherwise.
 */
export function createDraft(
	db: Db,
	actor: Actor,
	options: { organisationId: string; input: CaseStudyInput; slug?: string; now?: Date }
): { id: string; slug: string } {
	const { organisationId, input, now = new Date() } = options;
	authorize(actor, 'case_study:create', organisationContext(db, actor, organisationId));
	return db.transaction((tx) => {
		const { snapshot, stakeholderOrganisationIds } = resolveSnapshot(tx, organisationId, input);
		const id = randomId();
		const slug = uniqueSlug(tx, options.slug ?? input.title);
		tx.insert(table.caseStudy)
			.values({
				id,
				slug,
				organisationId,
				createdBy: actor.id,
				...contentColumns(snapshot),
				workflowState: 'draft',
				lastReviewedAt: now,
				createdAt: now,
				updatedAt: now
			})
			.run();
		replaceChildRows(tx, id, snapshot, stakeholderOrganisationIds);
		recordRevision(tx, id, actor.id, snapshot, now);
		return { id, slug };
	});
}

/**
 * Saves a change by a member and keeps it as a new revision. Saving counts as a review by the
 * owner. With `baseRevision` (the revision the editor opened), a save over someone else's newer
 * save is refused with 409 so nothing is silently overwritten.
 */
export function updateCaseStudy(
	db: Db,
	actor: Actor,
	caseStudyId: string,
	input: CaseStudyInput,
	options: { baseRevision?: number; now?: Date } = {}
): { revision: number } {
	const { now = new Date() } = options;
	const row = requireCase(db, caseStudyId);
	authorizeOnCase(db, actor, 'case_study:edit', row);
	if (row.workflowState === 'archived') {
		throw new RuleError('archived', m.cases_archived_not_editable(), 409);
	}
	return db.transaction((tx) => {
		const current = requireCase(tx, caseStudyId);
		if (options.baseRevision !== undefined && options.baseRevision !== current.revisionCount) {
			throw new RuleError('conflict', m.cases_conflict(), 409);
		}
		const { snapshot, stakeholderOrganisationIds } = resolveSnapshot(
			tx,
			current.organisationId,
			input
		);
		tx.update(table.caseStudy)
			.set({
				...contentColumns(snapshot),
				updatedAt: now,
				lastReviewedAt: now,
				reminderSentAt: null
			})
			.where(eq(table.caseStudy.id, caseStudyId))
			.run();
		replaceChildRows(tx, caseStudyId, snapshot, stakeholderOrganisationIds);
		searchSync.refreshRecords(tx, [{ type: 'case_study', recordId: caseStudyId }], now);
		return { revision: recordRevision(tx, caseStudyId, actor.id, snapshot, now) };
	});
}

function setState(
	db: Executor,
	caseStudyId: string,
	values: Partial<typeof table.caseStudy.$inferInsert>
) {
	db.update(table.caseStudy).set(values).where(eq(table.caseStudy.id, caseStudyId)).run();
}

/**
 * A member asks a moderator to review a draft. Members of a verified organisation may instead
 * publish directly (`publish`); they may still ask for a review first.
 */
export function submit(db: Db, actor: Actor, caseStudyId: string, now = new Date()): WorkflowState {
	const row = requireCase(db, caseStudyId);
	authorizeOnCase(db, actor, 'case_study:submit', row);
	if (row.workflowState !== 'draft') throw wrongState(row.workflowState);
	setState(db, caseStudyId, {
		workflowState: 'submitted',
		submittedAt: now,
		moderatorFeedback: null
	});
	return 'submitted';
}

/** A member takes a submitted case back to draft before a moderator decides. */
export function withdraw(db: Db, actor: Actor, caseStudyId: string): void {
	const row = requireCase(db, caseStudyId);
	authorizeOnCase(db, actor, 'case_study:submit', row);
	if (row.workflowState !== 'submitted') throw wrongState(row.workflowState);
	db.transaction((tx) => {
		setState(tx, caseStudyId, { workflowState: 'draft' });
		searchSync.refreshRecords(tx, [{ type: 'case_study', recordId: caseStudyId }]);
	});
}

/** A moderator (any case) or a member of a verified owner publishes a draft or submitted case. */
export function publish(db: Db, actor: Actor, caseStudyId: string, now = new Date()): void {
	const row = requireCase(db, caseStudyId);
	authorizeOnCase(db, actor, 'case_study:publish', row);
	if (row.workflowState !== 'draft' && row.workflowState !== 'submitted') {
		throw wrongState(row.workflowState);
	}
	db.transaction((tx) => {
		setState(tx, caseStudyId, {
			workflowState: 'published',
			publishedAt: row.publishedAt ?? now,
			moderatorFeedback: null
		});
		searchSync.refreshRecords(tx, [{ type: 'case_study', recordId: caseStudyId }], now);
		audit.record(tx, {
			actorId: actor.id,
			action: 'case_study.publish',
			subjectType: 'case_study',
			subjectId: caseStudyId,
			detail: { title: row.title, from: row.workflowState }
		});
	});
}

/**
 * A moderator sends a submitted case back to draft with feedback for its authors, who are
 * emailed it (the organisation's owners and the case's creator).
 */
export function reject(
	db: Db,
	actor: Actor,
	caseStudyId: string,
	feedback: string,
	options: { origin?: string } = {}
): void {
	const row = requireCase(db, caseStudyId);
	authorizeOnCase(db, actor, 'case_study:moderate', row);
	if (row.workflowState !== 'submitted') throw wrongState(row.workflowState);
	db.transaction((tx) => {
		setState(tx, caseStudyId, { workflowState: 'draft', moderatorFeedback: feedback });
		searchSync.refreshRecords(tx, [{ type: 'case_study', recordId: caseStudyId }]);
		audit.record(tx, {
			actorId: actor.id,
			action: 'case_study.reject',
			subjectType: 'case_study',
			subjectId: caseStudyId,
			detail: { title: row.title, feedback }
		});
		queueRejectionEmails(tx, row, feedback, options.origin ?? config.origin);
	});
}

function queueRejectionEmails(tx: Executor, row: CaseRow, feedback: string, origin: string) {
	const details = tx
		.select({
			createdBy: table.caseStudy.createdBy,
			language: table.caseStudy.language,
			organisationName: table.organisation.name
		})
		.from(table.caseStudy)
		.innerJoin(table.organisation, eq(table.organisation.id, table.caseStudy.organisationId))
		.where(eq(table.caseStudy.id, row.id))
		.get()!;
	const addresses = tx
		.select({ email: table.user.email })
		.from(table.user)
		.leftJoin(
			table.membership,
			and(
				eq(table.membership.userId, table.user.id),
				eq(table.membership.organisationId, row.organisationId)
			)
		)
		.where(
			or(
				eq(table.membership.role, 'owner'),
				details.createdBy ? eq(table.user.id, details.createdBy) : undefined
			)
		)
		.all()
		.map((user) => user.email);
	// The authors' language is unknown; the case's content language is the best guess.
	const locale = details.language === 'fr' ? 'fr' : 'en';
	const params = {
		title: row.title,
		organisation: details.organisationName,
		feedback,
		link: new URL(`/cases/${row.slug}`, origin).toString()
	};
	for (const to of new Set(addresses)) {
		// Same connection, so the outbox rows commit or roll back with the decision.
		email.queueEmail(tx as unknown as Db, {
			to,
			subject: m.casemod_rejected_subject(params, { locale }),
			body: m.casemod_rejected_body(params, { locale })
		});
	}
}

/** A member or a moderator withdraws a published case from the public list. */
export function archive(db: Db, actor: Actor, caseStudyId: string, now = new Date()): void {
	const row = requireCase(db, caseStudyId);
	authorizeOnCase(db, actor, 'case_study:archive', row);
	if (row.workflowState !== 'published') throw wrongState(row.workflowState);
	db.transaction((tx) => {
		setState(tx, caseStudyId, { workflowState: 'archived', archivedAt: now });
		searchSync.refreshRecords(tx, [{ type: 'case_study', recordId: caseStudyId }], now);
		audit.record(tx, {
			actorId: actor.id,
			action: 'case_study.archive',
			subjectType: 'case_study',
			subjectId: caseStudyId,
			detail: { title: row.title }
		});
	});
}
