// Everything the CLI takes from outside comes in here, so tests run the real CLI in-process.
export type Io = {
	argv: string[];
	env: NodeJS.ProcessEnv | Record<string, string | undefined>;
	stdout: NodeJS.WritableStream & {isTTY?: boolean; columns?: number; rows?: number};
	stderr: NodeJS.WritableStream;
	stdin?: NodeJS.ReadableStream & {isTTY?: boolean};
	/** Injected clock (tests). */
	clock?: () => number;
	/** Stops --watch (tests); signals do it for the real process. */
	signal?: AbortSignal;
};
