/** The most gzipped JavaScript the web app may ship; phones on slow networks load all of it before the first screen. */
export const WEB_JS_GZIP_BUDGET_BYTES = 120 * 1024;
