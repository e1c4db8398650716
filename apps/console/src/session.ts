/** The signed-in user, as the pages need to know it. */
export const session: { user: string | null; admin: boolean } = { user: null, admin: false };
