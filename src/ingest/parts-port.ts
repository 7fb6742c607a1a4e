// A state over a MessagePort in parts (state-parts.ts): a store worker's aggregate and its file
// list. Apart from state-parts.ts so a start that uses no worker never loads worker_threads.
import {receiveMessageOnPort, type MessagePort} from 'node:worker_threads';
import {MESSAGE_PARTS, type PartsJoiner, stateParts} from './state-parts.js';

/** `value` over `port` as MESSAGE_PARTS, then an end mark (see takeParts). */
export function postParts(port: MessagePort, value: unknown): void {
	for (const [at, v] of stateParts(value, MESSAGE_PARTS)) {
		// A raw slice is a view of a large buffer: a copy of its own, or the message clones it all.
		port.postMessage([at, at.endsWith('>') ? new Uint8Array(v as Uint8Array) : v]);
	}

	port.postMessage(null);
}

/**
 * What has arrived on `port` so far into `into`, without waiting: true once the end mark has
 * come. Parts taken as they arrive never queue up as a whole state's worth of messages.
 */
export function takeParts(port: MessagePort, into: PartsJoiner): boolean {
	for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
		if (m.message === null) return true;
		const [at, value] = m.message as [string, unknown];
		into.add(at, value);
	}

	return false;
}
