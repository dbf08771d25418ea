/**
 * The most gzipped JavaScript the web app may ship before its first screen; phones on slow networks load all of
 * it before anything shows. Screens most visits never open (the consultation, the therapist's brief) load on
 * demand, each within the second budget.
 */
export const WEB_JS_GZIP_BUDGET_BYTES = 120 * 1024;
export const WEB_LAZY_JS_GZIP_BUDGET_BYTES = 40 * 1024;

/**
 * The engineering guide's target for the first screen over the wire: index.html and the scripts and style sheets
 * it names, as the server sends them to a browser that accepts brotli and gzip.
 */
export const FIRST_SCREEN_WIRE_BUDGET_BYTES = 110 * 1000;
