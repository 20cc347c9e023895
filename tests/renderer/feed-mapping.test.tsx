/**
 * The manager's mapping screen (renderer/src/feeds): choosing a sample file shows its first rows and the desk's
 * guess; changing one column's choice asks again and the preview changes; saving sends the mapping shown. The
 * transport double answers previews with the desk's own preview code (electron/desk/upstream/csv/guess.ts), so
 * what the screen shows here is what the desk would send.
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FEED_SAMPLE_MAX_CHARS, FEED_SAMPLE_MAX_LINES, type CsvMappingFile, type FeedMappingState } from '../../shared/api';
import { previewMapping } from '../../electron/desk/upstream/csv/guess';
import { createDeskClient } from '../../renderer/src/api/client';
import { FeedMappingPanelBody, outcomeText, type FeedMappingActions } from '../../renderer/src/feeds/FeedMappingPanel';
import { createFeedMappingController, topOfFile } from '../../renderer/src/feeds/feed-mapping-model';
import { FakeTransport, settle } from './doubles/transport';

const REPORT = fs.readFileSync(path.join(__dirname, '../fixtures/feeds-mapping/systmone-style-report.csv'), 'utf8');
const NONE: FeedMappingState = { saved: null, inForce: { source: 'default' } };

function screen() {
  let state = NONE;
  const transport = new FakeTransport()
    .answer('getFeedMapping', () => state)
    .answer('previewFeedMapping', (input: unknown) => {
      const { sample, mapping } = input as { sample: string; mapping?: CsvMappingFile };
      return previewMapping(sample, mapping);
    })
    .answer('saveFeedMapping', (input: unknown) => {
      const { name, mapping } = input as { name: string; mapping: CsvMappingFile };
      state = { saved: { name, mapping, savedAt: '2026-07-20T09:30:00.000Z', savedBy: 'pat.manager' }, inForce: { source: 'saved', name } };
      return state;
    });
  const controller = createFeedMappingController(() => createDeskClient(transport));
  const noop = () => undefined;
  const actions: FeedMappingActions = { chooseFile: noop, chooseColumn: noop, chooseDelimiter: noop, choosePreset: noop, useGuess: noop, setName: noop, save: noop };
  const html = () => renderToStaticMarkup(<FeedMappingPanelBody screen={controller.get()} actions={actions} />);
  const text = () => html().replace(/<[^>]+>/g, ' ');
  return { transport, controller, html, text };
}

describe('the mapping screen', () => {
  it('shows a sample’s rows and the guess, previews a changed column, and saves the mapping shown', async () => {
    const { transport, controller, html, text } = screen();
    await controller.load();
    expect(text()).toContain('The watched folder reads CSV files with the default Standby Desk layout');

    await controller.chooseSample('systmone-day.csv', REPORT);
    await settle();
    expect(transport.callsOf('previewFeedMapping')).toEqual([{ sample: REPORT }]);
    expect(controller.get().name).toBe('systmone-day');
    // The sample's header and first rows, and a select per field showing the guessed column.
    expect(html()).toContain('<th scope="col">AppointmentStatus</th>');
    expect(html()).toMatch(/data-testid="feed-map-clinicianId"[^>]*>.*?<option value="IDClinician" selected="">/);
    expect(text()).toContain('Appointment sr-1001: 08:30–08:40, Booked, Face to face, HUGHES, Alys (NHS 999 000 0018), with S1');

    // The clinician taken from the rota's name instead: the preview says so.
    await controller.chooseColumn('clinicianId', 'RotaName');
    await settle();
    expect(transport.callsOf('previewFeedMapping').at(-1)).toMatchObject({ mapping: { columns: { clinicianId: 'RotaName', status: 'AppointmentStatus' } } });
    expect(text()).toContain('with Morning surgery');
    expect(text()).not.toContain('with S1');

    // A required field with no column: the problem is shown, each row says it, and Save is off.
    await controller.chooseColumn('status', null);
    expect(text()).toContain('Status: choose its column (every row needs one)');
    expect(html()).toMatch(/<button type="submit"[^>]*disabled=""[^>]*data-testid="feed-mapping-save"/);
    await controller.chooseColumn('status', 'AppointmentStatus');

    controller.setName('SystmOne day report');
    await controller.save();
    expect(transport.callsOf('saveFeedMapping')).toEqual([{ name: 'SystmOne day report', mapping: controller.get().mapping }]);
    expect(controller.get().mapping?.columns.clinicianId).toBe('RotaName');
    expect(text()).toContain('Saved “SystmOne day report” as the practice’s mapping.');
    expect(text()).toContain('The watched folder reads CSV files with the practice’s mapping “SystmOne day report”.');
  });

  it('takes a preset, and goes back to the guess', async () => {
    const { controller, text } = screen();
    await controller.chooseSample('report.csv', REPORT);
    await controller.choosePreset('standby-desk');
    expect(controller.get().mapping?.columns.status).toBe('appointment_status');
    expect(text()).toContain('Status: the column &quot;appointment_status&quot; is not in the sample&#x27;s header');
    await controller.useGuess();
    expect(controller.get().mapping?.columns.status).toBe('AppointmentStatus');
    expect(controller.get().preview?.problems).toEqual([]);
  });

  it('shows only the latest preview when answers cross', async () => {
    const { transport, controller } = screen();
    await controller.chooseSample('report.csv', REPORT);
    const held = transport.hold('previewFeedMapping');
    const first = controller.chooseColumn('phone', null);
    transport.answer('previewFeedMapping', (input: unknown) => previewMapping(REPORT, (input as { mapping: CsvMappingFile }).mapping));
    await controller.chooseColumn('sex', null);
    held.release(previewMapping(REPORT));
    await first;
    expect(controller.get().mapping?.columns.sex).toBeNull();
    expect(controller.get().mapping?.columns.phone).toBeNull();
  });

  it('sends only the top of a big file, in whole lines', async () => {
    const [head = '', row = ''] = REPORT.split('\n');
    const big = [head, ...Array.from({ length: 5000 }, () => row)].join('\r\n');
    const top = topOfFile(big);
    expect(top.length).toBeLessThanOrEqual(FEED_SAMPLE_MAX_CHARS);
    expect(top.split('\r\n').filter((l) => l !== '')).toHaveLength(FEED_SAMPLE_MAX_LINES);
    expect(top.endsWith('\r\n')).toBe(true);
    const { transport, controller } = screen();
    await controller.chooseSample('big.csv', big);
    expect(transport.callsOf('previewFeedMapping')).toEqual([{ sample: top }]);
    expect(controller.get().preview?.rows).toHaveLength(10);
    // The same row over and over: the first is the appointment, the others say so.
    expect(controller.get().preview?.rows[0]?.becomes.kind).toBe('appointment');
    expect(controller.get().preview?.rows[1]?.becomes).toMatchObject({ kind: 'problem', column: 'RowIdentifier', message: 'appointment sr-1001 is also on row 2' });
  });

  it('says what a row’s problem is and in which column', () => {
    expect(outcomeText({ kind: 'problem', column: 'AppointmentStatus', message: 'unknown status "Teleported"' })).toBe(
      'Problem in column AppointmentStatus: unknown status "Teleported"',
    );
  });
});
