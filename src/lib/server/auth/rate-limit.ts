import { eq, sql } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

/** Fixed-window limits; `config.rateLimitScale` multiplies every `max`. */
export const limits = {
	loginPerIp: { max: 20, windowMs: 15 * MINUTE },
	loginFailuresPerAccount: { max: 5, windowMs: 15 * MINUTE },
	registerPerIp: { max: 5, windowMs: HOUR },
	resetPerIp: { max: 5, windowMs: HOUR },
	resetPerEmail: { max: 3, windowMs: HOUR },
	verificationPerUser: { max: 3, windowMs: HOUR },
	/** /api/ and /feeds/ without a token: one request a second on average, bursts welcome. */
	apiAnonymousPerIp: { max: 600, windowMs: 10 * MINUTE },
	/** /api/ with a valid API token: ten times the anonymous allowance, per token. */
	apiPerToken: { max: 6000, windowMs: 10 * MINUTE }
} as const;

export type Limit = { max: number; windowMs: number };

export type RateLimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Where a key stands after `consume`, for RateLimit-* response headers. */
export type RateLimitUsage = { limit: number; remaining: number; resetSeconds: number };

function scaled(limit: Limit, scale: number): number {
	return Math.max(1, Math.floor(limit.max * scale));
}

function retryAfter(resetAt: Date, now: Date): number {
	return Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));
}

const PRUNE_EVERY = 500;
let sincePrune = 0;

/** Counts one attempt under `key` and says whether it is still within the limit. */
export function consume(
	db: Db,
	key: string,
	limit: Limit,
	scale = 1,
	now = new Date()
): RateLimitResult {
	const result = consumeWithUsage(db, key, limit, scale, now);
	return result.allowed
		? { allowed: true }
		: { allowed: false, retryAfterSeconds: result.retryAfterSeconds };
}

/** `consume`, also saying where the key stands (the API's RateLimit-* headers). */
export function consumeWithUsage(
	db: Db,
	key: string,
	limit: Limit,
	scale = 1,
	now = new Date()
): RateLimitResult & RateLimitUsage {
	sincePrune += 1;
	if (sincePrune >= PRUNE_EVERY) {
		sincePrune = 0;
		pruneExpired(db, now);
	}
	const fresh = new Date(now.getTime() + limit.windowMs);
	// One statement: a new or expired window starts at 1, a live one counts up.
	const row = db
		.insert(table.rateLimit)
		.values({ key, count: 1, resetAt: fresh })
		.onConflictDoUpdate({
			target: table.rateLimit.key,
			set: {
				count: sql`CASE WHEN ${table.rateLimit.resetAt} <= ${now.getTime()} THEN 1 ELSE ${table.rateLimit.count} + 1 END`,
				resetAt: sql`CASE WHEN ${table.rateLimit.resetAt} <= ${now.getTime()} THEN ${fresh.getTime()} ELSE ${table.rateLimit.resetAt} END`
			}
		})
		.returning({ count: table.rateLimit.count, resetAt: table.rateLimit.resetAt })
		.get();
	const max = scaled(limit, scale);
	const usage = {
		limit: max,
		remaining: Math.max(0, max - row.count),
		resetSeconds: retryAfter(row.resetAt, now)
	};
	if (row.count > max) return { allowed: false, retryAfterSeconds: usage.resetSeconds, ...usage };
	return { allowed: true, ...usage };
}

/** Says whether `key` is already over its limit, without counting an attempt. */
export function check(
	db: Db,
	key: string,
	limit: Limit,
	scale = 1,
	now = new Date()
): RateLimitResult {
	const row = db
		.select({ count: table.rateLimit.count, resetAt: table.rateLimit.resetAt })
		.from(table.rateLimit)
		.where(eq(table.rateLimit.key, key))
		.get();
	if (!row || row.resetAt.getTime() <= now.getTime()) return { allowed: true };
	if (row.count >= scaled(limit, scale)) {
		return { allowed: false, retryAfterSeconds: retryAfter(row.resetAt, now) };
	}
	return { allowed: true };
}

export function clear(db: Db, key: string): void {
	db.delete(table.rateLimit).where(eq(table.rateLimit.key, key)).run();
}

/** Drops windows that have ended, so the table does not grow without bound. */
export function pruneExpired(db: Db, now = new Date()): void {
	db.delete(table.rateLimit)
		.where(sql`${table.rateLimit.resetAt} <= ${now.getTime()}`)
		.run();
}
