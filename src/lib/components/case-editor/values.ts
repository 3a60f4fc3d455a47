/**
 * What the case-study editor shows and sends back: every field as the text the user typed, so a
 * failed save, a preview or "add rows" re-renders the form with nothing lost. Safe for the browser.
 */
import { markdownFields, type MarkdownField } from '$lib/case-study-fields';

export const rowGroups = ['stakeholders', 'results', 'sources'] as const;
export type RowGroup = (typeof rowGroups)[number];

export const rowFields = {
	stakeholders: ['name', 'role', 'organisation'],
	results: ['indicator', 'sdgIndicator', 'baseline', 'result', 'unit', 'year', 'source'],
	sources: ['title', 'url']
} as const satisfies Record<RowGroup, readonly string[]>;

export type StakeholderRow = Record<(typeof rowFields.stakeholders)[number], string>;
export type ResultRow = Record<(typeof rowFields.results)[number], string>;
export type SourceRow = Record<(typeof rowFields.sources)[number], string>;

export const tagGroups = [
	'themes',
	'sdgTargets',
	'domains',
	'technologies',
	'beneficiaryGroups',
	'fundingModels'
] as const;
export type TagGroup = (typeof tagGroups)[number];

export const longTextFields = markdownFields;
export type LongTextField = MarkdownField;

export type CaseEditorValues = Record<LongTextField, string> &
	Record<TagGroup, string[]> & {
		title: string;
		summary: string;
		startYear: string;
		endYear: string;
		status: string;
		budget: { amount: string; currency: string };
		stakeholders: StakeholderRow[];
		results: ResultRow[];
		sources: SourceRow[];
		/** One standard per line. */
		standards: string;
		language: string;
		licence: string;
		countryCode: string;
		cityId: string;
		/** The city search box (not saved). */
		cityQuery: string;
	};

/** Empty rows offered below the filled ones in each row group. */
export type BlankRows = Record<RowGroup, number>;
export const defaultBlankRows: BlankRows = { stakeholders: 2, results: 2, sources: 2 };

export function emptyRow<G extends RowGroup>(
	group: G
): Record<(typeof rowFields)[G][number], string> {
	return Object.fromEntries(rowFields[group].map((field) => [field, ''])) as Record<
		(typeof rowFields)[G][number],
		string
	>;
}

export function emptyValues(
	defaults: Partial<Pick<CaseEditorValues, 'countryCode' | 'cityId' | 'language'>> = {}
): CaseEditorValues {
	return {
		title: '',
		summary: '',
		context: '',
		objectives: '',
		whatWasDone: '',
		enablingFactors: '',
		constraints: '',
		lessons: '',
		transferability: '',
		startYear: '',
		endYear: '',
		status: '',
		budget: { amount: '', currency: '' },
		fundingModels: [],
		themes: [],
		sdgTargets: [],
		domains: [],
		technologies: [],
		beneficiaryGroups: [],
		stakeholders: [],
		results: [],
		sources: [],
		standards: '',
		language: defaults.language ?? 'en',
		licence: 'CC-BY-4.0',
		countryCode: defaults.countryCode ?? '',
		cityId: defaults.cityId ?? '',
		cityQuery: ''
	};
}

type Choice = { id: string; label: string };

/** The choices the editor offers, labelled in the reader's language (built on the server). */
export type EditorOptions = {
	themes: Choice[];
	sdgTargets: (Choice & { text: string })[];
	sdgIndicators: { id: string; text: string }[];
	domains: Choice[];
	technologies: Choice[];
	beneficiaryGroups: Choice[];
	fundingModels: Choice[];
	statuses: Choice[];
	languages: Choice[];
	licences: Choice[];
	countries: Choice[];
	limits: {
		title: number;
		summary: number;
		longText: number;
		shortText: number;
		url: number;
		rows: number;
	};
};

export type CityChoice = { id: string; label: string };
export type PreviewField = { field: LongTextField; html: string };

/** What an editor action answers when it shows the form again (a refused save, a preview…). */
type EditorAnswer = {
	values?: CaseEditorValues;
	errors?: Record<string, string>;
	message?: string;
	cities?: CityChoice[];
	citySearched?: boolean;
	blankRows?: BlankRows;
	preview?: PreviewField[] | null;
};

/** The editor's changing props: the action's answer when there is one, else what the page loaded. */
export function editorProps(
	data: { values: CaseEditorValues; cities: CityChoice[]; blankRows: BlankRows },
	form: EditorAnswer | null | undefined
) {
	return {
		values: form?.values ?? data.values,
		errors: form?.errors || {},
		message: form?.message ?? null,
		cities: form?.cities ?? data.cities,
		citySearched: form?.citySearched ?? false,
		blankRows: form?.blankRows ?? data.blankRows,
		preview: form?.preview ?? null
	};
}
