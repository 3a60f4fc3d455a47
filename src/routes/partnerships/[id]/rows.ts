import { rowFields, type ResultRow } from '$lib/components/case-editor/values';

/** The row groups of the partnership page's forms, as the browser sends them. */
export const rowGroups = ['milestones', 'results'] as const;
export type RowGroup = (typeof rowGroups)[number];

export const milestoneFields = ['title', 'dueOn', 'doneOn'] as const;
/** Result rows are those of the case-study editor. */
export const resultFields = rowFields.results;

export type MilestoneRow = Record<(typeof milestoneFields)[number], string>;
export type { ResultRow };
