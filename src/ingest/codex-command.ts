// The shell command of a Codex tool call, read from its arguments: by the parser's JSON path and
// its tape path alike (codex.ts, codex-tape.ts).
import {isRecord} from './util.js';

/** The shell command of a tool call's arguments (a JSON string or an object), if any. */
export function commandOf(p: Record<string, unknown>): string | undefined {
	let args: unknown = p['arguments'] ?? p['input'] ?? p['action'];
	if (typeof args === 'string') {
		try {
			args = JSON.parse(args);
		} catch {
			return p['type'] === 'custom_tool_call' ? undefined : args as string;
		}
	}

	if (!isRecord(args)) return undefined;
	const cmd = args['command'] ?? args['cmd'];
	if (Array.isArray(cmd)) {
		const parts = cmd.map(String);
		// ["bash","-lc","npm test"] → "npm test"
		if (parts.length >= 3 && /(^|\/)(ba|z)?sh$/.test(parts[0]!) && parts[1]!.startsWith('-')) return parts.slice(2).join(' ');
		return parts.join(' ');
	}

	return typeof cmd === 'string' ? cmd : undefined;
}
