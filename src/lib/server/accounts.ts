import { and, count, eq, ne } from 'drizzle-orm';
import type { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { localizeHref } from '$lib/paraglide/runtime';
import type { Config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import * as email from '$lib/server/email';
import { randomId } from '$lib/server/ids';
import type { SiteRole } from '$lib/server/auth/policy';
import * as passwords from '$lib/server/auth/password';
import * as rateLimit from '$lib/server/auth/rate-limit';
import * as sessions from '$lib/server/auth/session';
import {
	NAME_MAX_LENGTH,
	emailSchema,
	passwordProblemMessage,
	type registerSchema
} from '$lib/server/auth/account-schemas';
import { findLiveToken, issueToken, linkTo } from '$lib/server/auth/email-token';

export * from '$lib/server/auth/account-schemas';
export { TOKEN_LIFETIME } from '$lib/server/auth/email-token';

// ---------------------------------------------------------------- users

export type Account = {
	id: string;
	email: string;
	name: string;
	siteRole: SiteRole;
	emailVerifiedAt: Date | null;
	createdAt: Date;
};

const accountColumns = {
	id: table.user.id,
	email: table.user.email,
	name: table.user.name,
	siteRole: table.user.siteRole,
	emailVerifiedAt: table.user.emailVerifiedAt,
	createdAt: table.user.createdAt
};

export class EmailTakenError extends Error {
	constructor(readonly email: string) {
		super(`An account with the email ${email} already exists.`);
		this.name = 'EmailTakenError';
	}
}

export function normaliseEmail(address: string): string {
	return address.trim().toLowerCase();
}

export function findAccountByEmail(db: Db, address: string): Account | null {
	return (
		db
			.select(accountColumns)
			.from(table.user)
			.where(eq(table.user.email, normaliseEmail(address)))
			.get() ?? null
	);
}

export function getAccount(db: Db, userId: string): Account | null {
	return db.select(accountColumns).from(table.user).where(eq(table.user.id, userId)).get() ?? null;
}

export type NewUser = {
	name: string;
	email: string;
	siteRole?: SiteRole;
	/** Marks the address as confirmed (demo users, the first admin). */
	emailVerified?: boolean;
} & (
	| { /** Hashed here with argon2id (about 50 ms). */ password: string; passwordHash?: never }
	| {
			/** Fast path for seeding many users: a hash from `passwords.hashPassword`, reused. */
			passwordHash: string;
			password?: never;
	  }
);

/**
 * Creates a user. Pass `password` to have it hashed, or `passwordHash` (from
 * `hashPassword` in `$lib/server/auth/password`) to skip hashing, e.g. when seeding many demo users
 * with one known password. Password rules are NOT checked here: callers taking user input validate
 * first (`registerSchema`, `passwordProblem`). Throws `EmailTakenError` if the address is in use.
 * Given `passwordHash` it awaits nothing, so it can run inside a caller's transaction.
 */
export async function createUser(db: Db, input: NewUser): Promise<Account> {
	const passwordHash = input.passwordHash ?? (await passwords.hashPassword(input.password!));
	const address = normaliseEmail(input.email);
	if (findAccountByEmail(db, address)) throw new EmailTakenError(address);
	const now = new Date();
	const row = db
		.insert(table.user)
		.values({
			id: randomId(),
			email: address,
			name: input.name.trim(),
			passwordHash,
			siteRole: input.siteRole ?? 'member',
			emailVerifiedAt: input.emailVerified ? now : null,
			createdAt: now
		})
		.returning(accountColumns)
		.get();
	return row;
}

export function setSiteRole(db: Db, userId: string, siteRole: SiteRole): void {
	const result = db.update(table.user).set({ siteRole }).where(eq(table.user.id, userId)).run();
	if (result.changes === 0) throw new Error(`No user with id ${userId}.`);
}

export function adminCount(db: Db): number {
	return (
		db.select({ n: count() }).from(table.user).where(eq(table.user.siteRole, 'admin')).get()?.n ?? 0
	);
}

function queueVerificationEmail(
	db: Db,
	account: Pick<Account, 'id' | 'email' | 'name'>,
	origin: string,
	now: Date
) {
	const token = issueToken(db, account.id, account.email, 'verify_email', now);
	email.queueEmail(db, {
		to: account.email,
		subject: m.auth_email_verify_subject(),
		body: m.auth_email_verify_body({
			name: account.name,
			link: linkTo(origin, '/verify-email', token)
		})
	});
}

// ---------------------------------------------------------------- flows

export type RequestContext = {
	/** The client address, from `event.getClientAddress()`. */
	ip: string;
	config: Pick<Config, 'origin' | 'rateLimitScale'>;
	now?: Date;
};

export type RateLimited = { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

function limited(result: rateLimit.RateLimitResult): RateLimited | null {
	return result.allowed
		? null
		: { ok: false, reason: 'rate_limited', retryAfterSeconds: result.retryAfterSeconds };
}

/**
 * Registers an account and emails a verification link. When the address is already registered
 * the answer is the same and the owner is emailed instead, so the form reveals no accounts.
 */
export async function register(
	db: Db,
	input: z.output<typeof registerSchema>,
	context: RequestContext
): Promise<{ ok: true } | RateLimited> {
	const now = context.now ?? new Date();
	const scale = context.config.rateLimitScale;
	const blocked = limited(
		rateLimit.consume(db, `register:ip:${context.ip}`, rateLimit.limits.registerPerIp, scale, now)
	);
	if (blocked) return blocked;
	// Hash first in both branches, so both take the same time.
	const passwordHash = await passwords.hashPassword(input.password);
	const existing = findAccountByEmail(db, input.email);
	if (existing) {
		email.queueEmail(db, {
			to: existing.email,
			subject: m.auth_email_existing_subject(),
			body: m.auth_email_existing_body({
				name: existing.name,
				loginLink: `${context.config.origin}${localizeHref('/login')}`,
				resetLink: `${context.config.origin}${localizeHref('/forgot-password')}`
			})
		});
		return { ok: true };
	}
	try {
		const account = await createUser(db, { name: input.name, email: input.email, passwordHash });
		queueVerificationEmail(db, account, context.config.origin, now);
	} catch (error) {
		// Two registrations racing for one address: the loser is answered like any other duplicate.
		if (!(error instanceof EmailTakenError)) throw error;
	}
	return { ok: true };
}

export type LoginResult =
	{ ok: true; userId: string } | { ok: false; reason: 'invalid_credentials' } | RateLimited;

/**
 * Checks an email and password. Unknown addresses are checked against a dummy hash so both
 * failures take as long and read the same. Limits attempts per IP and failures per account.
 */
export async function authenticate(
	db: Db,
	input: { email: string; password: string },
	context: RequestContext
): Promise<LoginResult> {
	const now = context.now ?? new Date();
	const scale = context.config.rateLimitScale;
	const address = normaliseEmail(input.email);
	const accountKey = `login:account:${address}`;
	const blocked =
		limited(
			rateLimit.consume(db, `login:ip:${context.ip}`, rateLimit.limits.loginPerIp, scale, now)
		) ??
		limited(rateLimit.check(db, accountKey, rateLimit.limits.loginFailuresPerAccount, scale, now));
	if (blocked) return blocked;
	const row = db
		.select({ id: table.user.id, passwordHash: table.user.passwordHash })
		.from(table.user)
		.where(eq(table.user.email, address))
		.get();
	const valid = row
		? await passwords.verifyPassword(row.passwordHash, input.password)
		: await passwords.verifyAgainstDummy(input.password);
	if (!row || !valid) {
		rateLimit.consume(db, accountKey, rateLimit.limits.loginFailuresPerAccount, scale, now);
		return { ok: false, reason: 'invalid_credentials' };
	}
	rateLimit.clear(db, accountKey);
	return { ok: true, userId: row.id };
}

/** A brand-new session for a user who just proved who they are; never reuses a token. */
export function startSession(db: Db, userId: string, now = new Date()) {
	const token = sessions.generateSessionToken();
	const session = sessions.createSession(db, token, userId, now);
	return { token, session };
}

export type ChangePasswordResult =
	| { ok: true }
	| { ok: false; reason: 'wrong_password' | 'weak_password'; message: string }
	| RateLimited;

/**
 * Changes the password of a signed-in user, ends every other session and voids any reset link.
 */
export async function changePassword(
	db: Db,
	userId: string,
	currentSessionId: string,
	input: { currentPassword: string; newPassword: string },
	context: RequestContext
): Promise<ChangePasswordResult> {
	const now = context.now ?? new Date();
	const scale = context.config.rateLimitScale;
	const row = db
		.select({
			email: table.user.email,
			name: table.user.name,
			passwordHash: table.user.passwordHash
		})
		.from(table.user)
		.where(eq(table.user.id, userId))
		.get();
	if (!row) throw new Error(`No user with id ${userId}.`);
	const accountKey = `login:account:${row.email}`;
	const blocked = limited(
		rateLimit.check(db, accountKey, rateLimit.limits.loginFailuresPerAccount, scale, now)
	);
	if (blocked) return blocked;
	if (!(await passwords.verifyPassword(row.passwordHash, input.currentPassword))) {
		rateLimit.consume(db, accountKey, rateLimit.limits.loginFailuresPerAccount, scale, now);
		return { ok: false, reason: 'wrong_password', message: m.auth_current_password_wrong() };
	}
	const problem = passwords.passwordProblem(input.newPassword, row);
	if (problem) {
		return { ok: false, reason: 'weak_password', message: passwordProblemMessage(problem) };
	}
	const passwordHash = await passwords.hashPassword(input.newPassword);
	db.transaction((tx) => {
		tx.update(table.user).set({ passwordHash }).where(eq(table.user.id, userId)).run();
		tx.delete(table.emailToken)
			.where(
				and(eq(table.emailToken.userId, userId), eq(table.emailToken.purpose, 'reset_password'))
			)
			.run();
		tx.delete(table.session)
			.where(and(eq(table.session.userId, userId), ne(table.session.id, currentSessionId)))
			.run();
	});
	return { ok: true };
}

/** Ends every session of the user except the current one. */
export function signOutOtherSessions(db: Db, userId: string, currentSessionId: string): void {
	sessions.invalidateOtherSessions(db, userId, currentSessionId);
}

/**
 * Emails a one-hour reset link if the address has an account. The answer never says whether it
 * does; only the rate limits (per IP and per address, whether registered or not) can refuse.
 */
export function requestPasswordReset(
	db: Db,
	address: string,
	context: RequestContext
): { ok: true } | RateLimited {
	const now = context.now ?? new Date();
	const scale = context.config.rateLimitScale;
	const normalised = normaliseEmail(address);
	const blocked =
		limited(
			rateLimit.consume(db, `reset:ip:${context.ip}`, rateLimit.limits.resetPerIp, scale, now)
		) ??
		limited(
			rateLimit.consume(db, `reset:email:${normalised}`, rateLimit.limits.resetPerEmail, scale, now)
		);
	if (blocked) return blocked;
	const account = findAccountByEmail(db, normalised);
	if (account) {
		const token = issueToken(db, account.id, account.email, 'reset_password', now);
		email.queueEmail(db, {
			to: account.email,
			subject: m.auth_email_reset_subject(),
			body: m.auth_email_reset_body({
				name: account.name,
				link: linkTo(context.config.origin, '/reset-password', token)
			})
		});
	}
	return { ok: true };
}

/** Whether a reset link still works, so the page can say so before the user types a password. */
export function isResetTokenValid(db: Db, token: string, now = new Date()): boolean {
	return findLiveToken(db, token, 'reset_password', now) !== null;
}

export type ResetPasswordResult =
	| { ok: true; userId: string }
	| { ok: false; reason: 'invalid_token' }
	| { ok: false; reason: 'weak_password'; message: string };

/**
 * Sets a new password from an emailed link. The link works once; every session of the user
 * ends, and the address counts as confirmed since the mail reached its owner.
 */
export async function resetPassword(
	db: Db,
	token: string,
	newPassword: string,
	now = new Date()
): Promise<ResetPasswordResult> {
	const found = findLiveToken(db, token, 'reset_password', now);
	if (!found) return { ok: false, reason: 'invalid_token' };
	const account = getAccount(db, found.userId);
	if (!account || account.email !== found.email) return { ok: false, reason: 'invalid_token' };
	const problem = passwords.passwordProblem(newPassword, account);
	if (problem) {
		return { ok: false, reason: 'weak_password', message: passwordProblemMessage(problem) };
	}
	const passwordHash = await passwords.hashPassword(newPassword);
	const used = db.transaction((tx) => {
		// Deleting the row is what makes the link single-use, even if two requests race.
		const deleted = tx.delete(table.emailToken).where(eq(table.emailToken.id, found.id)).run();
		if (deleted.changes === 0) return false;
		tx.update(table.user)
			.set({ passwordHash, emailVerifiedAt: account.emailVerifiedAt ?? now })
			.where(eq(table.user.id, account.id))
			.run();
		tx.delete(table.emailToken)
			.where(
				and(eq(table.emailToken.userId, account.id), eq(table.emailToken.purpose, 'reset_password'))
			)
			.run();
		tx.delete(table.session).where(eq(table.session.userId, account.id)).run();
		return true;
	});
	return used ? { ok: true, userId: account.id } : { ok: false, reason: 'invalid_token' };
}

/** Confirms an address from the emailed link (single use, 48 hours). */
export function verifyEmail(
	db: Db,
	token: string,
	now = new Date()
): { ok: true; userId: string } | { ok: false } {
	const found = findLiveToken(db, token, 'verify_email', now);
	if (!found) return { ok: false };
	return db.transaction((tx) => {
		const deleted = tx.delete(table.emailToken).where(eq(table.emailToken.id, found.id)).run();
		if (deleted.changes === 0) return { ok: false as const };
		// A link sent to an address the user has since changed confirms nothing.
		const updated = tx
			.update(table.user)
			.set({ emailVerifiedAt: now })
			.where(and(eq(table.user.id, found.userId), eq(table.user.email, found.email)))
			.run();
		return updated.changes === 1
			? { ok: true as const, userId: found.userId }
			: { ok: false as const };
	});
}

/** Sends a fresh verification link (the "resend" button), at most a few per hour. */
export function resendVerificationEmail(
	db: Db,
	userId: string,
	context: RequestContext
): { ok: true } | { ok: false; reason: 'already_verified' } | RateLimited {
	const now = context.now ?? new Date();
	const account = getAccount(db, userId);
	if (!account) throw new Error(`No user with id ${userId}.`);
	if (account.emailVerifiedAt) return { ok: false, reason: 'already_verified' };
	const blocked = limited(
		rateLimit.consume(
			db,
			`verify:user:${userId}`,
			rateLimit.limits.verificationPerUser,
			context.config.rateLimitScale,
			now
		)
	);
	if (blocked) return blocked;
	queueVerificationEmail(db, account, context.config.origin, now);
	return { ok: true };
}

// ---------------------------------------------------------------- administrators

export type AdminResult =
	| { ok: true; action: 'created' | 'promoted' | 'unchanged'; userId: string }
	| { ok: false; message: string };

/**
 * Creates an administrator, or promotes the existing account with that email (whose password
 * then stays as it is). A new admin's password must pass the usual rules.
 */
export async function createOrPromoteAdmin(
	db: Db,
	input: { email: string; name?: string | null; password?: string | null }
): Promise<AdminResult> {
	const parsedEmail = emailSchema.safeParse(input.email);
	if (!parsedEmail.success)
		return { ok: false, message: `"${input.email}" is not a valid email address.` };
	const address = parsedEmail.data;
	const existing = findAccountByEmail(db, address);
	if (existing) {
		if (existing.siteRole === 'admin')
			return { ok: true, action: 'unchanged', userId: existing.id };
		setSiteRole(db, existing.id, 'admin');
		return { ok: true, action: 'promoted', userId: existing.id };
	}
	const name = (input.name ?? '').trim() || 'Administrator';
	if (name.length > NAME_MAX_LENGTH) {
		return { ok: false, message: `The name must be at most ${NAME_MAX_LENGTH} characters.` };
	}
	if (!input.password) return { ok: false, message: 'A password is required to create an admin.' };
	const problem = passwords.passwordProblem(input.password, { email: address, name });
	if (problem) {
		const why = {
			too_short: `shorter than ${passwords.PASSWORD_MIN_LENGTH} characters`,
			too_long: `longer than ${passwords.PASSWORD_MAX_LENGTH} characters`,
			common: 'one of the most common passwords',
			matches_identity: 'the same as the email address or name'
		}[problem];
		return { ok: false, message: `The admin password was refused: it is ${why}.` };
	}
	const account = await createUser(db, {
		name,
		email: address,
		password: input.password,
		siteRole: 'admin',
		emailVerified: true
	});
	return { ok: true, action: 'created', userId: account.id };
}

/**
 * At server start: when there is no admin yet and ADMIN_EMAIL/ADMIN_PASSWORD are set, creates
 * (or promotes) that admin. There is never a default password.
 */
export async function ensureFirstAdmin(
	db: Db,
	config: Pick<Config, 'adminEmail' | 'adminPassword'>
): Promise<AdminResult | null> {
	if (adminCount(db) > 0) return null;
	if (!config.adminEmail) {
		console.warn(
			'[accounts] No administrator exists. Set ADMIN_EMAIL and ADMIN_PASSWORD, or run `npm run admin:create -- --email you@example.org --name "Your Name"`.'
		);
		return null;
	}
	const result = await createOrPromoteAdmin(db, {
		email: config.adminEmail,
		password: config.adminPassword
	});
	if (result.ok) {
		console.log(
			`[accounts] First administrator ${result.action}: ${normaliseEmail(config.adminEmail)}`
		);
	} else {
		console.error(`[accounts] First administrator NOT created from ADMIN_EMAIL: ${result.message}`);
	}
	return result;
}
