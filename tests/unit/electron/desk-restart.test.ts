/** The restart after a desk-process crash: marked once, with its exit code, so the restarted app can log it. */
import { describe, expect, it } from 'vitest';
import { argsAfterCrash, crashBefore, crashLogLine, withoutCrashMark } from '../../../electron/main/desk-restart';

describe('the restart after a desk-process crash', () => {
  it('carries the exit code to the restarted instance, which logs it', () => {
    const args = argsAfterCrash(['.', '--data', 'D'], 134);
    expect(args).toEqual(['.', '--data', 'D', '--after-desk-crash=134']);
    const crash = crashBefore(args);
    expect(crash).toEqual({ code: 134 });
    expect(crashLogLine(crash ?? { code: null })).toBe('started again after the desk process stopped unexpectedly (exit code 134)');
  });

  it('is no crash for a normal start or a restart a person asked for', () => {
    expect(crashBefore(['.', '--data', 'D'])).toBeNull();
    expect(crashBefore(withoutCrashMark(['.', '--after-desk-crash=3']))).toBeNull();
  });

  it('keeps one mark only, and reads a mark from an older version without a code', () => {
    expect(argsAfterCrash(['.', '--after-desk-crash=1'], 2)).toEqual(['.', '--after-desk-crash=2']);
    expect(crashBefore(['.', '--after-desk-crash'])).toEqual({ code: null });
    expect(crashLogLine({ code: null })).toContain('exit code unknown');
  });
});
