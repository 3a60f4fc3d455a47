import { config } from '$lib/server/config';
import { openDatabase, runMigrations, type Db } from '$lib/server/db';

let instance: Db | null = null;

/** The running server's database: opened and migrated on first use, then shared. */
export function appDb(): Db {
	if (!instance) {
		instance = openDatabase(config.databasePath);
		runMigrations(instance);
	}
	return instance;
}
