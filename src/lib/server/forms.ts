import { fail } from '@sveltejs/kit';
import type { z } from 'zod';
import { m } from '$lib/paraglide/messages';

/** Field name → the message shown next to that field. */
export type FieldErrors = Record<string, string>;
/** What the user typed, sent back so a failed submission loses nothing. Secrets are never echoed. */
export type FormEcho = Record<string, string | string[]>;

const neverEcho = /password|token/i;

/**
 * Turns FormData into plain values. Fields listed in `arrays` (checkbox groups, multi-selects)
 * become string arrays; every other field takes its first value. Files stay Files so the schema
 * rejects them where text is expected.
 */
export function formValues(
	formData: FormData,
	arrays: readonly string[] = []
): Record<string, FormDataEntryValue | FormDataEntryValue[]> {
	const values: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {};
	for (const key of new Set(formData.keys())) {
		values[key] = arrays.includes(key) ? formData.getAll(key) : (formData.get(key) ?? '');
	}
	for (const key of arrays) values[key] ??= [];
	return values;
}

function echoOf(values: Record<string, FormDataEntryValue | FormDataEntryValue[]>): FormEcho {
	const echo: FormEcho = {};
	for (const [key, value] of Object.entries(values)) {
		if (neverEcho.test(key)) continue;
		if (Array.isArray(value)) {
			echo[key] = value.filter((v): v is string => typeof v === 'string');
		} else if (typeof value === 'string') {
			echo[key] = value;
		}
	}
	return echo;
}

/** The first message for each field, keyed by the field's path ("results.0.unit"). */
export function fieldErrors(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) {
		const field = issue.path.map(String).join('.') || 'form';
		errors[field] ??= issue.message;
	}
	return errors;
}

export type ParsedForm<T> =
	| { success: true; data: T; echo: FormEcho }
	| { success: false; errors: FieldErrors; echo: FormEcho };

/** Validates a submitted form with a zod schema; on failure returns field messages and the echo. */
export function parseForm<S extends z.ZodType>(
	schema: S,
	formData: FormData,
	options: { arrays?: readonly string[] } = {}
): ParsedForm<z.output<S>> {
	const values = formValues(formData, options.arrays);
	const echo = echoOf(values);
	const result = schema.safeParse(values);
	if (result.success) return { success: true, data: result.data, echo };
	return { success: false, errors: fieldErrors(result.error), echo };
}

/** The one failure shape for form actions: `fail(status, { message, errors, values })`. */
export function formFailure(
	status: number,
	echo: FormEcho,
	errors: FieldErrors = {},
	message: string = m.form_fix_errors()
) {
	return fail(status, { message, errors, values: echo });
}
