// Project attribution: a session's working folder resolves to its git repository (the main
// worktree's root, plus the remote's owner/name when the repo has one), so subfolders and
// worktrees of one repo roll up together. Reads `.git` files only, never runs git, and
// caches per folder: one lookup per distinct cwd, not per event.
import fs from 'node:fs';
import {readRegular} from './safe-file.js';
import path from 'node:path';
import type {IngestEvent, UsageEvent} from '../core/types.js';

export type Repo = {
	/** Root folder of the main worktree. */
	root: string;
	/** `owner/name` of the `origin` remote (else the first remote), when there is one. */
	remote?: string;
};

export type GitFs = {
	stat(p: string): {isDirectory(): boolean; isFile(): boolean} | undefined;
	read(p: string): string | undefined;
};

export const realGitFs: GitFs = {
	stat(p) {
		try {
			return fs.statSync(p);
		} catch {
			return undefined;
		}
	},
	read(p) {
		try {
			return readRegular(p);
		} catch {
			return undefined;
		}
	},
};

const MAX_CACHE = 10_000;

export class GitRoots {
	private readonly cache = new Map<string, Repo | undefined>();

	constructor(private readonly fsx: GitFs = realGitFs) {}

	resolve(cwd: string): Repo | undefined {
		if (!cwd || !path.isAbsolute(cwd)) return undefined;
		if (this.cache.has(cwd)) return this.cache.get(cwd);
		const repo = this.find(cwd);
		if (this.cache.size >= MAX_CACHE) this.cache.clear();
		this.cache.set(cwd, repo);
		return repo;
	}

	private find(cwd: string): Repo | undefined {
		for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
			const dotGit = path.join(dir, '.git');
			const st = this.fsx.stat(dotGit);
			if (st?.isDirectory()) return {root: dir, remote: this.remote(dotGit)};
			if (st?.isFile()) return this.linked(dir, dotGit);
			if (path.dirname(dir) === dir) return undefined;
		}
	}

	/** A `.git` file: a linked worktree (its gitdir has a `commondir`) or a submodule (its own repo). */
	private linked(dir: string, dotGit: string): Repo {
		const m = /^gitdir:\s*(.+?)\s*$/m.exec(this.fsx.read(dotGit) ?? '');
		if (!m) return {root: dir};
		const gitdir = path.resolve(dir, m[1]!);
		const common = this.fsx.read(path.join(gitdir, 'commondir'))?.trim();
		if (!common) return {root: dir, remote: this.remote(gitdir)};
		const commonDir = path.resolve(gitdir, common);
		// The main worktree is the folder holding the common `.git` (a bare repo has none: keep the worktree).
		const root = path.basename(commonDir) === '.git' ? path.dirname(commonDir) : dir;
		return {root, remote: this.remote(commonDir)};
	}

	private remote(gitDir: string): string | undefined {
		const config = this.fsx.read(path.join(gitDir, 'config'));
		if (!config) return undefined;
		const remotes = new Map<string, string>();
		let current: string | undefined;
		for (const line of config.split(/\r?\n/)) {
			const section = /^\s*\[\s*remote\s+"([^"]+)"\s*\]/.exec(line);
			if (section) {
				current = section[1];
				continue;
			}

			if (/^\s*\[/.test(line)) current = undefined;
			const url = current ? /^\s*url\s*=\s*(.+?)\s*$/.exec(line) : null;
			if (url && current && !remotes.has(current)) remotes.set(current, url[1]!);
		}

		const url = remotes.get('origin') ?? remotes.values().next().value;
		return url ? remoteName(url) : undefined;
	}
}

/** `git@github.com:org/repo.git`, `https://host/org/repo`, `ssh://…/org/repo.git` → `org/repo`. */
export function remoteName(url: string): string | undefined {
	const cleaned = url.replace(/\.git\/?$/, '').replace(/\/+$/, '');
	const m = /[:/]([^/:]+\/[^/:]+)$/.exec(cleaned);
	// Never keep credentials that some URLs carry.
	return m ? m[1]!.replace(/^[^@]*@/, '') : undefined;
}

/** Point a call at its repository: subfolders and worktrees of one repo are one project. */
export function attribute(ev: IngestEvent, roots: GitRoots): IngestEvent {
	if (ev.kind !== 'usage' && ev.kind !== 'error') return ev;
	const repo = roots.resolve(ev.project);
	if (!repo || (repo.root === ev.project && !repo.remote)) return ev;
	if (ev.kind === 'usage' && ev.cwd === undefined) {
		// A parser's event is made for one call and handed on once: amended, not copied. A copy
		// that adds properties takes V8's slow path (~5 µs): ~1 s a GB of history in repositories.
		const w = ev as {-readonly [K in keyof UsageEvent]: UsageEvent[K]};
		w.cwd = ev.project;
		w.project = repo.root;
		w.remote = repo.remote;
		return w;
	}

	return ev.kind === 'usage' ? {...ev, project: repo.root, cwd: ev.project, remote: repo.remote} : {...ev, project: repo.root};
}
