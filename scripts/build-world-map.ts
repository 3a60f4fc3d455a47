/**
 * Regenerates the world map's shapes from world-atlas 50m:
 *
 *   npx tsx scripts/build-world-map.ts
 *
 * Writes `src/lib/server/world-map/shapes.json` (checked in: building takes ~0.5 s, too long for
 * a first request, and the server then never reads the 750 KB atlas) and prints its sizes. A unit
 * test rebuilds it and fails if the checked-in file differs, so run this after changing
 * `src/lib/server/world-map/{atlas,build,path}.ts`.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as prettier from 'prettier';
import { buildWorldMap } from '../src/lib/server/world-map/build';

const target = resolve(import.meta.dirname, '../src/lib/server/world-map/shapes.json');
const geometry = buildWorldMap();
const options = await prettier.resolveConfig(target);
const text = await prettier.format(JSON.stringify(geometry), { ...options, parser: 'json' });
writeFileSync(target, text);

const pathCharacters = geometry.countries.reduce((sum, country) => sum + country.d.length, 0);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log(`${target}
  ${geometry.countries.length} countries, ${geometry.countries.filter((c) => c.marker).length} with a marker
  path data: ${pathCharacters} characters; file ${kib(text.length)}, gzipped ${kib(gzipSync(text).length)}`);
