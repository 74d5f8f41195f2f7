/**
 * Today's date for the rules that compare dates (eol-base-image), as `YYYY-MM-DD` in UTC: the lint
 * option `today` where one is given (tests, the rules' examples), else the environment variable
 * DOCKERFILE_HARDENER_TODAY (a CI job that wants the same verdict on every run pins it; the test
 * suite does), else the machine's clock. A value that is not a real date is ignored.
 */
export function todayOf(options: { today?: string }, env: NodeJS.ProcessEnv = process.env): string {
  for (const given of [options.today, env.DOCKERFILE_HARDENER_TODAY]) if (isDate(given)) return given;
  return new Date().toISOString().slice(0, 10);
}

function isDate(text: string | undefined): text is string {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}
