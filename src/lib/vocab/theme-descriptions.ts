import { m } from '$lib/paraglide/messages';
import type { ThemeId } from './themes';

const descriptions: Record<ThemeId, () => string> = {
	S: m.browse_theme_about_S,
	E: m.browse_theme_about_E,
	J: m.browse_theme_about_J,
	O: m.browse_theme_about_O,
	N: m.browse_theme_about_N,
	G: m.browse_theme_about_G
};

/** What a SEJONG theme covers, in two or three sentences, in the request's language. */
export const themeDescription = (id: ThemeId) => descriptions[id]();
