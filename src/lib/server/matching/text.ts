/**
 * Text relevance for matching: TF-IDF vectors over the words of needs, offers and case studies,
 * compared by cosine. Pure and fast: vectors are sparse (sorted term ids with weights, length 1),
 * built once per cache load; comparing two is one merge of their term lists.
 */
import { foldWord, rawWordsOf, stopWords } from '$lib/server/search/query';

export interface SparseVector {
	/** Term ids, ascending. */
	ids: Uint32Array;
	/** Weight of each term, the vector scaled to length 1. */
	weights: Float32Array;
}

export const emptyVector: SparseVector = { ids: new Uint32Array(0), weights: new Float32Array(0) };

/**
 * Words every listing uses whatever its subject (besides the search's stop words): they would only
 * blur the comparison.
 */
const matchingStopWords: ReadonlySet<string> = new Set([
	'about',
	'also',
	'but',
	'can',
	'city',
	'cities',
	'could',
	'each',
	'had',
	'more',
	'most',
	'need',
	'not',
	'other',
	'our',
	'over',
	'such',
	'than',
	'them',
	'then',
	'there',
	'these',
	'they',
	'those',
	'through',
	'under',
	'very',
	'who',
	'will',
	'would',
	'ville',
	'villes',
	'nous',
	'notre',
	'nos',
	'plus',
	'sont',
	'ont',
	'pas',
	'son',
	'ses',
	'entre'
]);

/** Folds a plural into its singular in the common English and French cases ("floods" → "flood"). */
function stem(word: string): string {
	if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
	if (word.length > 4 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
	return word;
}

/** The terms of a text: folded, stemmed, without stop words, numbers or one- and two-letter words. */
export function termsOf(text: string): string[] {
	const terms: string[] = [];
	for (const raw of rawWordsOf(text)) {
		const word = foldWord(raw);
		if (word.length < 3 || /^\d+$/.test(word)) continue;
		if (stopWords.has(word) || matchingStopWords.has(word)) continue;
		terms.push(stem(word));
	}
	return terms;
}

/**
 * Builds TF-IDF vectors for a corpus: each document's terms weighed by (1 + ln tf) × idf, with
 * idf = ln((N + 1) / (df + 1)) + 1. Returns the vectors in input order and the term of each id.
 */
export function buildVectors(documents: readonly string[][]): {
	vectors: SparseVector[];
	words: string[];
} {
	const idOf = new Map<string, number>();
	const words: string[] = [];
	const documentFrequency: number[] = [];
	const counted = documents.map((terms) => {
		const counts = new Map<number, number>();
		for (const term of terms) {
			let id = idOf.get(term);
			if (id === undefined) {
				id = words.length;
				idOf.set(term, id);
				words.push(term);
				documentFrequency.push(0);
			}
			counts.set(id, (counts.get(id) ?? 0) + 1);
		}
		for (const id of counts.keys()) documentFrequency[id] += 1;
		return counts;
	});
	const total = documents.length;
	const vectors = counted.map((counts) => {
		const ids = Uint32Array.from([...counts.keys()].sort((a, b) => a - b));
		const weights = new Float32Array(ids.length);
		let norm = 0;
		for (let k = 0; k < ids.length; k += 1) {
			const idf = Math.log((total + 1) / (documentFrequency[ids[k]] + 1)) + 1;
			const weight = (1 + Math.log(counts.get(ids[k])!)) * idf;
			weights[k] = weight;
			norm += weight * weight;
		}
		norm = Math.sqrt(norm);
		if (norm > 0) for (let k = 0; k < weights.length; k += 1) weights[k] /= norm;
		return { ids, weights };
	});
	return { vectors, words };
}

/** Cosine similarity of two unit vectors: the sum of the products of their common terms. */
export function cosine(a: SparseVector, b: SparseVector): number {
	let i = 0;
	let j = 0;
	let sum = 0;
	const ai = a.ids;
	const bi = b.ids;
	while (i < ai.length && j < bi.length) {
		if (ai[i] === bi[j]) {
			sum += a.weights[i] * b.weights[j];
			i += 1;
			j += 1;
		} else if (ai[i] < bi[j]) i += 1;
		else j += 1;
	}
	return sum;
}

/** The ids of the common terms that weigh most in the cosine, heaviest first (ties: lower id). */
export function topSharedTerms(a: SparseVector, b: SparseVector, count: number): number[] {
	const shared: [id: number, product: number][] = [];
	let i = 0;
	let j = 0;
	while (i < a.ids.length && j < b.ids.length) {
		if (a.ids[i] === b.ids[j]) {
			shared.push([a.ids[i], a.weights[i] * b.weights[j]]);
			i += 1;
			j += 1;
		} else if (a.ids[i] < b.ids[j]) i += 1;
		else j += 1;
	}
	shared.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
	return shared.slice(0, count).map(([id]) => id);
}
