// The full-screen monitor: engine → live store → Ink. Owns the clock tick and the demo switch.
import {render} from 'ink';
import type {Alerter} from '../alerts.js';
import {App} from '../app.js';
import {startDemo, type Demo} from '../demo.js';
import type {Engine, LiveSnapshot} from '../engine.js';
import {LiveStore, type Window} from '../live-store.js';
import {findAgentProcess, signalAgent, type AgentProcess, type ProcessQuery} from '../procs.js';

export type MonitorOptions = {
	makeEngine: (home?: string) => Engine;
	demo: boolean;
	clock: () => number;
	/** --since / --until: the Projects tab's periods never reach outside them. */
	window?: Window;
	stdout: NodeJS.WriteStream;
	stdin: NodeJS.ReadStream;
	alerter: Alerter;
	/** Armed guard, for the header. */
	guard?: 'on' | 'dry';
	/** Each live snapshot once history is in (status.json, the guard). */
	onLive?: (live: LiveSnapshot) => void;
};

const ENTER_ALT = '\u001B[?1049h';
const LEAVE_ALT = '\u001B[?1049l';

/** Windows move with time even when nothing is written. */
const TICK_MS = 5000;

export async function runMonitor(o: MonitorOptions): Promise<number> {
	// Signals from the start: one that arrives while starting up ends the monitor cleanly.
	let stop = () => {
		stopEarly = true;
	};
	let stopEarly = false;
	// `on`, not `once`: Ink's signal-exit re-raises a signal that has no other listener left.
	const onSignal = () => stop();
	process.on('SIGTERM', onSignal);
	process.on('SIGHUP', onSignal);
	let demo: Demo | undefined = o.demo ? startDemo({clock: o.clock}) : undefined;
	let engine = o.makeEngine(demo?.home);
	let tick: NodeJS.Timeout | undefined;

	/** A store to draw from at once; history and watchers start behind the first frame. */
	const start = (e: Engine): LiveStore => {
		const store = new LiveStore(e, o.clock, 250, o.window, demo ? undefined : o.guard);
		// Alerts once history is in: a loop found while back-filling is still news, old spend is not.
		store.subscribe(() => {
			const d = store.getSnapshot();
			if (d.live.progress.done) {
				o.alerter.check(d.live);
				if (!demo) o.onLive?.(d.live);
			}
		});
		// Finding the files and loading the index come after the first frame.
		setImmediate(() => {
			e.discover();
			store.changed();
			void e.follow(store.changed).then(store.changed);
		});
		clearInterval(tick);
		tick = setInterval(() => store.refresh(), TICK_MS);
		return store;
	};

	let store = start(engine);
	// The alternate screen, as htop: the shell's screen comes back as it was on quit.
	const alternate = o.stdout.isTTY === true;
	if (alternate) o.stdout.write(ENTER_ALT);
	const leaveAlt = () => {
		if (alternate) o.stdout.write(LEAVE_ALT);
	};

	process.once('exit', leaveAlt);
	const kill = {
		findProcess: (q: ProcessQuery) => findAgentProcess(q),
		signal: (p: AgentProcess, sig: 'SIGINT' | 'SIGTERM') => signalAgent(p, sig, true),
	};
	const app = render(<App store={store} onQuit={() => app.unmount()} onDemo={() => void switchToDemo()} {...kill} />, {stdout: o.stdout, stdin: o.stdin});

	async function switchToDemo(): Promise<void> {
		if (demo) return;
		demo = startDemo({clock: o.clock});
		await engine.close();
		store.close();
		engine = o.makeEngine(demo.home);
		store = start(engine);
		app.rerender(<App store={store} onQuit={() => app.unmount()} onDemo={() => void switchToDemo()} {...kill} />);
	}

	stop = () => app.unmount();
	if (stopEarly) stop();
	try {
		await app.waitUntilExit();
	} finally {
		leaveAlt();
		process.off('exit', leaveAlt);
	}

	process.off('SIGTERM', onSignal);
	process.off('SIGHUP', onSignal);
	clearInterval(tick);
	store.close();
	await engine.close();
	demo?.stop();
	return 0;
}
