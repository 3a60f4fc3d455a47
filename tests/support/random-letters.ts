/**
 * Lower-case letters only, so a word made with them is one search token of a known length: tests
 * that share a server search for words no other test writes.
 */
export function randomLetters(length: number): string {
	let letters = '';
	for (let i = 0; i < length; i++)
		letters += String.fromCharCode(97 + Math.floor(Math.random() * 26));
	return letters;
}
