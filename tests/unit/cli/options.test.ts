/**
 * The CLI's option helpers (electron/cli/common.ts), which every command uses: each refuses wrong usage with a
 * UsageError (exit code 2 and the usage text) that says what to give, and passes good usage through.
 */
import { describe, expect, it } from 'vitest';
import { choiceOption, dateOption, intOption, noArguments, oneArgument, orList, parseOptions, requiredOption, someArguments, UsageError } from '../../../electron/cli/common';
import { main } from '../../../electron/cli/main';

const usage = (fn: () => unknown, message: RegExp) => {
  expect(fn).toThrow(UsageError);
  expect(fn).toThrow(message);
};

describe('option helpers', () => {
  it('parseOptions: the common options always, unknown options and stray arguments refused', () => {
    expect(parseOptions(['--data', '/d', '--json'], {}).values).toMatchObject({ data: '/d', json: true, help: false });
    usage(() => parseOptions(['--nope'], {}), /--nope/);
    usage(() => parseOptions(['extra'], {}), /extra/);
    expect(parseOptions(['a', 'b'], {}, true).positionals).toEqual(['a', 'b']);
  });

  it('requiredOption: blank counts as missing, and the message says what to give', () => {
    expect(requiredOption('pack', 'out', 'folder', 'FOLDER')).toBe('folder');
    usage(() => requiredOption('pack', 'out', undefined, 'FOLDER'), /^pack needs --out FOLDER$/);
    usage(() => requiredOption('pack', 'out', '  ', 'FOLDER'), /pack needs --out FOLDER/);
  });

  it('choiceOption: one of the choices or nothing', () => {
    expect(choiceOption('format', 'csv', ['fhir', 'csv'])).toBe('csv');
    expect(choiceOption('format', undefined, ['fhir', 'csv'])).toBeUndefined();
    usage(() => choiceOption('format', 'xml', ['fhir', 'csv']), /^--format must be fhir or csv, got "xml"$/);
    usage(() => choiceOption('capability', 'x', ['fhir', 'gp-connect', 'none']), /must be fhir, gp-connect or none/);
  });

  it('oneArgument, someArguments, noArguments: counted as the command needs', () => {
    expect(oneArgument('print', ['master-list'], 'a SHEET')).toBe('master-list');
    usage(() => oneArgument('print', [], 'a SHEET', 'master-list, walk-in-register'), /^print needs a SHEET: master-list, walk-in-register$/);
    usage(() => oneArgument('restore', ['a', 'b', 'c'], 'FILE'), /^restore takes one FILE, got also: b c$/);
    expect(someArguments('import', ['a.json', 'b.csv'], 'file')).toEqual(['a.json', 'b.csv']);
    usage(() => someArguments('import', [], 'file'), /^import needs at least one file$/);
    expect(() => noArguments('pack', [])).not.toThrow();
    usage(() => noArguments('pack', ['x', 'y']), /^pack takes no arguments, got: x y$/);
  });

  it('dateOption: a real London date under its own flag name, or the fallback', () => {
    expect(dateOption(undefined, '2026-07-20')).toBe('2026-07-20');
    expect(dateOption('2026-02-28', '2026-07-20')).toBe('2026-02-28');
    usage(() => dateOption('2026-02-30', '2026-07-20'), /^--date must be a real date as YYYY-MM-DD, got "2026-02-30"$/);
    usage(() => dateOption('20/07/2026', '2026-07-20', 'from'), /^--from must be/);
  });

  it('intOption: a whole number in range, or the fallback', () => {
    expect(intOption('days', undefined, 3, 1, 14)).toBe(3);
    expect(intOption('days', '14', 3, 1, 14)).toBe(14);
    for (const bad of ['0', '15', '2.5', 'two']) usage(() => intOption('days', bad, 3, 1, 14), /^--days must be a whole number from 1 to 14$/);
  });

  it('orList joins as a sentence', () => {
    expect([orList([]), orList(['a']), orList(['a', 'b']), orList(['a', 'b', 'c'])]).toEqual(['', 'a', 'a or b', 'a, b or c']);
  });
});

describe("the commands use them: wrong usage exits 2 with the helper's message", () => {
  const run = async (...args: string[]) => {
    const err: string[] = [];
    const code = await main(args, { log: () => undefined, error: (line) => err.push(line) });
    return { code, err: err.join('\n') };
  };

  it.each([
    [['import'], /import needs at least one file/],
    [['import', 'a.json', '--format', 'xml'], /--format must be fhir, csv, emis-extract or systmone-extract, got "xml"/],
    [['pull'], /pull needs --fhir URL/],
    [['pull', '--fhir', 'http://x.test', '--from', '2026-13-01'], /--from must be a real date/],
    [['reconcile', '--fhir', 'http://x.test', '--capability', 'fax'], /--capability must be fhir, gp-connect or none/],
    [['restore'], /restore needs FILE/],
    [['users'], /users needs list or add/],
    [['print'], /print needs a SHEET/],
    [['pack', 'extra'], /pack takes no arguments, got: extra/],
    [['worklist', 'extra', '--out', 'w.csv'], /worklist takes no arguments/],
  ])('%j', async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  });
});
