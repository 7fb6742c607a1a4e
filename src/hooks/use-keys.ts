// Key presses to the handler, and a message that clears itself.
import {useInput, type Key} from 'ink';
import {useEffect} from 'react';
import type {Action, UiState} from '../ui-state.js';

/**
 * Letters that arrive together (jj, a paste, key repeat over a slow link) are each a key press;
 * a filter takes them as text, and a y/n question only a single key.
 */
export function useKeys(handle: (input: string, key: Key) => void, ui: {readonly current: UiState}, active: boolean): void {
	useInput(
		(input, key) => {
			const s = ui.current;
			if (input.length > 1 && !key.ctrl && !key.meta && !s.editingFilter && !s.confirm) {
				for (const c of input) handle(c, {} as Key);
			} else {
				handle(input, key);
			}
		},
		{isActive: active},
	);
}

/** A one-line message (a kill's result, "select a session first") clears after `ms`. */
export function useNotice(notice: string | undefined, ms: number, dispatch: (a: Action) => void): void {
	useEffect(() => {
		if (!notice) return;
		const t = setTimeout(() => dispatch({type: 'notice', text: undefined}), ms);
		return () => clearTimeout(t);
	}, [notice, ms, dispatch]);
}
