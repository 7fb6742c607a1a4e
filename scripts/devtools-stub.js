// Ink's devtools hook is only used with DEV=true; the bundle leaves it out.
export default {connectToDevTools() {}};
