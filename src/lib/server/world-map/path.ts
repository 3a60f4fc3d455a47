import { geoStream, type GeoGeometryObjects, type GeoStream, type GeoStreamWrapper } from 'd3-geo';

/** A ring in viewBox units, in tenths of a unit (integers), without the closing point. */
export type Ring = [number, number][];

/** Points closer than this (viewBox units, ~px at full width) to the last kept one are dropped. */
const minPointDistance = 0.5;

/** Points that move the outline by less than this (viewBox units) are dropped (Douglas–Peucker). */
const maxDeviation = 0.3;

/**
 * Projects (and clips, at the antimeridian) a geometry and returns its rings rounded to a tenth
 * of a unit, with points closer than half a unit dropped. Rings left with fewer than three
 * distinct points are dropped, so every ring still draws a polygon.
 */
export function projectRings(projection: GeoStreamWrapper, object: GeoGeometryObjects): Ring[] {
	const rings: Ring[] = [];
	let ring: Ring = [];
	const minSquared = (minPointDistance * 10) ** 2;
	const sink: GeoStream = {
		point(x, y) {
			const point: [number, number] = [Math.round(x * 10), Math.round(y * 10)];
			const last = ring[ring.length - 1];
			if (last && (point[0] - last[0]) ** 2 + (point[1] - last[1]) ** 2 < minSquared) return;
			ring.push(point);
		},
		lineStart() {
			ring = [];
		},
		lineEnd() {
			const first = ring[0];
			const last = ring[ring.length - 1];
			if (ring.length > 1 && first[0] === last[0] && first[1] === last[1]) ring.pop();
			if (ring.length >= 3) ring = simplifyRing(ring, maxDeviation * 10);
			if (ring.length >= 3) rings.push(ring);
		},
		polygonStart() {},
		polygonEnd() {},
		sphere() {}
	};
	geoStream(object, projection.stream(sink));
	return rings;
}

/**
 * Douglas–Peucker on a closed ring: split at the point farthest from the first, simplify both
 * halves. `tolerance` is in the ring's units (tenths).
 */
export function simplifyRing(ring: Ring, tolerance: number): Ring {
	let farthest = 0;
	let farthestDistance = -1;
	for (let i = 1; i < ring.length; i++) {
		const distance = (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2;
		if (distance > farthestDistance) [farthest, farthestDistance] = [i, distance];
	}
	const keep = new Uint8Array(ring.length);
	keep[0] = keep[farthest] = 1;
	markKept(ring, 0, farthest, tolerance ** 2, keep);
	markKept([...ring, ring[0]], farthest, ring.length, tolerance ** 2, keep);
	return ring.filter((_, i) => keep[i] === 1);
}

/** Marks the points between `first` and `last` that deviate more than the tolerance. */
function markKept(
	points: Ring,
	first: number,
	last: number,
	toleranceSquared: number,
	keep: Uint8Array
): void {
	const stack: [number, number][] = [[first, last]];
	while (stack.length > 0) {
		const [start, end] = stack.pop()!;
		let farthest = -1;
		let farthestDistance = toleranceSquared;
		for (let i = start + 1; i < end; i++) {
			const distance = segmentDistanceSquared(points[i], points[start], points[end]);
			if (distance > farthestDistance) [farthest, farthestDistance] = [i, distance];
		}
		if (farthest < 0) continue;
		keep[farthest] = 1;
		stack.push([start, farthest], [farthest, end]);
	}
}

function segmentDistanceSquared(
	[x, y]: [number, number],
	[x0, y0]: [number, number],
	[x1, y1]: [number, number]
): number {
	const dx = x1 - x0;
	const dy = y1 - y0;
	const lengthSquared = dx * dx + dy * dy;
	const t =
		lengthSquared === 0
			? 0
			: Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / lengthSquared));
	return (x - x0 - t * dx) ** 2 + (y - y0 - t * dy) ** 2;
}

/** Unsigned area of a ring, in square viewBox units (shoelace formula on tenths). */
export function ringArea(ring: Ring): number {
	let twiceArea = 0;
	for (let i = 0; i < ring.length; i++) {
		const [x0, y0] = ring[i];
		const [x1, y1] = ring[(i + 1) % ring.length];
		twiceArea += x0 * y1 - x1 * y0;
	}
	return Math.abs(twiceArea) / 200;
}

/**
 * The SVG path data of rings: an absolute move to each ring's first point, then relative lines
 * (short numbers compress well), numbers without leading zeros and separated by their sign
 * where they can be.
 */
export function pathData(rings: Ring[]): string {
	let d = '';
	for (const ring of rings) {
		const [x0, y0] = ring[0];
		d += `M${pair(x0, y0)}l`;
		let [px, py] = ring[0];
		for (let i = 1; i < ring.length; i++) {
			const [x, y] = ring[i];
			d += (i > 1 ? separated(x - px) : tenths(x - px)) + separated(y - py);
			[px, py] = [x, y];
		}
		d += 'z';
	}
	return d;
}

function pair(x: number, y: number): string {
	return tenths(x) + separated(y);
}

/** A number after another one: a minus sign separates it, otherwise a space. */
function separated(value: number): string {
	const text = tenths(value);
	return text.startsWith('-') ? text : ` ${text}`;
}

/** Formats an integer count of tenths: 15 → "1.5", -5 → "-.5", 20 → "2". */
function tenths(value: number): string {
	const sign = value < 0 ? '-' : '';
	const absolute = Math.abs(value);
	const whole = Math.floor(absolute / 10);
	const fraction = absolute % 10;
	if (fraction === 0) return `${sign}${whole}`;
	return `${sign}${whole === 0 ? '' : whole}.${fraction}`;
}
