/**
 * The most gzipped JavaScript the web app may ship before its first screen; phones on slow networks load all of
 * it before anything shows. Screens most visits never open (the consultation, the therapist's brief) load on
 * demand, each within the second budget.
 */
export const WEB_JS_GZIP_BUDGET_BYTES = 120 * 1024;
export const WEB_LAZY_JS_GZIP_BUDGET_BYTES = 40 * 1024;
