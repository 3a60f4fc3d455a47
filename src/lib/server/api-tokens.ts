/**
 * API tokens: an organisation's own software calls the write endpoints with
 * `Authorization: Bearer cbt_…`. Like sessions, only the token's SHA-256 is stored, so a copy of
 * the database lets nobody call the API. A token acts for its organisation through the
 * membership of the owner who issued it: it stops working when that person leaves.
 */
import { and, count, desc, eq, gt, isNull, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import * as audit from '$lib/server/audit';
import { can, type Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { hashToken, randomId, randomToken } from '$lib/server/ids';
import { parseIsoDate } from '$lib/server/needs-offers/schema';
import { RuleError, roleOf } from '$lib/server/organisations';

export const TOKEN_PREFIX = 'cbt_';
export const NAME_MAX = 80;
/** Enough for one token per integration and environment; revoked and expired ones do not count. */
export const LIVE_TOKENS_MAX = 20;
export const EXPIRY_MAX_YEARS = 2;
/** `lastUsedAt` is written at most this often, so a busy integration does not write per request. */
export const LAST_USED_PRECISION_MS = 60 * 1000;
/** The characters shown in lists to tell tokens apart: `cbt_` and 8 of its 32 random ones. */
const SHOWN_LENGTH = TOKEN_PREFIX.length + 8;
const DAY_MS = 24 * 60 * 60 * 1000;
const tokenShape = /^cbt_[a-z2-7]{32,64}$/;

const startOfDay = (now: Date) => new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);

function latestExpiry(now: Date): Date {
	const limit = startOfDay(now);
	limit.setUTCFullYear(limit.getUTCFullYear() + EXPIRY_MAX_YEARS);
	return limit;
}

/**
 * The create form: a name to recognise the token by and an optional expiry day (the token stops
 * working at the start of that day, UTC).
 */
export function tokenInput(now = new Date()) {
	return z.object({
		name: z
			.string({ error: () => m.apitokens_name_required() })
			.trim()
			.min(1, { error: () => m.apitokens_name_required() })
			.max(NAME_MAX, { error: () => m.apitokens_name_too_long({ max: NAME_MAX }) }),
		expiresOn: z
			.string({ error: () => m.apitokens_expiry_invalid() })
			.trim()
			.nullish()
			.transform((value, context) => {
				if (!value) return null;
				const day = parseIsoDate(value);
				if (!day) {
					context.addIssue({ code: 'custom', message: m.apitokens_expiry_invalid() });
					return z.NEVER;
				}
				if (day <= startOfDay(now)) {
					context.addIssue({ code: 'custom', message: m.apitokens_expiry_past() });
					return z.NEVER;
				}
				if (day > latestExpiry(now)) {
					context.addIssue({
						code: 'custom',
						message: m.apitokens_expiry_too_far({ years: EXPIRY_MAX_YEARS })
					});
					return z.NEVER;
				}
				return day;
			})
	});
}
export type TokenInput = z.output<ReturnType<typeof tokenInput>>;

/** Throws a 403 RuleError unless the actor owns the organisation. */
function authorizeManage(db: Db, actor: Actor, organisationId: string) {
	const organisationRole = roleOf(db, organisationId, actor?.id);
	if (!can(actor, 'api_token:manage', { organisationRole })) {
		throw new RuleError('not_owner', m.apitokens_owner_only(), 403);
	}
}

const isLive = (now: Date) =>
	and(
		isNull(table.apiToken.revokedAt),
		or(isNull(table.apiToken.expiresAt), gt(table.apiToken.expiresAt, now))
	);

/**
 * Issues a token for the organisation. The returned `token` is the only copy: it is shown once
 * and only its hash is kept.
 */
export function issue(
	db: Db,
	actor: Actor,
	organisationId: string,
	input: TokenInput,
	now = new Date()
): { id: string; token: string; prefix: string; name: string; expiresAt: Date | null } {
	authorizeManage(db, actor, organisationId);
	const token = TOKEN_PREFIX + randomToken();
	const prefix = token.slice(0, SHOWN_LENGTH);
	const id = randomId();
	db.transaction((tx) => {
		const live =
			tx
				.select({ count: count() })
				.from(table.apiToken)
				.where(and(eq(table.apiToken.organisationId, organisationId), isLive(now)))
				.get()?.count ?? 0;
		if (live >= LIVE_TOKENS_MAX) {
			throw new RuleError('too_many_tokens', m.apitokens_too_many({ max: LIVE_TOKENS_MAX }), 409);
		}
		tx.insert(table.apiToken)
			.values({
				id,
				organisationId,
				name: input.name,
				prefix,
				tokenHash: hashToken(token),
				createdBy: actor!.id,
				createdAt: now,
				expiresAt: input.expiresOn
			})
			.run();
		audit.record(tx, {
			actorId: actor!.id,
			action: 'api_token.issued',
			subjectType: 'organisation',
			subjectId: organisationId,
			detail: { tokenId: id, name: input.name, prefix }
		});
	});
	return { id, token, prefix, name: input.name, expiresAt: input.expiresOn };
}

export type TokenState = 'active' | 'expired' | 'revoked';

/** The organisation's tokens, newest first, for its owners: never the token or its hash. */
export function list(db: Db, actor: Actor, organisationId: string, now = new Date()) {
	authorizeManage(db, actor, organisationId);
	const creator = alias(table.user, 'creator');
	const revoker = alias(table.user, 'revoker');
	return db
		.select({
			id: table.apiToken.id,
			name: table.apiToken.name,
			prefix: table.apiToken.prefix,
			createdByName: creator.name,
			createdAt: table.apiToken.createdAt,
			lastUsedAt: table.apiToken.lastUsedAt,
			expiresAt: table.apiToken.expiresAt,
			revokedAt: table.apiToken.revokedAt,
			revokedByName: revoker.name
		})
		.from(table.apiToken)
		.leftJoin(creator, eq(creator.id, table.apiToken.createdBy))
		.leftJoin(revoker, eq(revoker.id, table.apiToken.revokedBy))
		.where(eq(table.apiToken.organisationId, organisationId))
		.orderBy(desc(table.apiToken.createdAt), desc(table.apiToken.id))
		.all()
		.map((row) => ({ ...row, state: stateOf(row, now) }));
}
export type TokenListItem = ReturnType<typeof list>[number];

export function stateOf(
	row: { revokedAt: Date | null; expiresAt: Date | null },
	now = new Date()
): TokenState {
	if (row.revokedAt) return 'revoked';
	if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return 'expired';
	return 'active';
}

/**
 * Revokes one of the organisation's tokens. Revoking a revoked token changes nothing (the first
 * revocation's time and author stay); another organisation's token id is "not found".
 */
export function revoke(
	db: Db,
	actor: Actor,
	organisationId: string,
	tokenId: string,
	now = new Date()
): void {
	authorizeManage(db, actor, organisationId);
	const row = db
		.select({
			id: table.apiToken.id,
			name: table.apiToken.name,
			prefix: table.apiToken.prefix,
			revokedAt: table.apiToken.revokedAt
		})
		.from(table.apiToken)
		.where(and(eq(table.apiToken.id, tokenId), eq(table.apiToken.organisationId, organisationId)))
		.get();
	if (!row) throw new RuleError('not_found', m.apitokens_not_found(), 404);
	if (row.revokedAt) return;
	db.transaction((tx) => {
		tx.update(table.apiToken)
			.set({ revokedAt: now, revokedBy: actor!.id })
			.where(and(eq(table.apiToken.id, tokenId), isNull(table.apiToken.revokedAt)))
			.run();
		audit.record(tx, {
			actorId: actor!.id,
			action: 'api_token.revoked',
			subjectType: 'organisation',
			subjectId: organisationId,
			detail: { tokenId, name: row.name, prefix: row.prefix }
		});
	});
}

/** What a valid token lets a request do: act for `organisationId` as `actor`. */
export type TokenAuthentication = {
	tokenId: string;
	organisationId: string;
	/** The issuing owner, with no site role: a token never carries moderator or admin rights. */
	actor: NonNullable<Actor>;
};

/** The token in an `Authorization: Bearer …` header, or null for any other header. */
export function bearerToken(header: string | null | undefined): string | null {
	const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header ?? '');
	return match ? match[1] : null;
}

/**
 * Checks an Authorization header. Null for a malformed, unknown, revoked or expired token, and
 * for one whose issuer is no longer a member of the organisation. The token is found by its hash
 * (an index lookup), so no secret is ever compared character by character.
 */
export function authenticate(
	db: Db,
	authorizationHeader: string | null | undefined,
	now = new Date()
): TokenAuthentication | null {
	const token = bearerToken(authorizationHeader);
	if (!token || !tokenShape.test(token)) return null;
	const row = db
		.select({
			id: table.apiToken.id,
			organisationId: table.apiToken.organisationId,
			createdBy: table.apiToken.createdBy,
			lastUsedAt: table.apiToken.lastUsedAt,
			expiresAt: table.apiToken.expiresAt,
			revokedAt: table.apiToken.revokedAt,
			role: table.membership.role
		})
		.from(table.apiToken)
		.leftJoin(
			table.membership,
			and(
				eq(table.membership.organisationId, table.apiToken.organisationId),
				eq(table.membership.userId, table.apiToken.createdBy)
			)
		)
		.where(eq(table.apiToken.tokenHash, hashToken(token)))
		.get();
	if (!row || !row.createdBy || !row.role || stateOf(row, now) !== 'active') return null;
	if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS) {
		db.update(table.apiToken).set({ lastUsedAt: now }).where(eq(table.apiToken.id, row.id)).run();
	}
	return {
		tokenId: row.id,
		organisationId: row.organisationId,
		actor: { id: row.createdBy, siteRole: 'member' }
	};
}
