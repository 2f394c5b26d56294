/** The roles and interface languages, as plain lists: the CLI declares its choices from these without loading Zod. */
export const roles = ['admin', 'analyst', 'reviewer', 'partner'] as const;
export const locales = ['be', 'ru', 'en'] as const;
