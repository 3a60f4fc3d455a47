/**
 * Highlighted, HTML-safe snippets. Matches are first wrapped in two private-use characters that
 * no user text may contain (they are removed from the text first), the text is escaped, and only
 * then the markers become <mark> tags: nothing a user wrote can open or close a tag. Shared by
 * both engines (Meilisearch highlights with the same markers).
 */
import { foldWord } from './query';

export const markStart = '\uE000';
export const markEnd = '\uE001';
const markers = /[\uE000\uE001]/gu;

/** Words of a snippet: about two lines on a phone. */
export const SNIPPET_WORDS = 30;

const htmlEscapes: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;'
};

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (character) => htmlEscapes[character]);
}

const htmlUnescapes = new Map(Object.entries(htmlEscapes).map(([text, entity]) => [entity, text]));

/** A snippet as plain text: its <mark> tags dropped and escapeHtml undone. */
export function snippetText(html: string): string {
	return html
		.replace(/<\/?mark>/g, '')
		.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => htmlUnescapes.get(entity)!);
}

/** Drops the private-use marker characters from user text. */
export function stripMarkers(text: string): string {
	return text.replace(markers, '');
}

/**
 * Text with markers around matches → HTML with <mark> around them. Unbalanced markers are
 * closed or dropped so the HTML always nests.
 */
export function markersToHtml(marked: string): string {
	let open = false;
	let html = '';
	for (const part of marked.split(/([\uE000\uE001])/u)) {
		if (part === markStart) {
			if (!open) html += '<mark>';
			open = true;
		} else if (part === markEnd) {
			if (open) html += '</mark>';
			open = false;
		} else {
			html += escapeHtml(part);
		}
	}
	return open ? `${html}</mark>` : html;
}

/** Decides whether a folded word of the text matches the query. */
export type WordMatcher = (foldedWord: string) => boolean;

/** A matcher for exact terms and prefixes (all folded). */
export function termMatcher(terms: Iterable<string>, prefixes: Iterable<string> = []): WordMatcher {
	const exact = new Set(terms);
	const starts = [...prefixes].filter((prefix) => prefix.length > 0);
	return (word) => exact.has(word) || starts.some((prefix) => word.startsWith(prefix));
}

const tokenPattern = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * About `words` words of the text around its first match, matches marked, HTML-escaped, with an
 * ellipsis where text was cut. Without a match: the opening words.
 */
export function snippet(text: string, isMatch: WordMatcher, words = SNIPPET_WORDS): string {
	const clean = stripMarkers(text).replace(/\s+/gu, ' ').trim();
	const tokens = [...clean.matchAll(tokenPattern)].map((match) => ({
		start: match.index,
		end: match.index + match[0].length,
		matched: isMatch(foldWord(match[0]))
	}));
	if (tokens.length === 0) return escapeHtml(clean);
	const first = tokens.findIndex((token) => token.matched);
	// A few words of context before the first match, so it does not open the snippet cold.
	let from = first <= 0 ? 0 : Math.max(0, first - Math.floor(words / 4));
	const to = Math.min(tokens.length, from + words);
	from = Math.max(0, Math.min(from, to - words));

	const startOffset = from === 0 ? 0 : tokens[from].start;
	const endOffset = to === tokens.length ? clean.length : tokens[to - 1].end;
	let marked = '';
	let cursor = startOffset;
	for (let index = from; index < to; index += 1) {
		const token = tokens[index];
		if (!token.matched) continue;
		marked += clean.slice(cursor, token.start) + markStart + clean.slice(token.start, token.end);
		marked += markEnd;
		cursor = token.end;
	}
	marked += clean.slice(cursor, endOffset);
	const html = markersToHtml(marked.trim());
	return `${startOffset > 0 ? '… ' : ''}${html}${endOffset < clean.length ? ' …' : ''}`;
}
