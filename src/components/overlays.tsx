import {Box} from 'ink';
import {theme} from './theme.js';
import {Text} from './text.js';
import type {Binding} from '../keymap.js';
import type {Searched} from '../live-store.js';

export function Help({bindings}: {readonly bindings: readonly Binding[]}) {
	return (
		<Box flexDirection="column">
			<Text bold>Keys (? or Esc closes)</Text>
			{bindings.map(b => (
				<Text key={b.keys}>{`  ${b.keys.padEnd(10)} ${b.help}`}</Text>
			))}
		</Box>
	);
}

/** One line per tool: where it looked first, how many other places, and whether any exist. */
export function EmptyState({searched, width, height}: {readonly searched: readonly Searched[]; readonly width: number; readonly height: number}) {
	const byTool = new Map<string, Searched[]>();
	for (const s of searched) byTool.set(s.tool, [...(byTool.get(s.tool) ?? []), s]);
	const rows = [...byTool].map(([tool, list]) => {
		const first = list.find(s => s.exists) ?? list[0]!;
		const more = list.length > 1 ? ` (+${list.length - 1} more)` : '';
		return `  ${tool.padEnd(12)} ${first.path}${more}${list.some(s => s.exists) ? '' : '  — not found'}`;
	});
	const room = Math.max(0, height - 7);
	const shown = rows.slice(0, room);
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>No agent sessions found yet.</Text>
			<Text>burntop looked in (burntop doctor lists every path):</Text>
			{shown.map(r => (
				<Text key={r} wrap="truncate-middle">{r}</Text>
			))}
			{rows.length > shown.length ? <Text dimColor>{`  … and ${rows.length - shown.length} more tools`}</Text> : null}
			<Text>Sessions appear here as soon as an agent writes them. Point burntop elsewhere with</Text>
			<Text>CLAUDE_CONFIG_DIR, CODEX_HOME, GEMINI_CLI_HOME, OPENCODE_DATA_DIR… or HOME.</Text>
			<Text>
				Press <Text bold color={theme.brand}>d</Text> to start the demo (sample sessions replayed live), <Text bold>q</Text> to quit.
			</Text>
		</Box>
	);
}
