import { createRequire } from 'node:module';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { countryRecords } from '$lib/server/reference';

/** [west, south, east, north] in degrees. */
type Box = [number, number, number, number];

/**
 * Territories that Natural Earth 50m draws inside another feature but ISO 3166-1 (and so the
 * reference table) lists on their own. A polygon of `source` (a numeric code, or the name of a
 * feature without one) goes to `code` when the mean point of its outer ring lies in one of the
 * boxes.
 */
const territoryParts: { source: string; code: string; boxes: Box[] }[] = [
	{ source: '250', code: 'GF', boxes: [[-55, 1, -51, 7]] },
	{ source: '250', code: 'GP', boxes: [[-62, 15.7, -60.9, 16.6]] },
	{ source: '250', code: 'MQ', boxes: [[-61.3, 14.3, -60.7, 15]] },
	{ source: '250', code: 'RE', boxes: [[55, -21.5, 56, -20.8]] },
	{ source: '250', code: 'YT', boxes: [[44.9, -13.1, 45.4, -12.5]] },
	{
		source: '578',
		code: 'SJ',
		boxes: [
			[-10, 70.5, -7, 71.5],
			[10, 74, 35, 81]
		]
	},
	{
		source: '528',
		code: 'BQ',
		boxes: [
			[-69, 11.9, -67.9, 12.5],
			[-63.3, 17.4, -62.9, 17.7]
		]
	},
	{ source: 'Indian Ocean Ter.', code: 'CX', boxes: [[105, -11, 106.5, -10]] },
	{ source: 'Indian Ocean Ter.', code: 'CC', boxes: [[96.5, -12.5, 97.2, -11.7]] }
];

/** Features without a numeric code that are one reference country. */
const namedFeatures: Record<string, string> = { Kosovo: 'XK' };

/**
 * Reference countries too small for Natural Earth 50m: drawn as a dot at these coordinates
 * (longitude, latitude; CIA World Factbook, "Geographic coordinates").
 */
export const markerOnlyCountries: Record<string, [number, number]> = {
	TV: [178, -8],
	TK: [-172, -9],
	GI: [-5.35, 36.13],
	BV: [3.4, -54.43]
};

export type AtlasPolygons = {
	/** ISO alpha-2 → the polygons (longitude/latitude) of that country. */
	countries: Map<string, Position[][][]>;
	/**
	 * Areas without an ISO code (Somaliland, Northern Cyprus, the Siachen Glacier in Natural
	 * Earth): drawn as land without data, never named, so the map takes no side.
	 */
	unassigned: Position[][][];
};

/** Reads world-atlas 50m and sorts its polygons by ISO 3166-1 alpha-2 code. */
export function atlasPolygons(): AtlasPolygons {
	const alpha2ByNumeric = new Map(countryRecords.map((record) => [record.numeric, record.alpha2]));
	const countries = new Map<string, Position[][][]>();
	const unassigned: Position[][][] = [];
	const add = (code: string | undefined, polygon: Position[][]) => {
		if (!code) return unassigned.push(polygon);
		const polygons = countries.get(code);
		if (polygons) polygons.push(polygon);
		else countries.set(code, [polygon]);
	};

	const topology = loadTopology();
	const collection = feature(topology, topology.objects.countries as GeometryCollection);
	for (const { id, properties, geometry } of collection.features) {
		const name = (properties as { name?: string } | null)?.name ?? '';
		const source = id === undefined ? name : String(id);
		const code = id === undefined ? namedFeatures[name] : alpha2ByNumeric.get(String(id));
		const parts = territoryParts.filter((part) => part.source === source);
		for (const polygon of polygonsOf(geometry as Polygon | MultiPolygon)) {
			const [longitude, latitude] = meanPoint(polygon[0]);
			const part = parts.find(({ boxes }) =>
				boxes.some(([west, south, east, north]) => {
					return longitude >= west && longitude <= east && latitude >= south && latitude <= north;
				})
			);
			add(part?.code ?? code, polygon);
		}
	}
	return { countries, unassigned };
}

/** The 50m atlas, read when the map is first built and then left for garbage collection. */
function loadTopology(): Topology {
	const require = createRequire(import.meta.url);
	const path = require.resolve('world-atlas/countries-50m.json');
	const topology = require(path) as Topology;
	delete require.cache[path];
	return topology;
}

function polygonsOf(geometry: Polygon | MultiPolygon): Position[][][] {
	return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

function meanPoint(ring: Position[]): [number, number] {
	let longitude = 0;
	let latitude = 0;
	for (const [x, y] of ring) {
		longitude += x;
		latitude += y;
	}
	return [longitude / ring.length, latitude / ring.length];
}
