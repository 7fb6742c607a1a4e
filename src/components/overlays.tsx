import {Box} from 'ink';
import {theme} from './theme.js';
import {Text} from './text.js';
import type {Binding} from '../keymap.js';
import type {Searched} from '../live-store.js';

/**
 * Every mode's keys from the key tables: the main one a line per key, the short modes (filter,
 * confirm) a line each. Cut to `height` with a count of what did not fit.
 */
export function Help({sections, height}: {readonly sections: ReadonlyArray<{title: string; bindings: readonly Binding[]}>; readonly height: number}) {
	const [main, ...modes] = sections;
	const lines: Array<{text: string; bold?: boolean}> = [{text: `${main!.title} (? or Esc closes)`, bold: true}];
	for (const b of main!.bindings) lines.push({text: `  ${b.keys.padEnd(12)} ${b.help}`});
	for (const m of modes) lines.push({text: `${m.title}: ${m.bindings.map(b => `${b.keys} ${b.help}`).join(' · ')}`});
	const shown = lines.length <= height ? lines : [...lines.slice(0, Math.max(0, height - 1)), {text: `… ${lines.length - height + 1} more lines: a taller terminal shows them`}];
	return (
		<Box flexDirection="column">
			{shown.map(l => (
				<Text key={l.text} bold={l.bold} wrap="truncate-end">{l.text}</Text>
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
			{/* One text, wrapped by Ink: two fixed lines broke at 80 columns as "…elsewhere", "with". */}
			<Text>Sessions appear here as soon as an agent writes them. Point burntop elsewhere with CLAUDE_CONFIG_DIR, CODEX_HOME, GEMINI_CLI_HOME, OPENCODE_DATA_DIR… or HOME.</Text>
			<Text>
				Press <Text bold color={theme.brand}>d</Text> to start the demo (sample sessions replayed live), <Text bold>q</Text> to quit.
			</Text>
		</Box>
	);
}
