import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import * as passwords from '$lib/server/auth/password';

/** The account forms' validation, shared by the form actions and the domain functions. */
export const NAME_MAX_LENGTH = 100;
export const EMAIL_MAX_LENGTH = 254;

/** A text field: a missing one is reported as required, a non-text one (a file) as unreadable. */
const text = (required: () => string) =>
	z.string({ error: (issue) => (issue.input === undefined ? required() : m.auth_field_invalid()) });

export const nameSchema = text(m.auth_name_required)
	.trim()
	.min(1, { error: () => m.auth_name_required() })
	.max(NAME_MAX_LENGTH, { error: () => m.auth_name_too_long({ max: NAME_MAX_LENGTH }) });

/** Emails are stored trimmed and lower-cased, so one address is one account. */
export const emailSchema = text(m.auth_email_required)
	.trim()
	.toLowerCase()
	.min(1, { error: () => m.auth_email_required() })
	.max(EMAIL_MAX_LENGTH, { error: () => m.auth_email_too_long({ max: EMAIL_MAX_LENGTH }) })
	.pipe(z.email({ error: () => m.auth_email_invalid() }));

/** A password being typed to sign in: anything non-empty of a sane size. */
const enteredPassword = text(m.auth_password_required)
	.min(1, { error: () => m.auth_password_required() })
	.max(1024, { error: () => m.auth_password_too_long({ max: passwords.PASSWORD_MAX_LENGTH }) });

export function passwordProblemMessage(problem: passwords.PasswordProblem): string {
	switch (problem) {
		case 'too_short':
			return m.auth_password_too_short({ min: passwords.PASSWORD_MIN_LENGTH });
		case 'too_long':
			return m.auth_password_too_long({ max: passwords.PASSWORD_MAX_LENGTH });
		case 'common':
			return m.auth_password_common();
		case 'matches_identity':
			return m.auth_password_matches_identity();
	}
}

/** A new password: the length rules here, the common-password and identity checks in the domain. */
const newPassword = text(m.auth_password_required).superRefine((value, ctx) => {
	const problem = passwords.passwordProblem(value);
	if (problem) ctx.addIssue({ code: 'custom', message: passwordProblemMessage(problem) });
});

export const registerSchema = z
	.object({ name: nameSchema, email: emailSchema, password: newPassword })
	.superRefine((value, ctx) => {
		if (passwords.passwordProblem(value.password, value) === 'matches_identity') {
			ctx.addIssue({
				code: 'custom',
				path: ['password'],
				message: m.auth_password_matches_identity()
			});
		}
	});

export const loginSchema = z.object({
	email: emailSchema,
	password: enteredPassword,
	redirectTo: z.string().max(2000).optional()
});

export const changePasswordSchema = z.object({
	currentPassword: enteredPassword,
	newPassword
});

export const forgotPasswordSchema = z.object({ email: emailSchema });

export const resetPasswordSchema = z.object({ password: newPassword });
