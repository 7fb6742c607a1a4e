// Rate-limit reports of one read, thinned before the aggregate. Codex writes one with every
// token count (33,671 of a 1 GB history's 61,085 Codex events), and the aggregate keeps only a
// session's newest (the first of equal times) and makes the session from its first event. So
// per read: a session's first report goes on at once, in its place; of its later ones only the
// newest is held and handed on when the read ends (end()), or earlier, when another session's
// report is held. The aggregate's state after the read is the same; nothing reads it in between
// (views, saves and merges come after reads).
import type {EmitFn, IngestEvent, RateLimitEvent} from '../core/types.js';

export class RateLimitThinner {
	/** Sessions whose first report of this read went on (a read rarely sees more than one). */
	private readonly sent: RateLimitEvent[] = [];
	private held: RateLimitEvent | undefined;

	constructor(private readonly sink: EmitFn) {}

	/** An event of the read (already checked): rate-limit reports thinned, everything else on at once. */
	emit(event: IngestEvent): void {
		if (event.kind !== 'rate-limit') {
			this.sink(event);
			return;
		}

		const held = this.held;
		if (held && held.tool === event.tool && held.sessionId === event.sessionId) {
			// Later, or the same time and so not kept: the aggregate keeps the first of equal times.
			if (event.ts > held.ts) this.held = event;
			return;
		}

		if (!this.sent.some(e => e.tool === event.tool && e.sessionId === event.sessionId)) {
			this.sent.push(event);
			this.sink(event);
			return;
		}

		if (held) this.sink(held);
		this.held = event;
	}

	/** The read ended (or failed): the held report on, and the next read starts afresh. */
	end(): void {
		const held = this.held;
		this.held = undefined;
		this.sent.length = 0;
		if (held) this.sink(held);
	}
}
