// A stand-in agent for the guard's tests: an executable named like the real one (`claude`) that
// writes a Claude Code transcript for its own working folder and stays running until signalled,
// recording which signal ended it.
import fs from 'node:fs';
import path from 'node:path';

const SCRIPT = `#!/usr/bin/env node
// Usage: claude <transcript> <loop|busy|prompted> <hold: 1|0> <ignore SIGINT: 1|0>
const fs = require('node:fs');
const [file, mode, hold, ignoreInt] = process.argv.slice(2);
const sid = require('node:path').basename(file, '.jsonl');
const cwd = process.cwd();
const now = Date.now();
const lines = [];
const t = ms => new Date(now - ms).toISOString();
const usage = {input_tokens: 10, cache_creation_input_tokens: 500, cache_read_input_tokens: 30000, output_tokens: 400};
const call = (i, at, tool, input, error) => {
	const id = 'msg_' + sid + '_' + i;
	lines.push({type: 'assistant', sessionId: sid, cwd, uuid: 'a' + i, timestamp: t(at), requestId: 'req' + i, message: {id, role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{type: 'tool_use', id: 'toolu_' + i, name: tool, input}], usage}});
	if (error) lines.push({type: 'user', sessionId: sid, cwd, uuid: 'r' + i, timestamp: t(at - 2000), message: {role: 'user', content: [{type: 'tool_result', tool_use_id: 'toolu_' + i, is_error: true, content: error}]}, toolUseResult: {stderr: error}});
};
if (mode === 'prompted') lines.push({type: 'user', sessionId: sid, cwd, uuid: 'p0', timestamp: t(60000), message: {role: 'user', content: 'keep going until the tests pass'}});
for (let i = 0; i < 14; i++) {
	const at = 200000 - i * 14000;
	if (mode === 'busy') call(i, at, i % 2 ? 'Edit' : 'Read', {file_path: cwd + '/src/f' + i + '.ts'});
	else call(i, at, 'Bash', {command: 'npm test -- --runInBand'}, 'FAIL test/etl.test.ts\\n  expected 1200 rows, received 0');
}
const fd = fs.openSync(file, 'a');
fs.writeSync(fd, lines.map(l => JSON.stringify(l)).join('\\n') + '\\n');
if (hold !== '1') fs.closeSync(fd);
const done = sig => {
	fs.writeFileSync(file + '.' + sig, String(Date.now()));
	process.exit(0);
};
process.on('SIGINT', () => (ignoreInt === '1' ? fs.writeFileSync(file + '.ignored', '1') : done('SIGINT')));
process.on('SIGTERM', () => done('SIGTERM'));
fs.writeFileSync(file + '.ready', String(process.pid));
setInterval(() => {}, 1000);
`;

/** A folder with the stand-in named `name` in it, ready to spawn. */
export function standInAgent(dir: string, name = 'claude'): string {
	const bin = path.join(dir, 'bin');
	fs.mkdirSync(bin, {recursive: true});
	const file = path.join(bin, name);
	fs.writeFileSync(file, SCRIPT, {mode: 0o755});
	return file;
}
