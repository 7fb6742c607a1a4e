// The version in the nearest package.json at or above a folder (burntop's from src/, dist/ or
// dist/chunks/; a dependency's from its entry file's folder).
import fs from 'node:fs';
import path from 'node:path';

export function packageVersion(from: string): string {
	let dir = from;
	while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
	return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {version: string}).version;
}
