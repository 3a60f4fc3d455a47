import { loadListingList } from '$lib/components/listings/listing-list.server';
import type { PageServerLoad } from './$types';

export const load = ((event) => loadListingList('offer', event)) satisfies PageServerLoad;
