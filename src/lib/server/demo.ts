import type { Db } from '$lib/server/db';

// STUB (skeleton): replaced by the demo-content work.
export async function seedDemoContent(_db: Db): Promise<void> {}
