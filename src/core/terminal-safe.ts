// Text from session files (folders, session ids, models, shell commands, tool output) is data:
// on a terminal it must never act. C0 and C1 controls (ESC starts every escape sequence: a
// window title, a clipboard write, a cleared screen) are shown as visible pictures instead;
// newlines, tabs and CRLF line ends stay (our own layout uses them). JSON output escapes controls itself.

// C0 except tab, newline and a carriage return ending a line (CSV's CRLF), DEL, C1.
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/g;
const HAS_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/;

function picture(c: string): string {
	const code = c.charCodeAt(0);
	if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␛ for ESC, ␇ for BEL…
	if (code === 0x7f) return '\u2421'; // ␡
	return '\ufffd';
}

export function terminalSafe(s: string): string {
	return HAS_CONTROL.test(s) ? s.replace(CONTROLS, picture) : s;
}
