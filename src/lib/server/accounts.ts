import type { Db } from '$lib/server/db';
import type { Config } from '$lib/server/config';

// STUB (skeleton): replaced by the accounts work.
export async function ensureFirstAdmin(_db: Db, _config: Config): Promise<void> {}
