/**
 * A desk told to pull from a clinical system that does not answer says so in the header, with when and why, as
 * well as growing older: before, the failure was only in `standby-desk status`.
 */
import { createServer } from 'node:net';
import { expect, it } from 'vitest';
import { op, screenshot, TEST_DAY, useDemoDeskAndBrowser } from './support';

/** A loopback port nothing listens on: taken from the system, then let go, so a connection to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const demo = useDemoDeskAndBrowser({ date: TEST_DAY, online: true, serveArgs: ['--fhir', `http://127.0.0.1:${await closedPort()}/fhir`, '--timeout', '2'] });

it('shows in the header that the last pull failed, when, and why', async () => {
  await expect.poll(async () => (await op(demo.desk.url, 'getMirrorStatus', {})).upstream.reachable, { timeout: 30_000 }).toBe(false);
  const { page } = await demo.openDesk(`?date=${TEST_DAY}`);
  const problem = page.getByTestId('pull-problem');
  await problem.waitFor();
  const status = (await op(demo.desk.url, 'getMirrorStatus', {})).upstream;
  expect(await problem.textContent()).toMatch(/^Clinical system not answering: last try \d\d:\d\d failed \(.+\)/);
  expect(await problem.getAttribute('title')).toBe(status.lastError);
  await screenshot(page, 'header-pull-problem');
});
