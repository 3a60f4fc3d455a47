import { hash, verify } from '@node-rs/argon2';
import { commonPasswordList } from './common-passwords';

/** OWASP's argon2id minimum: 19 MiB, two passes, one lane. */
export const argon2Options = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 };

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

const commonPasswords = new Set(commonPasswordList.split('\n'));

/** Why a new password is refused, or null when it is acceptable. */
export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'matches_identity';

/** Length counts code points, so an emoji or an accented letter is one character. */
export function passwordLength(password: string): number {
	return [...password].length;
}

export function isCommonPassword(password: string): boolean {
	return commonPasswords.has(password.toLowerCase());
}

/**
 * The NIST 800-63B rules: 8–128 characters, no composition rules, not a known common password
 * and not the account's own email address or name.
 */
export function passwordProblem(
	password: string,
	identity: { email?: string | null; name?: string | null } = {}
): PasswordProblem | null {
	const length = passwordLength(password);
	if (length < PASSWORD_MIN_LENGTH) return 'too_short';
	if (length > PASSWORD_MAX_LENGTH) return 'too_long';
	if (isCommonPassword(password)) return 'common';
	const lowered = password.trim().toLowerCase();
	for (const value of [identity.email, identity.name]) {
		if (value && value.trim().toLowerCase() === lowered) return 'matches_identity';
	}
	return null;
}

export function hashPassword(password: string): Promise<string> {
	return hash(password, argon2Options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch (error) {
		// A malformed stored hash is a data problem worth seeing, but still a failed login.
		console.error('password verification failed on a malformed hash', error);
		return false;
	}
}

/** Computed once at start, so the first unknown-email login is not slower than the rest. */
const dummyHash = hashPassword('citybridge-dummy-password-for-timing');

/**
 * Spends the same time as a real check when the account does not exist, so the login answer's
 * timing does not reveal which email addresses are registered.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
	await verify(await dummyHash, password);
	return false;
}
