// Opening files burntop did not make: session stores, a repository's .git, an editor's workspace
// file. Such a path can be a FIFO (opening it would wait for a writer forever), a device
// (/dev/zero never ends), or a folder. Files are opened non-blocking and checked on the opened
// descriptor (no window between a check and the open); whole-file reads are capped.
import fs from 'node:fs';

/** Whole-file reads (JSON session files, a task's ui_messages.json) stop here. */
export const WHOLE_FILE_MAX = 256 * 1024 * 1024;
/** Small files (.git/config, workspace.json, a project marker) stop here. */
export const SMALL_FILE_MAX = 1024 * 1024;

export class NotRegularFile extends Error {
	readonly code = 'ENOTREG';
}

export class FileTooLarge extends Error {
	readonly code = 'EFBIG';
}

/** What is wrong with a file that is not a plain one, for health and doctor. */
function describeSpecial(st: fs.Stats): string {
	if (st.isFIFO()) return 'a FIFO';
	if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
	if (st.isDirectory()) return 'a folder';
	if (st.isSocket()) return 'a socket';
	return 'not a regular file';
}

/** The reason a special file is skipped (health, doctor). */
export function notRegular(st: fs.Stats): string {
	return `${describeSpecial(st)}, not a regular file: skipped`;
}

/** Open a regular file for reading without blocking; throws NotRegularFile (the descriptor closed) otherwise. */
export function openRegular(file: string): {fd: number; st: fs.Stats} {
	const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
	try {
		const st = fs.fstatSync(fd);
		if (!st.isFile()) throw new NotRegularFile(notRegular(st));
		return {fd, st};
	} catch (error) {
		fs.closeSync(fd);
		throw error;
	}
}

/** The text of a regular file of at most `max` bytes (throws otherwise). */
export function readRegular(file: string, max = SMALL_FILE_MAX): string {
	const {fd, st} = openRegular(file);
	try {
		return readOpen(fd, st, max);
	} finally {
		fs.closeSync(fd);
	}
}

/** The text of an opened regular file, at most `max` bytes. */
export function readOpen(fd: number, st: fs.Stats, max = WHOLE_FILE_MAX): string {
	if (st.size > max) throw new FileTooLarge(`larger than ${Math.round(max / 1024 / 1024)} MB (${Math.round(st.size / 1024 / 1024)} MB): not read`);
	// Read what fstat promised, no more: a file that grows meanwhile is read again on its next change.
	const buf = Buffer.allocUnsafe(st.size);
	let got = 0;
	while (got < st.size) {
		const n = fs.readSync(fd, buf, got, st.size - got, got);
		if (n <= 0) break;
		got += n;
	}

	return buf.toString('utf8', 0, got);
}

/** Is this path a regular file (following links)? False for anything special or missing. */
export function isRegularFile(file: string): boolean {
	try {
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}
