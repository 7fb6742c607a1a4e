// Git repositories (with an origin remote) at every folder a generated history's sessions name as
// their cwd, as users' projects are: project attribution then rolls calls up to repositories, as
// it does for them (the generator's folders do not exist otherwise, so attribution did nothing).
//   npx tsx bench/repos.ts [MB] [--remove]      (the folders are /home/u/…: needs write access there)
import fs from 'node:fs';
import path from 'node:path';
import {corpus} from './corpus.js';

const mb = Number(process.argv.find(a => /^\d+$/.test(a)) ?? 1024);
const remove = process.argv.includes('--remove');
const home = path.join(corpus(mb).dir, 'home');
const cwds = new Set<string>();
const CWD = /"cwd":"(\/[^"]+)"/g;
for (const f of fs.readdirSync(home, {recursive: true}) as string[]) {
	if (!f.endsWith('.jsonl')) continue;
	// The first 64 KB of each file name its folders (every line repeats them).
	const fd = fs.openSync(path.join(home, f), 'r');
	const head = Buffer.alloc(65_536);
	const n = fs.readSync(fd, head, 0, head.length, 0);
	fs.closeSync(fd);
	for (const m of head.subarray(0, n).toString('utf8').matchAll(CWD)) cwds.add(m[1]!);
}

for (const dir of cwds) {
	if (remove) {
		fs.rmSync(path.join(dir, '.git'), {recursive: true, force: true});
		continue;
	}

	fs.mkdirSync(path.join(dir, '.git'), {recursive: true});
	fs.writeFileSync(path.join(dir, '.git', 'config'), `[core]\n\tbare = false\n[remote "origin"]\n\turl = https://github.com/u/${path.basename(dir)}.git\n`);
}

console.log(`${remove ? 'removed' : 'made'} ${cwds.size} repositories (${[...cwds].slice(0, 3).join(', ')}…)`);
