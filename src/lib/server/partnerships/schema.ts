import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { resultInput } from '$lib/server/case-studies';
import { fieldErrors } from '$lib/server/forms';
import { RuleError } from '$lib/server/organisations';
import { partnershipStatuses } from '$lib/vocab/matchmaking';

/**
 * What people type about introductions and partnerships. The same schemas serve the pages'
 * forms, the API and the demo seed: the domain functions parse their input with them.
 */

export const MESSAGE_MIN = 10;
export const MESSAGE_MAX = 2000;
export const NOTE_MAX = 2000;
export const DECLINE_NOTE_MIN = 10;
export const REASON_MIN = 10;
export const REASON_MAX = 2000;
export const UPDATE_MIN = 10;
export const UPDATE_MAX = 5000;
export const MILESTONE_TITLE_MAX = 200;
export const ROWS_MAX = 30;

/** Browsers send textarea line breaks as CRLF; count them once. */
const normaliseText = (value: string) => value.replace(/\r\n?/g, '\n').trim();

const text = (max: number, message: () => string) =>
	z
		.string({ error: message })
		.max(max * 2, { error: message })
		.transform(normaliseText)
		.pipe(z.string().max(max, { error: message }));

/** An id from a form, a URL or JSON; empty means none. */
const optionalId = z
	.union([z.string().trim().max(100), z.null()], { error: () => m.partnerships_invalid_input() })
	.optional()
	.transform((value) => value || null);

const requiredOrganisationId = z
	.string({ error: () => m.partnerships_organisation_required() })
	.trim()
	.min(1, { error: () => m.partnerships_organisation_required() })
	.max(100, { error: () => m.partnerships_organisation_required() });

const lengthMessage = () => m.partnerships_message_length({ min: MESSAGE_MIN, max: MESSAGE_MAX });

export const introductionRequestInput = z.object({
	fromOrganisationId: requiredOrganisationId,
	needId: optionalId,
	offerId: optionalId,
	/** The partner organisation asked, when the introduction is about a need and no offer. */
	toOrganisationSlug: optionalId,
	message: text(MESSAGE_MAX, lengthMessage).pipe(
		z.string().min(MESSAGE_MIN, { error: lengthMessage })
	)
});
export type IntroductionRequest = z.input<typeof introductionRequestInput>;

export const introductionResponseInput = z
	.object({
		decision: z.enum(['accept', 'decline'], { error: () => m.partnerships_decision_invalid() }),
		note: text(NOTE_MAX, () => m.partnerships_note_too_long({ max: NOTE_MAX }))
			.nullable()
			.optional()
			.transform((value) => value ?? '')
	})
	.refine((value) => value.decision !== 'decline' || value.note.length >= DECLINE_NOTE_MIN, {
		path: ['note'],
		error: () => m.partnerships_decline_note_required({ min: DECLINE_NOTE_MIN })
	});
export type IntroductionResponse = z.input<typeof introductionResponseInput>;

const reasonMessage = () => m.partnerships_reason_too_long({ max: REASON_MAX });

export const statusChangeInput = z
	.object({
		to: z.enum(partnershipStatuses, { error: () => m.partnerships_status_invalid() }),
		reason: text(REASON_MAX, reasonMessage)
			.nullable()
			.optional()
			.transform((value) => value ?? ''),
		note: text(UPDATE_MAX, () => m.partnerships_body_length({ min: 0, max: UPDATE_MAX }))
			.nullable()
			.optional()
			.transform((value) => value ?? '')
	})
	.refine((value) => value.to !== 'discontinued' || value.reason.length >= REASON_MIN, {
		path: ['reason'],
		error: () => m.partnerships_reason_required({ min: REASON_MIN })
	});
export type StatusChange = z.input<typeof statusChangeInput>;

const bodyMessage = () => m.partnerships_body_length({ min: UPDATE_MIN, max: UPDATE_MAX });

export const updateInput = z.object({
	/** The party organisation the update speaks for; the actor's first party when empty. */
	organisationId: optionalId,
	body: text(UPDATE_MAX, bodyMessage).pipe(z.string().min(UPDATE_MIN, { error: bodyMessage }))
});
export type UpdateInput = z.input<typeof updateInput>;

const isoDate = z
	.union([z.string().trim(), z.null()], { error: () => m.partnerships_date_invalid() })
	.optional()
	.transform((value) => value || null)
	.refine((value) => value === null || isCalendarDate(value), {
		error: () => m.partnerships_date_invalid()
	});

/** YYYY-MM-DD naming a real day (no 2026-02-30). */
export function isCalendarDate(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export const milestoneInput = z.object({
	title: z
		.string({ error: () => m.partnerships_milestone_title_required() })
		.trim()
		.min(1, { error: () => m.partnerships_milestone_title_required() })
		.max(MILESTONE_TITLE_MAX, {
			error: () => m.partnerships_milestone_title_too_long({ max: MILESTONE_TITLE_MAX })
		}),
	dueOn: isoDate,
	doneOn: isoDate
});
export type MilestoneInput = z.input<typeof milestoneInput>;

const rows = <T extends z.ZodType>(item: T) =>
	z
		.array(item, { error: () => m.partnerships_too_many_rows({ max: ROWS_MAX }) })
		.max(ROWS_MAX, { error: () => m.partnerships_too_many_rows({ max: ROWS_MAX }) });

export const milestonesInput = rows(milestoneInput);
/** Result rows exactly as on case studies (indicator, baseline → result, unit, year, source). */
export const resultsInput = rows(resultInput);
export type ResultRowInput = z.input<typeof resultInput>;

/** A consent checkbox ('on'), a JSON boolean, or the words a form or query may carry. */
export const consentValue = z.preprocess(
	(value) => {
		if (value === undefined || value === null || value === '') return false;
		if (typeof value === 'string') {
			const word = value.trim().toLowerCase();
			if (['on', 'true', 'yes', '1'].includes(word)) return true;
			if (['off', 'false', 'no', '0'].includes(word)) return false;
		}
		return value;
	},
	z.boolean({ error: () => m.partnerships_consent_invalid() })
);

/**
 * What the domain functions take: the schema's input, or anything a form or JSON body carried
 * (they parse it themselves, so forms, the API and the demo seed share one validation).
 */
export type Loose<T> = T | Record<string, unknown>;

/** Parses with the schema or throws a 400 RuleError with a message per field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
	const parsed = schema.safeParse(value);
	if (parsed.success) return parsed.data;
	throw new RuleError('invalid', m.partnerships_invalid_input(), 400, fieldErrors(parsed.error));
}
