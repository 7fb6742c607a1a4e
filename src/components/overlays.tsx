import {Box, Text} from 'ink';
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

export function EmptyState({searched, width}: {readonly searched: readonly Searched[]; readonly width: number}) {
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>No agent sessions found yet.</Text>
			<Text>burntop looked in:</Text>
			{searched.map(s => (
				<Text key={s.tool + s.path} wrap="truncate-middle">{`  ${s.tool.padEnd(12)} ${s.path}  (${s.origin}${s.exists ? '' : ', missing'})`}</Text>
			))}
			<Text> </Text>
			<Text>It keeps watching: sessions appear here as soon as an agent writes them.</Text>
			<Text>Point it elsewhere with CLAUDE_CONFIG_DIR or CODEX_HOME, or set HOME.</Text>
			<Text> </Text>
			<Text>
				Press <Text bold color="yellow">d</Text> to start the demo (sample sessions replayed live), <Text bold>q</Text> to quit.
			</Text>
		</Box>
	);
}
