/**
 * UN M49 regions and the sub-regions countries are grouped in (the intermediate regions such as
 * Eastern Africa are folded into their sub-region). Antarctica (010) has no M49 region; here it is
 * its own region and sub-region, so every country has both.
 */
export const regionCodes = ['002', '019', '142', '150', '009', '010'] as const;
export type RegionCode = (typeof regionCodes)[number];

export const subregionsByRegion = {
	'002': ['015', '202'],
	'019': ['419', '021'],
	'142': ['143', '030', '035', '034', '145'],
	'150': ['151', '154', '039', '155'],
	'009': ['053', '054', '057', '061'],
	'010': ['010']
} as const satisfies Record<RegionCode, readonly string[]>;

export type SubregionCode = (typeof subregionsByRegion)[RegionCode][number];

/** Regions people live in: Antarctica has no cities, so no one there asks or is served. */
export const inhabitedRegionCodes = regionCodes.filter((code) => code !== '010');

export const subregionCodes = Object.values(subregionsByRegion).flat() as SubregionCode[];

export function isRegionCode(code: string): code is RegionCode {
	return (regionCodes as readonly string[]).includes(code);
}

export function isSubregionCode(code: string): code is SubregionCode {
	return (subregionCodes as readonly string[]).includes(code);
}
