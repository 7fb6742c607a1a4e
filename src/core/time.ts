// Command-line dates. A bare date means local midnight (`--until` includes that whole day);
// anything with a time is an instant.

export class DateError extends Error {}

const DAY = /^(\d{4})-?(\d{2})-?(\d{2})$/;

export function parseWhen(text: string, flag: string, endOfDay = false): number {
	const s = text.trim();
	const d = DAY.exec(s);
	if (d) {
		const [y, m, day] = [Number(d[1]), Number(d[2]) - 1, Number(d[3])];
		const t = new Date(y, m, day);
		if (t.getFullYear() !== y || t.getMonth() !== m || t.getDate() !== day) {
			throw new DateError(`${flag}: "${text}" is not a calendar date`);
		}

		return endOfDay ? new Date(y, m, day + 1).getTime() - 1 : t.getTime();
	}

	if (/^\d{4}-\d{2}-\d{2}T/.test(s)) {
		const t = Date.parse(s);
		if (!Number.isNaN(t)) return t;
	}

	throw new DateError(`${flag}: "${text}" is not a date (use YYYY-MM-DD or an ISO time such as 2026-02-23T13:00:00Z)`);
}

/** Local midnight of the day holding `t`. */
export function startOfDay(t: number): number {
	const d = new Date(t);
	return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Local calendar date of `t` as YYYY-MM-DD. */
export function localDate(t: number): string {
	const d = new Date(t);
	return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
