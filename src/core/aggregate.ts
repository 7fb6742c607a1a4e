// The aggregate with its saved form: export and import of its state (the index, a store
// worker's result) and the union with what another burntop saved. The ledger itself:
// aggregate-core.ts.
import {AggregateCore} from './aggregate-core.js';
import {MAX_ERRORS, MAX_SIGNALS, NO_CALLS, policyOf, prefers, sealedKeyIn, ZERO, type AggregateState, type Values} from './aggregate-rules.js';
import {fingerprint} from './fingerprints.js';
import {decodeRecord, decodeRecords, encodeRecords} from './record-table.js';
import {emptyMap, emptySet, type CallRecord, type SessionState} from './records.js';
import {blank} from './rollup-table.js';
import {ESTIMATED, PRICED, REMOVED, SIDECHAIN} from './sealed-calls.js';

export {onSealGrid, SEAL_AFTER, SEAL_SLOT, type AggregateState, type PriceFn, type UpsertResult} from './aggregate-rules.js';
export {NANO, type CallRecord, type SessionState} from './records.js';

export class Aggregate extends AggregateCore {
	/**
	 * Take in what another burntop saved (the index holds the union of what every process read):
	 * each call it counted that this one lacks, and for a call both counted, the copy the store's
	 * rule prefers (first copy; largest output; for stores that rewrite, the copy read last).
	 * So a save never drops a call another process saw, such as one from a file deleted since.
	 */
	absorb(st: AggregateState): void {
		const other = new Aggregate(this.price, this.readClock);
		other.importState(st);
		for (const s of other.sessions.values()) this.absorbSession(s);
		for (const [p, r] of other.remotes) if (!this.remotes.has(p)) this.remotes.set(p, r);
		for (const r of other.calls.values()) this.absorbOpen(r, r.group === undefined ? 0 : (other.groups.get(r.group)?.rank ?? 0));
		this.absorbSealed(other);
		this.version++;
	}

	private absorbSession(s: SessionState): void {
		const mine = this.session(s.tool, s.sessionId, s.project, s.firstAt);
		if (s.firstAt !== 0 && (mine.firstAt === 0 || s.firstAt < mine.firstAt)) mine.firstAt = s.firstAt;
		if (s.lastAt > mine.lastAt) mine.lastAt = s.lastAt;
		for (const m of s.models) mine.models.add(m);
		for (const f of s.files) mine.files.add(f);
		if (s.cwds.size > 0 && mine.cwds === emptySet()) mine.cwds = new Set();
		for (const c of s.cwds) if (mine.cwds.size < 20) mine.cwds.add(c);
		if (s.errors.size > 0 && mine.errors === emptyMap()) mine.errors = new Map();
		for (const [k, t] of s.errors) if (!mine.errors.has(k) && mine.errors.size < MAX_ERRORS) mine.errors.set(k, t);
		if (s.prompts.size > 0 && mine.prompts === emptyMap()) mine.prompts = new Map();
		for (const [k, t] of s.prompts) if (!mine.prompts.has(k) && mine.prompts.size < MAX_SIGNALS) mine.prompts.set(k, t);
		if (s.results.size > 0 && mine.results === emptyMap()) mine.results = new Map();
		for (const [k, t] of s.results) if (!mine.results.has(k) && mine.results.size < MAX_SIGNALS) mine.results.set(k, t);
		if (s.rateLimit && (!mine.rateLimit || s.rateLimit.ts > mine.rateLimit.ts)) mine.rateLimit = s.rateLimit;
		mine.lastPrompt ??= s.lastPrompt;
	}

	private absorbOpen(r: CallRecord, rank: number): void {
		const v: Values = {...r};
		const mine = this.calls.get(r.key);
		// Both sides' copies: their activity features join (as a later copy's do), except under `first`.
		const join = r.replace !== 'first';
		if (mine) {
			if (join) this.openFeatures(mine, r.features);
			if (prefers(r.replace, mine, v)) this.setOpen(mine, v);
			if (!r.sidechain) mine.sidechain = false;
			return;
		}

		const row = this.ledger.find(r.key);
		if (row !== -1) {
			const flags = this.ledger.flags[row]!;
			if ((flags & REMOVED) !== 0) return;
			if (join) this.sealedFeatures(row, r.features);
			if (prefers(r.replace, this.ledger.read(row), v)) this.setSealed(row, v, r.sidechain ? flags & SIDECHAIN : 0);
			return;
		}

		const group = this.admit(r.group, rank, r.altKey, r.sidechain);
		if (group === false) return;
		this.addOpen({...r, session: this.session(r.tool, r.session.sessionId, r.project, r.ts)}, group);
	}

	/** The other side's sealed calls: known here by fingerprint only. */
	private absorbSealed(other: Aggregate): void {
		const ol = other.ledger;
		const altOf = ol.altsByRow();
		const open = new Map<string, CallRecord>();
		const openAlt = new Map<string, CallRecord>();
		for (const r of this.calls.values()) {
			open.set(fingerprint(r.key).join(':'), r);
			if (r.altKey && !openAlt.has(r.altKey)) openAlt.set(fingerprint(r.altKey).join(':'), r);
		}

		for (const [a, b, row] of ol.keyEntries()) {
			const n = ol.read(row);
			const flags = ol.flags[row]!;
			const roll = other.rollups.read(ol.rollup[row]!);
			const replace = policyOf(flags);
			const v: Values = {...n, model: roll.model, project: roll.project, priced: (flags & PRICED) !== 0, estimated: (flags & ESTIMATED) !== 0};
			const alive = (flags & REMOVED) === 0;
			const join = alive && replace !== 'first';
			const mineRow = this.ledger.get(a, b);
			if (mineRow !== -1) {
				const mf = this.ledger.flags[mineRow]!;
				if ((mf & REMOVED) !== 0) continue;
				if (join) this.sealedFeatures(mineRow, ol.features[row]!);
				if (!alive) this.removeSealed(mineRow);
				else if (prefers(replace, this.ledger.read(mineRow), v)) this.setSealed(mineRow, v, flags & mf & SIDECHAIN);
				continue;
			}

			const mine = open.get(`${a}:${b}`);
			if (mine && this.calls.get(mine.key) === mine) {
				if (join) this.openFeatures(mine, ol.features[row]!);
				if (!alive) this.remove(mine);
				else if (prefers(replace, mine, v)) this.setOpen(mine, v);
				continue;
			}

			// New here: a twin (sidechain replay and main copy) counts once, as in admit().
			let dead = !alive;
			const alt = altOf.get(row);
			if (!dead && alt) {
				const sidechain = (flags & SIDECHAIN) !== 0;
				const twin = openAlt.get(`${alt[0]}:${alt[1]}`);
				if (twin && this.calls.get(twin.key) === twin) {
					if (twin.sidechain !== sidechain) {
						if (sidechain) dead = true;
						else this.remove(twin);
					}
				} else {
					const t = this.ledger.getAlt(alt[0], alt[1]);
					const tf = t === -1 ? REMOVED : this.ledger.flags[t]!;
					if ((tf & REMOVED) === 0 && ((tf & SIDECHAIN) !== 0) !== sidechain) {
						if (sidechain) dead = true;
						else this.removeSealed(t);
					}
				}
			}

			const session = this.session(roll.tool, roll.session.sessionId, roll.project, n.ts);
			const rec = {...roll, ...(dead ? ZERO : n), ts: n.ts, at: n.at, session, key: '', lastTs: undefined} as CallRecord;
			const at = this.rollup(rec);
			if (!dead) this.contribute(rec, 1);
			this.ledger.addFp(a, b, alt, n, dead ? flags | REMOVED : flags, at, ol.features[row]!);
			this.sealedCalls++;
		}
	}

	/**
	 * Everything needed to rebuild this aggregate, as plain data (Maps, Sets and typed arrays,
	 * with shared references: a record's session is the session). The time series is not kept:
	 * it is the sum of the records and rollups and is rebuilt from them.
	 */
	exportState(): AggregateState {
		const sessions = [...this.sessions.values()];
		const sIndex = new Map(sessions.map((s, i) => [s, i]));
		const sessionOf = (r: CallRecord) => sIndex.get(r.session)!;
		const records = [...this.calls.values()];
		const rIndex = new Map<CallRecord, number>(records.map((r, i) => [r, i]));
		const openCalls = records.length;
		// A session's recent ring: positions in the records (open calls, or older calls appended).
		const ring = (s: SessionState) =>
			s.recent.map(r => {
				let i = rIndex.get(r);
				if (i === undefined) {
					i = records.length;
					rIndex.set(r, i);
					records.push(r);
				}

				return i;
			});
		const sessionStates = sessions.map(s => ({...s, recent: Int32Array.from(ring(s))}));
		return {
			sessions: sessionStates,
			records: encodeRecords(records, sessionOf),
			openCalls,
			sealed: this.rollups.exportTable(s => sIndex.get(s)!),
			groups: [...this.groups].map(([k, g]) => [k, g.rank, [...g.members].map(r => r.key)]),
			remotes: [...this.remotes],
			ledger: this.ledger.exportState(),
			sealedCalls: this.sealedCalls,
		};
	}

	/**
	 * Add the state of an aggregate that read other stores' files: the other half of a cold scan
	 * split by store. Stores share no session, call or group, so this is the union of the two;
	 * anything in common (or sealed state on either side) is refused before anything changes.
	 */
	mergeState(st: AggregateState): void {
		for (const s of st.sessions) if (this.sessions.has(s.key)) throw new Error(`merge: session ${s.key} on both sides`);
		for (let i = 0; i < st.openCalls; i++) if (this.calls.has(st.records.keys[i]!) || this.ledger.find(st.records.keys[i]!) !== -1) throw new Error(`merge: call ${st.records.keys[i]} on both sides`);
		if (this.ledger.overlaps(st.ledger) || this.calls.size > 0 && sealedKeyIn(st, this.calls)) throw new Error('merge: sealed call on both sides');
		for (const [g] of st.groups) if (this.groups.has(g)) throw new Error(`merge: group ${g} on both sides`);
		this.importState(st, true);
	}

	/**
	 * Load a state from exportState() into this (empty) aggregate; `merging`: see mergeState.
	 * `owned`: the state's arrays are this aggregate's to keep (read from the index); an
	 * exported state holds views of its aggregate's columns, copied here.
	 */
	importState(st: AggregateState, merging = false, owned = false): void {
		// Empty maps and sets come back as the shared empty ones (see NO_ENTRIES).
		const sessions = st.sessions.map(s => ({...s, errors: own(s.errors), prompts: own(s.prompts), results: own(s.results), cwds: s.cwds.size > 0 ? s.cwds : emptySet<string>(), recent: [] as CallRecord[]}) as SessionState);
		// Open calls now; records only a ring holds when that ring is first read (most sessions
		// of a long history are never looked at).
		const records: CallRecord[] = decodeRecords(st.records, sessions, st.openCalls);
		const rollupBase = this.rollups.importTable(st.sealed, sessions, owned && !merging);
		const view = blank();
		const record = (i: number): CallRecord => (i < st.openCalls ? records[i]! : decodeRecord(st.records, i, sessions));
		// Old history straight into hour buckets, as compaction would put it.
		let newest = 0;
		for (const r of records) if (r.ts > newest) newest = r.ts;
		for (let i = rollupBase; i < this.rollups.count; i++) if (this.rollups.lastTs(i) > newest) newest = this.rollups.lastTs(i);

		this.series.prepare(newest);
		for (let i = 0; i < sessions.length; i++) {
			const s = sessions[i]!;
			const ring = st.sessions[i]!.recent;
			if (ring.length === 0) {
				// Most sessions of a long history (quiet ones keep no ring): no accessor, which would
				// also turn the object into a slow dictionary (~1.6 KB each on the heap).
				s.recent = NO_CALLS;
				this.sessions.set(s.key, s);
				continue;
			}

			// Replaced by the decoded array on first read (or by an assignment).
			Object.defineProperty(s, 'recent', {
				configurable: true,
				enumerable: true,
				get() {
					const value = Array.from(ring, record);
					Object.defineProperty(s, 'recent', {value, writable: true, configurable: true, enumerable: true});
					return value;
				},
				set(value: CallRecord[]) {
					Object.defineProperty(s, 'recent', {value, writable: true, configurable: true, enumerable: true});
				},
			});
			this.sessions.set(s.key, s);
		}

		for (let i = 0; i < st.openCalls; i++) {
			const r = records[i]!;
			this.calls.set(r.key, r);
			if (r.altKey && !this.byAltKey.has(r.altKey)) this.byAltKey.set(r.altKey, r);
			this.series.apply(r, 1);
		}

		for (let i = rollupBase; i < this.rollups.count; i++) {
			// Older than every bucket (31 days): not even read (17k of 37k rollups on 3 GB of history).
			if (!this.series.reaches(this.rollups.firstTs(i))) continue;
			const r = this.rollups.read(i, view);
			if (r.calls !== 0) this.series.apply(r, 1);
		}

		if (this.keyedFrom > 0 || rollupBase === 0) this.keyedFrom = this.rollups.count;
		else for (let i = rollupBase; i < this.rollups.count; i++) this.keyRollup(this.rollups.read(i, view), i);

		for (const [k, rank, keys] of st.groups) {
			const members = new Set<CallRecord>();
			for (const key of keys) {
				const r = this.calls.get(key);
				if (r) members.add(r);
			}

			this.groups.set(k, {rank, members});
		}

		for (const [p, r] of st.remotes) this.remotes.set(p, r);
		if (merging) this.ledger.merge(st.ledger, rollupBase);
		else this.ledger.importState(st.ledger);
		this.sealedCalls += st.sealedCalls;
		this.version++;
	}
}

/** A saved map, or the shared empty one when it has nothing. */
function own<K, V>(m: Map<K, V>): Map<K, V> {
	return m.size > 0 ? m : emptyMap<K, V>();
}
