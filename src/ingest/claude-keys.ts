// Claude Code's dedupe and twin keys of a call with a message id (claude.ts).

/**
 * The last call's keys: a message's streamed lines follow each other, so its keys are made once
 * (two keys per line were ~13 MB of garbage a GB). Values are compared, so any parser on the
 * thread may use it.
 */
export const LAST = {id: '', requestId: undefined as string | undefined, key: '', altKey: ''};

/** The dedupe key of a call with a message id (its twin key in LAST.altKey). */
export function keyOf(id: string, requestId: string | undefined): string {
	if (id !== LAST.id || requestId !== LAST.requestId) {
		LAST.id = id;
		LAST.requestId = requestId;
		LAST.key = requestId ? `claude:${id}:${requestId}` : `claude:${id}`;
		LAST.altKey = `claude:${id}`;
	}

	return LAST.key;
}
