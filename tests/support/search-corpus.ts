import type {
	Audience,
	DocumentFacetName,
	FacetName,
	RecordType,
	SearchDocument,
	Visibility
} from '../../src/lib/server/search/types';

/*
 * The conformance corpus: hand-written documents whose words are chosen so that every search
 * behaviour has one clear expected answer, the same for every engine. Each group below says what
 * it is for; a word used by one behaviour appears nowhere else unless the comment says so.
 * "city" is deliberately in most documents (the very common term).
 */

interface DocInput {
	type?: RecordType;
	id: string;
	title: string;
	summary: string;
	body: string;
	keywords?: string;
	language?: string;
	visibility?: Visibility;
	facets?: SearchDocument['facets'];
	meta?: SearchDocument['meta'];
	/** Day of 2025 (1 = 1 January): every document has its own, for the "newest" sort. */
	day: number;
}

const pathPrefix: Record<RecordType, string> = {
	case_study: '/cases/',
	organisation: '/organisations/',
	need: '/needs/',
	offer: '/offers/'
};

function years(from: number, to: number): string[] {
	return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
}

function doc(input: DocInput): SearchDocument {
	const type = input.type ?? 'case_study';
	return {
		ref: `${type}:${input.id}`,
		type,
		recordId: input.id,
		title: input.title,
		summary: input.summary,
		keywords: input.keywords ?? '',
		body: input.body,
		path: `${pathPrefix[type]}${input.id}`,
		language: input.language ?? 'en',
		visibility: input.visibility ?? 'public',
		facets: input.facets ?? {},
		meta: input.meta ?? {},
		sortDate: new Date(Date.UTC(2025, 0, input.day, 9, 30))
	};
}

/** About 670 words of plain prose, so its document is far longer than a profile. */
const longBody = Array.from({ length: 6 }, () =>
	[
		'Volunteers measured shadows every hour and wrote the readings in a shared notebook.',
		'Teachers brought classes on weekday mornings to learn how the seasons move the light.',
		'Gardeners planted low hedges so the dial stays visible from every bench.',
		'A small committee meets each season to plan repairs and guided walks.',
		'Visitors leave comments in a box by the gate, and most ask for more shade.',
		'The museum funds upkeep from ticket sales and a small municipal grant.',
		'Local artists painted the hour lines with weatherproof paint in bright colours.',
		'School groups compare the garden clock with their phones and discuss the difference.'
	].join(' ')
).join(' ');

export const corpus: SearchDocument[] = [
	// Field weights: "quarry" once in a title, once in a summary, once in a body (similar lengths).
	doc({
		id: 'quarry-park',
		title: 'Quarry reclaimed as a city park',
		summary: 'Residents turned an abandoned pit into green space with playgrounds and shade trees.',
		body: 'The city council bought the land in 2015 and planted native trees over four years, with schools helping.',
		keywords: 'Eco-green city; Ville verte; Nairobi',
		facets: {
			theme: ['E'],
			sdg: ['11.7'],
			region: ['002'],
			country: ['KE'],
			income: ['LM'],
			domain: ['environment'],
			year: years(2015, 2018)
		},
		meta: { country: 'KE', city: 'Nairobi' },
		day: 3
	}),
	doc({
		id: 'masonry-yard',
		title: 'Stone masons train young builders',
		summary:
			'A training yard beside the old quarry teaches masonry to school leavers every season.',
		body: 'The city pays apprentices a stipend while they learn to cut, lay and repair stone walls by hand.',
		facets: {
			theme: ['J'],
			sdg: ['11.4'],
			region: ['002'],
			country: ['GH'],
			income: ['LM'],
			domain: ['economy_jobs'],
			cooperation: ['capacity_building'],
			year: years(2019, 2021)
		},
		meta: { country: 'GH', city: 'Kumasi' },
		day: 17
	}),
	doc({
		id: 'heritage-walls',
		title: 'Heritage walls restored in the old town',
		summary: 'Volunteers and the city repaired the medieval walls and reopened the ramparts walk.',
		body: 'Stone came from a quarry reopened for the project, and every block was logged in a register.',
		facets: {
			theme: ['J', 'S'],
			sdg: ['11.4'],
			region: ['150'],
			country: ['AL'],
			income: ['UM'],
			domain: ['culture'],
			year: years(2018, 2020)
		},
		meta: { country: 'AL', city: 'Berat' },
		day: 29
	}),

	// Typos: "aqueduct" (8 letters, one typo allowed), "photovoltaic" (12, two), "yurt" (4, none),
	// "monsoon" (7, one, never on the first letter).
	doc({
		id: 'hill-aqueduct',
		title: 'Aqueduct repair brings water back to the hills',
		summary:
			'Engineers restored the aqueduct that carries spring water to the hill settlements of the city.',
		body: 'The works lasted two dry seasons; households now draw water from public standpipes every day.',
		facets: {
			theme: ['S'],
			sdg: ['11.1'],
			region: ['142'],
			country: ['NP'],
			income: ['LM'],
			domain: ['water_sanitation'],
			year: years(2020, 2022)
		},
		meta: { country: 'NP', city: 'Pokhara' },
		day: 41
	}),
	doc({
		id: 'school-roofs',
		title: 'Photovoltaic roofs on municipal schools',
		summary:
			'Panels on forty school roofs cut the electricity bill of the city and teach pupils about energy.',
		body: 'A national grant paid for the panels; the city maintains them with a local cooperative.',
		facets: {
			theme: ['E'],
			sdg: ['11.6'],
			region: ['002'],
			country: ['SN'],
			income: ['LM'],
			domain: ['energy', 'education'],
			technology: ['iot'],
			year: years(2021, 2023)
		},
		meta: { country: 'SN', city: 'Dakar' },
		day: 55
	}),
	doc({
		id: 'yurt-heating',
		title: 'Insulated felt for every yurt in the ger districts',
		summary: 'Families received insulation kits and cleaner stoves for the coldest months.',
		body: 'Smoke in winter fell as the city replaced raw coal with briquettes and better felt covers.',
		facets: {
			theme: ['E', 'S'],
			sdg: ['11.6'],
			region: ['142'],
			country: ['MN'],
			income: ['LM'],
			domain: ['housing', 'energy'],
			year: years(2017, 2019)
		},
		meta: { country: 'MN', city: 'Ulaanbaatar' },
		day: 67
	}),
	doc({
		id: 'monsoon-drains',
		title: 'Monsoon drainage for low-lying streets',
		summary:
			'Open drains were widened and cleaned before the rains, with a ward helpline for blockages.',
		body: 'Street flooding days fell by half in three years; the city now publishes drain maps online.',
		facets: {
			theme: ['S', 'O'],
			sdg: ['11.5'],
			region: ['142'],
			country: ['BD'],
			income: ['LM'],
			domain: ['water_sanitation', 'safety'],
			technology: ['gis', 'open_data_platform'],
			year: years(2019, 2022)
		},
		meta: { country: 'BD', city: 'Chittagong' },
		day: 80
	}),

	// Prefix on the last word: "mobi" finds "mobility"; "Kasarani" is only in keywords.
	doc({
		id: 'mobility-hubs',
		title: 'Shared mobility hubs at rail stations',
		summary:
			'Bicycles, scooters and minibuses meet the trains at six urban stations along one corridor.',
		body: 'Riders pay with one card; the city tracks use of every hub and moves bicycles at night.',
		keywords: 'Mobilité; Transport; Kasarani',
		facets: {
			theme: ['S', 'N'],
			sdg: ['11.2'],
			region: ['002'],
			country: ['KE'],
			income: ['LM'],
			domain: ['mobility'],
			technology: ['mobile_services', 'big_data'],
			year: years(2022, 2024)
		},
		meta: { country: 'KE', city: 'Nairobi' },
		day: 92
	}),

	// Diacritics: "Medellín" and "São Paulo" written with accents, "Bogota" without, French text.
	doc({
		id: 'medellin-cable',
		title: 'Cable cars link the hillside comunas',
		summary:
			'Medellín built aerial cable lines so hillside residents reach jobs in the valley within minutes.',
		body: 'Stations came with libraries and parks; the city runs the lines with its transit company.',
		facets: {
			theme: ['S', 'J'],
			sdg: ['11.2', '11.1'],
			region: ['019'],
			country: ['CO'],
			income: ['UM'],
			domain: ['mobility'],
			year: years(2004, 2008)
		},
		meta: { country: 'CO', city: 'Medellín' },
		day: 104
	}),
	doc({
		id: 'sao-paulo-lanes',
		title: 'Bus lanes on the avenues of São Paulo',
		summary: 'São Paulo painted four hundred kilometres of bus-only lanes in two years.',
		body: 'Average bus speeds rose on most avenues and the city published the speed data every month.',
		facets: {
			theme: ['S', 'E'],
			sdg: ['11.2'],
			region: ['019'],
			country: ['BR'],
			income: ['UM'],
			domain: ['mobility'],
			technology: ['open_data_platform'],
			year: years(2013, 2015)
		},
		meta: { country: 'BR', city: 'São Paulo' },
		day: 116
	}),
	doc({
		id: 'abidjan-dechets',
		title: 'Gestion des déchets ménagers à Abidjan',
		summary:
			'La mairie a créé des points de collecte sélective et un centre de tri près du marché.',
		body: 'Les habitants apportent plastique et métal; chaque école du quartier reçoit des bacs de tri.',
		keywords: 'Déchets; Waste; Côte d’Ivoire',
		language: 'fr',
		facets: {
			theme: ['E', 'J'],
			sdg: ['11.6'],
			region: ['002'],
			country: ['CI'],
			income: ['LM'],
			domain: ['waste'],
			year: years(2020, 2023)
		},
		meta: { country: 'CI', city: 'Abidjan' },
		day: 128
	}),

	// Phrases: "rapid transit" adjacent in one document, the two words apart in another.
	doc({
		id: 'ring-road-brt',
		title: 'Bus rapid transit on the ring road',
		summary: 'Dedicated lanes and level boarding platforms carry buses around the city centre.',
		body: 'Ridership doubled in the first year; trunk buses run every three minutes at the peak.',
		facets: {
			theme: ['S', 'E'],
			sdg: ['11.2'],
			region: ['002'],
			country: ['TZ'],
			income: ['LM'],
			domain: ['mobility'],
			year: years(2016, 2019)
		},
		meta: { country: 'TZ', city: 'Dar es Salaam' },
		day: 140
	}),
	doc({
		id: 'contactless-fares',
		title: 'A rapid rollout of contactless payment',
		summary:
			'Riders tap a bank card or phone at the gate; cash handling at stations ended within a year.',
		body: 'The regional transit authority negotiated one fare table for every operator in the city.',
		facets: {
			theme: ['O'],
			sdg: ['11.2'],
			region: ['142'],
			country: ['VN'],
			income: ['LM'],
			domain: ['mobility', 'economy_jobs'],
			technology: ['mobile_services', 'cloud'],
			year: years(2023, 2024)
		},
		meta: { country: 'VN', city: 'Hanoi' },
		day: 152
	}),

	// Exclusion: both mention cable cars; only one mentions the metro.
	doc({
		id: 'cable-feeder',
		title: 'A cable car feeder to the metro line',
		summary: 'Gondolas carry commuters from the ridge to the metro terminus in eight minutes.',
		body: 'One ticket covers the gondola and the metro; the city pays operations from fares.',
		facets: {
			theme: ['S'],
			sdg: ['11.2'],
			region: ['019'],
			country: ['DO'],
			income: ['UM'],
			domain: ['mobility'],
			year: years(2016, 2018)
		},
		meta: { country: 'DO', city: 'Santo Domingo' },
		day: 164
	}),
	doc({
		id: 'campus-cable',
		title: 'A cable car to the university campus',
		summary: 'Students cross the river valley by gondola instead of a one-hour bus ride.',
		body: 'The university and the city share the running costs; cabins run until midnight in term.',
		facets: {
			theme: ['S', 'N'],
			sdg: ['11.2'],
			region: ['019'],
			country: ['BO'],
			income: ['LM'],
			domain: ['mobility', 'education'],
			year: years(2019, 2021)
		},
		meta: { country: 'BO', city: 'Cochabamba' },
		day: 176
	}),

	// A very common term: "city" crowds the second document; "lagoon" is what the searcher means
	// (and stands next to "city" in the first, so proximity ranking agrees with term weighting).
	doc({
		id: 'lagoon-cleanup',
		title: 'Lagoon clean-up by fishing families',
		summary:
			'Floating barriers across the city lagoon catch plastic before it reaches the mangroves.',
		body: 'The city buys the collected plastic by weight, so families earn while the water clears.',
		facets: {
			theme: ['E', 'J'],
			sdg: ['11.6'],
			region: ['002'],
			country: ['NG'],
			income: ['LM'],
			domain: ['environment', 'waste'],
			year: years(2021, 2024)
		},
		meta: { country: 'NG', city: 'Lagos' },
		day: 188
	}),
	doc({
		id: 'city-to-city',
		title: 'City to city: a city network for city managers',
		summary:
			'City managers from city halls of every city size meet in city-to-city exchanges each city year.',
		body: 'Each city hosts another city for a week, including a visit to a lagoon, and the city pairs then write a joint city plan.',
		facets: {
			theme: ['G'],
			sdg: ['11.3'],
			region: ['009'],
			country: ['FJ'],
			income: ['UM'],
			domain: ['governance'],
			cooperation: ['knowledge_sharing'],
			year: years(2022, 2025)
		},
		meta: { country: 'FJ', city: 'Suva' },
		day: 200
	}),

	// Snippets: markup in the text must come back escaped; only <mark> is real markup.
	doc({
		id: 'music-halls',
		title: 'Music lessons in community halls',
		summary:
			'On Saturdays children play the xylophone <script>alert("boo")</script> & sing <b>together</b>, see <mark>fake</mark> marks.',
		body: 'Halls stay open late; the city lends instruments to every child who joins a group.',
		facets: {
			theme: ['N', 'J'],
			sdg: ['11.7'],
			region: ['009'],
			country: ['PG'],
			income: ['LM'],
			domain: ['culture', 'education'],
			year: years(2024, 2025)
		},
		meta: { country: 'PG', city: 'Port Moresby' },
		day: 212
	}),

	// Field weights against length: a title match in a long case study beats a summary match in a
	// short organisation profile; an exact word beats a typo match, even one in a title.
	doc({
		id: 'sundial-garden',
		title: 'Sundial garden in the museum courtyard',
		summary: 'A walled courtyard became a shaded garden built around a large horizontal dial.',
		body: longBody,
		facets: {
			theme: ['E', 'N'],
			sdg: ['11.4', '11.7'],
			region: ['150'],
			country: ['MD'],
			income: ['UM'],
			domain: ['culture'],
			year: years(2022, 2023)
		},
		meta: { country: 'MD', city: 'Chișinău' },
		day: 110
	}),
	doc({
		type: 'organisation',
		id: 'clockmakers-guild',
		title: 'Guild of Clockmakers',
		summary: 'Craftspeople who restore a public sundial and tower clocks.',
		body: '',
		keywords: 'NGO; Moldova',
		facets: { region: ['150'], country: ['MD'], income: ['UM'] },
		meta: { country: 'MD', kind: 'ngo' },
		day: 111
	}),
	doc({
		id: 'riverside-market',
		title: 'Riverside market renewal',
		summary: 'Stalls moved under one roof with drainage, lighting and fair rents for traders.',
		body: 'A timber pavilion now shelters the fish sellers, and the council collects rents by phone.',
		facets: {
			theme: ['J'],
			sdg: ['11.3'],
			region: ['142'],
			country: ['LA'],
			income: ['LM'],
			domain: ['economy_jobs'],
			year: years(2019, 2020)
		},
		meta: { country: 'LA', city: 'Vientiane' },
		day: 122
	}),
	doc({
		id: 'pavillon-sciences',
		title: 'Le pavillon des sciences',
		summary: 'Un musée de quartier où les enfants font des expériences le samedi.',
		body: 'La commune prête les salles; des étudiants animent les ateliers.',
		language: 'fr',
		facets: {
			theme: ['N'],
			sdg: ['11.7'],
			region: ['002'],
			country: ['MA'],
			income: ['LM'],
			domain: ['education'],
			year: years(2023, 2024)
		},
		meta: { country: 'MA', city: 'Rabat' },
		day: 134
	}),

	// Ordinary case studies: facet and sort variety.
	doc({
		id: 'flood-sirens',
		title: 'Flood early warning sirens along the river',
		summary:
			'River gauges trigger sirens and text messages to riverside wards two hours before a flood.',
		body: 'Ward volunteers rehearse evacuation every year; the city keeps the gauges calibrated.',
		facets: {
			theme: ['S', 'G'],
			sdg: ['11.5', '11.b'],
			region: ['142'],
			country: ['IN'],
			income: ['LM'],
			domain: ['safety', 'water_sanitation'],
			technology: ['iot', 'mobile_services'],
			year: years(2012, 2024)
		},
		meta: { country: 'IN', city: 'Surat' },
		day: 224
	}),
	doc({
		id: 'digital-twin-port',
		title: 'A digital twin of the port district',
		summary:
			'Planners test new roads and flood walls on a three-dimensional model before building them.',
		body: 'Sensors feed the model live; the city opened a read-only view of it to residents.',
		facets: {
			theme: ['O', 'G'],
			sdg: ['11.3', '11.b'],
			region: ['142'],
			country: ['KR'],
			income: ['H'],
			domain: ['governance'],
			technology: ['digital_twin', 'iot', 'ai'],
			year: years(2022, 2025)
		},
		meta: { country: 'KR', city: 'Busan' },
		day: 236
	}),
	doc({
		id: 'market-shade',
		title: 'Shaded markets for women traders',
		summary: 'Canopies, water points and cool rooms protect traders and produce during heatwaves.',
		body: 'Traders chose the designs; the city maintains the canopies with market fees.',
		facets: {
			theme: ['S'],
			sdg: ['11.7', '11.b'],
			region: ['002'],
			country: ['SL'],
			income: ['L'],
			domain: ['economy_jobs', 'health_care'],
			year: years(2021, 2022)
		},
		meta: { country: 'SL', city: 'Freetown' },
		day: 248
	}),
	doc({
		id: 'open-budget',
		title: 'Open budget portal with ward-level spending',
		summary: 'Every contract and payment appears online within a week, searchable by ward.',
		body: 'Journalists and residents use the portal; the city answers questions in a public forum.',
		facets: {
			theme: ['O', 'J'],
			sdg: ['11.3'],
			region: ['150'],
			country: ['GE'],
			income: ['UM'],
			domain: ['governance'],
			technology: ['open_data_platform', 'cloud'],
			year: years(2018, 2024)
		},
		meta: { country: 'GE', city: 'Tbilisi' },
		day: 260
	}),

	// Organisations (public), with "Bogota" unaccented.
	doc({
		type: 'organisation',
		id: 'bogota-transport-observatory',
		title: 'Bogota Urban Transport Observatory',
		summary:
			'A research centre that publishes travel surveys and road safety data for the capital.',
		body: '',
		keywords: 'Academia; Colombia',
		facets: { region: ['019'], country: ['CO'], income: ['UM'] },
		meta: { country: 'CO', kind: 'academia' },
		day: 8
	}),
	doc({
		type: 'organisation',
		id: 'nairobi-county',
		title: 'Nairobi City County',
		summary:
			'The government of Kenya’s capital city, responsible for transport, water and planning.',
		body: '',
		keywords: 'City; Kenya',
		facets: { region: ['002'], country: ['KE'], income: ['LM'] },
		meta: { country: 'KE', kind: 'city' },
		day: 22
	}),
	doc({
		type: 'organisation',
		id: 'solar-cooperative',
		title: 'Sahel Solar Cooperative',
		summary: 'Installers and trainers of solar panels for schools and clinics across the Sahel.',
		body: '',
		keywords: 'NGO; Senegal',
		facets: { region: ['002'], country: ['SN'], income: ['LM'] },
		meta: { country: 'SN', kind: 'ngo' },
		day: 46
	}),
	doc({
		type: 'organisation',
		id: 'pacific-cities-network',
		title: 'Pacific Cities Network',
		summary: 'An association of island city councils sharing practice on climate adaptation.',
		body: '',
		keywords: 'International organisation; Fiji',
		facets: { region: ['009'], country: ['FJ'], income: ['UM'] },
		meta: { country: 'FJ', kind: 'international_organisation' },
		day: 73
	}),
	doc({
		type: 'organisation',
		id: 'tirana-municipality',
		title: 'Municipality of Tirana',
		summary:
			'The city government of Albania’s capital, running public space and mobility projects.',
		body: '',
		keywords: 'City; Albania',
		facets: { region: ['150'], country: ['AL'], income: ['UM'] },
		meta: { country: 'AL', kind: 'city' },
		day: 98
	}),

	// Needs and offers: two public, three for verified organisations only.
	doc({
		type: 'need',
		id: 'need-drain-mapping',
		title: 'Help to map storm drains',
		summary: 'Our city needs training in drone mapping of drains before the next rainy season.',
		body: 'We can host a study visit and offer staff time.',
		facets: {
			theme: ['S'],
			sdg: ['11.5'],
			region: ['002'],
			country: ['GH'],
			income: ['LM'],
			cooperation: ['capacity_building', 'technological'],
			year: ['2025']
		},
		meta: { country: 'GH' },
		day: 270
	}),
	doc({
		type: 'offer',
		id: 'offer-gis-training',
		title: 'GIS training for municipal planners',
		summary: 'Two-week course in mapping and spatial analysis for city staff, online or on site.',
		body: 'Free for cities in least developed countries.',
		facets: {
			theme: ['O'],
			sdg: ['11.3'],
			region: ['150'],
			country: ['FR'],
			income: ['H'],
			technology: ['gis'],
			cooperation: ['capacity_building'],
			year: ['2025']
		},
		meta: { country: 'FR' },
		day: 275
	}),
	doc({
		type: 'need',
		id: 'need-desalination',
		title: 'Desalination plant feasibility study',
		summary: 'A coastal city seeks engineers to assess a desalination plant and the old aqueduct.',
		body: 'Budget and timeline are confidential until partners are verified.',
		visibility: 'verified',
		facets: {
			theme: ['E', 'G'],
			sdg: ['11.1'],
			region: ['142'],
			country: ['YE'],
			income: ['L'],
			domain: ['water_sanitation'],
			cooperation: ['financial', 'technological'],
			year: ['2026']
		},
		meta: { country: 'YE' },
		day: 280
	}),
	doc({
		type: 'offer',
		id: 'offer-seaweed-finance',
		title: 'Seaweed farming finance for coastal cities',
		summary:
			'Concessional loans for city-backed seaweed cooperatives, terms shared with verified partners.',
		body: 'Loan sizes and rates are disclosed to verified organisations only.',
		visibility: 'verified',
		facets: {
			theme: ['G'],
			sdg: ['11.b'],
			region: ['009'],
			country: ['FJ'],
			income: ['UM'],
			cooperation: ['financial'],
			year: ['2026']
		},
		meta: { country: 'FJ' },
		day: 285
	}),
	doc({
		type: 'offer',
		id: 'offer-quarry-survey',
		title: 'Confidential survey of unstable slopes',
		summary: 'Geotechnical survey for a city with landslide risk, offered to verified partners.',
		body: 'Includes drone scans and a quarry stability review.',
		visibility: 'verified',
		facets: {
			theme: ['S'],
			sdg: ['11.5'],
			region: ['142'],
			country: ['NP'],
			income: ['LM'],
			cooperation: ['technological'],
			year: ['2026']
		},
		meta: { country: 'NP' },
		day: 290
	})
];

export const corpusByRef = new Map(corpus.map((d) => [d.ref, d]));

/** The ref of the corpus document with this record id (every id is unique across types). */
export function refOf(id: string): string {
	const found = corpus.find((d) => d.recordId === id);
	if (!found) throw new Error(`no corpus document ${id}`);
	return found.ref;
}

/** What an audience may see: public sees public only; verified sees everything. */
export function visibleTo(audience: Audience): SearchDocument[] {
	return corpus.filter((d) => audience === 'verified' || d.visibility === 'public');
}

export function facetValuesOf(document: SearchDocument, name: FacetName): string[] {
	return name === 'type' ? [document.type] : (document.facets[name as DocumentFacetName] ?? []);
}

/** AND across facets, OR within one facet's values; an empty value list filters nothing. */
export function passesFilters(
	document: SearchDocument,
	filters: Partial<Record<FacetName, string[]>>,
	except?: FacetName
): boolean {
	return Object.entries(filters).every(([name, values]) => {
		if (name === except || !values || values.length === 0) return true;
		const own = facetValuesOf(document, name as FacetName);
		return values.some((value) => own.includes(value));
	});
}

/** Counts of one facet's values over some documents, zero counts left out. */
export function countFacet(documents: SearchDocument[], name: FacetName): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const document of documents) {
		for (const value of new Set(facetValuesOf(document, name))) {
			counts[value] = (counts[value] ?? 0) + 1;
		}
	}
	return counts;
}

/** Whole words of a document's searchable text, lower case and without diacritics. */
export function wordsOf(document: SearchDocument): Set<string> {
	const text = [document.title, document.summary, document.keywords, document.body].join(' ');
	return new Set(
		text
			.normalize('NFD')
			.replace(/\p{M}/gu, '')
			.toLowerCase()
			.split(/[^\p{L}\p{N}]+/u)
			.filter(Boolean)
	);
}
