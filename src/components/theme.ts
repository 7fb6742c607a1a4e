// What each colour means on screen, in one place: views name the meaning, not the colour.
export const theme = {
	/** The name in the header and keys to press. */
	brand: 'yellow',
	/** Something to look at: an estimate, a warning level, advice, a status message. */
	warn: 'yellow',
	/** Over budget, a flagged loop, spend rising. */
	danger: 'red',
	/** Spend falling. */
	good: 'green',
	/** A filter or window that narrows what is shown. */
	scope: 'cyan',
	/** The guard is armed and may stop agents. */
	armed: 'magenta',
} as const;
