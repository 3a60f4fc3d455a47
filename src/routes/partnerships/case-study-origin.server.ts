import { eq } from 'drizzle-orm';
import type { Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import * as partnerships from '$lib/server/partnerships';

/**
 * The partnership a case study was written up from (its `resultingCaseStudyId`), when the asker
 * may see that partnership; the replication trail's link back.
 */
export function partnershipOfCaseStudy(db: Db, actor: Actor, caseStudyId: string) {
	const row = db
		.select({ id: table.partnership.id })
		.from(table.partnership)
		.where(eq(table.partnership.resultingCaseStudyId, caseStudyId))
		.get();
	const found = row ? partnerships.getPartnership(db, actor, row.id) : null;
	return found ? { id: found.id, title: found.title } : null;
}
