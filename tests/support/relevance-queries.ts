/*
 * The relevance set: queries people would type on CityBridge, over the demo content
 * (db/demo/case-studies.json), each with the published case studies that must be among the
 * first three hits. Hits of other kinds (organisations) may share the top three.
 */

export interface RelevanceQuery {
	q: string;
	/** What the query stands for, when it is not plain. */
	why?: string;
	/** Every one of these case-study slugs must be in the top three. */
	top3: string[];
	/** Case studies that must never come back at all (unpublished). */
	never?: string[];
	/** Facet filters, as the /search page would send them. */
	filters?: Record<string, string[]>;
}

export const relevanceQueries: RelevanceQuery[] = [
	// Topics.
	{
		q: 'bus rapid transit',
		top3: ['dar-es-salaam-dart-brt', 'bogota-transmilenio-brt', 'curitiba-integrated-bus-network']
	},
	{ q: 'bus rapid transit Dar es Salaam', top3: ['dar-es-salaam-dart-brt'] },
	{ q: 'BRT Bogotá', top3: ['bogota-transmilenio-brt'] },
	{
		q: 'cable car',
		top3: ['medellin-metrocable', 'la-paz-mi-teleferico', 'santo-domingo-teleferico']
	},
	{
		q: 'participatory budgeting',
		top3: ['pune-participatory-budgeting', 'porto-alegre-participatory-budgeting']
	},
	{ q: 'waste pickers cooperative', top3: ['pune-swach-waste-pickers'] },
	{ q: 'air quality sensors', top3: ['kampala-airqo-air-quality'] },
	{ q: 'heat officer', top3: ['freetown-market-shade-heat', 'dhaka-north-chief-heat-officer'] },
	{ q: 'heatwave early warning', top3: ['ahmedabad-heat-action-plan'] },
	{
		q: 'earthquake housing reconstruction',
		top3: ['nepal-owner-driven-housing-reconstruction', 'port-au-prince-safer-masonry-housing']
	},
	{ q: 'non-revenue water', top3: ['phnom-penh-water-supply-turnaround'] },
	{ q: 'drinking water from wastewater', top3: ['windhoek-direct-potable-reuse'] },
	{ q: 'drought water restrictions', top3: ['cape-town-day-zero-water'] },
	{ q: 'urban wetlands flood', top3: ['colombo-wetland-city'] },
	{ q: 'plastic bottles bus fare', top3: ['surabaya-plastic-bottle-bus'] },
	{ q: 'drone delivery of blood', top3: ['rwanda-zipline-drone-delivery'] },
	{ q: 'women safe public transport', top3: ['port-moresby-meri-seif-bus'] },
	{ q: 'pedestrian square', top3: ['tirana-skanderbeg-square'] },
	{ q: 'urban agriculture', top3: ['quito-agrupar-urban-agriculture'] },
	{ q: 'emergency bike lanes', top3: ['bogota-emergency-bike-lanes'] },
	{ q: 'online government services', top3: ['kigali-irembo-e-services'] },

	// Places: a city, a country, a name typed without its accents.
	{ q: 'Medellin', top3: ['medellin-metrocable', 'medellin-green-corridors'] },
	{ q: 'Ulaanbaatar', top3: ['ulaanbaatar-clean-air-stoves'] },
	{
		q: 'Nepal earthquake',
		top3: ['nepal-owner-driven-housing-reconstruction', 'kathmandu-living-labs-quakemap']
	},
	{ q: 'Bolivia', top3: ['la-paz-mi-teleferico', 'la-paz-zebra-urban-educators'] },
	{ q: 'Kyrgyzstan', top3: ['bishkek-tunduk-interoperability'] },
	{ q: 'Ethiopia light rail', top3: ['addis-ababa-light-rail'] },

	// A language half known: French labels and words.
	{
		q: 'qualité de l’air',
		why: 'French for air quality: the SDG 11.6 label in French, the case in English',
		top3: ['kampala-airqo-air-quality']
	},
	{
		q: 'gestion des déchets',
		why: 'French for waste management: "Déchets" is the French waste-domain label',
		top3: ['maputo-mopa-waste-monitoring']
	},
	{
		q: 'budget participatif',
		why: 'French for participatory budget',
		top3: ['porto-alegre-participatory-budgeting']
	},

	// Typos (one from 5 letters, two from 9) and prefixes typed while the last word is unfinished.
	{ q: 'flood early warnning', top3: ['surat-flood-early-warning'] },
	{
		q: 'participatry budget',
		top3: ['pune-participatory-budgeting', 'porto-alegre-participatory-budgeting']
	},
	{ q: 'dangue Lahore', why: 'dengue, one typo', top3: ['lahore-dengue-activity-tracking'] },
	{
		q: 'teleferiko',
		why: 'Teleférico, one typo and no accent',
		top3: ['la-paz-mi-teleferico', 'santo-domingo-teleferico']
	},
	{ q: 'Curit', top3: ['curitiba-integrated-bus-network'] },
	{ q: 'water supply Phnom Pen', top3: ['phnom-penh-water-supply-turnaround'] },
	{ q: 'Skanderb', top3: ['tirana-skanderbeg-square'] },

	// SDG targets and technologies.
	{
		q: 'resilient buildings with local materials',
		why: 'the SDG target 11.c label',
		top3: ['nepal-owner-driven-housing-reconstruction', 'port-au-prince-safer-masonry-housing']
	},
	{
		q: 'OpenStreetMap',
		top3: ['accra-trotro-mapping', 'dar-es-salaam-ramani-huria', 'kathmandu-living-labs-quakemap']
	},
	{ q: 'GTFS minibus', top3: ['nairobi-digital-matatus', 'accra-trotro-mapping'] },
	{ q: 'X-Road', top3: ['bishkek-tunduk-interoperability'] },
	{ q: 'digital twin', top3: ['sejong-national-pilot-smart-city'] },
	{ q: 'bio-CNG', top3: ['indore-source-segregated-waste'] },
	{ q: 'smart card bus data Seoul', top3: ['seoul-topis-traffic-information'] },

	// Filters with a query, as the /search sidebar sends them.
	{ q: 'cable car', filters: { country: ['BO'] }, top3: ['la-paz-mi-teleferico'] },
	{
		q: 'participatory',
		filters: { region: ['019'] },
		top3: ['porto-alegre-participatory-budgeting']
	},

	// Unpublished cases are never found, however exactly they are named.
	{ q: 'harassment', top3: ['port-moresby-meri-seif-bus'], never: ['cairo-harassmap'] },
	{ q: 'Kenya open data portal', top3: [], never: ['nairobi-kenya-open-data-initiative'] },
	{ q: 'Kigali car-free day', top3: [], never: ['kigali-car-free-day'] },
	{ q: 'Tbilisi Green City Action Plan', top3: [], never: ['tbilisi-green-city-action-plan'] }
];
