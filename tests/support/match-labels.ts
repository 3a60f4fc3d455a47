/*
 * The labelled matching set: demo needs (db/demo/needs.json), each with the offers
 * (db/demo/offers.json) a knowledgeable broker would put in front of that city. The labels were
 * decided from the listings' substance before any scoring existed — shared themes and SDG 11
 * targets, a cooperation type in common, the offer serving the city's region or country, a working
 * language both can use (or interpretation a broker would judge acceptable), and eligibility
 * (income group, least developed country) — and must not be revised to fit the algorithm.
 *
 * Every labelled need is open or in discussion, and every labelled offer is open; some of both
 * are visible to verified organisations only, so evaluate as a moderator (or a member of a
 * verified organisation). The `why` says what a broker sees in the pairing.
 */
import needData from '../../db/demo/needs.json';
import offerData from '../../db/demo/offers.json';

export interface MatchLabel {
	/** A need's `key` in db/demo/needs.json. */
	need: string;
	/** Offer `key`s in db/demo/offers.json, best first. */
	offers: string[];
	why: string;
}

export const matchLabels: MatchLabel[] = [
	{
		need: 'need-accra-flood-alerts',
		offers: ['offer-flood-early-warning-assistance', 'offer-west-africa-drainage-design'],
		why: 'Flood warning chain (11.5, technological); drainage priorities in sub-Saharan Africa, English'
	},
	{
		need: 'need-dakar-flood-drainage',
		offers: [
			'offer-west-africa-drainage-design',
			'offer-flood-early-warning-assistance',
			'offer-municipal-infrastructure-loan'
		],
		why: 'Drainage diagnosis and investment plan in French; warnings; a loan for the works (financial)'
	},
	{
		need: 'need-maputo-cyclone-safe-housing',
		offers: ['offer-safer-housing-local-materials', 'offer-informal-settlement-upgrading-ta'],
		why: '11.c safer self-built housing for an LDC city; in-situ upgrading in Africa, in Portuguese'
	},
	{
		need: 'need-honiara-coastal-settlements',
		offers: ['offer-pacific-coastal-hazard-mapping', 'offer-pacific-resilience-twinning'],
		why: 'Coastal hazard maps and adaptation options in the Pacific; twinning on resilience'
	},
	{
		need: 'need-suva-climate-action-plan',
		offers: ['offer-climate-action-planning', 'offer-pacific-resilience-twinning'],
		why: 'A first climate action plan (11.b); learning from other Pacific councils'
	},
	{
		need: 'need-apia-flood-warnings',
		offers: [
			'offer-flood-early-warning-assistance',
			'offer-pacific-coastal-hazard-mapping',
			'offer-pacific-resilience-twinning'
		],
		why: 'Flood warning thresholds and street-level flood maps for a Pacific town'
	},
	{
		need: 'need-kampala-boda-boda-data',
		offers: ['offer-informal-transit-mapping', 'offer-korea-smart-city-fellowship'],
		why: 'Mapping informal minibus routes as open data (11.2); traffic control and data platforms'
	},
	{
		need: 'need-addis-ababa-walkable-streets',
		offers: ['offer-street-design-training-africa', 'offer-accessible-public-spaces-audit'],
		why: 'Street design training for African engineers; auditing streets for safety and access'
	},
	{
		need: 'need-lima-feeder-routes',
		offers: ['offer-brt-peer-exchange-latam', 'offer-informal-transit-mapping'],
		why: 'Trunk-and-feeder reform with informal operators in Latin America; mapping existing routes'
	},
	{
		need: 'need-tegucigalpa-safe-transport-women',
		offers: ['offer-safe-mobility-women-grant', 'offer-brt-peer-exchange-latam'],
		why: 'Grants for safe transport for women (Honduras is lower-middle income); Spanish peer exchange'
	},
	{
		need: 'need-casablanca-waste-sorting',
		offers: ['offer-inclusive-services-grant', 'offer-waste-picker-integration-exchange'],
		why: 'Integrating informal collectors in source separation (11.6): grant in French; Pune model'
	},
	{
		need: 'need-ulaanbaatar-air-monitoring',
		offers: ['offer-low-cost-air-sensors'],
		why: 'Low-cost sensors calibrated against reference monitors, serving Asia'
	},
	{
		need: 'need-tashkent-air-quality-data',
		offers: ['offer-low-cost-air-sensors', 'offer-open-data-standards-onboarding'],
		why: 'Sensor network and calibration; open data standards for publishing the readings'
	},
	{
		need: 'need-kathmandu-waste-segregation',
		offers: ['offer-waste-picker-integration-exchange', 'offer-inclusive-services-grant'],
		why: 'South Asian door-to-door collection with waste pickers; grant for inclusive waste services'
	},
	{
		need: 'need-port-au-prince-safer-housing',
		offers: ['offer-safer-housing-local-materials'],
		why: 'Masons and inspectors trained in safer construction, LDC-only, in French'
	},
	{
		need: 'need-antananarivo-informal-upgrading',
		offers: ['offer-informal-settlement-upgrading-ta', 'offer-inclusive-services-grant'],
		why: 'In-situ upgrading in Africa; grant for water and sanitation with residents, in French'
	},
	{
		need: 'need-lusaka-water-losses',
		offers: ['offer-water-loss-reduction', 'offer-inclusive-services-grant'],
		why: 'Non-revenue water reduction in sub-Saharan Africa; grant for water in informal settlements'
	},
	{
		need: 'need-dhaka-north-waterlogging-alerts',
		offers: ['offer-flood-early-warning-assistance', 'offer-community-flood-mapping-training'],
		why: 'Warning thresholds for flooding; community mapping of hotspots in an Asian city'
	},
	{
		need: 'need-colombo-open-data-portal',
		offers: ['offer-open-data-standards-onboarding', 'offer-data-exchange-layer'],
		why: 'Open data catalogue and standards (11.3, standards development); secure data exchange later'
	},
	{
		need: 'need-abidjan-open-data-services',
		offers: ['offer-open-data-standards-onboarding', 'offer-e-services-peer-exchange'],
		why: 'Shared data standards in French; African experience of online public services'
	},
	{
		need: 'need-cairo-online-permits',
		offers: ['offer-e-services-peer-exchange', 'offer-data-exchange-layer'],
		why: 'Online permits and the regulation behind them (Africa, English); e-services starter kit'
	},
	{
		need: 'need-bishkek-e-participation',
		offers: ['offer-data-exchange-layer', 'offer-participatory-budgeting-training'],
		why: 'Data exchange layer in Russian (the Tunduk model); running open budget processes'
	},
	{
		need: 'need-guatemala-city-participatory-budget',
		offers: ['offer-participatory-budgeting-training', 'offer-participatory-public-space-design'],
		why: 'Designing a first participatory budget, in Spanish; co-designing the chosen public spaces'
	},
	{
		need: 'need-amman-public-spaces-women',
		offers: ['offer-accessible-public-spaces-audit', 'offer-safe-mobility-women-grant'],
		why: 'Audits of parks and streets with women and older people; grant for the first works'
	},
	{
		need: 'need-chisinau-parks-renewal',
		offers: ['offer-medellin-green-corridors-exchange', 'offer-accessible-public-spaces-audit'],
		why: 'Urban greenery and shade (11.7) from a city that did it; public spaces usable by all'
	},
	{
		need: 'need-tirana-heritage-inventory',
		offers: ['offer-heritage-digital-inventory'],
		why: 'Digital inventory of historic buildings (11.4, technological, standards)'
	},
	{
		need: 'need-tbilisi-old-town-residents',
		offers: ['offer-medina-rehabilitation-exchange'],
		why: 'Keeping residents in a rehabilitated historic quarter; serves Western Asia, English'
	},
	{
		need: 'need-santo-domingo-colonial-zone',
		offers: ['offer-quito-historic-centre-visit'],
		why: 'A lived-in historic centre in Latin America, in Spanish'
	},
	{
		need: 'need-thimphu-urban-rural-planning',
		offers: ['offer-periurban-land-monitoring'],
		why: 'Land-use change at the city edge (11.a) in Asia, with planners trained'
	},
	{
		need: 'need-la-paz-periurban-food',
		offers: ['offer-territorial-planning-course'],
		why: 'Urban–rural planning and peri-urban agriculture (11.a), Spanish, Latin America'
	},
	{
		need: 'need-dar-es-salaam-solar-streetlights',
		offers: ['offer-solar-street-lighting', 'offer-municipal-infrastructure-loan'],
		why: 'Solar street lights and market power with a maintenance contract; a loan for the works'
	},
	{
		need: 'need-port-vila-market-solar',
		offers: ['offer-solar-street-lighting'],
		why: 'Solar mini-grid for a municipal market; serves the Pacific and lower-middle income'
	},
	{
		need: 'need-lagos-property-rates',
		offers: ['offer-revenue-expert-secondment', 'offer-municipal-creditworthiness'],
		why: 'Revenue experts seconded to Nigerian cities; own-source revenue programme for Africa'
	},
	{
		need: 'need-paramaribo-voluntary-local-review',
		offers: ['offer-voluntary-local-review-peer'],
		why: 'Coaching for a first Voluntary Local Review'
	},
	{
		need: 'need-vientiane-traffic-signals',
		offers: ['offer-korea-smart-city-fellowship'],
		why: 'Traffic signal control and traffic management centres (11.2, technological)'
	},
	{
		need: 'need-almaty-heat-action',
		offers: ['offer-heat-action-planning', 'offer-medellin-green-corridors-exchange'],
		why: 'Heat alerts and cooling; shade through trees from a city that measured the effect'
	},
	{
		need: 'need-douala-cashless-market-fees',
		offers: ['offer-e-services-peer-exchange'],
		why: 'Mobile-money payment of municipal fees, from an African peer, in French'
	},
	{
		need: 'need-nairobi-market-permits',
		offers: ['offer-e-services-peer-exchange'],
		why: 'One online process for permits and fees, and the law that made it work'
	},
	{
		need: 'need-recife-cycling-network',
		offers: ['offer-brt-peer-exchange-latam'],
		why: 'Cycle networks feeding the bus, Latin American peers, in Portuguese'
	},
	{
		need: 'need-dili-water-supply',
		offers: ['offer-water-loss-reduction'],
		why: 'Water losses and pro-poor connections in South-East Asia'
	},
	{
		need: 'need-quezon-city-evacuation-centres',
		offers: ['offer-community-flood-mapping-training'],
		why: 'Community flood mapping for barangays in an Asian city'
	}
];

type DemoListing = { key: string; title: string };

const needTitles = new Map((needData as DemoListing[]).map((n) => [n.key, n.title]));
const offerTitles = new Map((offerData as DemoListing[]).map((o) => [o.key, o.title]));

/** The title of a demo need or offer by its key; throws on an unknown key so a typo fails loudly. */
export function demoKeyToTitle(key: string): string {
	const title = needTitles.get(key) ?? offerTitles.get(key);
	if (title === undefined) throw new Error(`No demo need or offer has the key "${key}".`);
	return title;
}

/** The demo key of a need or offer by its title (titles are unique in the demo set). */
export function demoTitleToKey(title: string): string | undefined {
	for (const [key, candidate] of [...needTitles, ...offerTitles]) {
		if (candidate === title) return key;
	}
	return undefined;
}

/** Each label with the titles, for reports and failure messages. */
export function labelledTitles(): { need: string; offers: string[] }[] {
	return matchLabels.map((label) => ({
		need: demoKeyToTitle(label.need),
		offers: label.offers.map(demoKeyToTitle)
	}));
}
