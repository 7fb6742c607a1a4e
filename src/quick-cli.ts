// The process side of `burntop statusline` and `burntop hook`: stdin with a time limit, and the
// background refresh of status.json (a detached `burntop --once --json`, no shell).
import {spawn} from 'node:child_process';
import process from 'node:process';
import {runStatusline} from './commands/statusline.js';

/** What was piped in; nothing from a terminal, and at most `ms` of waiting for a writer that never closes. */
export function readInput(stream: NodeJS.ReadStream, ms = 1000): Promise<string | undefined> {
	if (stream.isTTY) return Promise.resolve(undefined);
	return new Promise(resolve => {
		const chunks: Buffer[] = [];
		let size = 0;
		const done = () => {
			clearTimeout(timer);
			stream.off('data', onData);
			stream.pause();
			resolve(chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined);
		};

		const onData = (b: Buffer) => {
			size += b.length;
			// Claude Code's JSON is a few KB; more is not what it sends.
			if (size > 1024 * 1024) return done();
			chunks.push(b);
		};

		const timer = setTimeout(done, ms);
		stream.on('data', onData);
		stream.once('end', done);
		stream.once('error', done);
	});
}

export async function runQuickCommand(command: 'statusline' | 'hook', argv: string[]): Promise<number> {
	// --help and --session need no JSON: a bar that runs `burntop statusline --session ID` with an
	// open stdin must not wait for it.
	const input = argv.some(a => a === '--help' || a === '--session' || a.startsWith('--session=')) ? undefined : await readInput(process.stdin);
	const refresh = () => {
		const script = process.argv[1];
		if (!script) return;
		spawn(process.execPath, [script, '--once', '--json'], {detached: true, stdio: 'ignore', env: process.env}).unref();
	};

	if (command === 'statusline') return runStatusline({argv, env: process.env, stdout: process.stdout, stderr: process.stderr, input, refresh});
	const {runHook} = await import('./commands/hook.js');
	return runHook({argv, env: process.env, stdout: process.stdout, stderr: process.stderr, input});
}
