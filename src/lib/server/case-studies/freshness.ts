import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { queueEmail } from '$lib/server/email';
import { authorizeOnCase, requireCase, wrongState } from './access';

/** A case not reviewed by its owner for this long "may be out of date". */
export const REVIEW_INTERVAL_MONTHS = 24;
/** An owner is reminded again at most this often while the case stays unreviewed. */
export const REMINDER_INTERVAL_DAYS = 30;

/** The moment before which a review is too old. */
export function staleBefore(now = new Date()): Date {
	const cutoff = new Date(now);
	cutoff.setUTCMonth(cutoff.getUTCMonth() - REVIEW_INTERVAL_MONTHS);
	return cutoff;
}

export function isOutOfDate(lastReviewedAt: Date, now = new Date()): boolean {
	return lastReviewedAt.getTime() < staleBefore(now).getTime();
}

/** A member confirms the case is still accurate without changing it. */
export function markReviewed(db: Db, actor: Actor, caseStudyId: string, now = new Date()): void {
	const row = requireCase(db, caseStudyId);
	authorizeOnCase(db, actor, 'case_study:edit', row);
	if (row.workflowState === 'archived') throw wrongState(row.workflowState);
	db.update(table.caseStudy)
		.set({ lastReviewedAt: now, reminderSentAt: null })
		.where(eq(table.caseStudy.id, caseStudyId))
		.run();
}

/** Published cases whose last review is too old, with when their owners were last reminded. */
export function outOfDateCases(db: Db, now = new Date()) {
	return db
		.select({
			id: table.caseStudy.id,
			slug: table.caseStudy.slug,
			title: table.caseStudy.title,
			organisationId: table.caseStudy.organisationId,
			organisationName: table.organisation.name,
			lastReviewedAt: table.caseStudy.lastReviewedAt,
			reminderSentAt: table.caseStudy.reminderSentAt
		})
		.from(table.caseStudy)
		.innerJoin(table.organisation, eq(table.organisation.id, table.caseStudy.organisationId))
		.where(
			and(
				eq(table.caseStudy.workflowState, 'published'),
				lt(table.caseStudy.lastReviewedAt, staleBefore(now))
			)
		)
		.orderBy(table.caseStudy.lastReviewedAt)
		.all();
}

/**
 * Queues a reminder to the owners of every out-of-date published case (through the email
 * outbox) unless one went out in the last REMINDER_INTERVAL_DAYS. Meant for a daily cron
 * command. Returns how many emails were queued.
 */
export function sendReviewReminders(db: Db, options: { origin: string; now?: Date }): number {
	const now = options.now ?? new Date();
	const remindedBefore = new Date(now.getTime() - REMINDER_INTERVAL_DAYS * 86_400_000);
	const due = db
		.select({ id: table.caseStudy.id })
		.from(table.caseStudy)
		.where(
			and(
				eq(table.caseStudy.workflowState, 'published'),
				lt(table.caseStudy.lastReviewedAt, staleBefore(now)),
				or(
					isNull(table.caseStudy.reminderSentAt),
					lt(table.caseStudy.reminderSentAt, remindedBefore)
				)
			)
		)
		.all()
		.map((row) => row.id);
	const cases = outOfDateCases(db, now).filter((row) => due.includes(row.id));
	let queued = 0;
	db.transaction((tx) => {
		for (const row of cases) {
			const owners = tx
				.select({ email: table.user.email })
				.from(table.membership)
				.innerJoin(table.user, eq(table.user.id, table.membership.userId))
				.where(
					and(
						eq(table.membership.organisationId, row.organisationId),
						eq(table.membership.role, 'owner')
					)
				)
				.all();
			const params = {
				title: row.title,
				organisation: row.organisationName,
				date: row.lastReviewedAt.toISOString().slice(0, 10),
				link: `${options.origin}/cases/${row.slug}`
			};
			for (const owner of owners) {
				queueEmail(tx as unknown as Db, {
					to: owner.email,
					subject: m.cases_reminder_subject(params, { locale: 'en' }),
					body: m.cases_reminder_body(params, { locale: 'en' })
				});
				queued += 1;
			}
			tx.update(table.caseStudy)
				.set({ reminderSentAt: now })
				.where(eq(table.caseStudy.id, row.id))
				.run();
		}
	});
	return queued;
}
