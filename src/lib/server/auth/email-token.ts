import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { hashToken, randomToken } from '$lib/server/ids';
import { localizeHref } from '$lib/paraglide/runtime';

const HOUR = 60 * 60 * 1000;
/** How long an emailed link works. */
export const TOKEN_LIFETIME = { verify_email: 48 * HOUR, reset_password: 1 * HOUR } as const;

export type TokenPurpose = 'verify_email' | 'reset_password';

export function linkTo(origin: string, path: string, token: string): string {
	return `${origin}${localizeHref(path)}?token=${encodeURIComponent(token)}`;
}

/** Replaces the user's earlier tokens of this purpose with a new one; returns the secret. */
export function issueToken(
	db: Db,
	userId: string,
	address: string,
	purpose: TokenPurpose,
	now: Date
) {
	const token = randomToken();
	db.transaction((tx) => {
		tx.delete(table.emailToken)
			.where(and(eq(table.emailToken.userId, userId), eq(table.emailToken.purpose, purpose)))
			.run();
		tx.insert(table.emailToken)
			.values({
				id: hashToken(token),
				userId,
				purpose,
				email: address,
				expiresAt: new Date(now.getTime() + TOKEN_LIFETIME[purpose]),
				createdAt: now
			})
			.run();
	});
	return token;
}

/** A live token of this purpose, or null when unknown, used or expired. */
export function findLiveToken(db: Db, token: string, purpose: TokenPurpose, now: Date) {
	if (!token || token.length > 200) return null;
	return (
		db
			.select({
				id: table.emailToken.id,
				userId: table.emailToken.userId,
				email: table.emailToken.email
			})
			.from(table.emailToken)
			.where(
				and(
					eq(table.emailToken.id, hashToken(token)),
					eq(table.emailToken.purpose, purpose),
					gt(table.emailToken.expiresAt, now)
				)
			)
			.get() ?? null
	);
}
