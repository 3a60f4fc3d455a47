import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { authorize, type Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { RuleError } from '$lib/server/organisations';
import { requireCase, wrongState } from './access';
import { resolveReport } from './reports';
import { feedbackInput } from './schema';
import { publish, reject } from './workflow';

/** The moderation queue's forms: ids from hidden fields, feedback typed by the moderator. */
const caseStudyId = z
	.string({ error: () => m.casemod_case_id_missing() })
	.trim()
	.min(1, { error: () => m.casemod_case_id_missing() })
	.max(64, { error: () => m.casemod_case_id_missing() });

export const publishCaseInput = z.object({ caseStudyId });
export const rejectCaseInput = z.object({ caseStudyId, feedback: feedbackInput });
export const resolveReportInput = z.object({
	reportId: z
		.string({ error: () => m.casemod_report_not_found() })
		.trim()
		.min(1, { error: () => m.casemod_report_not_found() })
		.max(64, { error: () => m.casemod_report_not_found() })
});

/**
 * A moderator publishes a case from the review queue. Only a case still waiting for review: one
 * its authors withdrew to draft meanwhile is not published behind their back.
 */
export function publishSubmitted(db: Db, actor: Actor, caseStudyId: string): { slug: string } {
	authorize(actor, 'case_study:moderate');
	const row = requireCase(db, caseStudyId);
	if (row.workflowState !== 'submitted') throw wrongState(row.workflowState);
	publish(db, actor, caseStudyId);
	return { slug: row.slug };
}

/** A moderator sends a case in the queue back to its authors with feedback (emailed to them). */
export function rejectSubmitted(
	db: Db,
	actor: Actor,
	input: z.output<typeof rejectCaseInput>,
	options: { origin: string }
): { slug: string } {
	authorize(actor, 'case_study:moderate');
	const row = requireCase(db, input.caseStudyId);
	reject(db, actor, input.caseStudyId, input.feedback, options);
	return { slug: row.slug };
}

/** A moderator closes an open report; an unknown or closed one gets its own message. */
export function resolveOpenReport(db: Db, actor: Actor, reportId: string): void {
	authorize(actor, 'case_study:moderate');
	const report = db
		.select({ status: table.caseStudyReport.status })
		.from(table.caseStudyReport)
		.where(eq(table.caseStudyReport.id, reportId))
		.get();
	if (!report) throw new RuleError('not_found', m.casemod_report_not_found(), 404);
	if (report.status !== 'open') {
		throw new RuleError('already_resolved', m.casemod_report_already_resolved(), 409);
	}
	resolveReport(db, actor, reportId);
}
