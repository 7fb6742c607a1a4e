#!/usr/bin/env node
import process from 'node:process';
import {main} from './main.js';

process.exitCode = await main({
	argv: process.argv.slice(2),
	env: process.env,
	stdout: process.stdout,
	stderr: process.stderr,
	stdin: process.stdin,
});
