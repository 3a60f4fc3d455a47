/**
 * The long Markdown fields of a case study, in page order. Plain TypeScript without `$lib`
 * imports, so the server, the editor component and the browser tests share this one list.
 */
export const markdownFields = [
	'context',
	'objectives',
	'whatWasDone',
	'enablingFactors',
	'constraints',
	'lessons',
	'transferability'
] as const;
export type MarkdownField = (typeof markdownFields)[number];
