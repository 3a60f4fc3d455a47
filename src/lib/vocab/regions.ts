/** UN M49 regions; Antarctica (010) is its own region here, so every country has one. */
export const regionCodes = ['002', '019', '142', '150', '009', '010'] as const;
export type RegionCode = (typeof regionCodes)[number];
