/**
 * The sheet catalogue against what reads it: the server routes and renders every sheet it lists, in the formats it
 * lists and no others; a sheet narrows to one clinician exactly when the catalogue says it can, in the model and
 * over HTTP; the contract's printSheet, the pack, the CLI and the Print menu name the same sheets; and who may
 * have a sheet is who may call the operation that reads what it shows.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, policyOf } from '../../../shared/api';
import {
  buildSheet,
  isMergeSheetKind,
  MENU_SHEETS,
  parseSheetUrl,
  SHEET_CATALOGUE,
  SHEET_KINDS,
  SHEET_NAMES,
  sheetAccess,
  sheetReadOperation,
  sheetUrl,
  type SheetFormat,
  type SheetName,
} from '../../../shared/sheets';
import { packJobs, sheetInputOf } from '../../../electron/desk/print';
import { createSheetRoutes, sheetOperation, type SheetRoutes } from '../../../electron/server/sheets';
import { mergeSheetCsv, mergeSheetDocument } from '../../../electron/desk/merge/output';
import { COMMANDS } from '../../../electron/cli/main';
import { FIXTURE_DATE, openTestDesk, smallBook } from '../../support/fixtures';
import { dayOf } from './support';

const FORMATS: readonly SheetFormat[] = ['pdf', 'html', 'csv'];
const PRINTED = new Date('2026-07-20T08:05:00Z');
const input = () => sheetInputOf(dayOf(smallBook(), FIXTURE_DATE), PRINTED);

describe('the server serves what the catalogue lists', () => {
  const desk = openTestDesk({ book: smallBook() });
  let routes: SheetRoutes;
  let server: http.Server;
  let base = '';
  const audited: string[] = [];

  beforeAll(async () => {
    routes = createSheetRoutes({
      reader: desk.service,
      clock: () => PRINTED,
      merge: { document: (kind, at, options) => mergeSheetDocument(desk.service, kind, at, options), csv: (kind) => mergeSheetCsv(desk.service, kind) },
    });
    server = http.createServer((req, res) => {
      void routes.handle(res, new URL(req.url ?? '/', 'http://desk.test'), (sheet) => {
        audited.push(sheet);
        return Promise.resolve();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await routes.close();
    await new Promise((resolve) => server.close(resolve));
    desk.close();
  });

  const get = (path: string) => fetch(`${base}${path}`);

  // PDFs need a browser; the HTML and CSV are the same documents' other forms, and the 404s need none.
  it.each(SHEET_NAMES)('%s: its HTML (and CSV where listed) is served; a format it lacks is not', async (name) => {
    const date = SHEET_CATALOGUE[name].covers === 'day' ? FIXTURE_DATE : null;
    for (const format of FORMATS.filter((f) => f !== 'pdf')) {
      const res = await get(sheetUrl(name, format, { date }));
      const listed = (SHEET_CATALOGUE[name].formats as readonly string[]).includes(format);
      expect(res.status, `${name}.${format}`).toBe(listed ? 200 : 404);
      if (listed && format === 'html') expect(await res.text()).toContain('<html');
    }
  });

  it.each(SHEET_KINDS)('%s: ?clinician= is accepted exactly when the catalogue says per clinician', async (name) => {
    // sheetUrl leaves the clinician out of a sheet that cannot take one, so ask by hand as a browser might.
    const res = await get(`/sheets/${name}.html?date=${FIXTURE_DATE}&clinician=clin-a`);
    expect(res.status).toBe(SHEET_CATALOGUE[name].perClinician ? 200 : 400);
  });

  it.each(SHEET_KINDS)('%s: ?from= (the rest of the day) is accepted exactly when the catalogue says restOfDay', async (name) => {
    const res = await get(`/sheets/${name}.html?date=${FIXTURE_DATE}&from=08:40`);
    expect(res.status).toBe(SHEET_CATALOGUE[name].restOfDay ? 200 : 400);
    if (SHEET_CATALOGUE[name].restOfDay) expect(await res.text()).toContain('from 08:40');
    else expect(await res.text()).toContain('prints the whole day');
    if (SHEET_CATALOGUE[name].restOfDay) expect((await get(`/sheets/${name}.html?date=${FIXTURE_DATE}&from=8.40`)).status).toBe(400);
  });

  it('answers 404 for a name the catalogue lacks, and decides access by the catalogue', async () => {
    expect((await get(`/sheets/rota.pdf?date=${FIXTURE_DATE}`)).status).toBe(404);
    for (const name of SHEET_NAMES) expect(sheetOperation(sheetUrl(name, 'pdf'))).toBe(SHEET_CATALOGUE[name].readVia);
  });
});

describe('the sheets themselves', () => {
  it.each(SHEET_KINDS)('%s: built for one clinician, it narrows exactly when the catalogue says per clinician', (name) => {
    const whole = JSON.stringify(buildSheet(name, input()));
    const one = JSON.stringify(buildSheet(name, input(), { clinicianId: 'clin-a' }));
    expect(one !== whole).toBe(SHEET_CATALOGUE[name].perClinician);
  });

  it.each(SHEET_KINDS)('%s: built from a time, it is the rest of the day exactly when the catalogue says restOfDay', (name) => {
    const whole = JSON.stringify(buildSheet(name, input()));
    const rest = JSON.stringify(buildSheet(name, { ...input(), from: '08:40' }));
    expect(rest !== whole).toBe(SHEET_CATALOGUE[name].restOfDay);
  });

  it('are filed in the pack as the catalogue says: one file, or one per clinician', () => {
    const jobs = packJobs(input());
    for (const name of SHEET_NAMES) {
      const files = jobs.filter((j) => j.sheet === name);
      const filing = SHEET_CATALOGUE[name].pack;
      if (filing === null) expect(files, name).toHaveLength(0);
      else if (filing === 'one-file')
        expect(
          files.map((f) => f.clinicianId),
          name,
        ).toEqual([null]);
      else expect(files.map((f) => f.clinicianId).sort(), name).toEqual(['clin-a', 'clin-b']);
    }
  });
});

describe('the names agree everywhere', () => {
  it("the contract's printSheet takes every sheet and nothing else", () => {
    const sheet = (name: string) => contract.printSheet.input.safeParse({ sheet: name, to: 'pdf' }).success;
    for (const name of SHEET_NAMES) expect(sheet(name), name).toBe(true);
    expect(sheet('rota')).toBe(false);
    const from = (value: string) => contract.printSheet.input.safeParse({ sheet: 'consultation-records', date: FIXTURE_DATE, from: value, to: 'pdf' }).success;
    expect(from('15:39')).toBe(true);
    expect(from('00:00')).toBe(true);
    for (const bad of ['24:00', '9:30', '15.39', '15:60', '']) expect(from(bad), bad).toBe(false);
  });

  it("the CLI's print command names every sheet", () => {
    const print = COMMANDS.find((c) => c.name === 'print');
    for (const name of SHEET_NAMES) expect(print?.usage).toContain(name);
  });

  it('the Print menu lists every day sheet once, in a distinct place', () => {
    expect([...MENU_SHEETS].sort()).toEqual([...SHEET_KINDS].sort());
    const places = MENU_SHEETS.map((n) => SHEET_CATALOGUE[n].menu);
    expect(places).toEqual(Array.from({ length: MENU_SHEETS.length }, (_x, i) => i + 1));
  });

  it.each(SHEET_NAMES)('%s: its URLs parse back to what made them', (name) => {
    for (const format of SHEET_CATALOGUE[name].formats) {
      const url = new URL(sheetUrl(name, format, { date: FIXTURE_DATE, clinicianId: 'clin-a', desk: 'desk-1', patients: true, from: '15:39' }), 'http://desk.test');
      const parsed = parseSheetUrl(url.pathname, url.searchParams);
      expect(parsed).toEqual({
        ok: true,
        sheet: name,
        format,
        query: {
          date: FIXTURE_DATE,
          clinicianId: SHEET_CATALOGUE[name].perClinician ? 'clin-a' : null,
          desk: 'desk-1',
          patients: true,
          from: SHEET_CATALOGUE[name].restOfDay ? '15:39' : null,
        },
      });
    }
  });
});

describe('who may have a sheet', () => {
  it.each(SHEET_NAMES)('%s: whoever may call the operation that reads what it shows, never the public', (name: SheetName) => {
    const operation = sheetReadOperation(name);
    expect(policyOf(operation).reads).toBe(true);
    expect(sheetAccess(name)).toBe(policyOf(operation).role);
    // Every sheet carries patient details (or, for the impact report, the practice's figures): never public.
    expect(sheetAccess(name)).not.toBe('public');
    // The merge-back sheets are read through the merge review's own operations, not the day.
    expect(operation === 'getDay').toBe(!isMergeSheetKind(name));
  });
});
