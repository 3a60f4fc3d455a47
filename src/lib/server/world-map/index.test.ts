import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { countryRecords } from '$lib/server/reference';
import * as worldMap from '$lib/server/world-map';
import { markerBelowArea } from './build';
import { ringArea } from './path';

const map = worldMap.shapes('en');
const byCode = new Map(map.countries.map((country) => [country.code, country]));
const [, , width, height] = map.viewBox.split(' ').map(Number);

/** The rings of path data as written by `pathData`, in tenths. */
function rings(d: string): [number, number][][] {
	return [...d.matchAll(/M([^l]+)l([^z]*)z/g)].map(([, start, lines]) => {
		const numbers = (text: string) => (text.match(/-?(\d+\.?\d*|\.\d+)/g) ?? []).map(Number);
		const [x, y] = numbers(start);
		const ring: [number, number][] = [[Math.round(x * 10), Math.round(y * 10)]];
		const deltas = numbers(lines);
		for (let i = 0; i < deltas.length; i += 2) {
			const [px, py] = ring[ring.length - 1];
			ring.push([px + Math.round(deltas[i] * 10), py + Math.round(deltas[i + 1] * 10)]);
		}
		return ring;
	});
}

describe('worldMap.shapes', () => {
	it('gives every reference country that world-atlas 50m draws a shape under its alpha-2 code', () => {
		const require = createRequire(import.meta.url);
		const atlas = require('world-atlas/countries-50m.json') as Topology;
		const atlasIds = new Set(
			(atlas.objects.countries as GeometryCollection).geometries.map((geometry) => geometry.id)
		);
		const expected = countryRecords.filter((record) => atlasIds.has(record.numeric));
		expect(expected.length).toBeGreaterThan(230);
		for (const record of expected) expect(byCode.has(record.alpha2), record.alpha2).toBe(true);
	});

	it('misses only the US Minor Outlying Islands, whose islands lie too far apart for one dot', () => {
		const missing = countryRecords.filter((record) => !byCode.has(record.alpha2));
		expect(missing.map((record) => record.alpha2)).toEqual(['UM']);
	});

	it('takes territories Natural Earth draws inside another country out of it', () => {
		for (const code of ['GF', 'GP', 'MQ', 'RE', 'YT', 'SJ', 'BQ', 'CX', 'CC', 'XK']) {
			const country = byCode.get(code);
			expect(country?.d || country?.marker, code).toBeTruthy();
		}
		// French Guiana is large enough to draw, and no longer part of France's shape.
		expect(byCode.get('GF')?.marker).toBeNull();
		const franceWest = Math.min(
			...rings(byCode.get('FR')!.d)
				.flat()
				.map(([x]) => x)
		);
		const guianaEast = Math.max(
			...rings(byCode.get('GF')!.d)
				.flat()
				.map(([x]) => x)
		);
		expect(franceWest).toBeGreaterThan(guianaEast);
	});

	it('shows small island states, with a dot where the shape is too small to see', () => {
		const islandStates = ['TV', 'NR', 'MV', 'KN', 'MH', 'PW', 'KI', 'TO', 'SC', 'AG', 'DM', 'LC'];
		for (const code of islandStates) {
			const country = byCode.get(code);
			expect(country, code).toBeDefined();
			expect(country!.marker, code).not.toBeNull();
		}
		for (const code of ['TV', 'TK', 'GI', 'BV']) expect(byCode.get(code)?.d, code).toBe('');
		expect(byCode.get('KE')?.marker).toBeNull();
	});

	it('draws valid shapes: no NaN, at least three points a ring, inside the viewBox', () => {
		expect(width).toBe(960);
		expect(height).toBeGreaterThan(400);
		for (const country of map.countries) {
			expect(country.d || country.marker, country.code).toBeTruthy();
			expect(country.d, country.code).not.toMatch(/NaN|Infinity/);
			expect(country.d, country.code).toMatch(/^(M[-\d. ]+l[-\d. ]+z)*$/);
			let area = 0;
			for (const ring of rings(country.d)) {
				expect(new Set(ring.map(String)).size, country.code).toBeGreaterThanOrEqual(3);
				for (const [x, y] of ring) {
					expect(x >= 0 && x <= width * 10 && y >= 0 && y <= height * 10, country.code).toBe(true);
				}
				area += ringArea(ring);
			}
			if (area < markerBelowArea) expect(country.marker, country.code).not.toBeNull();
			if (country.marker) {
				const { x, y } = country.marker;
				expect(x > 0 && x < width && y > 0 && y < height, country.code).toBe(true);
			}
		}
	});

	it('puts the dot of a country across the antimeridian on one of its islands, not mid-map', () => {
		// Kiribati's islands lie at both edges of the map.
		const kiribati = byCode.get('KI')!.marker!;
		expect(Math.abs(kiribati.x - width / 2)).toBeGreaterThan(width / 3);
	});

	it('names countries as the reference table does, in the requested language, sorted by name', () => {
		expect(byCode.get('DE')?.name).toBe('Germany');
		const french = worldMap.shapes('fr');
		expect(french.countries.find((country) => country.code === 'DE')?.name).toBe('Allemagne');
		const names = french.countries.map((country) => country.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'fr')));
		expect(worldMap.shapes('en')).toBe(map);
	});

	it('draws the areas without an ISO code (Somaliland, Northern Cyprus) unnamed', () => {
		expect(rings(map.unassigned).length).toBeGreaterThanOrEqual(3);
		expect(map.outline).toMatch(/^M[\d.,L]+Z$/);
	});
});
