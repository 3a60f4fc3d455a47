/**
 * Typo tolerance as Meilisearch does it by default: words under 5 letters must match exactly,
 * words of 5 to 8 letters may have one typo, longer words two; the first letter is never a typo.
 * Pure, so both engines and the tests agree on what counts as a typo.
 */

/** The shortest words that may have one and two typos (Meilisearch's `minWordSizeForTypos`). */
export const minWordSizeForTypos = { oneTypo: 5, twoTypos: 9 } as const;

/** How many typos a query word of this length may have. */
export function typoBudget(word: string): 0 | 1 | 2 {
	const length = [...word].length;
	if (length >= minWordSizeForTypos.twoTypos) return 2;
	if (length >= minWordSizeForTypos.oneTypo) return 1;
	return 0;
}

/**
 * Damerau–Levenshtein distance (optimal string alignment: insert, delete, substitute, swap two
 * neighbours), counted in code points. Stops early and returns `max + 1` once the distance is
 * certainly above `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
	const s = [...a];
	const t = [...b];
	if (Math.abs(s.length - t.length) > max) return max + 1;
	if (s.length === 0) return t.length;
	if (t.length === 0) return s.length;
	let previousPrevious: number[] = [];
	let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
	for (let i = 1; i <= s.length; i += 1) {
		const current = [i];
		let rowMinimum = i;
		for (let j = 1; j <= t.length; j += 1) {
			const cost = s[i - 1] === t[j - 1] ? 0 : 1;
			let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
			if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
				value = Math.min(value, previousPrevious[j - 2] + 1);
			}
			current.push(value);
			if (value < rowMinimum) rowMinimum = value;
		}
		if (rowMinimum > max) return max + 1;
		previousPrevious = previous;
		previous = current;
	}
	return previous[t.length];
}

/**
 * The number of typos between a query word and an indexed term, or null when the term is not a
 * tolerated variant of the word (over budget, or a different first letter). 0 means identical.
 */
export function typoDistance(word: string, term: string): number | null {
	if (word === term) return 0;
	const budget = typoBudget(word);
	if (budget === 0) return null;
	const first = word.codePointAt(0);
	if (first === undefined || first !== term.codePointAt(0)) return null;
	const distance = editDistance(word, term, budget);
	return distance <= budget ? distance : null;
}

/** The length range (in code points) a tolerated variant of the word can have. */
export function variantLengthRange(word: string): { min: number; max: number } {
	const length = [...word].length;
	const budget = typoBudget(word);
	return { min: Math.max(1, length - budget), max: length + budget };
}
