// node:child_process, loaded on first use: most runs never start a process (~3 ms of every start).
import {createRequire} from 'node:module';

const lazyRequire = createRequire(import.meta.url);

export const childProcess = (): typeof import('node:child_process') => lazyRequire('node:child_process');
