/** Atom 1.0 (RFC 4287) documents from plain data, with the escaping XML 1.0 needs. */

/** Characters XML 1.0 does not allow at all, escaped or not: most C0 controls, lone surrogates, U+FFFE/U+FFFF. */
const invalidXmlCharacters = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text for an element or a double-quoted attribute: invalid characters dropped, markup escaped. */
export function xmlText(value: string): string {
	return value
		.replace(invalidXmlCharacters, '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

export type AtomLink = { rel: 'self' | 'alternate' | 'related'; href: string; type?: string };
export type AtomCategory = { term: string; scheme?: string; label?: string };

export type AtomEntry = {
	id: string;
	title: string;
	updated: Date;
	published?: Date | null;
	authors: string[];
	summary: string;
	link: string;
	categories: AtomCategory[];
};

export type AtomFeed = {
	id: string;
	title: string;
	subtitle?: string;
	updated: Date;
	links: AtomLink[];
	language?: string;
	generator?: string;
	rights?: string;
	entries: AtomEntry[];
};

const attributes = (values: Record<string, string | undefined>) =>
	Object.entries(values)
		.filter(([, value]) => value !== undefined)
		.map(([name, value]) => ` ${name}="${xmlText(value!)}"`)
		.join('');

const element = (name: string, text: string, attrs: Record<string, string | undefined> = {}) =>
	`<${name}${attributes(attrs)}>${xmlText(text)}</${name}>`;

const linkElement = (link: AtomLink) =>
	`<link${attributes({ rel: link.rel, type: link.type, href: link.href })}/>`;

function entryXml(entry: AtomEntry): string {
	return [
		'<entry>',
		element('id', entry.id),
		element('title', entry.title, { type: 'text' }),
		element('updated', entry.updated.toISOString()),
		entry.published ? element('published', entry.published.toISOString()) : '',
		...entry.authors.map((name) => `<author>${element('name', name)}</author>`),
		linkElement({ rel: 'alternate', type: 'text/html', href: entry.link }),
		element('summary', entry.summary, { type: 'text' }),
		...entry.categories.map(
			(category) =>
				`<category${attributes({ term: category.term, scheme: category.scheme, label: category.label })}/>`
		),
		'</entry>'
	]
		.filter(Boolean)
		.join('\n');
}

export function atomXml(feed: AtomFeed): string {
	return [
		'<?xml version="1.0" encoding="utf-8"?>',
		`<feed xmlns="http://www.w3.org/2005/Atom"${attributes({ 'xml:lang': feed.language })}>`,
		element('id', feed.id),
		element('title', feed.title, { type: 'text' }),
		feed.subtitle ? element('subtitle', feed.subtitle, { type: 'text' }) : '',
		element('updated', feed.updated.toISOString()),
		...feed.links.map(linkElement),
		feed.generator ? element('generator', feed.generator) : '',
		feed.rights ? element('rights', feed.rights, { type: 'text' }) : '',
		...feed.entries.map(entryXml),
		'</feed>',
		''
	]
		.filter((line, index, lines) => line !== '' || index === lines.length - 1)
		.join('\n');
}

/**
 * A tag: URI (RFC 4151) that stays the same if the site moves or a slug changes. Tag URIs take
 * a host name without a port.
 */
export function tagUri(origin: string, year: number, specific: string): string {
	return `tag:${new URL(origin).hostname},${year}:${specific}`;
}
