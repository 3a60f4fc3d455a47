import { m } from '$lib/paraglide/messages';
import type { ThemeId } from './themes';

const themeLabels: Record<ThemeId, () => string> = {
	S: m.theme_S,
	E: m.theme_E,
	J: m.theme_J,
	O: m.theme_O,
	N: m.theme_N,
	G: m.theme_G
};

export function themeLabel(id: ThemeId): string {
	return themeLabels[id]();
}
