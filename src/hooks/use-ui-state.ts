// The one reducer that owns UI state (ui-state.ts), as a hook.
import {useCallback, useReducer, useRef} from 'react';
import {reduce, type Action, type UiState} from '../ui-state.js';

/**
 * UI state through the one reducer, mirrored in a ref at dispatch time: a key pressed before
 * the next render (typing right after "/") must see the state the previous key produced.
 */
export function useUiState(initial: UiState): [UiState, (a: Action) => void, {current: UiState}] {
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
