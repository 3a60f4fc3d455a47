export type OrganisationFormValues = {
	name: string;
	kind: string;
	country: string;
	city: string;
	cityQuery: string;
	website: string;
	description: string;
	languages: string[];
};

/** Where the error summary jumps for fields whose control has another id. */
export const errorTargets = { city: 'cityQuery', languages: 'language-en' };

export type CityChoice = { id: number; label: string };

export const emptyValues: OrganisationFormValues = {
	name: '',
	kind: '',
	country: '',
	city: '',
	cityQuery: '',
	website: '',
	description: '',
	languages: []
};

/** The values a "find city" GET step carried in the query string, so nothing typed is lost. */
export function valuesFromQuery(query: URLSearchParams): OrganisationFormValues {
	const text = (name: string) => (query.get(name) ?? '').slice(0, 5000);
	return {
		name: text('name'),
		kind: text('kind'),
		country: text('country'),
		city: text('city'),
		cityQuery: text('cityQuery'),
		website: text('website'),
		description: text('description'),
		languages: query.getAll('languages').slice(0, 50)
	};
}

/** Echoed form values (strings or lists) in the form's shape. */
export function valuesFromEcho(echo: Record<string, string | string[]>): OrganisationFormValues {
	const text = (name: string) => {
		const value = echo[name];
		return typeof value === 'string' ? value : '';
	};
	const languages = echo.languages;
	return {
		name: text('name'),
		kind: text('kind'),
		country: text('country'),
		city: text('city'),
		cityQuery: text('cityQuery'),
		website: text('website'),
		description: text('description'),
		languages: Array.isArray(languages) ? languages : languages ? [languages] : []
	};
}
