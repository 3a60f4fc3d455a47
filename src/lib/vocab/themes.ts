/** The six SEJONG themes (the forum's six sessions). Ids are stable; labels come from messages. */
export const themeIds = ['S', 'E', 'J', 'O', 'N', 'G'] as const;
export type ThemeId = (typeof themeIds)[number];
