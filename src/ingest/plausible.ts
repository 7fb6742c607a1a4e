// The last gate before the aggregate: a record a store could not have meant (a count written as
// text, negative or infinite; a time before 2020 or a day ahead; over 10^9 tokens in one call)
// is skipped and counted under its reason, never counted.
import type {IngestEvent} from '../core/types.js';
import {badCount} from './util.js';

/** More tokens than any model's context in one call, or a time no agent wrote. */
const MAX_TOKENS = 1e9;
const EARLIEST = Date.parse('2020-01-01T00:00:00Z');
const FUTURE_SLACK = 86_400_000;

export function implausible(e: IngestEvent, now: number): string | undefined {
	if (e.ts < EARLIEST) return 'timestamp before 2020';
	if (e.ts > now + FUTURE_SLACK) return 'timestamp more than a day in the future';
	if (e.kind !== 'usage') return undefined;
	// A count the store wrote as text, negative or infinite: the record is corrupt.
	// A chain, not a loop over an array of them: this runs once per event of a scan.
	const bad = badCount(e.input) ?? badCount(e.cacheRead) ?? badCount(e.cacheWrite5m) ?? badCount(e.cacheWrite1h) ?? badCount(e.output) ??
		badCount(e.reasoning) ?? badCount(e.webSearches) ?? badCount(e.unrecorded ?? 0) ?? badCount(e.calls ?? 1) ?? badCount(e.premiumRequests ?? 0);
	if (bad) return bad;

	// All kinds together: no model reads or writes a billion tokens in one call.
	if (e.input + e.cacheRead + e.cacheWrite5m + e.cacheWrite1h + e.output > MAX_TOKENS * (e.calls ?? 1)) return 'absurd token count (over 10^9 tokens in one call)';
	return undefined;
}
