export async function runHook(_io: unknown): Promise<number> { return 0; }
