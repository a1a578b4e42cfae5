/**
 * How `npm start` keeps its apps running, as a supervisor does (Kubernetes' restartPolicy
 * Always, with its back-off; systemd's StartLimitBurst): an app that exits once Slipway is up
 * is started again after a pause growing with its recent exits, and one that keeps exiting
 * is not started again — everything stops instead, saying so, rather than looping for good.
 */
export interface RestartPolicy {
  /** The pause before the nth start again within the window (the last one for any later). */
  delaysMs: number[];
  /** Starts again within the window: the exit after them is the last. */
  maxRestarts: number;
  windowMs: number;
}

export const APP_RESTARTS: RestartPolicy = { delaysMs: [1_000, 2_000, 5_000, 10_000, 30_000], maxRestarts: 5, windowMs: 5 * 60_000 };

/** The pause before starting an app again that exited at `now` after `exits` (earlier exit times); undefined: not again. */
export function restartDelay(exits: number[], now: number, policy: RestartPolicy = APP_RESTARTS): number | undefined {
  const recent = exits.filter((at) => now - at < policy.windowMs).length;
  if (recent >= policy.maxRestarts) return undefined;
  return policy.delaysMs[Math.min(recent, policy.delaysMs.length - 1)];
}
