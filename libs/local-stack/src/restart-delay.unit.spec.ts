import { APP_RESTARTS, restartDelay } from './restart-delay';

describe('restartDelay', () => {
  const now = 1_000_000_000;

  it('starts an app that exited for the first time again after a second', () => {
    expect(restartDelay([], now)).toBe(1_000);
  });

  it('waits longer for each recent exit, up to the last pause', () => {
    expect(restartDelay([now - 3_000], now)).toBe(2_000);
    expect(restartDelay([now - 9_000, now - 6_000, now - 3_000], now)).toBe(10_000);
  });

  it('gives up on the exit after five starts again within the window', () => {
    const four = [now - 40_000, now - 30_000, now - 20_000, now - 10_000];
    expect(restartDelay(four, now)).toBe(30_000);
    expect(restartDelay([...four, now - 1_000], now)).toBeUndefined();
  });

  it('forgets exits older than the window', () => {
    const old = Array.from({ length: 10 }, (_, i) => now - APP_RESTARTS.windowMs - i * 1_000);
    expect(restartDelay(old, now)).toBe(1_000);
  });
});
