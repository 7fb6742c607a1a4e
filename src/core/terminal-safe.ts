// Text from session files (folders, session ids, models, shell commands, tool output) is data:
// on a terminal it must never act. C0 and C1 controls (ESC starts every escape sequence: a
// window title, a clipboard write, a cleared screen) are shown as visible pictures instead;
// newlines and tabs stay (our own layout uses them). JSON output escapes controls itself.

// C0 except tab and newline, DEL, C1.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const HAS_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

function picture(c: string): string {
	const code = c.charCodeAt(0);
	if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␛ for ESC, ␇ for BEL…
	if (code === 0x7f) return '\u2421'; // ␡
	return '\ufffd';
}

export function terminalSafe(s: string): string {
	return HAS_CONTROL.test(s) ? s.replace(CONTROLS, picture) : s;
}
