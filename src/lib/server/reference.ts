import type { Db } from '$lib/server/db';

// STUB (skeleton): replaced by the reference-data work.
export function seedReferenceData(_db: Db): void {}
