// The terminal's size, following resizes; tests pass a fixed size.
import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export type Size = {columns: number; rows: number};

/** Terminal size with resize; tests pass a fixed size. */
export function useTerminalSize(fixed?: Size): Size {
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

