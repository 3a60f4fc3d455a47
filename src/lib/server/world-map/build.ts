import { geoArea, geoEqualEarth, geoPath, type GeoProjection } from 'd3-geo';
import type { MultiPolygon, Position } from 'geojson';
import { atlasPolygons, markerOnlyCountries } from './atlas';
import { pathData, projectRings, ringArea, type Ring } from './path';

/** One country's shape, before it is named. */
export type CountryGeometry = {
	/** ISO 3166-1 alpha-2, as in the reference country table. */
	code: string;
	/** SVG path data in viewBox units; empty when the country is only a marker. */
	d: string;
	/** Where to draw a dot for a country too small to see or click. */
	marker: { x: number; y: number } | null;
};

export type WorldMapGeometry = {
	viewBox: string;
	/** The outline of the globe (the ocean). */
	outline: string;
	/** Land without an ISO code (see `atlasPolygons`), drawn as having no data. */
	unassigned: string;
	/** Sorted by code. */
	countries: CountryGeometry[];
};

/** The viewBox width; the height follows from the projection's aspect ratio. */
export const mapWidth = 960;

/** Rings smaller than this (square viewBox units) are not drawn. */
const minRingArea = 1;

/**
 * Countries drawn smaller than this (square viewBox units; Equal Earth keeps areas, one unit is
 * about 1,750 km²) also get a dot, so they can be seen and clicked.
 */
export const markerBelowArea = 12;

/**
 * Projects world-atlas 50m in Equal Earth, fitted to the viewBox width, and simplifies it to what
 * a 960-unit-wide map can show. Slow (~0.5 s), so `scripts/build-world-map.ts` runs it once and
 * checks the result in as `shapes.json`.
 */
export function buildWorldMap(): WorldMapGeometry {
	const sphere = { type: 'Sphere' } as const;
	const projection = geoEqualEarth().fitWidth(mapWidth - 2, sphere);
	const [translateX, translateY] = projection.translate();
	projection.translate([translateX + 1, translateY + 1]);
	const path = geoPath(projection).digits(1);
	const height = Math.ceil(path.bounds(sphere)[1][1]) + 1;

	const atlas = atlasPolygons();
	const countries: CountryGeometry[] = [];
	for (const [code, polygons] of atlas.countries) {
		const rings = visibleRings(projection, polygons);
		const drawnArea = rings.reduce((sum, ring) => sum + ringArea(ring), 0);
		const marker =
			drawnArea < markerBelowArea ? largestPolygonCentroid(projection, polygons) : null;
		countries.push({ code, d: pathData(rings), marker });
	}
	for (const [code, position] of Object.entries(markerOnlyCountries)) {
		const [x, y] = projection(position) ?? [Number.NaN, Number.NaN];
		countries.push({ code, d: '', marker: { x: roundTenth(x), y: roundTenth(y) } });
	}
	countries.sort((a, b) => (a.code < b.code ? -1 : 1));
	return {
		viewBox: `0 0 ${mapWidth} ${height}`,
		outline: path(sphere) ?? '',
		unassigned: pathData(visibleRings(projection, atlas.unassigned)),
		countries
	};
}

function visibleRings(projection: GeoProjection, polygons: Position[][][]): Ring[] {
	const geometry: MultiPolygon = { type: 'MultiPolygon', coordinates: polygons };
	return projectRings(projection, geometry).filter((ring) => ringArea(ring) >= minRingArea);
}

/**
 * The dot goes on the largest island, not the centroid of the whole country: a country across
 * the antimeridian (Kiribati, Fiji) would otherwise get a dot mid-map.
 */
function largestPolygonCentroid(projection: GeoProjection, polygons: Position[][][]) {
	let largest = polygons[0];
	let largestArea = 0;
	for (const polygon of polygons) {
		const area = geoArea({ type: 'Polygon', coordinates: polygon });
		if (area > largestArea) [largest, largestArea] = [polygon, area];
	}
	const [x, y] = geoPath(projection).centroid({ type: 'Polygon', coordinates: largest });
	return { x: roundTenth(x), y: roundTenth(y) };
}

function roundTenth(value: number): number {
	return Math.round(value * 10) / 10;
}
