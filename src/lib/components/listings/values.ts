/**
 * The needs and offers forms as the browser sees them: what the user typed (every field a string
 * or a list of strings, as the server echoes it back) and the labelled choices the form offers.
 */
export type ListingValues = Record<string, string | string[]>;

export type Choice = { id: string; label: string; text?: string };

/** Choices a need or offer form offers, labelled on the server in the reader's language. */
export type ListingOptions = {
	themes: Choice[];
	sdgTargets: Choice[];
	cooperationTypes: Choice[];
	languages: Choice[];
	timeframes: Choice[];
	formats: Choice[];
	/** M49 regions, each with its sub-regions. */
	regions: (Choice & { subregions: Choice[] })[];
	countries: Choice[];
	incomeGroups: Choice[];
	visibilities: Choice[];
};

export type OrganisationChoice = { id: string; name: string };

/** The text a field holds ('' when missing or a list). */
export function textOf(values: ListingValues, name: string): string {
	const value = values[name];
	return typeof value === 'string' ? value : '';
}

/** The ticked values of a checkbox group or multiple select. */
export function listOf(values: ListingValues, name: string): string[] {
	const value = values[name];
	if (Array.isArray(value)) return value;
	return typeof value === 'string' && value !== '' ? [value] : [];
}

/** A control's `aria-describedby`: its hint and its error, when it has them. */
export function describedBy(name: string, hint: unknown, error: unknown): string | undefined {
	return (
		[hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') ||
		undefined
	);
}

/** What the new and edit pages' actions answer (`form`), all parts optional. */
export type ListingFormResult = {
	message?: string;
	errors?: Record<string, string>;
	values?: ListingValues;
	preview?: { field: string; html: string }[];
	confirmClose?: boolean;
	statusMessage?: string;
	statusValue?: string;
} | null;
