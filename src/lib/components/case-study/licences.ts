/** The licences a case study may carry (ids as in the input schema), with their legal code. */
export const licenceDetails: Record<string, { name: string; url: string }> = {
	'CC-BY-4.0': {
		name: 'Creative Commons Attribution 4.0 (CC BY 4.0)',
		url: 'https://creativecommons.org/licenses/by/4.0/'
	},
	'CC-BY-SA-4.0': {
		name: 'Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)',
		url: 'https://creativecommons.org/licenses/by-sa/4.0/'
	},
	'CC0-1.0': {
		name: 'Creative Commons Zero 1.0 (CC0 1.0)',
		url: 'https://creativecommons.org/publicdomain/zero/1.0/'
	}
};

/** The licence's name and link; an unknown id is shown as it is, without a link. */
export function licenceOf(id: string): { name: string; url: string | null } {
	return licenceDetails[id] ?? { name: id, url: null };
}
