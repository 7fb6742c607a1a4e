// The registry of supported stores. Adding a tool = one module + one line here.
import {claudeStore} from './claude.js';
import {clineStores} from './cline.js';
import {codexStore} from './codex.js';
import {copilotDbStore, copilotStore} from './copilot.js';
import {cursorStore} from './cursor.js';
import {geminiStore} from './gemini.js';
import {opencodeStores} from './opencode.js';
import {qwenStore} from './qwen.js';
import type {Store} from './types.js';

export const ALL_STORES: readonly Store[] = [claudeStore, codexStore, geminiStore, qwenStore, copilotStore, copilotDbStore, cursorStore, ...opencodeStores, ...clineStores];
