import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';

export type AuditEntry = {
	actorId: string | null;
	action: string;
	subjectType: string;
	subjectId: string;
	detail?: Record<string, unknown> | null;
};

/** Writes one audit row; call it inside the transaction of the change it describes. */
export function record(db: Pick<Db, 'insert'>, entry: AuditEntry): void {
	db.insert(table.auditLog)
		.values({
			actorId: entry.actorId,
			action: entry.action,
			subjectType: entry.subjectType,
			subjectId: entry.subjectId,
			detail: entry.detail ?? null
		})
		.run();
}

/** The newest audit rows with the actor's name and the organisation concerned, for moderators. */
export function recentEntries(db: Db, limit = 50) {
	return db
		.select({
			id: table.auditLog.id,
			action: table.auditLog.action,
			subjectType: table.auditLog.subjectType,
			subjectId: table.auditLog.subjectId,
			detail: table.auditLog.detail,
			createdAt: table.auditLog.createdAt,
			actorName: table.user.name,
			organisationName: table.organisation.name,
			organisationSlug: table.organisation.slug
		})
		.from(table.auditLog)
		.leftJoin(table.user, eq(table.auditLog.actorId, table.user.id))
		.leftJoin(
			table.organisation,
			and(
				eq(table.auditLog.subjectType, 'organisation'),
				eq(table.auditLog.subjectId, table.organisation.id)
			)
		)
		.orderBy(desc(table.auditLog.createdAt), desc(table.auditLog.id))
		.limit(limit)
		.all();
}

/** Audit rows about one record, oldest first. */
export function entriesFor(db: Db, subjectType: string, subjectId: string) {
	return db
		.select({
			action: table.auditLog.action,
			actorId: table.auditLog.actorId,
			detail: table.auditLog.detail,
			createdAt: table.auditLog.createdAt
		})
		.from(table.auditLog)
		.where(
			and(eq(table.auditLog.subjectType, subjectType), eq(table.auditLog.subjectId, subjectId))
		)
		.orderBy(asc(table.auditLog.id))
		.all();
}
