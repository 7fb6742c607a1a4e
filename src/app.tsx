import {Box, useInput, useStdin, useStdout} from 'ink';
import {Text} from './components/text.js';
import {useCallback, useEffect, useReducer, useRef, useState, useSyncExternalStore} from 'react';
import {CacheTab, LiveTab, LoopsTab, ProjectsTab, SessionsView} from './components/tabs.js';
import {Footer, Header, TabBar} from './components/header.js';
import {EmptyState, Help} from './components/overlays.js';
import {SessionView} from './components/session-view.js';
import {commandFor, footerText, helpSections} from './keymap.js';
import type {LiveStore} from './live-store.js';
import type {AgentProcess, Found, KillResult, ProcessQuery} from './procs.js';
import {initialUiState, reduce, type Action, type UiState} from './ui-state.js';
import {currentList, filteredSuggestions, rowKey, selectedIndex, steepestBurns} from './view-model.js';

type Size = {columns: number; rows: number};

/** Terminal size with resize; tests pass a fixed size. */
function useTerminalSize(fixed?: Size): Size {
	const {stdout} = useStdout();
	const read = () => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
	const [size, setSize] = useState<Size>(fixed ?? read());
	useEffect(() => {
		if (fixed) return;
		const onResize = () => setSize(read());
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout, fixed]);
	return fixed ?? size;
}

/**
 * UI state through the one reducer, mirrored in a ref at dispatch time: a key pressed before
 * the next render (typing right after "/") must see the state the previous key produced.
 */
function useUiState(initial: UiState): [UiState, (a: Action) => void, {current: UiState}] {
	const ref = useRef(initial);
	const [, rerender] = useReducer((n: number) => n + 1, 0);
	const dispatch = useCallback((a: Action) => {
		const next = reduce(ref.current, a);
		if (next === ref.current) return;
		ref.current = next;
		rerender();
	}, []);
	return [ref.current, dispatch, ref];
}

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

/** Seconds after SIGINT before `x` offers SIGTERM. */
const GRACE_MS = 3000;

export function App({store, onQuit, onDemo, size: fixed, initial, findProcess, signal, noticeMs = NOTICE_MS}: AppProps) {
	const data = useSyncExternalStore(store.subscribe, store.getSnapshot);
	const [ui, dispatch, uiRef] = useUiState(initial ?? initialUiState);
	const {columns, rows} = useTerminalSize(fixed);
	const {isRawModeSupported} = useStdin();
	const target = useRef<AgentProcess | undefined>(undefined);
	const interrupted = useRef(new Map<number, number>());
	const list = currentList(data, ui);
	const selected = selectedIndex(list, ui);
	const top = ui.stack.at(-1);
	const detail = top?.kind === 'session' ? data.session(top.key) : undefined;

	const handle = (input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]): void => {
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
				const detail = key ? data.session(key) : undefined;
				if (!detail) {
					dispatch({type: 'notice', text: 'select a session first'});
					return;
				}

				const found = findProcess?.({tool: detail.tool, project: detail.project, cwds: detail.cwds, firstAt: detail.firstAt, files: detail.files});
				const p = found?.process;
				if (!p) {
					const many = found?.candidates ?? [];
					dispatch({type: 'notice', text: many.length > 1
						? `${many.length} ${detail.tool} processes could be this session's, not choosing: ${many.map(c => `PID ${c.pid} (${c.command.slice(0, 40)})`).join(', ')}`
						: `no running ${detail.tool} process found for this session (cwd ${detail.project}); session file: ${detail.files[0] ?? 'unknown'}`});
					return;
				}

				target.current = p;
				const sentAt = interrupted.current.get(p.pid);
				const sig = sentAt !== undefined && Date.now() - sentAt >= GRACE_MS ? 'SIGTERM' : 'SIGINT';
				dispatch({type: 'confirm', confirm: {pid: p.pid, command: p.command, cwd: p.cwd, signal: sig}});
				return;
			}

			case 'confirm-yes': {
				const c = now.confirm;
				const p = target.current;
				dispatch({type: 'confirm-cancel'});
				if (!c || !p || !signal) return;
				const r = signal(p, c.signal);
				if (r.ok && c.signal === 'SIGINT') interrupted.current.set(p.pid, Date.now());
				dispatch({type: 'notice', text: r.ok ? `${c.signal} sent to ${p.pid}${c.signal === 'SIGINT' ? `; if it keeps running, x again after ${GRACE_MS / 1000}s offers SIGTERM` : ''}` : `not sent: ${r.reason}`});
				return;
			}

			case 'action':
				dispatch(cmd.action);
		}
	};

	useEffect(() => {
		if (!ui.notice) return;
		const t = setTimeout(() => dispatch({type: 'notice', text: undefined}), noticeMs);
		return () => clearTimeout(t);
	}, [ui.notice, noticeMs, dispatch]);

	useInput(
		(input, key) => {
			// Letters that arrive together (jj, a paste, key repeat over a slow link) are each a key
			// press; a filter takes them as text, and a y/n question only a single key.
			const s = uiRef.current;
			if (input.length > 1 && !key.ctrl && !key.meta && !s.editingFilter && !s.confirm) {
				for (const c of input) handle(c, {} as typeof key);
			} else {
				handle(input, key);
			}
		},
		{isActive: isRawModeSupported === true},
	);

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
