import { editListingPage } from '$lib/components/listings/listing-routes.server';
import type { Actions, PageServerLoad } from './$types';

const page = editListingPage('need');

export const load = page.load satisfies PageServerLoad;
export const actions = page.actions satisfies Actions;
