// Imported first by the CLI: V8 settings that must be in place before anything allocates much
// (young-generation.ts) or is compiled (jit.ts).
import {limitInlining} from './jit.js';
import {keepYoungGenerationSmall} from './young-generation.js';

keepYoungGenerationSmall();
limitInlining();
