import { loadListingDetail } from '$lib/components/listings/listing-detail.server';
import type { PageServerLoad } from './$types';

export const load = ((event) => loadListingDetail('offer', event)) satisfies PageServerLoad;
