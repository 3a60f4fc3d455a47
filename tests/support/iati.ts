import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validateXML } from 'xmllint-wasm';

/**
 * Validation of IATI activity files against the official 2.03 schema kept in
 * `tests/fixtures/iati-2.03/` (libxml2's xmllint, as WebAssembly), and small readers for the
 * export's own layout (one element a line, as `src/lib/server/iati/xml.ts` writes it).
 */

const schemaDir = resolve('tests/fixtures/iati-2.03');
const schemaFile = (fileName: string) => ({
	fileName,
	contents: readFileSync(resolve(schemaDir, fileName), 'utf8')
});

export async function validateIati(xml: string) {
	const result = await validateXML({
		xml: [{ fileName: 'activities.xml', contents: xml }],
		schema: [schemaFile('iati-activities-schema.xsd')],
		preload: [schemaFile('iati-common.xsd'), schemaFile('xml.xsd')],
		maxMemoryPages: 16 * 1024
	});
	return { valid: result.valid, errors: result.errors.map((error) => error.rawMessage) };
}

const entities: Record<string, string> = {
	'&amp;': '&',
	'&lt;': '<',
	'&gt;': '>',
	'&quot;': '"',
	'&apos;': "'"
};
export const unescapeXml = (text: string) =>
	text.replace(/&(amp|lt|gt|quot|apos);/g, (entity) => entities[entity]);

/** The activities of a file, each as its XML text, by iati-identifier. */
export function activitiesById(xml: string): Map<string, string> {
	const activities = new Map<string, string>();
	for (const match of xml.matchAll(/<iati-activity[ >][\s\S]*?<\/iati-activity>/g)) {
		const id = match[0].match(/<iati-identifier>([^<]*)<\/iati-identifier>/)?.[1];
		if (id) activities.set(unescapeXml(id), match[0]);
	}
	return activities;
}

/** The attributes of every `<name …>` element in the text, in order. */
export function elements(xml: string, name: string): Record<string, string>[] {
	return [...xml.matchAll(new RegExp(`<${name}((?:\\s+[\\w:-]+="[^"]*")*)\\s*/?>`, 'g'))].map(
		(match) =>
			Object.fromEntries(
				[...match[1].matchAll(/([\w:-]+)="([^"]*)"/g)].map(([, key, value]) => [
					key,
					unescapeXml(value)
				])
			)
	);
}

/** The text of every narrative in the text, unescaped. */
export const narratives = (xml: string) =>
	[...xml.matchAll(/<narrative>([\s\S]*?)<\/narrative>/g)].map((match) => unescapeXml(match[1]));
