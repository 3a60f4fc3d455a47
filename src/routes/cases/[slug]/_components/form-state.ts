/** What a failed action sends back (the one failure shape of `formFailure`). */
export type FailedForm =
	| {
			message?: string;
			errors?: Record<string, string>;
			values?: Record<string, string | string[]>;
	  }
	| null
	| undefined;

/** The typed value of a field after a failed post of the form named `intent`, or undefined. */
export function echoed(form: FailedForm, intent: string, field: string): string | undefined {
	if (form?.values?.intent !== intent) return undefined;
	const value = form.values[field];
	return typeof value === 'string' ? value : undefined;
}

/** The message for a field after a failed post of the form named `intent`, or undefined. */
export function fieldError(form: FailedForm, intent: string, field: string): string | undefined {
	return form?.values?.intent === intent ? form.errors?.[field] : undefined;
}
