import { inArray } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import * as partnerships from '$lib/server/partnerships';
import { cooperationTypeLabel, themeLabel } from '$lib/vocab/labels';
import type { ThemeId } from '$lib/vocab/themes';
import type { CooperationType, OrganisationKind } from '$lib/vocab/vocabularies';
import type { PartnershipStatus } from '$lib/vocab/matchmaking';
import {
	ACTIVITY_WEB_PAGE,
	activityDateType,
	activityStatusCode,
	IATI_VERSION,
	indicatorMeasure,
	organisationRoleCode,
	organisationTypeCode,
	REPORTING_ORG_TYPE,
	RESULT_TYPE_OUTCOME,
	SDG_INDICATOR_VOCABULARY,
	tagVocabulary,
	urbanDevelopmentSector
} from './codes';
import { el, textEl, xmlDocument, type XmlElement } from './xml';

/**
 * Public partnerships as IATI activities (standard version 2.03), in the element order the
 * activity schema requires. Only public records are read (every party consents to publish,
 * through the partnerships module's public reader); narratives are in the platform's default
 * language, English, since partnership records carry no language of their own.
 */

export type IatiOptions = {
	/** The site's origin, for the partnership pages and vocabulary links. */
	origin: string;
	/** The platform's IATI organisation identifier (reporting-org/@ref, identifier prefix). */
	reportingOrgRef: string;
	reportingOrgName?: string;
	now?: Date;
};

type PartnershipRecord = partnerships.PublicPartnership;
type ResultRow = PartnershipRecord['results'][number];

const CONTENT_LANGUAGE = 'en';
const EXPORT_PAGE = 100;

/** Every public partnership the filters select, newest first. */
export function publicRecords(db: Db, filters: partnerships.PartnershipFilters, now = new Date()) {
	const records: PartnershipRecord[] = [];
	let cursor: string | null = null;
	do {
		const page = partnerships.listPublicPartnerships(db, filters, {
			cursor,
			limit: EXPORT_PAGE,
			now
		});
		records.push(...page.data);
		cursor = page.next;
	} while (cursor);
	return records;
}

/** The kind of each party organisation (by slug), for participating-org/@type. */
function organisationKinds(db: Db, records: PartnershipRecord[]): Map<string, OrganisationKind> {
	const slugs = [...new Set(records.flatMap((r) => r.parties.map((p) => p.organisation)))];
	if (slugs.length === 0) return new Map();
	const rows = db
		.select({ slug: table.organisation.slug, kind: table.organisation.kind })
		.from(table.organisation)
		.where(inArray(table.organisation.slug, slugs))
		.all();
	return new Map(rows.map((row) => [row.slug, row.kind]));
}

/**
 * The IATI file of the public partnerships the filters select, and how many activities it holds.
 * IATI files hold at least one activity: with none, `xml` is null.
 */
export function iatiExport(db: Db, filters: partnerships.PartnershipFilters, options: IatiOptions) {
	const now = options.now ?? new Date();
	const records = publicRecords(db, filters, now);
	if (records.length === 0) return { count: 0, xml: null };
	return {
		count: records.length,
		xml: activitiesXml(records, organisationKinds(db, records), { ...options, now })
	};
}

export function activitiesXml(
	records: PartnershipRecord[],
	kinds: Map<string, OrganisationKind>,
	options: IatiOptions
): string {
	const now = options.now ?? new Date();
	return xmlDocument(
		el(
			'iati-activities',
			{ version: IATI_VERSION, 'generated-datetime': now.toISOString() },
			records.map((record) => activity(record, kinds, options))
		)
	);
}

/** The activity identifier: the reporting organisation's identifier, a hyphen, the record's id. */
export const activityIdentifier = (reportingOrgRef: string, partnershipId: string) =>
	`${reportingOrgRef}-${partnershipId}`;

const narrative = (text: string) => textEl('narrative', text);
const isoDate = (date: Date) => date.toISOString().slice(0, 10);

function activity(
	record: PartnershipRecord,
	kinds: Map<string, OrganisationKind>,
	options: IatiOptions
): XmlElement {
	const period = periodOf(record);
	const vocabularies = new URL('/api/v1/vocabularies', options.origin).toString();
	return el(
		'iati-activity',
		{
			'last-updated-datetime': record.lastActivityAt.toISOString(),
			'xml:lang': CONTENT_LANGUAGE
		},
		[
			textEl('iati-identifier', activityIdentifier(options.reportingOrgRef, record.id)),
			// The platform reproduces what its members record: a secondary reporter.
			el(
				'reporting-org',
				{ ref: options.reportingOrgRef, type: REPORTING_ORG_TYPE, 'secondary-reporter': '1' },
				[narrative(options.reportingOrgName ?? 'CityBridge')]
			),
			el('title', {}, [narrative(record.title)]),
			// IATI requires a description; a record without one repeats its title.
			el('description', { type: '1' }, [
				narrative(record.description.trim() ? record.description : record.title)
			]),
			...record.parties.map((party) =>
				el(
					'participating-org',
					{
						role: organisationRoleCode[party.role],
						type: kinds.has(party.organisation)
							? organisationTypeCode[kinds.get(party.organisation)!]
							: undefined
					},
					[narrative(party.name)]
				)
			),
			el('activity-status', { code: activityStatusCode[record.status] }),
			...activityDates(record, period),
			...recipientCountries(record),
			el('sector', urbanDevelopmentSector),
			...tags(record, vocabularies),
			el(
				'document-link',
				{
					format: 'text/html',
					url: new URL(record.path, options.origin).toString()
				},
				[
					el('title', {}, [narrative(record.title)]),
					el('category', { code: ACTIVITY_WEB_PAGE }),
					el('language', { code: CONTENT_LANGUAGE })
				]
			),
			...record.results.map((result) => resultElement(result, period))
		]
	);
}

/** When the record's status history says the partnership reached a status. */
function reached(record: PartnershipRecord, status: PartnershipStatus): Date | null {
	return record.statusHistory.find((change) => change.to === status)?.at ?? null;
}

/**
 * The partnership's period: it starts when it became active (or, not started yet, when it was
 * agreed or proposed) and ends when it was completed or discontinued (or, still open, at its
 * last activity).
 */
function periodOf(record: PartnershipRecord) {
	const started = reached(record, 'active');
	const ended =
		record.status === 'completed' || record.status === 'discontinued'
			? reached(record, record.status)
			: null;
	const start = started ?? reached(record, 'agreed') ?? record.createdAt;
	const end = ended ?? record.lastActivityAt;
	return { started, ended, start, end: end < start ? start : end };
}
type Period = ReturnType<typeof periodOf>;

/**
 * Actual start (became active) or, before that, planned start (agreed, else proposed: IATI needs
 * a start date); planned end, the last milestone's due date; actual end (completed or
 * discontinued).
 */
function activityDates(record: PartnershipRecord, period: Period): XmlElement[] {
	const dates: XmlElement[] = [
		period.started
			? el('activity-date', {
					type: activityDateType.actualStart,
					'iso-date': isoDate(period.started)
				})
			: el('activity-date', {
					type: activityDateType.plannedStart,
					'iso-date': isoDate(period.start)
				})
	];
	const plannedEnd = record.milestones
		.map((milestone) => milestone.dueOn)
		.filter((due): due is string => Boolean(due))
		.sort()
		.at(-1);
	if (plannedEnd) {
		dates.push(el('activity-date', { type: activityDateType.plannedEnd, 'iso-date': plannedEnd }));
	}
	if (period.ended) {
		dates.push(
			el('activity-date', { type: activityDateType.actualEnd, 'iso-date': isoDate(period.ended) })
		);
	}
	return dates;
}

/**
 * The beneficiaries' countries; several share the activity in equal percentages that add up to
 * exactly 100, as IATI asks.
 */
function recipientCountries(record: PartnershipRecord): XmlElement[] {
	const countries = [
		...new Set(
			record.parties.filter((party) => party.role === 'beneficiary').map((party) => party.country)
		)
	];
	if (countries.length <= 1) return countries.map((code) => el('recipient-country', { code }));
	const share = Math.floor(10_000 / countries.length) / 100;
	return countries.map((code, index) =>
		el('recipient-country', {
			code,
			percentage:
				index === countries.length - 1
					? (Math.round((100 - share * (countries.length - 1)) * 100) / 100).toString()
					: share.toString()
		})
	);
}

/**
 * SDG 11 and its targets (IATI's SDG tag vocabularies), then the SEJONG themes and cooperation
 * types in the platform's own vocabulary (99), each told apart by its vocabulary URI.
 */
function tags(record: PartnershipRecord, vocabularies: string): XmlElement[] {
	const own = (list: string, code: string, label: string) =>
		el(
			'tag',
			{
				vocabulary: tagVocabulary.reportingOrganisation,
				'vocabulary-uri': `${vocabularies}#${list}`,
				code
			},
			[narrative(label)]
		);
	return [
		...(record.sdgTargets.length > 0
			? [el('tag', { vocabulary: tagVocabulary.sdgGoal, code: '11' })]
			: []),
		...record.sdgTargets.map((target) =>
			el('tag', { vocabulary: tagVocabulary.sdgTarget, code: target })
		),
		...record.themes.map((theme) =>
			own('themes', theme, themeLabel(theme as ThemeId, CONTENT_LANGUAGE))
		),
		...record.cooperationTypes.map((type) =>
			own('cooperationTypes', type, cooperationTypeLabel(type as CooperationType, CONTENT_LANGUAGE))
		)
	];
}

const isNumber = (value: string) => /^[+-]?\d+(\.\d+)?$/.test(value.trim());
const isPercentUnit = (unit: string) => /^(%|percent|per cent|percentage)$/i.test(unit.trim());

/**
 * A result row as an IATI outcome with one indicator: numbers go in value attributes (measure
 * unit or percentage), words in comments (measure qualitative). The baseline is dated to the
 * partnership's start; the result to its year, or without one to the partnership's period.
 */
function resultElement(result: ResultRow, period: Period): XmlElement {
	const baseline = result.baseline.trim();
	const quantitative = isNumber(result.result) && (baseline === '' || isNumber(baseline));
	const measure = !quantitative
		? indicatorMeasure.qualitative
		: isPercentUnit(result.unit)
			? indicatorMeasure.percentage
			: indicatorMeasure.unit;
	const valueOf = (value: string) =>
		quantitative
			? { attributes: { value: value.trim() }, children: [] }
			: {
					attributes: {},
					children: [el('comment', {}, [narrative(value)])]
				};
	const title = result.unit.trim()
		? `${result.indicator} (${result.unit.trim()})`
		: result.indicator;
	const baselineValue = valueOf(baseline);
	const actual = valueOf(result.result);
	const [start, end] =
		result.year !== null
			? [`${result.year}-01-01`, `${result.year}-12-31`]
			: [isoDate(period.start), isoDate(period.end)];
	return el('result', { type: RESULT_TYPE_OUTCOME }, [
		el('title', {}, [narrative(result.indicator)]),
		el('indicator', { measure }, [
			el('title', {}, [narrative(title)]),
			result.sdgIndicator
				? el('reference', { vocabulary: SDG_INDICATOR_VOCABULARY, code: result.sdgIndicator })
				: null,
			baseline !== '' &&
				el(
					'baseline',
					{
						// Measured before the work began, and never after the result it compares with.
						year: Math.min(period.start.getUTCFullYear(), result.year ?? Infinity),
						...baselineValue.attributes
					},
					baselineValue.children
				),
			el('period', {}, [
				el('period-start', { 'iso-date': start }),
				el('period-end', { 'iso-date': end }),
				el('actual', actual.attributes, actual.children)
			])
		])
	]);
}
