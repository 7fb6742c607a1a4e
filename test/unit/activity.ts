import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {activityFeatures, classifyActivity, classifyFeatures, hasDebugIntent} from '../../src/core/activity.js';
import type {Activity} from '../../src/core/types.js';

type Case = [name: string, input: Parameters<typeof classifyActivity>[0], expected: Activity];

const cases: Case[] = [
	['subagent spawn', {tools: ['Task'], prompt: 'fix the bug'}, 'delegation'],
	['Codex spawn_agent', {tools: ['spawn_agent']}, 'delegation'],
	['edit for a feature', {tools: ['Edit'], prompt: 'add a dark mode toggle'}, 'coding'],
	['CodeBurn #196: "add error handling" is coding, not debugging', {tools: ['Edit'], prompt: 'add error handling to the upload form'}, 'coding'],
	['better error messages is a feature', {tools: ['Write'], prompt: 'improve the error messages of the CLI'}, 'coding'],
	['edit to fix a bug', {tools: ['Edit'], prompt: 'fix the crash when the file is empty'}, 'debugging'],
	['apply_patch with a failing test in the prompt', {tools: ['apply_patch'], prompt: 'the login test is failing, please investigate'}, 'debugging'],
	['running the tests', {tools: ['Bash'], commands: ['npm test -- --watch=false']}, 'testing'],
	['pytest through Codex shell', {tools: ['shell'], commands: ['pytest -x tests/']}, 'testing'],
	['git commit', {tools: ['Bash'], commands: ['git add -A && git commit -m "x"']}, 'git'],
	['git status is just looking', {tools: ['Bash'], commands: ['git status']}, 'exploring'],
	['docker build', {tools: ['Bash'], commands: ['docker build -t app .']}, 'build/deploy'],
	['npm install', {tools: ['Bash'], commands: ['npm install left-pad']}, 'build/deploy'],
	['reading files', {tools: ['Read', 'Grep']}, 'exploring'],
	['reading while hunting a bug', {tools: ['Grep'], prompt: 'why does the upload fail?'}, 'debugging'],
	['web research', {tools: ['WebSearch', 'WebFetch'], prompt: 'what is the latest Go version'}, 'exploring'],
	['running a script', {tools: ['Bash'], commands: ['node scripts/migrate.js']}, 'coding'],
	['todo list', {tools: ['TodoWrite']}, 'planning'],
	['Codex update_plan', {tools: ['update_plan']}, 'planning'],
	['text answer in an editing turn', {tools: [], prompt: 'add a button', previous: 'coding'}, 'coding'],
	['text answer to a design question', {tools: [], prompt: 'what approach would you take for caching?'}, 'planning'],
	['small talk', {tools: [], prompt: 'thanks!'}, 'conversation'],
	['no prompt, no tools', {}, 'conversation'],
];

describe('activity classifier', () => {
	for (const [name, input, expected] of cases) {
		it(`${name} → ${expected}`, () => assert.equal(classifyActivity(input), expected));
	}

	it('debug intent ignores feature phrases about errors', () => {
		assert.equal(hasDebugIntent('handle errors from the API gracefully'), false);
		assert.equal(hasDebugIntent('there is an error when I click save'), true);
	});

	it('answers the same for every case however often and in whatever order it is asked (tool names and commands are remembered per string, within a bound)', () => {
		// The table's cases shuffled and repeated, between more distinct commands than are remembered at once.
		let seed = 7;
		const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
		for (let round = 0; round < 3; round++) {
			for (let i = 0; i < 5000; i++) {
				const kind = Math.floor(next() * 3);
				const command = kind === 0 ? `npm test -- case${round}x${i}` : kind === 1 ? `git commit -m "step ${i} of ${round}"` : `ls -la dir${i}/${round}`;
				assert.equal(classifyActivity({tools: ['Bash'], commands: [command]}), kind === 0 ? 'testing' : kind === 1 ? 'git' : 'exploring', command);
				if (i % 97 === 0) {
					const [name, input, expected] = cases[Math.floor(next() * cases.length)]!;
					assert.equal(classifyActivity(input), expected, name);
				}
			}
		}

		// The prompt remembered last is not the answer for another prompt.
		assert.equal(classifyActivity({tools: ['Edit'], prompt: 'fix the crash on save'}), 'debugging');
		assert.equal(classifyActivity({tools: ['Edit'], prompt: 'add a save button'}), 'coding');
		assert.equal(classifyActivity({tools: ['Edit'], prompt: 'fix the crash on save'}), 'debugging');
	});
});

describe('activity features', () => {
	it('of two copies joined are the features of their joined tools and commands; the activity of the join does not depend on the order', () => {
		const TOOLS = ['Read', 'Edit', 'Bash', 'Task', 'TodoWrite', 'Grep', 'mcp__db__q', 'WebSearch', 'Write', 'shell'];
		const COMMANDS = ['npm test', 'git commit -m x', 'ls -la', 'make', 'python3 run.py', 'cat x', 'docker build .', 'git status'];
		const PROMPTS = [undefined, 'fix the failing upload', 'plan the new design', 'add tests for it', 'add error handling', 'why does the build break?'];
		let seed = 11;
		const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
		const some = <T>(xs: readonly T[]) => xs.filter(() => next() < 0.25);
		for (let i = 0; i < 3000; i++) {
			const [t1, t2, c1, c2] = [some(TOOLS), some(TOOLS), some(COMMANDS), some(COMMANDS)];
			const p = PROMPTS[Math.floor(next() * PROMPTS.length)];
			const joined = activityFeatures([...new Set([...t1, ...t2])], [...new Set([...c1, ...c2])], p);
			assert.equal(activityFeatures(t1, c1, p) | activityFeatures(t2, c2, p), joined);
			// One copy: the features say what classifyActivity says.
			assert.equal(classifyFeatures(activityFeatures(t1, c1, p)), classifyActivity({tools: t1, commands: c1, prompt: p}));
			// Two prompts: whichever copy came first, the join is the same.
			const q = PROMPTS[Math.floor(next() * PROMPTS.length)];
			assert.equal(classifyFeatures(activityFeatures(t1, c1, p) | activityFeatures(t2, c2, q)), classifyFeatures(activityFeatures(t2, c2, q) | activityFeatures(t1, c1, p)));
		}

		// The prompt's intents are features: a tool-less call under a planning prompt plans; with an edit it codes.
		assert.equal(classifyFeatures(activityFeatures([], [], 'plan the new design')), 'planning');
		assert.equal(classifyFeatures(activityFeatures([], [], 'plan the new design') | activityFeatures(['Edit'], [])), 'coding');
		assert.equal(classifyFeatures(activityFeatures(['Read'], [], 'fix the crash')), 'debugging');
	});
});
