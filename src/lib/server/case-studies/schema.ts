import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { caseStudyStatuses, reportReasons, validationKinds } from '$lib/server/db/schema';
import { isWebUrl, languageCodes } from '$lib/server/organisations';
import { sdgIndicatorIds } from '$lib/vocab/sdg';
import {
	beneficiaryGroupSchema,
	fundingModelSchema,
	sdgTargetIdSchema,
	serviceDomainSchema,
	technologySchema,
	themeIdSchema
} from '$lib/vocab/schemas';

export const TITLE_MAX = 150;
export const SUMMARY_MAX = 300;
export const LONG_TEXT_MAX = 10_000;
export const SHORT_TEXT_MAX = 300;
export const URL_MAX = 500;
export const ROWS_MAX = 30;
export const FEEDBACK_MAX = 2000;
export const NOTE_MAX = 2000;
export const YEAR_MIN = 1950;
export const yearMax = () => new Date().getUTCFullYear() + 10;
export const licences = ['CC-BY-4.0', 'CC-BY-SA-4.0', 'CC0-1.0'] as const;

/** Browsers send textarea line breaks as CRLF; count them once. */
const normaliseText = (value: string) => value.replace(/\r\n?/g, '\n').trim();

const longText = z
	.string({ error: () => m.cases_text_too_long({ max: LONG_TEXT_MAX }) })
	.transform(normaliseText)
	.pipe(
		z.string().max(LONG_TEXT_MAX, { error: () => m.cases_text_too_long({ max: LONG_TEXT_MAX }) })
	)
	.optional()
	.transform((value) => value ?? '');

const shortText = (required?: () => string) => {
	const base = z
		.string({
			error: () => (required ? required() : m.cases_short_text_too_long({ max: SHORT_TEXT_MAX }))
		})
		.trim()
		.max(SHORT_TEXT_MAX, { error: () => m.cases_short_text_too_long({ max: SHORT_TEXT_MAX }) });
	return required ? base.min(1, { error: required }) : base;
};

const optionalShortText = z
	.union([shortText(), z.null()])
	.optional()
	.transform((value) => value || null);

const webUrl = z
	.string({ error: () => m.cases_url_invalid() })
	.trim()
	.max(URL_MAX, { error: () => m.cases_url_invalid() })
	.refine(isWebUrl, { error: () => m.cases_url_invalid() });

/** A year typed in a form (string) or given as a number in JSON; empty means none. */
const yearValue = (value: unknown) => {
	if (value === '' || value === null || value === undefined) return null;
	if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
	return value;
};
const requiredYear = () => z.preprocess((value) => yearValue(value) ?? undefined, yearNumber());
const optionalYear = () =>
	z.preprocess(
		yearValue,
		z.union([yearNumber(), z.null()], {
			error: () => m.cases_year_invalid({ min: YEAR_MIN, max: yearMax() })
		})
	);
const yearNumber = () =>
	z
		.number({ error: () => m.cases_year_invalid({ min: YEAR_MIN, max: yearMax() }) })
		.int({ error: () => m.cases_year_invalid({ min: YEAR_MIN, max: yearMax() }) })
		.min(YEAR_MIN, { error: () => m.cases_year_invalid({ min: YEAR_MIN, max: yearMax() }) })
		.refine((value) => value <= yearMax(), {
			error: () => m.cases_year_invalid({ min: YEAR_MIN, max: yearMax() })
		});

/** A list of vocabulary ids (checkbox group), duplicates dropped, order kept. */
const tags = <T extends z.ZodType<string>>(item: T, max: number, required?: () => string) =>
	z
		.array(item, { error: () => (required ? required() : m.cases_too_many({ max })) })
		.max(max, { error: () => m.cases_too_many({ max }) })
		.optional()
		.transform((value) => [...new Set(value ?? [])] as z.output<T>[])
		.refine((value) => !required || value.length > 0, { error: required });

const rows = <T extends z.ZodType>(item: T) =>
	z
		.array(item, { error: () => m.cases_too_many({ max: ROWS_MAX }) })
		.max(ROWS_MAX, { error: () => m.cases_too_many({ max: ROWS_MAX }) })
		.optional()
		.transform((value) => (value ?? []) as z.output<T>[]);

export const stakeholderInput = z.object({
	name: shortText(() => m.cases_stakeholder_name_required()),
	role: shortText()
		.optional()
		.transform((value) => value ?? ''),
	/** Slug of an organisation on the platform, or empty for free text. */
	organisation: optionalShortText
});

export const resultInput = z.object({
	indicator: shortText(() => m.cases_result_indicator_required()),
	sdgIndicator: z
		.union([z.enum(sdgIndicatorIds as [string, ...string[]]), z.literal(''), z.null()], {
			error: () => m.cases_sdg_indicator_invalid()
		})
		.optional()
		.transform((value) => value || null),
	baseline: shortText()
		.optional()
		.transform((value) => value ?? ''),
	result: shortText(() => m.cases_result_value_required()),
	unit: shortText()
		.optional()
		.transform((value) => value ?? ''),
	year: optionalYear()
		.optional()
		.transform((value) => value ?? null),
	source: z
		.union([webUrl, z.literal(''), z.null()], { error: () => m.cases_url_invalid() })
		.optional()
		.transform((value) => value || null)
});

export const sourceInput = z.object({
	title: shortText(() => m.cases_source_title_required()),
	url: webUrl
});

const budgetInput = z
	.object({
		amount: z.preprocess(
			(value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value),
			z
				.number({ error: () => m.cases_budget_amount_invalid() })
				.positive({ error: () => m.cases_budget_amount_invalid() })
				.max(1e13, { error: () => m.cases_budget_amount_invalid() })
		),
		currency: z
			.string({ error: () => m.cases_budget_currency_required() })
			.trim()
			.toUpperCase()
			.regex(/^[A-Z]{3}$/, { error: () => m.cases_budget_currency_invalid() })
	})
	.nullable()
	.optional()
	.transform((value) => value ?? null);

/**
 * The content of a case study as the editor, the API and the demo seed give it
 * (the shape of `db/demo/case-studies.json`; unknown keys such as `owner` are ignored).
 */
export const caseStudyInput = z
	.object({
		title: z
			.string({ error: () => m.cases_title_required() })
			.trim()
			.min(5, { error: () => m.cases_title_required() })
			.max(TITLE_MAX, { error: () => m.cases_title_too_long({ max: TITLE_MAX }) }),
		summary: z
			.string({ error: () => m.cases_summary_required() })
			.transform(normaliseText)
			.pipe(
				z
					.string()
					.min(20, { error: () => m.cases_summary_required() })
					.max(SUMMARY_MAX, { error: () => m.cases_summary_too_long({ max: SUMMARY_MAX }) })
			),
		context: longText,
		objectives: longText,
		whatWasDone: longText,
		enablingFactors: longText,
		constraints: longText,
		lessons: longText,
		transferability: longText,
		stakeholders: rows(stakeholderInput),
		startYear: requiredYear(),
		endYear: optionalYear()
			.optional()
			.transform((value) => value ?? null),
		status: z.enum(caseStudyStatuses, { error: () => m.cases_status_invalid() }),
		budget: budgetInput,
		fundingModels: tags(fundingModelSchema, 8),
		results: rows(resultInput),
		standards: z
			.array(shortText(), { error: () => m.cases_too_many({ max: ROWS_MAX }) })
			.max(ROWS_MAX, { error: () => m.cases_too_many({ max: ROWS_MAX }) })
			.optional()
			.transform((value) => (value ?? []).filter((standard) => standard !== '')),
		sources: rows(sourceInput),
		language: z
			.enum(languageCodes, { error: () => m.cases_language_invalid() })
			.optional()
			.transform((value) => value ?? 'en'),
		licence: z
			.enum(licences, { error: () => m.cases_licence_invalid() })
			.optional()
			.transform((value) => value ?? 'CC-BY-4.0'),
		themes: tags(themeIdSchema, 6, () => m.cases_theme_required()),
		sdgTargets: tags(sdgTargetIdSchema, 10, () => m.cases_sdg_target_required()),
		domains: tags(serviceDomainSchema, 12),
		technologies: tags(technologySchema, 9),
		beneficiaryGroups: tags(beneficiaryGroupSchema, 7),
		/** Where the practice took place; defaults to the owner organisation's country and city. */
		countryCode: z
			.string({ error: () => m.cases_country_unknown() })
			.trim()
			.toUpperCase()
			.regex(/^([A-Z]{2})?$/, { error: () => m.cases_country_unknown() })
			.optional()
			.transform((value) => value || null),
		cityId: z
			.preprocess(
				(value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
				z.union([z.number().int().positive(), z.literal(''), z.null()], {
					error: () => m.cases_city_unknown()
				})
			)
			.optional()
			.transform((value) => (typeof value === 'number' ? value : null))
	})
	.refine((value) => value.endYear === null || value.endYear >= value.startYear, {
		path: ['endYear'],
		error: () => m.cases_end_before_start(),
		when: (payload) =>
			typeof payload.value === 'object' &&
			payload.value !== null &&
			typeof (payload.value as { startYear?: unknown }).startYear === 'number' &&
			typeof (payload.value as { endYear?: unknown }).endYear === 'number'
	});
export type CaseStudyInput = z.output<typeof caseStudyInput>;

export const feedbackInput = z
	.string({ error: () => m.cases_feedback_required() })
	.transform(normaliseText)
	.pipe(
		z
			.string()
			.min(10, { error: () => m.cases_feedback_required() })
			.max(FEEDBACK_MAX, { error: () => m.cases_feedback_too_long({ max: FEEDBACK_MAX }) })
	);

export const validationInput = z.object({
	organisationId: z.string({ error: () => m.cases_validation_not_member() }).min(1, {
		error: () => m.cases_validation_not_member()
	}),
	kind: z.enum(validationKinds, { error: () => m.cases_validation_kind_invalid() }),
	note: z
		.string({ error: () => m.cases_validation_note_required() })
		.transform(normaliseText)
		.pipe(z.string().max(NOTE_MAX, { error: () => m.cases_text_too_long({ max: NOTE_MAX }) }))
		.optional()
		.transform((value) => value ?? ''),
	/** Slug of the validating organisation's own case study, for a replication. */
	replicationSlug: z
		.string()
		.trim()
		.max(200)
		.nullable()
		.optional()
		.transform((value) => value || null)
});
export type ValidationInput = z.output<typeof validationInput>;

export const reportInput = z.object({
	reason: z.enum(reportReasons, { error: () => m.cases_report_reason_invalid() }),
	message: z
		.string({ error: () => m.cases_report_message_required() })
		.transform(normaliseText)
		.pipe(
			z
				.string()
				.min(10, { error: () => m.cases_report_message_required() })
				.max(NOTE_MAX, { error: () => m.cases_text_too_long({ max: NOTE_MAX }) })
		),
	email: z
		.union([z.email({ error: () => m.cases_report_email_invalid() }).max(254), z.literal('')], {
			error: () => m.cases_report_email_invalid()
		})
		.optional()
		.transform((value) => value || null)
});
export type ReportInput = z.output<typeof reportInput>;
