// Kept apart from the OTLP module so that checking the flag does not load the SDK.

/** A collector base URL gets the standard metrics path; a full path is kept. */
export function metricsUrl(endpoint: string): string | {error: string} {
	let u: URL;
	try {
		u = new URL(endpoint);
	} catch {
		return {error: `--otlp-endpoint: "${endpoint}" is not a URL (e.g. http://localhost:4318)`};
	}

	if (u.protocol !== 'http:' && u.protocol !== 'https:') return {error: `--otlp-endpoint: use an http:// or https:// URL (OTLP/HTTP), not ${u.protocol}`};
	if (u.pathname === '/' || u.pathname === '') u.pathname = '/v1/metrics';
	return u.toString();
}
