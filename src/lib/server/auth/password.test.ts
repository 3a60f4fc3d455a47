import { describe, expect, it } from 'vitest';
import { commonPasswordList } from './common-passwords';
import * as passwords from './password';

describe('password rules', () => {
	it.each([
		['seven77', 'too_short'],
		['tarn8vex', null],
		['x'.repeat(128), null],
		['x'.repeat(129), 'too_long'],
		// Code points, not UTF-16 units: 8 emoji are 8 characters, 4 are too short.
		['🙂🙂🙂🙂', 'too_short'],
		['🙂🙂🙂🙂🙂🙂🙂🙂', null],
		['é'.repeat(8), null],
		['password', 'common'],
		['PassWord1', 'common'],
		['iloveyou', 'common'],
		['correct horse battery staple', null],
		// No composition rules: lower-case letters only are fine.
		['purple monkey dishwasher', null]
	])('%s → %s', (password, problem) => {
		expect(passwords.passwordProblem(password)).toBe(problem);
	});

	it('refuses the account email or name as password, whatever the case and spaces', () => {
		const identity = { email: 'ada.lovelace@example.org', name: 'Ada Lovelace King' };
		expect(passwords.passwordProblem('Ada.Lovelace@Example.org', identity)).toBe(
			'matches_identity'
		);
		expect(passwords.passwordProblem(' ada lovelace king ', identity)).toBe('matches_identity');
		expect(passwords.passwordProblem('ada lovelace queen', identity)).toBeNull();
	});

	it('ships at least 10,000 common passwords, all lower-case and long enough to matter', () => {
		const list = commonPasswordList.split('\n');
		expect(list.length).toBeGreaterThanOrEqual(10_000);
		expect(list.every((p) => [...p].length >= 8 && p === p.toLowerCase())).toBe(true);
		expect(passwords.isCommonPassword(list[list.length - 1].toUpperCase())).toBe(true);
	});
});

describe('password hashing', () => {
	it('uses argon2id with at least 19 MiB, two passes and one lane, salted', async () => {
		const hash = await passwords.hashPassword('correct horse battery staple');
		expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(await passwords.hashPassword('correct horse battery staple')).not.toBe(hash);
		expect(await passwords.verifyPassword(hash, 'correct horse battery staple')).toBe(true);
		expect(await passwords.verifyPassword(hash, 'Correct horse battery staple')).toBe(false);
	});

	it('treats a malformed stored hash as a failed check', async () => {
		const original = console.error;
		console.error = () => {};
		expect(await passwords.verifyPassword('not-a-hash', 'whatever')).toBe(false);
		console.error = original;
	});

	it('checks unknown accounts against a dummy hash, always failing', async () => {
		expect(await passwords.verifyAgainstDummy('citybridge-dummy-password-for-timing')).toBe(false);
	});
});
