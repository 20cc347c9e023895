import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIdleTimer } from '../../renderer/src/signin/idle';

afterEach(() => {
  vi.useRealTimers();
});

describe('the screen idle lock', () => {
  it('locks once after the idle time (default 5 minutes), and any activity starts the wait again', () => {
    vi.useFakeTimers();
    const onIdle = vi.fn();
    const timer = createIdleTimer(5 * 60_000, onIdle);
    vi.advanceTimersByTime(4 * 60_000);
    timer.activity();
    vi.advanceTimersByTime(4 * 60_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60 * 60_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('does nothing once stopped (signed out or already locked)', () => {
    vi.useFakeTimers();
    const onIdle = vi.fn();
    const timer = createIdleTimer(1000, onIdle);
    timer.stop();
    timer.activity();
    vi.advanceTimersByTime(10_000);
    expect(onIdle).not.toHaveBeenCalled();
  });
});
