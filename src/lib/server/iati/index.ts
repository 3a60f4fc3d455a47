/**
 * The IATI activity export (standard version 2.03) of public partnerships. Import as
 * `import * as iati from '$lib/server/iati'`.
 */
export {
	activitiesXml,
	activityIdentifier,
	iatiExport,
	publicRecords,
	type IatiOptions
} from './activities';
export * from './codes';
