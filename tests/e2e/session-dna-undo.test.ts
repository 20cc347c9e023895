/**
 * A session's no-shows marked DNA and undone as one (issue 18 item 8), by keyboard, against a real `serve --demo`:
 * Shift+D lists who, Enter marks them all, and one Ctrl+Z (the notice's "Undo all N") puts every row back to
 * booked, with the journal holding one undo per appointment and merge-back left nothing to write for them.
 */
import { describe, expect, it } from 'vitest';
import { sessionNoShows } from '../../shared/domain';
import { expectFocus, op, rowSelector, TEST_DAY, useDemoDeskAndBrowser } from './support';

const demo = useDemoDeskAndBrowser();

describe("a session's DNA undone as one", () => {
  it('one Ctrl+Z after marking the no-shows puts all of them back, and says how many', async () => {
    const start = await op(demo.desk.url, 'getMirrorStatus', {});
    const day = await op(demo.desk.url, 'getDay', { date: TEST_DAY });
    const nowIso = new Date(demo.desk.now).toISOString();
    // A session whose no-shows are all due already, two or more: the dialog then offers exactly them.
    const chosen = day.sessions.map((s) => sessionNoShows(day.appointments, s.id)).find((rows) => rows.length >= 2 && rows.every((a) => a.start <= nowIso));
    if (!chosen) throw new Error('the demo day has no session with two or more no-shows all due');
    const [first] = chosen;
    if (!first) throw new Error('no first no-show');

    const { page } = await demo.openDesk();
    await page.locator(rowSelector(first.id)).focus();
    await expectFocus(page, first.id);
    await page.keyboard.press('Shift+D');
    await page.locator('[data-testid="session-dna-dialog"]').waitFor();
    expect(await page.textContent('[data-testid="session-dna-undo-hint"]')).toContain('Ctrl+Z');
    await expectFocus(page, 'confirm-session-dna');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="session-dna-dialog"]').waitFor({ state: 'detached' });
    for (const a of chosen) await page.locator(rowSelector(a.id, 'dna')).waitFor({ timeout: 5000 });
    expect(await page.textContent('[data-testid="undo-last"]')).toContain(`Undo all ${chosen.length}`);
    const marked = await op(demo.desk.url, 'getMirrorStatus', {});

    await page.keyboard.press('Control+z');
    for (const a of chosen) await page.locator(rowSelector(a.id, 'booked')).waitFor({ timeout: 5000 });
    await expect.poll(() => page.textContent('[data-testid="last-change"]')).toContain(`Undone: ${chosen.length} appointments no longer DNA, booked again`);

    const entries = await op(demo.desk.url, 'getJournal', { afterSeq: marked.journal.lastSeq, limit: 1000 });
    expect(entries.map((e) => [e.op, e.entityId])).toEqual(chosen.map((a) => ['appointment.undo', a.id]));
    // Marked and undone: merge-back has nothing to put back for any of them.
    expect((await op(demo.desk.url, 'getMirrorStatus', {})).journal.deskChanges).toBe(start.journal.deskChanges);
  });
});
