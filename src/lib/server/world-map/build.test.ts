import { describe, expect, it } from 'vitest';
import { buildWorldMap } from './build';
import checkedIn from './shapes.json';

describe('buildWorldMap', () => {
	it('reproduces the checked-in shapes.json (run scripts/build-world-map.ts after a change)', () => {
		const built = buildWorldMap();
		expect(built).toEqual(checkedIn);
		expect(buildWorldMap()).toEqual(built);
	}, 30_000);
});
