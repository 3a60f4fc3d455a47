/**
 * The search page's address is its whole state (shareable, bookmarkable, works without
 * JavaScript). These build the links the page offers: remove a filter, change the type tab,
 * go to a page. Safe for the browser: no server imports.
 */

export type SearchFilter = { name: string; value: string };

export type SearchUrlState = {
	q: string;
	/** In the order the address writes them. */
	filters: SearchFilter[];
	/** Only when the address chose an order; otherwise the default follows the query. */
	sort: string | null;
	/** Only when the address chose a page size. */
	limit: number | null;
	page: number;
};

export type SearchChange = {
	q?: string;
	drop?: SearchFilter | 'all';
	/** Shows only this record type, or every type with null. */
	type?: string | null;
	page?: number;
};

/** `?q=…&theme=S&page=2` for the state after the change; any change but `page` starts at page 1. */
export function searchQueryString(state: SearchUrlState, change: SearchChange = {}): string {
	const params = new URLSearchParams();
	const q = change.q ?? state.q;
	if (q) params.append('q', q);
	let filters = state.filters;
	if (change.drop === 'all') filters = [];
	else if (change.drop) {
		const { name, value } = change.drop;
		filters = filters.filter((filter) => filter.name !== name || filter.value !== value);
	}
	if (change.type !== undefined) {
		filters = filters.filter((filter) => filter.name !== 'type');
		if (change.type) filters = [{ name: 'type', value: change.type }, ...filters];
	}
	for (const filter of filters) params.append(filter.name, filter.value);
	if (state.sort) params.append('sort', state.sort);
	if (state.limit) params.append('limit', String(state.limit));
	const onlyPage = Object.keys(change).every((key) => key === 'page');
	const page = change.page ?? (onlyPage ? state.page : 1);
	if (page > 1) params.append('page', String(page));
	const search = params.toString();
	return search ? `?${search}` : '';
}

/**
 * The address a search form would submit: non-empty fields only, in form order, so typing in the
 * box and ticking boxes give the same links as pressing the button. The default order for words
 * (best match) is left out, so the links stay short.
 */
export function formQueryString(form: HTMLFormElement): string {
	const params = new URLSearchParams();
	for (const [name, value] of new FormData(form)) {
		if (typeof value === 'string' && value.trim() !== '') params.append(name, value);
	}
	if (params.get('q') && params.get('sort') === 'relevance') params.delete('sort');
	const search = params.toString();
	return search ? `?${search}` : '';
}
