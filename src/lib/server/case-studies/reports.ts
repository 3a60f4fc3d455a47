import { desc, eq } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { authorize, type Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { randomId } from '$lib/server/ids';
import { RuleError } from '$lib/server/organisations';
import { caseById } from './access';
import type { ReportInput } from './schema';

/**
 * Anyone, signed in or not, reports a problem with a case they can see. Callers pass only
 * visible case ids (the case page), and rate-limit anonymous reporters.
 */
export function reportProblem(
	db: Db,
	reporterId: string | null,
	caseStudyId: string,
	input: ReportInput
): string {
	if (!caseById(db, caseStudyId)) throw new RuleError('not_found', m.cases_not_found(), 404);
	const id = randomId();
	db.insert(table.caseStudyReport)
		.values({
			id,
			caseStudyId,
			reporterId,
			reporterEmail: input.email,
			reason: input.reason,
			message: input.message
		})
		.run();
	return id;
}

/** Open reports, oldest first, for the moderation page. */
export function openReports(db: Db, actor: Actor) {
	authorize(actor, 'case_study:moderate');
	return db
		.select({
			id: table.caseStudyReport.id,
			reason: table.caseStudyReport.reason,
			message: table.caseStudyReport.message,
			reporterEmail: table.caseStudyReport.reporterEmail,
			reporterName: table.user.name,
			createdAt: table.caseStudyReport.createdAt,
			caseSlug: table.caseStudy.slug,
			caseTitle: table.caseStudy.title
		})
		.from(table.caseStudyReport)
		.innerJoin(table.caseStudy, eq(table.caseStudy.id, table.caseStudyReport.caseStudyId))
		.leftJoin(table.user, eq(table.user.id, table.caseStudyReport.reporterId))
		.where(eq(table.caseStudyReport.status, 'open'))
		.orderBy(table.caseStudyReport.createdAt)
		.all();
}

/** Recently resolved reports, newest first. */
export function resolvedReports(db: Db, actor: Actor, limit = 20) {
	authorize(actor, 'case_study:moderate');
	return db
		.select({
			id: table.caseStudyReport.id,
			reason: table.caseStudyReport.reason,
			caseSlug: table.caseStudy.slug,
			caseTitle: table.caseStudy.title,
			resolvedAt: table.caseStudyReport.resolvedAt
		})
		.from(table.caseStudyReport)
		.innerJoin(table.caseStudy, eq(table.caseStudy.id, table.caseStudyReport.caseStudyId))
		.where(eq(table.caseStudyReport.status, 'resolved'))
		.orderBy(desc(table.caseStudyReport.resolvedAt))
		.limit(limit)
		.all();
}

export function resolveReport(db: Db, actor: Actor, reportId: string, now = new Date()): void {
	authorize(actor, 'case_study:moderate');
	const changed = db
		.update(table.caseStudyReport)
		.set({ status: 'resolved', resolvedBy: actor.id, resolvedAt: now })
		.where(eq(table.caseStudyReport.id, reportId))
		.run().changes;
	if (changed === 0) throw new RuleError('not_found', m.cases_not_found(), 404);
}

export function reportReasonLabel(reason: (typeof table.reportReasons)[number]): string {
	const labels = {
		inaccurate: m.cases_report_inaccurate,
		outdated: m.cases_report_outdated,
		copyright: m.cases_report_copyright,
		offensive: m.cases_report_offensive,
		spam: m.cases_report_spam,
		other: m.cases_report_other
	};
	return labels[reason]();
}
