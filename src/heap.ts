// Imported first by the CLI: V8 settings that must be in place before anything allocates much.
import {keepYoungGenerationSmall} from './young-generation.js';

keepYoungGenerationSmall();
