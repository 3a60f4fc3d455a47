import { localizeHref } from '$lib/i18n';

/** One value of one of a list's filters. */
export type FilterValue<Name extends string = string> = { name: Name; value: string };

/** A chosen filter value: its chip's text and the list without it (see ActiveFilters). */
export type ActiveFilter = { key: string; label: string; removeHref: string; removeLabel: string };

/**
 * A list's localized address: its filters in `names` order, one pair per value, without `drop`,
 * then the page's own parameters (`extra`, a page or a cursor) in the order given.
 */
export function listHref<Name extends string>(
	path: string,
	names: readonly Name[],
	valuesOf: (name: Name) => readonly string[],
	options: { drop?: FilterValue<Name>; extra?: readonly (readonly [string, string])[] } = {}
): string {
	const pairs: string[] = [];
	for (const name of names) {
		for (const value of valuesOf(name)) {
			if (options.drop?.name === name && options.drop.value === value) continue;
			pairs.push(`${name}=${encodeURIComponent(value)}`);
		}
	}
	for (const [name, value] of options.extra ?? [])
		pairs.push(`${name}=${encodeURIComponent(value)}`);
	const search = pairs.join('&');
	return localizeHref(`${path}${search ? `?${search}` : ''}`);
}

/** One chip per value, so each value of a repeated filter can be removed on its own. */
export function activeFilters<Name extends string>(
	names: readonly Name[],
	valuesOf: (name: Name) => readonly string[],
	options: {
		label: (name: Name, value: string) => string;
		removeLabel: (label: string) => string;
		hrefWithout: (drop: FilterValue<Name>) => string;
	}
): ActiveFilter[] {
	return names.flatMap((name) =>
		valuesOf(name).map((value) => {
			const label = options.label(name, value);
			return {
				key: `${name}=${value}`,
				label,
				removeHref: options.hrefWithout({ name, value }),
				removeLabel: options.removeLabel(label)
			};
		})
	);
}

/** The no-match notice's links (see FilteredEmpty): one per chosen value. */
export const removalsOf = (filters: readonly ActiveFilter[]) =>
	filters.map(({ key, removeHref, removeLabel }) => ({
		key,
		href: removeHref,
		label: removeLabel
	}));
