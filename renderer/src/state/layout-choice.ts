/**
 * Where a person's choice of the day's layout is kept for a window (sessionStorage): it outlives a reload, as the
 * desk id does. Its own file, free of imports, so the e2e support can set it before a page opens.
 */
export const LAYOUT_CHOICE_KEY = 'standbyDesk.layout';
