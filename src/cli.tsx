#!/usr/bin/env node
// First: V8 settings that must be in place before anything allocates much.
import './heap.js';
import process from 'node:process';
import {main} from './main.js';

// `burntop --once --json | head`: the reader went away; that is the end of the output, not an error.
for (const stream of [process.stdout, process.stderr]) {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') process.exit(0);
		throw error;
	});
}

process.exitCode = await main({
	argv: process.argv.slice(2),
	env: process.env,
	stdout: process.stdout,
	stderr: process.stderr,
	stdin: process.stdin,
});
