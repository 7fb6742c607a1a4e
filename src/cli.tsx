#!/usr/bin/env node
import process from 'node:process';

// `burntop --once --json | head`: the reader went away; that is the end of the output, not an error.
for (const stream of [process.stdout, process.stderr]) {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') process.exit(0);
		throw error;
	});
}

const command = process.argv[2];
if (command === 'statusline' || command === 'hook') {
	// Run by Claude Code many times a minute: load only what answers one session.
	const {runQuickCommand} = await import('./quick-cli.js');
	process.exitCode = await runQuickCommand(command, process.argv.slice(3));
} else {
	// First: V8 settings that must be in place before anything allocates much (a long scan's,
	// not a one-session command's).
	await import('./heap.js');
	const {main} = await import('./main.js');
	process.exitCode = await main({
		argv: process.argv.slice(2),
		env: process.env,
		stdout: process.stdout,
		stderr: process.stderr,
		stdin: process.stdin,
	});
	// Done: what burntop started is closed. A library's leftover timer (an OTLP retry) must not keep
	// the process alive, so end it once stdout and stderr have taken everything written.
	await Promise.all([process.stdout, process.stderr].map(s => new Promise<void>(resolve => s.write('', () => resolve()))));
	process.exit();
}
