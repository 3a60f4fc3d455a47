import { and, desc, eq, gte, lte, max } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { RuleError, type Executor } from '$lib/server/organisations';
import { snapshotFields, type CaseStudySnapshot } from './content';
import { diffSnapshots, type FieldDiff } from './diff';

export { diffLines, diffSnapshots, fieldText, type DiffLine, type FieldDiff } from './diff';

/** Stores the next revision of a case (call inside the transaction that saves the change). */
export function recordRevision(
	db: Executor,
	caseStudyId: string,
	authorId: string | null,
	snapshot: CaseStudySnapshot,
	now = new Date()
): number {
	const row = db
		.select({ revisionCount: table.caseStudy.revisionCount })
		.from(table.caseStudy)
		.where(eq(table.caseStudy.id, caseStudyId))
		.get();
	const number = (row?.revisionCount ?? 0) + 1;
	db.insert(table.caseStudyRevision)
		.values({ caseStudyId, number, authorId, snapshot, createdAt: now })
		.run();
	db.update(table.caseStudy)
		.set({ revisionCount: number })
		.where(eq(table.caseStudy.id, caseStudyId))
		.run();
	return number;
}

/**
 * The first revision the public may see: the one that was live when the case was first
 * published. Drafts written before it stay between the authors and the moderators.
 */
export function firstPublicRevision(db: Db, caseStudyId: string, publishedAt: Date): number {
	const row = db
		.select({ number: max(table.caseStudyRevision.number) })
		.from(table.caseStudyRevision)
		.where(
			and(
				eq(table.caseStudyRevision.caseStudyId, caseStudyId),
				lte(table.caseStudyRevision.createdAt, publishedAt)
			)
		)
		.get();
	return row?.number ?? 1;
}

/** The history of a case from revision `from` on, newest first: number, author's name and time. */
export function listRevisions(db: Db, caseStudyId: string, from = 1) {
	return db
		.select({
			number: table.caseStudyRevision.number,
			createdAt: table.caseStudyRevision.createdAt,
			authorName: table.user.name
		})
		.from(table.caseStudyRevision)
		.leftJoin(table.user, eq(table.user.id, table.caseStudyRevision.authorId))
		.where(
			and(
				eq(table.caseStudyRevision.caseStudyId, caseStudyId),
				gte(table.caseStudyRevision.number, from)
			)
		)
		.orderBy(desc(table.caseStudyRevision.number))
		.all();
}

/** One revision with its full snapshot, or a 404 rule error. */
export function getRevision(db: Db, caseStudyId: string, number: number) {
	const row = db
		.select({
			number: table.caseStudyRevision.number,
			createdAt: table.caseStudyRevision.createdAt,
			authorName: table.user.name,
			snapshot: table.caseStudyRevision.snapshot
		})
		.from(table.caseStudyRevision)
		.leftJoin(table.user, eq(table.user.id, table.caseStudyRevision.authorId))
		.where(
			and(
				eq(table.caseStudyRevision.caseStudyId, caseStudyId),
				eq(table.caseStudyRevision.number, number)
			)
		)
		.get();
	if (!row) throw new RuleError('revision_not_found', m.cases_revision_not_found(), 404);
	return { ...row, snapshot: row.snapshot as CaseStudySnapshot };
}

/** The fields that changed between two revisions of the same case, with line differences. */
export function compareRevisions(
	db: Db,
	caseStudyId: string,
	from: number,
	to: number
): { from: number; to: number; changes: FieldDiff[] } {
	const before = getRevision(db, caseStudyId, from);
	const after = getRevision(db, caseStudyId, to);
	return {
		from,
		to,
		changes: diffSnapshots(before.snapshot, after.snapshot, snapshotFields)
	};
}
