// Project attribution to git repositories: real folders with real `.git` layouts (made by
// hand as git writes them: a `.git` folder, a worktree's `.git` file + `commondir`, a
// submodule's `.git` file without one), read through the real parser and engine.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {Engine} from '../../src/engine.js';
import type {UsageEvent} from '../../src/core/types.js';
import {attribute, GitRoots, remoteName, type GitFs} from '../../src/ingest/git-root.js';
import {sessionDetail} from '../../src/core/session-detail.js';
import {claudeAssistant, claudePath, tempHome, write} from '../helpers/home.js';

function mkdir(...parts: string[]): string {
	const p = path.join(...parts);
	fs.mkdirSync(p, {recursive: true});
	return p;
}

/** A repo at `root` with an origin remote, a linked worktree elsewhere, a submodule and a plain folder. */
function layout(base: string) {
	const repo = mkdir(base, 'code', 'shop');
	mkdir(repo, '.git', 'worktrees', 'shop-fix');
	fs.writeFileSync(path.join(repo, '.git', 'config'), '[core]\n\tbare = false\n[remote "upstream"]\n\turl = https://github.com/other/fork.git\n[remote "origin"]\n\turl = git@github.com:acme/shop.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n');
	const nested = mkdir(repo, 'services', 'api', 'src');
	const worktree = mkdir(base, 'wt', 'shop-fix');
	fs.writeFileSync(path.join(worktree, '.git'), `gitdir: ${path.join(repo, '.git', 'worktrees', 'shop-fix')}\n`);
	fs.writeFileSync(path.join(repo, '.git', 'worktrees', 'shop-fix', 'commondir'), '../..\n');
	const sub = mkdir(repo, 'vendor', 'lib');
	mkdir(repo, '.git', 'modules', 'lib');
	fs.writeFileSync(path.join(sub, '.git'), 'gitdir: ../../.git/modules/lib\n');
	fs.writeFileSync(path.join(repo, '.git', 'modules', 'lib', 'config'), '[remote "origin"]\n\turl = https://gitlab.com/acme/lib\n');
	const plain = mkdir(base, 'scratch', 'notes');
	return {repo, nested, worktree, sub, plain};
}

describe('git-root attribution', () => {
	it('resolves nested folders, linked worktrees, submodules and folders outside any repo', () => {
		const base = tempHome('burntop-git-');
		const l = layout(base);
		const g = new GitRoots();
		assert.deepEqual(g.resolve(l.repo), {root: l.repo, remote: 'acme/shop'});
		assert.deepEqual(g.resolve(l.nested), {root: l.repo, remote: 'acme/shop'});
		assert.deepEqual(g.resolve(l.worktree), {root: l.repo, remote: 'acme/shop'}, 'a worktree rolls up to its main repo');
		assert.deepEqual(g.resolve(l.sub), {root: l.sub, remote: 'acme/lib'}, 'a submodule is its own repo');
		assert.equal(g.resolve(l.plain), undefined);
		assert.equal(g.resolve(path.join(base, 'deleted', 'folder')), undefined, 'a folder that no longer exists');
		assert.equal(g.resolve('relative/path'), undefined);
	});

	it('reads each folder once, however many events name it', () => {
		const base = tempHome('burntop-git-');
		const l = layout(base);
		let stats = 0;
		const counting: GitFs = {
			stat: p => {
				stats++;
				try {
					return fs.statSync(p);
				} catch {
					return undefined;
				}
			},
			read: p => fs.readFileSync(p, 'utf8'),
		};
		const g = new GitRoots(counting);
		for (let i = 0; i < 1000; i++) g.resolve(l.nested);
		assert.equal(stats, 4, 'src, api, services, then the repo root');
	});

	it('names remotes without credentials', () => {
		assert.equal(remoteName('git@github.com:acme/shop.git'), 'acme/shop');
		assert.equal(remoteName('https://user:token@github.com/acme/shop'), 'acme/shop');
		assert.equal(remoteName('ssh://git@host:2222/team/app.git/'), 'team/app');
		assert.equal(remoteName('/srv/git/app.git'), 'git/app');
		assert.equal(remoteName('app'), undefined);
	});

	it('rolls sessions from a repo, its subfolder and its worktree into one project; the raw cwd stays in drill-down', () => {
		const base = tempHome('burntop-git-');
		const l = layout(base);
		const home = tempHome();
		const ts = (m: number) => new Date(Date.parse('2026-03-01T10:00:00Z') + m * 60_000).toISOString();
		write(claudePath(home, '-a', 'a.jsonl'), [claudeAssistant({id: 'a1', ts: ts(0), sessionId: 'a', cwd: l.repo, output: 10})]);
		write(claudePath(home, '-b', 'b.jsonl'), [claudeAssistant({id: 'b1', ts: ts(1), sessionId: 'b', cwd: l.nested, output: 20})]);
		write(claudePath(home, '-c', 'c.jsonl'), [claudeAssistant({id: 'c1', ts: ts(2), sessionId: 'c', cwd: l.worktree, output: 40})]);
		write(claudePath(home, '-d', 'd.jsonl'), [claudeAssistant({id: 'd1', ts: ts(3), sessionId: 'd', cwd: l.plain, output: 80})]);
		const run = (attribution?: 'cwd') => {
			const e = new Engine({env: {home, env: {HOME: home}, platform: process.platform}, attribution});
			e.discover();
			e.scanAll();
			return e;
		};

		const e = run();
		const s = e.snapshot({now: Date.parse('2030-01-01T00:00:00Z')});
		const shop = s.projects.find(p => p.project === l.repo)!;
		assert.equal(shop.calls, 3);
		assert.equal(shop.outputTokens, 70);
		assert.equal(shop.remote, 'acme/shop');
		assert.equal(s.projects.find(p => p.project === l.plain)!.outputTokens, 80);
		assert.equal(s.projects.length, 2);
		const b = sessionDetail(e.aggregate, 'claude-code:b', Date.parse('2030-01-01T00:00:00Z'))!;
		assert.equal(b.project, l.repo);
		assert.deepEqual(b.cwds, [l.nested]);
		const c = sessionDetail(e.aggregate, 'claude-code:c', Date.parse('2030-01-01T00:00:00Z'))!;
		assert.deepEqual(c.cwds, [l.worktree]);

		const raw = run('cwd').snapshot({now: Date.parse('2030-01-01T00:00:00Z')});
		assert.equal(raw.projects.length, 4, 'attribution "cwd" keeps raw folders');
		assert.equal(raw.totals.outputTokens, s.totals.outputTokens);
	});

	it('points a call at its repository in place (its folder kept as cwd), and copies one already pointed (never rewrites its cwd)', () => {
		const base = tempHome('burntop-git-attr-');
		const l = layout(base);
		const g = new GitRoots();
		const call = (project: string): UsageEvent => ({
			kind: 'usage', tool: 'claude-code', sessionId: 's', project, model: 'm', ts: 1, input: 1, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 1, reasoning: 0, webSearches: 0, dedupeKey: 'k', replace: 'max-output',
		});
		const e = call(l.nested);
		const a = attribute(e, g) as UsageEvent;
		// The parser's own object, amended: a copy of every call cost ~1 s a GB of history in repositories.
		assert.equal(a, e);
		assert.deepEqual([a.project, a.cwd, a.remote], [l.repo, l.nested, 'acme/shop']);
		// Applied again (an event already pointed): a copy; the amended event is not rewritten.
		const b = attribute(a, g) as UsageEvent;
		assert.notEqual(b, a);
		assert.deepEqual([a.project, a.cwd, b.project, b.cwd], [l.repo, l.nested, l.repo, l.repo]);
		// Outside any repository, or at a repository's root without a remote: as it was.
		const plain = call(l.plain);
		assert.equal(attribute(plain, g), plain);
		assert.deepEqual([plain.project, plain.cwd], [l.plain, undefined]);
	});
});
