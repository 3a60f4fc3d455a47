import { and, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import * as notifications from '$lib/server/notifications';
import type { PartnershipStatus } from '$lib/vocab/matchmaking';

/** No dated update or status change for this long marks an open partnership stale. */
export const STALE_AFTER_MONTHS = 6;
/** The parties of a stale partnership are reminded again at most this often. */
export const STALE_REMINDER_INTERVAL_DAYS = 30;

/** Finished partnerships are never stale. */
export const openStatuses = ['proposed', 'agreed', 'active'] as const satisfies PartnershipStatus[];

export function staleBefore(now = new Date()): Date {
	const cutoff = new Date(now);
	cutoff.setUTCMonth(cutoff.getUTCMonth() - STALE_AFTER_MONTHS);
	return cutoff;
}

/**
 * True when nothing happened for STALE_AFTER_MONTHS. Give the status to leave completed and
 * discontinued partnerships out (they are never stale).
 */
export function isStale(lastActivityAt: Date, now = new Date(), status?: PartnershipStatus) {
	if (status && !(openStatuses as readonly string[]).includes(status)) return false;
	return lastActivityAt.getTime() < staleBefore(now).getTime();
}

/**
 * Reminds the members of every party of each stale partnership (in the app and by email), at
 * most once every STALE_REMINDER_INTERVAL_DAYS; any activity starts the count again. Meant for
 * a daily cron job (`npm run partnerships:remind`). Returns how many partnerships were reminded
 * and how many people were notified.
 */
export function sendStaleReminders(
	db: Db,
	options: { origin?: string; now?: Date } = {}
): { partnerships: number; notified: number } {
	const now = options.now ?? new Date();
	const remindedBefore = new Date(now.getTime() - STALE_REMINDER_INTERVAL_DAYS * 86_400_000);
	return db.transaction((tx) => {
		const due = tx
			.select({ id: table.partnership.id, title: table.partnership.title })
			.from(table.partnership)
			.where(
				and(
					inArray(table.partnership.status, [...openStatuses]),
					lt(table.partnership.lastActivityAt, staleBefore(now)),
					or(
						isNull(table.partnership.staleReminderSentAt),
						lt(table.partnership.staleReminderSentAt, remindedBefore)
					)
				)
			)
			.orderBy(table.partnership.lastActivityAt)
			.all();
		let notified = 0;
		for (const partnership of due) {
			const parties = tx
				.select({ organisationId: table.partnershipParty.organisationId })
				.from(table.partnershipParty)
				.where(eq(table.partnershipParty.partnershipId, partnership.id))
				.orderBy(table.partnershipParty.position)
				.all();
			for (const party of parties) {
				notified += notifications.notifyOrganisation(
					tx,
					party.organisationId,
					{
						kind: 'partnership_stale',
						params: { title: partnership.title },
						path: `/partnerships/${partnership.id}`
					},
					{ origin: options.origin }
				);
			}
			tx.update(table.partnership)
				.set({ staleReminderSentAt: now })
				.where(eq(table.partnership.id, partnership.id))
				.run();
		}
		return { partnerships: due.length, notified };
	});
}
