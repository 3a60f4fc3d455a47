import { describe, expect, it } from 'vitest';
import { geoIdentity } from 'd3-geo';
import { pathData, projectRings, ringArea, simplifyRing, type Ring } from './path';

describe('pathData', () => {
	it('moves to the first point, draws relative lines in tenths, and closes each ring', () => {
		const rings: Ring[] = [
			[
				[105, 20],
				[125, 20],
				[125, 5]
			],
			[
				[0, 0],
				[-5, 10],
				[10, 10]
			]
		];
		expect(pathData(rings)).toBe('M10.5 2l2 0 0-1.5zM0 0l-.5 1 1.5 0z');
	});

	it('is empty for no rings', () => {
		expect(pathData([])).toBe('');
	});
});

describe('ringArea', () => {
	it('measures in square units whatever the winding', () => {
		const square: Ring = [
			[0, 0],
			[20, 0],
			[20, 20],
			[0, 20]
		];
		expect(ringArea(square)).toBe(4);
		expect(ringArea([...square].reverse())).toBe(4);
	});
});

describe('simplifyRing', () => {
	it('drops points that barely move the outline and keeps the corners', () => {
		const ring: Ring = [
			[0, 0],
			[50, 1],
			[100, 0],
			[100, 100],
			[50, 99],
			[0, 100]
		];
		expect(simplifyRing(ring, 3)).toEqual([
			[0, 0],
			[100, 0],
			[100, 100],
			[0, 100]
		]);
	});
});

describe('projectRings', () => {
	const identity = geoIdentity();

	it('rounds to tenths, drops points closer than half a unit and the closing point', () => {
		const rings = projectRings(identity, {
			type: 'Polygon',
			coordinates: [
				[
					[0, 0],
					[0.1, 0.1],
					[10, 0],
					[10, 10],
					[0.04, 0.02]
				]
			]
		});
		expect(rings).toEqual([
			[
				[0, 0],
				[100, 0],
				[100, 100]
			]
		]);
	});

	it('drops rings left with fewer than three points', () => {
		const sliver = projectRings(identity, {
			type: 'Polygon',
			coordinates: [
				[
					[0, 0],
					[0.2, 0],
					[0.2, 0.2],
					[0, 0]
				]
			]
		});
		expect(sliver).toEqual([]);
	});
});
