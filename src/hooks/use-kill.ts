// `x`: find the selected session's agent, ask, then signal it (SIGINT first; SIGTERM when asked
// again after a grace period). The process stays the one found when asked, not a new lookup.
import {useRef} from 'react';
import type {SessionDetail} from '../core/session-detail.js';
import type {AgentProcess, Found, KillResult, ProcessQuery} from '../procs.js';
import type {Action, UiState} from '../ui-state.js';

/** Seconds after SIGINT before `x` offers SIGTERM. */
export const GRACE_MS = 3000;

export type KillDeps = {
	findProcess?: (q: ProcessQuery) => Found;
	signal?: (p: AgentProcess, signal: 'SIGINT' | 'SIGTERM') => KillResult;
	dispatch: (a: Action) => void;
};

export function useKill({findProcess, signal, dispatch}: KillDeps): {ask: (detail: SessionDetail | undefined) => void; confirm: (c: UiState['confirm']) => void} {
	const target = useRef<AgentProcess | undefined>(undefined);
	const interrupted = useRef(new Map<number, number>());
	const ask = (detail: SessionDetail | undefined) => {
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
	};

	const confirm = (c: UiState['confirm']) => {
		const p = target.current;
		dispatch({type: 'confirm-cancel'});
		if (!c || !p || !signal) return;
		const r = signal(p, c.signal);
		if (r.ok && c.signal === 'SIGINT') interrupted.current.set(p.pid, Date.now());
		dispatch({type: 'notice', text: r.ok ? `${c.signal} sent to ${p.pid}${c.signal === 'SIGINT' ? `; if it keeps running, x again after ${GRACE_MS / 1000}s offers SIGTERM` : ''}` : `not sent: ${r.reason}`});
	};

	return {ask, confirm};
}
