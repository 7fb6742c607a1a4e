import {Box, useStdin, type Key} from 'ink';
import {Text} from './components/text.js';
import {useSyncExternalStore} from 'react';
import {CacheTab, LiveTab, LoopsTab, ProjectsTab, SessionsView} from './components/tabs.js';
import {Footer, Header, TabBar} from './components/header.js';
import {EmptyState, Help} from './components/overlays.js';
import {SessionView} from './components/session-view.js';
import {commandFor, footerText, helpSections} from './keymap.js';
import type {LiveStore} from './live-store.js';
import type {AgentProcess, Found, KillResult, ProcessQuery} from './procs.js';
import {initialUiState, type UiState} from './ui-state.js';
import {useKeys, useNotice} from './hooks/use-keys.js';
import {useKill} from './hooks/use-kill.js';
import {useTerminalSize, type Size} from './hooks/use-terminal.js';
import {useUiState} from './hooks/use-ui-state.js';
import {currentList, filteredSuggestions, rowKey, selectedIndex, steepestBurns} from './view-model.js';

export type AppProps = {
	readonly store: LiveStore;
	readonly onQuit: () => void;
	readonly onDemo?: () => void;
	readonly size?: Size;
	readonly initial?: UiState;
	/** Finds the agent process of a session (kill). */
	readonly findProcess?: (q: ProcessQuery) => Found;
	/** Sends a confirmed signal. */
	readonly signal?: (p: AgentProcess, signal: 'SIGINT' | 'SIGTERM') => KillResult;
	/** How long a one-line message stays (tests shorten it). */
	readonly noticeMs?: number;
};

/** A message (kill result, "select a session first") clears after this long. */
const NOTICE_MS = 6000;

export function App({store, onQuit, onDemo, size: fixed, initial, findProcess, signal, noticeMs = NOTICE_MS}: AppProps) {
	const data = useSyncExternalStore(store.subscribe, store.getSnapshot);
	const [ui, dispatch, uiRef] = useUiState(initial ?? initialUiState);
	const {columns, rows} = useTerminalSize(fixed);
	const {isRawModeSupported} = useStdin();
	const kill = useKill({findProcess, signal, dispatch});
	const list = currentList(data, ui);
	const selected = selectedIndex(list, ui);
	const top = ui.stack.at(-1);
	const detail = top?.kind === 'session' ? data.session(top.key) : undefined;

	const handle = (input: string, key: Key): void => {
		const now = uiRef.current;
		const cmd = commandFor(input, key, now, {empty: data.empty});
		if (!cmd) return;
		const nowList = currentList(data, now);
		const top = now.stack.at(-1);
		switch (cmd.type) {
			case 'quit':
				onQuit();
				return;
			case 'demo':
				onDemo?.();
				return;
			case 'move':
			case 'page': {
				const rows = nowList ? nowList.rows.length : top?.kind === 'session' ? data.session(top.key)?.recent.length ?? 0 : 0;
				// A page: the table's visible rows (its body less the header lines above the list).
				const by = cmd.type === 'page' ? cmd.by * Math.max(1, bodyHeight - 4) : cmd.by;
				dispatch({type: 'move', by, rows, keys: nowList?.rows.map(rowKey)});
				return;
			}

			case 'enter': {
				const open = nowList?.rows[selectedIndex(nowList, now)]?.open;
				if (open) dispatch({type: 'open', view: open});
				return;
			}

			case 'kill': {
				const key = top?.kind === 'session' ? top.key : filteredSuggestions(data, now)[selectedIndex(nowList, now)]?.key;
				kill.ask(key ? data.session(key) : undefined);
				return;
			}

			case 'confirm-yes':
				kill.confirm(now.confirm);
				return;

			case 'action':
				dispatch(cmd.action);
		}
	};

	useNotice(ui.notice, noticeMs, dispatch);
	useKeys(handle, uiRef, isRawModeSupported === true);

	// Never taller than the terminal: a full-height frame makes Ink 6 clear and flicker.
	const height = Math.max(3, rows - 1);
	const width = Math.max(20, columns);
	const health = data.live.health;
	const status = [
		ui.confirm ? `Send ${ui.confirm.signal} to PID ${ui.confirm.pid} (${ui.confirm.command}) in ${ui.confirm.cwd}? y/n` : '',
		ui.notice ?? '',
		health.linesSkipped > 0 ? `${health.linesSkipped} lines skipped (see burntop --once)` : '',
		health.unpricedModels.length > 0 ? `unpriced: ${health.unpricedModels.map(u => u.model).join(', ')}` : '',
		...(data.live.watching?.problems ?? []),
	].filter(Boolean).join(' · ');
	const footerLines = 1 + (status ? 1 : 0) + (ui.editingFilter || ui.filter ? 1 : 0);
	const bodyHeight = Math.max(1, height - 3 - footerLines);

	let body;
	if (ui.help) body = <Help sections={helpSections(ui, {empty: data.empty})} height={bodyHeight} />;
	else if (data.empty) body = <EmptyState searched={data.searched} width={width} height={bodyHeight} />;
	else if (top?.kind === 'session') body = <SessionView detail={detail} width={width} height={bodyHeight} selected={ui.selected} />;
	else if (top?.kind === 'sessions') body = <SessionsView title={top.title} list={list!} selected={selected} width={width} height={bodyHeight} />;
	else if (ui.tab === 'live') body = <LiveTab burn={data.live.burn} chart={ui.chart} estimated={data.live.totals.estimated} list={list!} selected={selected} width={width} height={bodyHeight} />;
	else if (ui.tab === 'projects') body = <ProjectsTab list={list!} selected={selected} width={width} height={bodyHeight} period={ui.period} breakdown={ui.breakdown} sort={ui.reverse ? `${ui.sort}, reversed` : ui.sort} />;
	else if (ui.tab === 'cache') body = <CacheTab cache={data.cache()} list={list!} selected={selected} width={width} height={bodyHeight} />;
	else body = <LoopsTab list={list!} selected={selected} width={width} height={bodyHeight} suggestions={filteredSuggestions(data, ui)} steep={steepestBurns(data, ui)} />;

	return (
		<Box flexDirection="column" height={height} width={width} overflow="hidden">
			<Header live={data.live} width={width} window={data.window} guard={data.guard} />
			<TabBar tab={ui.tab} />
			<Box flexDirection="column" height={bodyHeight} overflow="hidden">
				{body}
			</Box>
			<Footer text={footerText(columns)} filter={ui.filter} editing={ui.editingFilter} status={status || undefined} />
			{isRawModeSupported ? null : <Text dimColor>(keys need a terminal)</Text>}
		</Box>
	);
}
