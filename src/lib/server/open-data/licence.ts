/** The licence of the open data: stated in every bulk record, the bulk index and a Link header. */
export const LICENCE = {
	id: 'CC-BY-4.0',
	url: 'https://creativecommons.org/licenses/by/4.0/',
	name: 'Creative Commons Attribution 4.0 International'
} as const;

/** How to credit the data, with a link back to where it came from. */
export const attributionText = (origin: string) =>
	`CityBridge contributors, ${new URL('/open-data', origin).toString()}, CC BY 4.0`;

export const licenceLinkHeader = `<${LICENCE.url}>; rel="license"`;
