import { and, asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { randomId } from '$lib/server/ids';
import * as audit from '$lib/server/audit';
import * as email from '$lib/server/email';
import { can, type Actor } from '$lib/server/auth/policy';
import { RuleError, isWebUrl } from '$lib/server/organisations';

export const NOTE_MAX = 1000;
export const REASON_MAX = 1000;

/** Free mail providers prove nothing about who runs an organisation. */
const freeMailDomains = new Set([
	'gmail.com',
	'googlemail.com',
	'yahoo.com',
	'yahoo.fr',
	'hotmail.com',
	'hotmail.fr',
	'outlook.com',
	'live.com',
	'aol.com',
	'icloud.com',
	'proton.me',
	'protonmail.com',
	'gmx.com',
	'gmx.net',
	'mail.ru',
	'yandex.ru',
	'qq.com',
	'163.com'
]);

const hostOf = (website: string) => new URL(website).hostname.toLowerCase().replace(/^www\./, '');

/** True when the address is on the website's domain or one of its sub-domains (or the reverse). */
export function emailMatchesWebsite(address: string, website: string | null): boolean | null {
	if (!website) return null;
	const domain = address.split('@').pop()?.toLowerCase() ?? '';
	const host = hostOf(website);
	return domain === host || domain.endsWith(`.${host}`) || host.endsWith(`.${domain}`);
}

const optionalText = (max: number, tooLong: () => string) =>
	z
		.string()
		.optional()
		.transform((value) => (value ?? '').replace(/\r\n?/g, '\n').trim())
		.pipe(z.string().max(max, { error: tooLong }));

export const requestInput = z
	.object({
		officialEmail: z
			.string({ error: () => m.organisations_verification_email_invalid() })
			.trim()
			.toLowerCase()
			.max(254, { error: () => m.organisations_verification_email_invalid() })
			.refine((value) => value === '' || z.email().safeParse(value).success, {
				error: () => m.organisations_verification_email_invalid()
			})
			.refine((value) => !freeMailDomains.has(value.split('@').pop() ?? ''), {
				error: () => m.organisations_verification_email_free()
			})
			.optional()
			.transform((value) => value || null),
		evidenceUrl: z
			.string({ error: () => m.organisations_verification_url_invalid() })
			.trim()
			.max(500, { error: () => m.organisations_verification_url_invalid() })
			.refine((value) => value === '' || isWebUrl(value), {
				error: () => m.organisations_verification_url_invalid()
			})
			.optional()
			.transform((value) => value || null),
		note: optionalText(NOTE_MAX, () =>
			m.organisations_verification_note_too_long({ max: NOTE_MAX })
		)
	})
	.superRefine((value, context) => {
		if (!value.officialEmail && !value.evidenceUrl) {
			context.addIssue({
				code: 'custom',
				path: ['officialEmail'],
				message: m.organisations_verification_evidence_required()
			});
		}
	});
export type RequestInput = z.output<typeof requestInput>;

export const decisionInput = z.object({
	requestId: z
		.string({ error: () => m.organisations_verification_not_found() })
		.min(1)
		.max(64),
	decision: z.enum(['approve', 'reject'], {
		error: () => m.organisations_verification_decision_invalid()
	}),
	reason: optionalText(REASON_MAX, () =>
		m.organisations_verification_reason_too_long({ max: REASON_MAX })
	)
});
export type DecisionInput = z.output<typeof decisionInput>;

/** An owner asks for the badge; one pending request per organisation (a partial unique index). */
export function requestVerification(
	db: Db,
	params: { organisationId: string; requestedBy: string } & RequestInput
): { id: string } {
	return db.transaction((tx) => {
		const org = tx
			.select({
				name: table.organisation.name,
				slug: table.organisation.slug,
				website: table.organisation.website,
				state: table.organisation.verificationState
			})
			.from(table.organisation)
			.where(eq(table.organisation.id, params.organisationId))
			.get();
		if (!org) throw new RuleError('not_found', m.organisations_not_found(), 404);
		if (org.state === 'verified') {
			throw new RuleError('already_verified', m.organisations_verification_already_verified(), 409);
		}
		const pending = tx
			.select({ id: table.verificationRequest.id })
			.from(table.verificationRequest)
			.where(
				and(
					eq(table.verificationRequest.organisationId, params.organisationId),
					eq(table.verificationRequest.status, 'pending')
				)
			)
			.get();
		if (pending) {
			throw new RuleError('already_pending', m.organisations_verification_already_pending(), 409);
		}
		if (params.officialEmail && emailMatchesWebsite(params.officialEmail, org.website) === false) {
			throw new RuleError('email_domain', m.form_fix_errors(), 400, {
				officialEmail: m.organisations_verification_email_domain({ domain: hostOf(org.website!) })
			});
		}
		const id = randomId();
		tx.insert(table.verificationRequest)
			.values({
				id,
				organisationId: params.organisationId,
				requestedBy: params.requestedBy,
				officialEmail: params.officialEmail,
				evidenceUrl: params.evidenceUrl,
				note: params.note
			})
			.run();
		tx.update(table.organisation)
			.set({ verificationState: 'pending' })
			.where(eq(table.organisation.id, params.organisationId))
			.run();
		audit.record(tx, {
			actorId: params.requestedBy,
			action: 'verification.requested',
			subjectType: 'organisation',
			subjectId: params.organisationId,
			detail: { requestId: id, name: org.name, slug: org.slug }
		});
		return { id };
	});
}

/** Pending requests for moderators, oldest first, with the evidence and the requester. */
export function pendingRequests(db: Db) {
	return db
		.select({
			id: table.verificationRequest.id,
			createdAt: table.verificationRequest.createdAt,
			officialEmail: table.verificationRequest.officialEmail,
			evidenceUrl: table.verificationRequest.evidenceUrl,
			note: table.verificationRequest.note,
			organisationName: table.organisation.name,
			organisationSlug: table.organisation.slug,
			organisationKind: table.organisation.kind,
			website: table.organisation.website,
			countryNameEn: table.country.nameEn,
			countryNameFr: table.country.nameFr,
			requesterName: table.user.name,
			requesterEmail: table.user.email
		})
		.from(table.verificationRequest)
		.innerJoin(
			table.organisation,
			eq(table.verificationRequest.organisationId, table.organisation.id)
		)
		.innerJoin(table.country, eq(table.organisation.countryCode, table.country.code))
		.innerJoin(table.user, eq(table.verificationRequest.requestedBy, table.user.id))
		.where(eq(table.verificationRequest.status, 'pending'))
		.orderBy(asc(table.verificationRequest.createdAt), asc(table.verificationRequest.id))
		.all()
		.map((row) => ({
			...row,
			emailMatchesWebsite: row.officialEmail
				? emailMatchesWebsite(row.officialEmail, row.website)
				: null
		}));
}

/** The newest request for an organisation, for its owners. */
export function latestRequest(db: Db, organisationId: string) {
	return (
		db
			.select({
				id: table.verificationRequest.id,
				status: table.verificationRequest.status,
				reason: table.verificationRequest.reason,
				createdAt: table.verificationRequest.createdAt,
				decidedAt: table.verificationRequest.decidedAt
			})
			.from(table.verificationRequest)
			.where(eq(table.verificationRequest.organisationId, organisationId))
			.orderBy(desc(table.verificationRequest.createdAt), desc(table.verificationRequest.id))
			.get() ?? null
	);
}

/**
 * A moderator approves or rejects a pending request. Rejection needs a reason; the organisation's
 * state follows; owners are emailed; the decision is audited, all in one transaction.
 */
export function decide(
	db: Db,
	actor: Actor,
	input: DecisionInput,
	options: { origin: string; now?: Date }
): { organisationId: string; slug: string } {
	if (!actor || !can(actor, 'verification:decide')) {
		throw new RuleError('forbidden', m.organisations_verification_forbidden(), 403);
	}
	if (input.decision === 'reject' && input.reason === '') {
		throw new RuleError('reason_required', m.form_fix_errors(), 400, {
			reason: m.organisations_verification_reason_required()
		});
	}
	const now = options.now ?? new Date();
	return db.transaction((tx) => {
		const request = tx
			.select({
				status: table.verificationRequest.status,
				organisationId: table.verificationRequest.organisationId,
				name: table.organisation.name,
				slug: table.organisation.slug
			})
			.from(table.verificationRequest)
			.innerJoin(
				table.organisation,
				eq(table.verificationRequest.organisationId, table.organisation.id)
			)
			.where(eq(table.verificationRequest.id, input.requestId))
			.get();
		if (!request) {
			throw new RuleError('not_found', m.organisations_verification_not_found(), 404);
		}
		if (request.status !== 'pending') {
			throw new RuleError('already_decided', m.organisations_verification_already_decided(), 409);
		}
		const approved = input.decision === 'approve';
		tx.update(table.verificationRequest)
			.set({
				status: approved ? 'approved' : 'rejected',
				decidedBy: actor.id,
				decidedAt: now,
				reason: input.reason || null
			})
			.where(eq(table.verificationRequest.id, input.requestId))
			.run();
		tx.update(table.organisation)
			.set({
				verificationState: approved ? 'verified' : 'rejected',
				verifiedAt: approved ? now : null
			})
			.where(eq(table.organisation.id, request.organisationId))
			.run();
		audit.record(tx, {
			actorId: actor.id,
			action: approved ? 'verification.approved' : 'verification.rejected',
			subjectType: 'organisation',
			subjectId: request.organisationId,
			detail: {
				requestId: input.requestId,
				name: request.name,
				slug: request.slug,
				reason: input.reason || null
			}
		});
		const owners = tx
			.select({ email: table.user.email })
			.from(table.membership)
			.innerJoin(table.user, eq(table.membership.userId, table.user.id))
			.where(
				and(
					eq(table.membership.organisationId, request.organisationId),
					eq(table.membership.role, 'owner')
				)
			)
			.all();
		const link = new URL(`/organisations/${request.slug}`, options.origin).toString();
		const reason = input.reason || m.organisations_verification_no_reason();
		for (const owner of owners) {
			// Same connection, so the outbox rows commit or roll back with the decision.
			email.queueEmail(db, {
				to: owner.email,
				subject: approved
					? m.organisations_verification_approved_subject({ organisation: request.name })
					: m.organisations_verification_rejected_subject({ organisation: request.name }),
				body: approved
					? m.organisations_verification_approved_body({
							organisation: request.name,
							reason,
							link
						})
					: m.organisations_verification_rejected_body({
							organisation: request.name,
							reason,
							link
						})
			});
		}
		return { organisationId: request.organisationId, slug: request.slug };
	});
}
