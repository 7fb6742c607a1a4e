// Ink's Text with every string child made terminal-safe: session text (a folder, a command, a
// tool's error output) reaches the screen as characters, never as escape sequences.
import {Text as InkText} from 'ink';
import React, {type ComponentProps} from 'react';
import {terminalSafe} from '../core/terminal-safe.js';

const clean = (c: React.ReactNode): React.ReactNode => (typeof c === 'string' ? terminalSafe(c) : c);

export function Text({children, ...props}: ComponentProps<typeof InkText>): React.JSX.Element {
	return <InkText {...props}>{Array.isArray(children) ? children.map(clean) : clean(children)}</InkText>;
}
