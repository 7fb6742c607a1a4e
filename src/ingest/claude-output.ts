// Claude Code responses left with streaming placeholder usage: the output their content needs,
// estimated, and the rule that tells a placeholder (docs/counting.md).

// Claude Code writes a line per content block as the block ends, each with the usage known at
// that moment: the streaming placeholder (output of a few tokens). The final usage comes in a
// later line or, often (every subagent and compaction response in the 2.1.3x samples), never.
// Such a response is told by output far below what its own content needs. The estimate is a
// lower bound: thinking shows only its summary. Measured on responses that do have a final
// line: docs/counting.md.
const CHARS_PER_TEXT_TOKEN = 4;
const CHARS_PER_JSON_TOKEN = 3;
/** A tool call's framing (id, name, JSON punctuation) in output tokens. */
const TOOL_USE_TOKENS = 20;

/** Output tokens a content block holds, estimated from its visible size. */
export function blockOutput(block: Record<string, unknown>): number {
	switch (block['type']) {
		case 'text':
			return typeof block['text'] === 'string' ? textOutput(block['text'].length) : 0;
		case 'thinking':
			return typeof block['thinking'] === 'string' ? textOutput(block['thinking'].length) : 0;
		case 'tool_use':
			return toolUseOutput(jsonSize(block['input']), String(block['name'] ?? '').length);
		default:
			return 0;
	}
}

/** A text or thinking block's output from its length in UTF-16 units. */
export function textOutput(units: number): number {
	return units / CHARS_PER_TEXT_TOKEN;
}

/** A tool call's output from jsonSize() of its input and its name's length. */
export function toolUseOutput(inputSize: number, nameLength: number): number {
	return TOOL_USE_TOKENS + (inputSize + nameLength) / CHARS_PER_JSON_TOKEN;
}

/** About the length of `v` as JSON (escapes not counted), without building the text: a Write call's input can be large. */
export function jsonSize(v: unknown): number {
	switch (typeof v) {
		case 'string':
			return v.length + 2;
		case 'number':
		case 'boolean':
			return String(v).length;
		case 'object': {
			if (v === null) return 4;
			let n = 2;
			if (Array.isArray(v)) for (const x of v) n += jsonSize(x) + 1;
			else for (const k in v) n += k.length + 4 + jsonSize((v as Record<string, unknown>)[k]);
			return n;
		}

		default:
			return 0;
	}
}

/**
 * Output a response's content needs beyond what was recorded, when the recorded figure is a
 * placeholder (under half the estimate and at least 32 tokens short); else 0.
 */
export function unrecordedOutput(recorded: number, content: number): number {
	const estimate = Math.round(content);
	return recorded * 2 < estimate && estimate - recorded >= 32 ? estimate - recorded : 0;
}
