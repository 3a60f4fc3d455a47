/**
 * Reads a user's query: words, "quoted phrases", -exclusions, the last word as a prefix while
 * typing, stop words. Pure: the SQLite engine turns the result into an FTS5 expression of quoted
 * tokens only (nothing the user types is FTS syntax), the Meilisearch engine into its own query.
 */

/** Longer queries are cut: nobody types more, and a long query is slow to run. */
export const MAX_QUERY_LENGTH = 200;
/** The most words and phrases one query uses; the rest are ignored. */
export const MAX_QUERY_TERMS = 12;

/**
 * Frequent function words of the site's languages and Spanish (DESIGN.md users), dropped from a
 * query unless every word is one or they sit in a phrase: they are in most documents, so they
 * only slow the search and blur the ranking.
 */
export const stopWords: ReadonlySet<string> = new Set([
	// English
	'a',
	'an',
	'and',
	'are',
	'as',
	'at',
	'be',
	'by',
	'for',
	'from',
	'has',
	'have',
	'how',
	'in',
	'into',
	'is',
	'it',
	'its',
	'of',
	'on',
	'or',
	'that',
	'the',
	'their',
	'this',
	'to',
	'was',
	'were',
	'what',
	'which',
	'with',
	// French (d', l' and s' are split off by the tokenizer)
	'au',
	'aux',
	'avec',
	'ce',
	'ces',
	'd',
	'dans',
	'de',
	'des',
	'du',
	'elle',
	'en',
	'est',
	'et',
	'il',
	'ils',
	'l',
	'la',
	'le',
	'les',
	'leur',
	'ou',
	'par',
	'pour',
	'qui',
	'que',
	's',
	'sur',
	'un',
	'une',
	// Spanish
	'al',
	'con',
	'del',
	'el',
	'es',
	'las',
	'lo',
	'los',
	'o',
	'para',
	'por',
	'se',
	'su',
	'sus',
	'una',
	'uno',
	'y'
]);

/** A word character as FTS5's unicode61 tokenizer sees it: letters, digits and marks. */
const wordPattern = /[\p{L}\p{N}\p{M}]+/gu;

/** Lower case without diacritics, as the index stores terms (`remove_diacritics 2`). */
export function foldWord(word: string): string {
	// Most words are plain ASCII: lower case is all they need (snippets fold every word).
	if (/^[ -~]*$/.test(word)) return word.toLowerCase();
	return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a text as typed (not folded), in order. */
export function rawWordsOf(text: string): string[] {
	return text.match(wordPattern) ?? [];
}

/** The folded words of a text: what the index would hold for it. */
export function wordsOf(text: string): string[] {
	return rawWordsOf(text)
		.map(foldWord)
		.filter((word) => word.length > 0);
}

export interface QueryClause {
	/** 'word': one word, typo tolerant; 'phrase': words that must follow each other, exact. */
	kind: 'word' | 'phrase';
	/** Folded words (one for a word). */
	words: string[];
	/** As typed, to show a corrected query back. */
	raw: string;
	/** Led by a minus: documents containing it are left out. */
	negated: boolean;
	/** The last word while typing: also matches longer words it starts. */
	prefix: boolean;
	/** Kept for display but not searched: a stop word among other words, or over the cap. */
	ignored: boolean;
}

export interface ParsedQuery {
	/** Every clause as typed, ignored ones included (for `formatQuery`). */
	clauses: QueryClause[];
	/** The clauses to search for: not negated and not ignored. */
	required: QueryClause[];
	/** The clauses to exclude. */
	excluded: QueryClause[];
}

function clause(
	kind: QueryClause['kind'],
	words: string[],
	raw: string,
	negated: boolean
): QueryClause {
	return { kind, words, raw, negated, prefix: false, ignored: false };
}

/** Splits the text into clauses; `fromPlainText` marks the clauses a trailing prefix may apply to. */
export function parseQuery(input: string): ParsedQuery {
	const text = input.slice(0, MAX_QUERY_LENGTH);
	const clauses: QueryClause[] = [];
	let lastIsPlainWord = false;
	let i = 0;
	while (i < text.length) {
		if (/\s/u.test(text[i])) {
			i += 1;
			continue;
		}
		let negated = false;
		if (text[i] === '-' && i + 1 < text.length && !/\s/u.test(text[i + 1])) {
			negated = true;
			i += 1;
		}
		if (text[i] === '"') {
			const close = text.indexOf('"', i + 1);
			if (close !== -1) {
				const content = text.slice(i + 1, close);
				const words = wordsOf(content);
				if (words.length) clauses.push(clause('phrase', words, content.trim(), negated));
				lastIsPlainWord = false;
				i = close + 1;
				continue;
			}
			// An unbalanced quote: the rest is read as plain words.
			i += 1;
			continue;
		}
		let end = i;
		while (end < text.length && !/\s/u.test(text[end]) && text[end] !== '"') end += 1;
		const chunk = text.slice(i, end);
		i = end;
		const raws = rawWordsOf(chunk);
		if (raws.length === 0) continue;
		if (negated) {
			const words = raws.map(foldWord);
			clauses.push(clause(words.length > 1 ? 'phrase' : 'word', words, raws.join(' '), true));
			lastIsPlainWord = false;
			continue;
		}
		for (const raw of raws) clauses.push(clause('word', [foldWord(raw)], raw, false));
		lastIsPlainWord = true;
	}

	const endsWithSpace = /\s$/u.test(text);
	const last = clauses.at(-1);
	if (last && lastIsPlainWord && !endsWithSpace) last.prefix = true;
	// One letter being typed after other words would match nearly everything: wait for more.
	const typingOneLetter =
		last?.prefix === true &&
		[...last.words[0]].length === 1 &&
		clauses.some((c) => c !== last && !c.negated);

	const positive = clauses.filter((c) => !c.negated);
	const isStopWord = (c: QueryClause) => c.kind === 'word' && stopWords.has(c.words[0]);
	const onlyStopWords = positive.length > 0 && positive.every(isStopWord);
	let counted = 0;
	for (const c of clauses) {
		if (isStopWord(c) && (c.negated || !onlyStopWords)) c.ignored = true;
		else if (c === last && typingOneLetter) c.ignored = true;
		else if (counted >= MAX_QUERY_TERMS) c.ignored = true;
		else counted += 1;
	}
	return {
		clauses,
		required: clauses.filter((c) => !c.negated && !c.ignored),
		excluded: clauses.filter((c) => c.negated && !c.ignored)
	};
}

/**
 * One FTS5 string token: the words in double quotes (a phrase when several), `*` for a prefix.
 * Words hold only letters, digits and marks, so nothing in them is FTS syntax; quotes are
 * doubled anyway, as FTS5 requires.
 */
export function ftsString(words: string[], prefix = false): string {
	return `"${words.join(' ').replaceAll('"', '""')}"${prefix ? '*' : ''}`;
}

/**
 * The query as text again, every clause in its place, with some clauses' words replaced (typo
 * corrections keyed by clause): what a "did you mean" line shows.
 */
export function formatQuery(
	parsed: ParsedQuery,
	replacements: ReadonlyMap<QueryClause, string> = new Map()
): string {
	return parsed.clauses
		.map((c) => {
			const text = replacements.get(c) ?? c.raw;
			const body = c.kind === 'phrase' ? `"${text}"` : text;
			return c.negated ? `-${body}` : body;
		})
		.join(' ');
}
