// The index must never change a number: the model-based run of helpers/ledger-world.ts over every
// store kind, a few seeds (npm run bench:chaos runs many more, longer).
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {sharedAvailable} from './helpers/home.js';
import {runSeed} from './helpers/ledger-world.js';

describe('the index never changes a number (model-based, every store kind)', () => {
	const withFixtures = sharedAvailable();
	for (const seed of [1, 2, 3]) {
		it(`seed ${seed}: after every step a warm start equals a cold scan of the home plus its deleted files`, () => {
			const {saves} = runSeed(seed, 45, withFixtures);
			assert.ok(saves >= 45);
		});
	}
});

