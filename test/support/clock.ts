/**
 * Loaded by mocha before every test file (.mocharc.json): the test suite lints on a fixed date, so
 * that a rule comparing dates (eol-base-image) gives the same verdict whatever day the suite runs.
 * Servers and CLIs the tests start inherit it. A test of the clock itself passes its own.
 */
process.env.DOCKERFILE_HARDENER_TODAY ??= '2026-12-07';
